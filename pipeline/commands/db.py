"""`veille db upgrade|current|copy`: create and migrate the database schema; copy a whole
database into another (a backup, its restore, a move from SQLite to PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError

if TYPE_CHECKING:
    from sqlalchemy import Engine

db_app = typer.Typer(
    help="Database schema: create and migrate; copy a database.", no_args_is_help=True
)


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


@db_app.command("copy")
def db_copy(
    ctx: typer.Context,
    to: Annotated[
        str | None,
        typer.Option(
            "--to",
            help="Copy the workspace's database into this empty database "
            "(a URL, or a file path for SQLite: a backup).",
        ),
    ] = None,
    source: Annotated[
        str | None,
        typer.Option(
            "--from",
            help="Copy this database (a URL or a SQLite file: a backup) "
            "into the workspace's, which must be empty (a restore, or a move); a .dump file "
            "(backup.format pg_dump) is restored into PostgreSQL by pg_restore.",
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Copy every row of one Veille database into another, empty one, either backend."""
    from pipeline.errors import UsageError
    from storage.database_copy import copy_database, database_url
    from storage.engine import make_engine
    from storage.pg_dump import SUFFIX

    state: AppState = ctx.obj
    if (to is None) == (source is None):
        raise UsageError(
            "say where to copy: --to DATABASE (a backup) or --from DATABASE (a restore)"
        )
    here = state.engine(check_schema=source is None)
    if source is not None and source.endswith(SUFFIX) and "://" not in source:
        _restore_dump(state, Path(source).expanduser(), here, as_json)
        return
    if source is not None:
        from_engine = make_engine(database_url(source), create=False)
        into = here
    else:
        from_engine = here
        into = make_engine(database_url(str(to)), create=True)

    def said(table: str, rows: int) -> None:
        if not as_json and rows:
            state.say(f"  {table}: {rows:,} rows")

    try:
        result = copy_database(from_engine, into, said)
    finally:
        (from_engine if source is not None else into).dispose()
    if as_json:
        state.emit_json({"from": result.source, "to": result.target, "rows": result.rows,
                         "total": result.total})  # fmt: skip
        return
    state.say(f"Copied {result.total:,} rows of {len(result.rows)} tables from {result.source} "
              f"to {result.target}.")  # fmt: skip


def _restore_dump(state: AppState, path: Path, into: Engine, as_json: bool) -> None:
    """A pg_dump archive (the `backup` stage's, backup.format pg_dump) into the workspace."""
    from storage.errors import describe_url
    from storage.pg_dump import restore

    rows = restore(path, into)
    target = describe_url(str(into.url))
    total = sum(rows.values())
    if as_json:
        state.emit_json({"from": str(path), "to": target, "rows": rows, "total": total})
        return
    state.say(f"Restored {total:,} rows of {len(rows)} tables from {path} to {target}.")


def where(state: AppState) -> str:
    from storage.errors import describe_url

    return describe_url(state.settings.database.url)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
