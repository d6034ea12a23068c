"""A report's figures do not depend on the ids a database gave the mentions (issue 14): the
same mentions stored in opposite orders, on SQLite and on PostgreSQL, give equal figures,
drivers from a sampled period included."""

from __future__ import annotations

from pathlib import Path

import pytest
import reports_fixture as F
from sqlalchemy import Engine

from reports import build
from reports.build import build_report
from reports.figures import figures
from reports.periods import parse_period
from storage.engine import make_engine
from storage.schema import upgrade
from veille_demo.snapshot import differences


def _figures(engine: Engine, tmp_path: Path) -> dict[str, object]:
    settings = F.settings(tmp_path)
    period = parse_period(F.PERIOD, F.NOW, settings.schedules.timezone)
    return figures(build_report(engine, settings, "Lumino", period, F.NOW))


def test_figures_do_not_depend_on_the_order_mentions_were_stored(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Drivers from a sample of 8 texts per period: the sample must not follow ids.
    monkeypatch.setattr(build, "TEXT_CAP", 8)
    F.load(engine, F.specs())
    reversed_db = make_engine(f"sqlite:///{tmp_path / 'reversed.db'}")
    upgrade(reversed_db)
    F.load(reversed_db, list(reversed(F.specs())))
    try:
        first, second = _figures(engine, tmp_path), _figures(reversed_db, tmp_path)
    finally:
        reversed_db.dispose()
    assert first["drivers"]["sampled"] and first["drivers"]["change"], "the sample gave drivers"
    assert differences(first, second) == []
