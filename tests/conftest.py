"""Shared fixtures: a migrated database on SQLite and, when it answers, on PostgreSQL."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pg_admin import PG_ADMIN_URL
from sqlalchemy import Engine, create_engine, event, text

from storage.engine import make_engine
from storage.schema import scratch_schema, upgrade

SHARED = Path(os.environ.get("VEILLE_SHARED") or Path(__file__).resolve().parents[2] / "shared")
IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _wall_clock() -> Iterator[None]:
    """`veille --now` freezes the process's clock: each test starts and ends on the wall clock."""
    from storage.clock import set_now

    set_now(None)
    yield
    set_now(None)


def _postgres_answers() -> str | None:
    try:
        engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("select 1"))
        engine.dispose()
        return None
    except Exception as exc:  # any failure means: no usable server
        return f"{type(exc).__name__}: {exc}".splitlines()[0]


_PG_PROBLEM = _postgres_answers()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'veille.db'}"


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema dropped after the test."""
    if _PG_PROBLEM is not None:
        if IN_CI:
            pytest.fail(f"PostgreSQL at {PG_ADMIN_URL} is unreachable in CI: {_PG_PROBLEM}")
        pytest.skip(f"PostgreSQL unreachable: {_PG_PROBLEM}")
    with scratch_schema(PG_ADMIN_URL, "t") as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> str:
    """Each storage test runs on SQLite and on PostgreSQL (isolated schema per test)."""
    if request.param == "sqlite":
        return str(request.getfixturevalue("sqlite_url"))
    return str(request.getfixturevalue("pg_url"))


def _migrated(url: str) -> Iterator[Engine]:
    """An engine on a migrated, empty Veille database, disposed after the test."""
    eng = make_engine(url)
    migrate_empty(eng)
    yield eng
    eng.dispose()


# Per backend, the statements the first migration of an empty database ran in this process.
_MIGRATION_LOG: dict[str, list[tuple[str, Any]]] = {}


def migrate_empty(eng: Engine) -> None:
    """Migrate an empty database to head: the first time per backend with Alembic
    (`storage.schema.upgrade`), its statements recorded; then by running those statements
    again, in one transaction — the same schema, some twenty times faster (hundreds of tests
    each start from an empty database). Checked: the database ends at the head revision."""
    from storage.schema import current_revision, head_revision

    dialect = eng.dialect.name
    recorded = _MIGRATION_LOG.get(dialect)
    if recorded is None:
        log: list[tuple[str, Any]] = []

        def _record(_c: Any, _cur: Any, statement: str, params: Any, *_: Any) -> None:
            log.append((statement, params))

        event.listen(eng, "before_cursor_execute", _record)
        try:
            upgrade(eng)
        finally:
            event.remove(eng, "before_cursor_execute", _record)
        _MIGRATION_LOG[dialect] = log
    else:
        with eng.begin() as conn:
            for statement, params in recorded:
                conn.exec_driver_sql(statement, params)
    assert current_revision(eng) == head_revision()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated, empty Veille database on both backends."""
    yield from _migrated(db_url)


@pytest.fixture
def sqlite_engine(sqlite_url: str) -> Iterator[Engine]:
    yield from _migrated(sqlite_url)


@pytest.fixture
def pg_engine(pg_url: str) -> Iterator[Engine]:
    """PostgreSQL only (what SQLite has no counterpart of)."""
    yield from _migrated(pg_url)


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or a skip with the reason when this clone has none beside it."""
    data = SHARED / "data"
    if not data.is_dir():
        pytest.skip(f"{data} is absent (a clone outside the workplace): test skipped")
    return data


def _corpus_data() -> Path:
    data = SHARED / "data"
    if not (data / "brand_talk").is_dir():
        reason = f"{data / 'brand_talk'} is absent (a clone outside the workplace)"
        if IN_CI:
            pytest.fail(f"{reason}: CI must rebuild the labelled corpus")
        pytest.skip(f"{reason}: test skipped")
    return data


@pytest.fixture
def corpus_sources() -> Path:
    """../shared/data for the labelled corpus (nlp/corpus): skipped with the reason when this
    clone has none beside it, a failure under CI=true where the corpus must be rebuilt."""
    return _corpus_data()


@pytest.fixture(scope="session")
def item_folds() -> dict[str, str]:
    """Every corpus item's text as the copy checks compare it (`textkey.fold` of the text
    annotators saw), read once a session; skipped or failed as `corpus_sources`."""
    from nlp.corpus.batches import resolve, shown_text
    from nlp.corpus.items import read_items
    from nlp.corpus.paths import ITEMS
    from nlp.corpus.textkey import fold

    texts = resolve(_corpus_data(), read_items(ITEMS))
    return {item: fold(shown_text(text)) for item, text in texts.items()}


def system_tool(name: str, package: str) -> str:
    """The path of a Debian tool a test runs (`make system-deps` installs it): when it is
    missing the test is skipped with the reason, or fails under CI=true, where a skip would
    hide that the real renderer was never tried."""
    found = shutil.which(name)
    if found is None:
        reason = f"{name} ({package}) is not installed; run `make system-deps`"
        if os.environ.get("CI", "").lower() == "true":  # read now: a test can set it
            pytest.fail(f"{reason}: CI must run this test")
        pytest.skip(f"{reason}: test skipped")
    return found


@pytest.fixture
def chromium() -> str:
    """Headless Chromium (Debian's chromium package)."""
    return system_tool("chromium", "chromium")


@pytest.fixture
def pdftotext() -> str:
    """pdftotext, to read back the text of a PDF (poppler-utils)."""
    return system_tool("pdftotext", "poppler-utils")


# The crawl tests' local web server and settings (tests/conftest_sites.py); Redis, RabbitMQ
# and worker processes of the worker tests (tests/workers_support.py); the demo run the demo
# tests share (tests/demo_support.py).
pytest_plugins = ["conftest_sites", "workers_support", "demo_support"]
