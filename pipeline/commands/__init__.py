"""The command modules, one per command, named after it; each exposes `register(app)`.

Add a module here to add a command. Other installed packages add commands through the
`veille.commands` entry-point group: each entry names a module (or object) with a
`register(app)`; `veille demo` comes this way, from veille_demo, which the product never
imports. Those commands are listed after `init` and `db`.
"""

from __future__ import annotations

import logging
from importlib import import_module

import typer

from config.plugins import entry_point_objects

log = logging.getLogger("veille.plugins")

ENTRY_POINTS = "veille.commands"

# Order is the order of `veille --help` (Typer lists the command groups, db and alerts, last).
COMMAND_MODULES = [
    "pipeline.commands.init",
    "pipeline.commands.db",
    ENTRY_POINTS,  # the commands of installed plugins
    "pipeline.commands.run",
    "pipeline.commands.schedule",
    "pipeline.commands.status",
    "pipeline.commands.crawl",
    "pipeline.commands.import_",
    "pipeline.commands.match",
    "pipeline.commands.analyze",
    "pipeline.commands.label",
    "pipeline.commands.classify",
    "pipeline.commands.train",
    "pipeline.commands.authors",
    "pipeline.commands.score_series",
    "pipeline.commands.report",
    "pipeline.commands.stats",
    "pipeline.commands.export",
    "pipeline.commands.alerts",
    "pipeline.commands.events",
    "pipeline.commands.handoff",
    "pipeline.commands.privacy",
    "pipeline.commands.worker",
    "pipeline.commands.serve",
    "pipeline.commands.users",
    "pipeline.commands.tokens",
]


def register_all(app: typer.Typer) -> None:
    for name in COMMAND_MODULES:
        if name == ENTRY_POINTS:
            for entry, plugin in entry_point_objects(ENTRY_POINTS):
                register = getattr(plugin, "register", None)
                if callable(register):
                    register(app)
                else:  # a broken plugin must not stop Veille: switched off, loudly
                    log.warning("Disabled plugin %s (%s): it has no register(app)", entry, name)
        else:
            import_module(name).register(app)
