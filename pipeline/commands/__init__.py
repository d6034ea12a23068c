"""The command modules; each exposes `register(app)`. Add a module here to add commands."""

from __future__ import annotations

from importlib import import_module

import typer

# Order is the order of `veille --help`.
COMMAND_MODULES = [
    "pipeline.commands.setup",  # init, db
    "pipeline.commands.demo",
    "pipeline.commands.run",  # run, schedule, status
    "pipeline.commands.collect",  # crawl
    "pipeline.commands.importer",  # import
    "pipeline.commands.match",
    "pipeline.commands.nlp",  # analyze, label, classify
    "pipeline.commands.authors",
    "pipeline.commands.alerts",  # detect, alerts
    "pipeline.commands.report",
    "pipeline.commands.data",  # stats, export
]


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        import_module(name).register(app)
