"""The report stage writes its reports side by side (`reports.jobs` processes): the same files
and records as one after the other, in the configured order, each in a process of its own."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import reports_fixture as F
from sqlalchemy import Engine

from config.settings import Settings
from reports.output import write_configured_reports
from reports.side_by_side import outcomes
from storage.engine import make_engine
from storage.runs import report_files
from storage.schema import upgrade

NOW = datetime(2026, 3, 8, 5, 0, tzinfo=UTC)


def _pid_of(job: int) -> tuple[int, int]:
    return job, os.getpid()


def test_outcomes_come_in_order_from_other_processes(sqlite_engine: Engine) -> None:
    got = list(outcomes(sqlite_engine, _pid_of, list(range(7)), processes=2))
    assert [job for job, _ in got] == list(range(7))
    assert os.getpid() not in {pid for _, pid in got}
    one = list(outcomes(sqlite_engine, _pid_of, list(range(3)), processes=1))
    assert {pid for _, pid in one} == {os.getpid()}


def test_a_stop_hands_out_no_more_reports(sqlite_engine: Engine) -> None:
    """Those already handed out (one per process) are finished; no other is started."""
    seen: list[int] = []

    def stop() -> bool:
        return bool(seen)

    for job, _ in outcomes(sqlite_engine, _pid_of, list(range(6)), 2, should_stop=stop):
        seen.append(job)
    assert seen == [0, 1]


def _reports(tmp: Path, jobs: int) -> tuple[dict[str, bytes], list[tuple[str, str, str]]]:
    engine = make_engine(f"sqlite:///{tmp / 'veille.db'}")
    upgrade(engine)
    F.load(engine)
    config = F.config(tmp)
    config["brands"][1]["reports"] = True  # two brands × two periods: four reports
    config["reports"].update(periods=["last-7-days", "yesterday"], formats=["html", "json"],
                             jobs=jobs)  # fmt: skip
    settings = Settings.model_validate(config)
    done = write_configured_reports(engine, settings, NOW)
    assert not done.failed and done.index is not None
    names = [p.name for p in done.written]
    assert names == sorted(names, key=lambda n: not n.startswith("lumino"))  # config's order
    files = {p.name: p.read_bytes() for p in done.written}
    records = [(r.brand, r.lang, Path(r.path).name) for r in report_files(engine)]
    engine.dispose()
    return files, sorted(records)


def test_side_by_side_writes_what_one_process_writes(tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one, one_records = _reports(tmp_path / "one", jobs=1)
    two, two_records = _reports(tmp_path / "two", jobs=2)
    assert len(one) == 2 * 2 * 2 * 2  # brands × periods × languages × formats
    assert one.keys() == two.keys()
    for name, content in one.items():
        assert content.replace(b"/one/", b"/two/") == two[name], name
    assert one_records == two_records and len(one_records) == len(one)
