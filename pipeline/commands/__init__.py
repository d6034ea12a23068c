"""The command modules; each exposes `register(app)`. Add a module here to add commands."""

from __future__ import annotations

from importlib import import_module

import typer

# Order is the order of `veille --help`.
COMMAND_MODULES = [
    "pipeline.commands.setup",
    "pipeline.commands.data",
    "pipeline.commands.importer",
    "pipeline.commands.collect",
    "pipeline.commands.report",
    "pipeline.commands.nlp",
    "pipeline.commands.demo",
    "pipeline.commands.match",
    "pipeline.commands.alerts",
    "pipeline.commands.run",
    "pipeline.commands.authors",
]


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        import_module(name).register(app)


def state(ctx: typer.Context) -> object:
    return ctx.obj
