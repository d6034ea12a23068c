"""Apply migrations and refuse to work on a database whose schema is not this version's."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, inspect, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storage.errors import SchemaError, describe_url, translate

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "the migrations folder has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except (DBAPIError, SQLAlchemyError) as exc:
        raise translate(exc, str(engine.url)) from None


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate the database to `revision`; returns (before, after)."""
    before = current_revision(engine)
    _refuse_unknown(engine, before)
    cfg = alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except (DBAPIError, SQLAlchemyError) as exc:
        raise translate(exc, str(engine.url)) from None
    return before, current_revision(engine) or "none"


def check(engine: Engine) -> None:
    """Raise SchemaError with what to run unless the database is at this version's head."""
    current = current_revision(engine)
    head = head_revision()
    where = describe_url(str(engine.url))
    if current == head:
        return
    if current is None:
        try:
            tables = inspect(engine).get_table_names()
        except (DBAPIError, SQLAlchemyError) as exc:
            raise translate(exc, str(engine.url)) from None
        if tables:
            raise SchemaError(
                f"The database {where} has tables but no Veille schema version; point "
                "database.url at an empty database or a Veille one, then run `veille db upgrade`."
            )
        raise SchemaError(
            f"The database {where} has no Veille schema yet; run `veille db upgrade` "
            "(or `veille init`) first."
        )
    _refuse_unknown(engine, current)
    raise SchemaError(
        f"The database {where} is at schema version {current}, this Veille needs {head}; "
        "run `veille db upgrade` (back up the database first)."
    )


def _refuse_unknown(engine: Engine, current: str | None) -> None:
    if current is None:
        return
    script = ScriptDirectory.from_config(alembic_config())
    known = {rev.revision for rev in script.walk_revisions()}
    if current not in known:
        raise SchemaError(
            f"The database {describe_url(str(engine.url))} was migrated by a newer Veille "
            f"(schema version {current}); install that version of Veille to use it."
        )


@contextmanager
def scratch_schema(admin_url: str, prefix: str = "scratch") -> Iterator[str]:
    """The PostgreSQL database of `admin_url` seen through a fresh, empty schema (the URL
    returned sets its search_path), dropped with all it holds on leaving: tests, benchmarks."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{name}"'))
        try:
            yield f"{admin_url}?options=-csearch_path%3D{name}"
        finally:
            with admin.begin() as conn:
                conn.execute(text(f'DROP SCHEMA "{name}" CASCADE'))
    finally:
        admin.dispose()
