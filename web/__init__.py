"""The analysts' workspace: `veille serve`, a server-rendered web app over Veille's database.

It sits between `reports/` and `pipeline/`: it reads and writes through `storage/`, corrects
labels through `nlp.human_labels`, answers alerts and writes reports through `reports/`, and
the CLI (`pipeline/commands/serve.py`, `users.py`) starts it. Starlette, Jinja2 (autoescape),
htmx (vendored in `static/`, with its licence) and one small script of our own; no build step.
"""
