"""Fixtures of the scheduling tests: a config pointing at the test database, test stages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scheduling"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

import scheduling_test_stages as test_stages  # noqa: E402
from scheduling_support import url_of, write_config  # noqa: E402

from pipeline.context import AppState  # noqa: E402
from pipeline.stage_runner import StopFlag  # noqa: E402
from pipeline.stages import STAGES  # noqa: E402


@pytest.fixture
def config(tmp_path: Path, engine: Engine) -> Path:
    """A config file whose database is the test's migrated database (SQLite or PostgreSQL)."""
    return write_config(tmp_path, url_of(engine))


@pytest.fixture
def state(config: Path) -> Iterator[AppState]:
    app = AppState(config_path=config, quiet=True)
    yield app
    app.close()


@pytest.fixture
def register(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., None]]:
    """register(crawl="ok_stage", …): point stage names at functions of the test module."""
    test_stages.CALLS.clear()
    test_stages.STARTED.clear()
    test_stages.RELEASE.clear()
    monkeypatch.setattr("pipeline.jobs.STOP", StopFlag())
    for installed in list(STAGES):  # only the stages a test registers exist (restored after)
        monkeypatch.delitem(STAGES, installed)

    def add(**stages: str) -> None:
        for name, func in stages.items():
            monkeypatch.setitem(STAGES, name, f"scheduling_test_stages:{func}")

    yield add
    test_stages.RELEASE.set()
