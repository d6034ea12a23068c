"""`veille db upgrade|current`: create and migrate the database schema."""

from __future__ import annotations

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError

db_app = typer.Typer(help="Database schema: create and migrate.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Apply the database migrations of this version of Veille."""
    state: AppState = ctx.obj
    from storage.schema import upgrade

    before, after = upgrade(state.engine(check_schema=False))
    if before == after:
        state.say(f"Database already at schema version {after} ({where(state)}).")
    else:
        state.say(f"Database migrated from {before or 'empty'} to {after} ({where(state)}).")


@db_app.command("current")
def db_current(ctx: typer.Context) -> None:
    """Print the database's schema version and the one this Veille needs."""
    state: AppState = ctx.obj
    from storage.schema import current_revision, head_revision

    current = current_revision(state.engine(check_schema=False))
    state.console.print(f"database: {current or 'empty'}  this Veille: {head_revision()}")
    if current != head_revision():
        raise CommandError("The schema is not current; run `veille db upgrade`.")


def where(state: AppState) -> str:
    from storage.errors import describe_url

    return describe_url(state.settings.database.url)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
