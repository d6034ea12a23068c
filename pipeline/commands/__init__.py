"""The command modules, one per command, named after it; each exposes `register(app)`.

Add a module here to add a command. Commands from other installed packages (e.g. `veille
demo`, from veille_demo) come through the `veille.commands` entry-point group.
"""

from __future__ import annotations

from importlib import import_module

import typer

# Order is the order of `veille --help` (Typer lists the command groups, db and alerts, last).
COMMAND_MODULES = [
    "pipeline.commands.init",
    "pipeline.commands.db",
    "pipeline.commands.demo",
    "pipeline.commands.run",
    "pipeline.commands.schedule",
    "pipeline.commands.status",
    "pipeline.commands.crawl",
    "pipeline.commands.import_",
    "pipeline.commands.match",
    "pipeline.commands.analyze",
    "pipeline.commands.label",
    "pipeline.commands.classify",
    "pipeline.commands.authors",
    "pipeline.commands.score_series",
    "pipeline.commands.report",
    "pipeline.commands.stats",
    "pipeline.commands.export",
    "pipeline.commands.alerts",
]


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        import_module(name).register(app)
