"""`veille init` and `veille db …`: write a config, create and migrate the database."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError

EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "config" / "veille.example.yaml"

db_app = typer.Typer(help="Database schema: create and migrate.", no_args_is_help=True)


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
    state.say(f"Database ready at schema version {after} ({_where(state)}).")
    if before is None:
        state.say("Next: `veille --config " + str(target) + " stats` or `veille demo`.")


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations of this version of Veille."""
    state: AppState = ctx.obj
    from storage.schema import upgrade

    before, after = upgrade(state.engine(check_schema=False))
    if before == after:
        state.say(f"Database already at schema version {after} ({_where(state)}).")
    else:
        state.say(f"Database migrated from {before or 'empty'} to {after} ({_where(state)}).")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the database's schema version and the one this Veille needs."""
    state: AppState = ctx.obj
    from storage.schema import current_revision, head_revision

    current = current_revision(state.engine(check_schema=False))
    state.console.print(f"database: {current or 'empty'}  this Veille: {head_revision()}")
    if current != head_revision():
        raise CommandError("The schema is not current; run `veille db upgrade`.")


def _where(state: AppState) -> str:
    from storage.errors import describe_url

    return describe_url(state.settings.database.url)


def register(app: typer.Typer) -> None:
    app.command()(init)
    app.add_typer(db_app, name="db")
