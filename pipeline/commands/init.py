"""`veille init`: write an example veille.yaml into a workspace, create and migrate its database."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands.db import where
from pipeline.context import AppState


def example_config() -> Path:
    from importlib.resources import files

    return Path(str(files("config").joinpath("veille.example.yaml")))


def init(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Workspace folder.")] = Path("."),
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing veille.yaml.")
    ] = False,
) -> None:
    """Write an example veille.yaml into DIR and create and migrate its database."""
    state: AppState = ctx.obj
    directory.mkdir(parents=True, exist_ok=True)
    target = directory / "veille.yaml"
    if target.exists() and not force:
        state.say(f"Keeping the existing {target} (use --force to overwrite it).")
    else:
        shutil.copyfile(example_config(), target)
        state.say(f"Wrote {target}; edit its brands and sources.")
    state.config_path = target
    from storage.schema import upgrade

    before, after = upgrade(state.engine(check_schema=False))
    state.say(f"Database ready at schema version {after} ({where(state)}).")
    for folder in _folders(state):  # the exports' inboxes: the first run finds them
        if not folder.exists():
            folder.mkdir(parents=True)
            state.say(f"Created {folder} (drop the exports to import there).")
    if before is None:
        state.say("Next: `veille --config " + str(target) + " stats` or `veille demo`.")


def _folders(state: AppState) -> list[Path]:
    """The inbox folders the configuration's export sources read (paths already resolved
    against the configuration's folder)."""
    return [Path(s.path) for s in state.settings.sources if s.enabled and s.path]


def register(app: typer.Typer) -> None:
    app.command()(init)
