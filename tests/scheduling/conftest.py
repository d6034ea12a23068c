"""Fixtures of the scheduling tests: a config pointing at the test database, test stages."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "scheduling"
if str(FIXTURES) not in sys.path:
    sys.path.insert(0, str(FIXTURES))

import scheduling_test_stages as test_stages  # noqa: E402

from pipeline.context import AppState  # noqa: E402
from pipeline.runner import StopFlag  # noqa: E402
from pipeline.stages import STAGES  # noqa: E402

SOURCES = [
    {"name": "forum-down", "kind": "forum", "url": "http://127.0.0.1:9/"},
    {"name": "forum-quiet", "kind": "forum", "url": "http://127.0.0.1:9/quiet"},
    {"name": "forum-ok", "kind": "forum", "url": "http://127.0.0.1:9/ok"},
    {"name": "tweets", "kind": "twitter_export", "path": "inbox"},
]


def url_of(engine: Engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def write_config(folder: Path, db_url: str, **sections: Any) -> Path:
    data: dict[str, Any] = {
        "database": {"url": db_url},
        "brands": [{"name": "Lumino", "query": ["lumino"]}],
        "sources": SOURCES,
        "alerts": {"operators": ["ops@lumino.example"], "outbox_dir": "outbox"},
        "reports": {"output_dir": "reports"},
    }
    for key, value in sections.items():
        data[key] = {**data.get(key, {}), **value} if isinstance(value, dict) else value
    path = folder / "veille.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


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

    def add(**stages: str) -> None:
        for name, func in stages.items():
            monkeypatch.setitem(STAGES, name, f"scheduling_test_stages:{func}")

    yield add
    test_stages.RELEASE.set()
