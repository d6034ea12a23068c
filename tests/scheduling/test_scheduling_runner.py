"""`veille run`: stages in order, each recorded; failures recorded and the run goes on."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path

import pytest
import scheduling_test_stages as test_stages
from sqlalchemy import Engine, insert, select

from pipeline.cli import main
from pipeline.context import AppState
from pipeline.errors import UsageError
from pipeline.stage_runner import StopFlag, resolve_stages, run_pipeline
from storage.clock import utcnow
from storage.models import Run


def _rows(engine: Engine) -> list[Run]:
    with engine.connect() as conn:
        return [r for r in conn.execute(select(Run).order_by(Run.id)).all()]  # type: ignore[misc]


def test_a_failing_stage_is_recorded_and_the_run_goes_on(
    engine: Engine, state: AppState, register: Callable[..., None]
) -> None:
    register(crawl="partial_stage", analyze="failing_stage", report="report_stage")
    summary = run_pipeline(state, ["crawl", "analyze", "authors", "report"], job="run")

    assert summary.status == "failed"
    assert [(s.name, s.status) for s in summary.stages] == [
        ("crawl", "ok"),
        ("analyze", "failed"),
        ("authors", "skipped"),  # listed, not installed: said so, not an error
        ("report", "ok"),  # ran after the failure
    ]
    assert "RuntimeError: boom" in (summary.stages[1].error or "")
    assert summary.stages[0].failed_sources == ["forum-down"]
    assert summary.failures() == [
        "crawl: sources failed: forum-down",
        "analyze failed (RuntimeError: boom: the source server answered 503)",
    ]
    assert len(summary.outputs) == 1 and Path(summary.outputs[0]).is_file()

    rows = _rows(engine)
    parent = next(r for r in rows if r.parent_id is None)
    children = [r for r in rows if r.parent_id == parent.id]
    assert (parent.job, parent.stage, parent.status) == ("run", None, "failed")
    assert parent.ended_at is not None and "analyze failed" in parent.error
    assert [s["name"] for s in parent.counts["stages"]] == ["crawl", "analyze", "authors", "report"]
    assert parent.counts["items"] == 6 and parent.counts["errors"] == 1
    by_stage = {r.stage: r for r in children}
    assert by_stage["crawl"].counts["failed_sources"] == ["forum-down"]
    assert by_stage["crawl"].error == "sources failed: forum-down"
    assert by_stage["crawl"].counts["detail"]["sources"][2]["seen"] == 5
    assert by_stage["analyze"].status == "failed" and "503" in by_stage["analyze"].error
    assert by_stage["authors"].status == "skipped"
    assert all(r.ended_at is not None for r in rows)
    # The stage's ctx.run_id is its own row: per-source rows and kept-aside records hang there.
    assert test_stages.CALLS[0]["run_id"] == by_stage["crawl"].id


def test_stage_order_is_the_list_given(state: AppState, register: Callable[..., None]) -> None:
    register(crawl="ok_stage", report="report_stage")
    summary = run_pipeline(state, ["report", "crawl"], options={"mode": "x"})
    assert [s.name for s in summary.stages] == ["report", "crawl"]
    assert summary.status == "ok"
    assert test_stages.CALLS[1]["options"] == {"mode": "x"}


def test_stage_names_are_checked() -> None:
    assert resolve_stages(["crawl", " report"]) == ["crawl", "report"]
    with pytest.raises(
        UsageError, match="unknown stage 'crawler'; the stages are calendars, crawl, import"
    ):
        resolve_stages(["crawler"])
    with pytest.raises(UsageError, match="listed twice"):
        resolve_stages(["crawl", "crawl"])


def test_a_stop_request_ends_the_run_at_the_stage_boundary(
    engine: Engine, state: AppState, register: Callable[..., None]
) -> None:
    register(crawl="blocking_stage", report="report_stage")
    stop = StopFlag()

    def signal_once_started() -> None:
        test_stages.STARTED.wait(10)
        stop.request("SIGTERM")  # what the signal handler does; the stage sees it and returns

    threading.Thread(target=signal_once_started).start()
    summary = run_pipeline(state, ["crawl", "report"], stop=stop)
    assert summary.status == "interrupted" and summary.stopped_by == "SIGTERM"
    assert [(s.name, s.status) for s in summary.stages] == [
        ("crawl", "interrupted"),
        ("report", "not_run"),
    ]
    rows = _rows(engine)
    assert {r.status for r in rows} == {"interrupted"}
    assert all(r.ended_at is not None for r in rows)
    assert rows[0].error == "stopped by SIGTERM"


def test_rows_a_killed_run_left_running_are_closed_by_the_next(
    engine: Engine, state: AppState, register: Callable[..., None]
) -> None:
    register(crawl="ok_stage")
    with engine.begin() as conn:
        dead = conn.execute(
            insert(Run).values(job="nightly", started_at=utcnow()).returning(Run.id)
        ).scalar_one()
        conn.execute(
            insert(Run).values(job="nightly", stage="crawl", parent_id=dead, started_at=utcnow())
        )
        # A row some other tool is writing right now is not the runner's: left alone.
        conn.execute(insert(Run).values(job="export", started_at=utcnow()))
    run_pipeline(state, ["crawl"])
    statuses = {(r.job, r.stage): r.status for r in _rows(engine)}
    assert statuses[("nightly", None)] == "abandoned"
    assert statuses[("nightly", "crawl")] == "abandoned"
    assert statuses[("export", None)] == "running"
    assert statuses[("run", "crawl")] == "ok"


def test_cli_run_prints_the_summary_and_exits_1_on_failure(
    config: Path, register: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    register(crawl="ok_stage", analyze="failing_stage")
    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(config), "run", "--stages", "crawl,analyze", "--json"])
    assert exit_info.value.code == 1
    out, err = capsys.readouterr()
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["status"] == "failed"
    assert [s["status"] for s in summary["stages"]] == ["ok", "failed"]
    assert summary["stages"][0]["items"] == 3 and summary["stages"][0]["seconds"] >= 0
    assert "finished with failures: analyze failed (RuntimeError: boom" in err

    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(config), "run", "--stages", "crawl"])
    assert exit_info.value.code in (0, None)
    out, _ = capsys.readouterr()
    assert "crawl" in out and "ok in" in out


def test_cli_run_notify_writes_the_operators_email(
    config: Path, register: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    register(analyze="failing_stage")
    with pytest.raises(SystemExit):
        main(["--config", str(config), "run", "--stages", "analyze", "--notify"])
    emails = list((config.parent / "outbox").glob("*.eml"))
    assert len(emails) == 1
    text = emails[0].read_text(encoding="utf-8")
    assert "To: ops@lumino.example" in text
    assert "Subject: [Veille] run run 1 failed: analyze" in text or "failed: analyze" in text
    assert "analyze failed (RuntimeError: boom" in text


def test_log_json_writes_one_object_a_line(
    config: Path, register: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    register(crawl="ok_stage")
    with pytest.raises(SystemExit) as exit_info:
        main(["--log-json", "--config", str(config), "run", "--stages", "crawl"])
    assert exit_info.value.code == 0
    _, err = capsys.readouterr()
    records = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    stage_done = [r for r in records if r["message"].startswith("stage crawl ok")]
    assert stage_done and stage_done[0]["stage"] == "crawl" and stage_done[0]["items"] == 3
    assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
