"""Backups of a PostgreSQL workspace with PostgreSQL's own tools: `pg_dump` writes the
workspace's schema in its custom format (compressed, one consistent snapshot, the server doing
the work) and `pg_restore` puts it back into an empty workspace (`backup.format: pg_dump`;
`veille db copy --from FILE.dump`). Far faster than the row-by-row copy for a large workspace;
restorable into PostgreSQL only, into the schema it was dumped from.

The tools are found on PATH (Debian: postgresql-client, of the server's major version or
newer). The password goes to them in their environment (PGPASSWORD), never on their command
line, where any user of the machine could read it."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Engine, func, select, text

from storage.database_copy import follow_rows, refuse_rows, tables
from storage.errors import StorageError, describe_url
from storage.schema import upgrade

SUFFIX = ".dump"
# A table of the archive's table of contents: "; 215; 1259 16423 TABLE schema name owner".
_TABLE = re.compile(r"^\d+; \d+ \d+ TABLE (?!DATA )(\S+) (\S+) ")
_SCHEMA = re.compile(r"^\d+; \d+ \d+ SCHEMA ")


def dump(engine: Engine, path: Path) -> None:
    """The workspace's schema into `path` (custom format), the run lock's rows left out."""
    schema = _schema(engine, "back up with pg_dump")
    quoted = f'"{schema}"'
    _run(
        engine,
        "pg_dump",
        "--format=custom",
        "--no-owner",
        "--no-privileges",
        f"--schema={quoted}",
        f'--exclude-table-data={quoted}."run_locks"',
        f"--file={path}",
    )


def restore(path: Path, engine: Engine) -> dict[str, int]:
    """`path` (a pg_dump archive of a Veille workspace) into the workspace of `engine`, which
    must hold no rows and read the schema the archive was dumped from; rows per table."""
    where = describe_url(str(engine.url))
    schema = _schema(engine, "restore a pg_dump archive")
    if not path.is_file():
        raise StorageError(f"{path}: no such file; give a backup written by pg_dump")
    listing = _run(None, "pg_restore", "--list", str(path))
    found = [m.groups() for m in map(_TABLE.match, listing.splitlines()) if m]
    dumped = {schema for schema, _ in found}
    if not dumped:
        raise StorageError(f"{path} holds no table: not a backup of a Veille workspace")
    if dumped != {schema}:
        raise StorageError(
            f"{path} holds the schema {', '.join(sorted(dumped))} but {where} reads the schema"
            f" {schema}: restore it into a workspace whose search_path is"
            f" {', '.join(sorted(dumped))}"
        )
    upgrade(engine)  # a new, empty workspace has no tables yet
    refuse_rows(engine, where)
    with engine.begin() as conn:  # the tables the archive makes, empty here: made again
        for _, table in found:
            conn.execute(text(f'DROP TABLE IF EXISTS "{schema}"."{table}" CASCADE'))
    # every entry but the schema itself, which exists already
    keep = "\n".join(line for line in listing.splitlines() if not _SCHEMA.match(line))
    with tempfile.NamedTemporaryFile("w", suffix=".list", encoding="utf-8") as entries:
        entries.write(keep + "\n")
        entries.flush()
        _run(
            engine,
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            f"--use-list={entries.name}",
            str(path),
        )
    upgrade(engine)  # an archive of an older Veille: brought to this version's schema
    with engine.begin() as conn:  # ids past the restored rows, whatever the archive said
        follow_rows(conn)
        return {
            t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in tables()
        }


def _schema(engine: Engine, doing: str) -> str:
    if engine.dialect.name != "postgresql":
        raise StorageError(
            f"cannot {doing}: {describe_url(str(engine.url))} is not PostgreSQL; a SQLite"
            " workspace is backed up as a SQLite file (backup.format: sqlite)"
        )
    with engine.connect() as conn:
        schema = conn.execute(text("SELECT current_schema()")).scalar()
    if not schema:
        raise StorageError(
            f"{describe_url(str(engine.url))}: the schema of its search_path does not exist;"
            " create it first (CREATE SCHEMA)"
        )
    return str(schema)


def _run(engine: Engine | None, tool: str, *args: str) -> str:
    """Run a PostgreSQL client tool (on the workspace's database when `engine` is given);
    its standard output. StorageError with its own words when it fails."""
    found = shutil.which(tool)
    if found is None:
        raise StorageError(
            f"{tool} not found on PATH: install PostgreSQL's client tools (Debian:"
            " postgresql-client, the server's major version or newer), or set backup.format:"
            " sqlite"
        )
    env = dict(os.environ)
    command = [found, *args]
    if engine is not None:
        url = engine.url
        if url.password is not None:
            env["PGPASSWORD"] = str(url.password)
        libpq = url._replace(drivername="postgresql", password=None)
        command.append(f"--dbname={libpq.render_as_string(hide_password=False)}")
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = " ".join(done.stderr.split())[-600:] or f"exit status {done.returncode}"
        raise StorageError(f"{tool} failed: {said}")
    return done.stdout
