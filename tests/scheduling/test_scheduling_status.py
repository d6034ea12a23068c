"""`veille status`, the operators' e-mail when the nightly run fails, and the demo run."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable, Iterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from scheduling_support import url_of, write_config
from sqlalchemy import Engine, insert, select

from pipeline.cli import main
from pipeline.context import AppState
from pipeline.jobs import monthly_report, nightly
from pipeline.stage_runner import run_pipeline
from pipeline.status import collect_status
from storage.clock import utcnow
from storage.models import Alert, Run


def test_status_shows_runs_silent_sources_alerts_and_size(
    engine: Engine,
    config: Path,
    state: AppState,
    register: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    register(crawl="partial_stage", **{"import": "ok_stage"})
    for _ in range(2):
        run_pipeline(state, ["crawl", "import"], job="nightly")
    assert collect_status(state)["silent_sources"] == []  # two in a row: not yet (3 needed)
    run_pipeline(state, ["crawl", "import"], job="nightly")
    with engine.begin() as conn:
        conn.execute(
            insert(Alert),
            [
                {"brand": "Lumino", "severity": "high", "status": "open",
                 "opened_at": utcnow(), "updated_at": utcnow()},
                {"brand": "Lumino", "severity": "low", "status": "closed",
                 "opened_at": utcnow(), "updated_at": utcnow()},
            ],
        )  # fmt: skip

    status = collect_status(state)
    assert [(j["job"], j["status"]) for j in status["jobs"]] == [("nightly", "failed")]
    assert {s["stage"]: s["status"] for s in status["stages"]} == {"crawl": "ok", "import": "ok"}
    silent = {s["name"]: s for s in status["silent_sources"]}
    assert set(silent) == {"forum-down", "forum-quiet"}  # forum-ok returned mentions
    assert silent["forum-down"]["streak"] == 3 and silent["forum-down"]["last_error"] == "HTTP 503"
    assert silent["forum-quiet"]["last_state"] == "empty"  # silent is a problem too
    assert silent["forum-quiet"]["last_ok_at"] is None
    assert status["alerts"]["pending"] == 1 and status["alerts"]["items"][0]["severity"] == "high"
    assert status["database"]["bytes"] > 0
    if engine.dialect.name == "postgresql":
        assert 0 < status["database"]["schema_bytes"] <= status["database"]["bytes"]
    assert status["healthy"] is False and status["running"] is None

    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(config), "status", "--json"])
    assert exit_info.value.code == 0
    assert json.loads(capsys.readouterr().out)["alerts"]["pending"] == 1
    with pytest.raises(SystemExit):
        main(["--config", str(config), "status"])
    out = capsys.readouterr().out
    assert "forum-down" in out and "Pending alerts: 1" in out and "Database:" in out


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.logins: list[tuple[bytes, bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        self.logins.append((data.login, data.password))
        return AuthResult(success=data.password == b"s3cret-pw")


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = _free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port,
        authenticator=inbox.authenticate, auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    yield inbox, port
    controller.stop()


def test_a_failed_nightly_run_emails_the_operators(
    sqlite_engine: Engine,
    tmp_path: Path,
    register: Callable[..., None],
    smtp_server: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    inbox, port = smtp_server
    monkeypatch.setenv("VEILLE_SMTP__PASSWORD", "s3cret-pw")
    config = write_config(
        tmp_path, url_of(sqlite_engine),
        smtp={"host": "127.0.0.1", "port": port, "security": "none", "user": "veille"},
        schedules={"stages": ["crawl", "analyze"]},
    )  # fmt: skip
    register(crawl="ok_stage")
    assert nightly(str(config)) == "ok"  # analyze is not installed: skipped, not failed
    assert inbox.messages == []

    register(analyze="failing_stage")
    assert nightly(str(config)) == "failed"
    assert inbox.logins == [(b"veille", b"s3cret-pw")]
    [(recipients, message)] = inbox.messages
    assert recipients == ["ops@lumino.example"]
    assert (
        message["Subject"].startswith("[Veille] nightly run ")
        and "failed: analyze" in message["Subject"]
    )
    body = message.get_payload(decode=True).decode()
    assert "analyze failed (RuntimeError: boom" in body and "veille run --stages analyze" in body
    assert "s3cret-pw" not in caplog.text


def test_the_monthly_report_job_passes_its_period(
    sqlite_engine: Engine, tmp_path: Path, register: Callable[..., None]
) -> None:
    import scheduling_test_stages as test_stages

    register(report="report_stage")
    config = write_config(tmp_path, url_of(sqlite_engine))
    assert monthly_report(str(config)) == "ok"
    assert test_stages.CALLS[-1]["options"] == {"periods": ["last-30-days"]}
    with sqlite_engine.connect() as conn:
        jobs = list(conn.execute(select(Run.job, Run.stage).order_by(Run.id)))
    assert jobs == [("monthly-report", None), ("monthly-report", "report")]


def test_demo_is_the_nightly_run_with_every_stage(
    tmp_path: Path, register: Callable[..., None], capsys: pytest.CaptureFixture[str]
) -> None:
    stages = ["calendars", "crawl", "import", "answers", "analyze", "authors", "handoff", "detect",
              "alerts"]  # fmt: skip
    register(**dict.fromkeys(stages, "ok_stage"), report="report_stage", retention="ok_stage",
             backup="ok_stage")  # fmt: skip
    folder = tmp_path / "demo"
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", str(folder)])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    from storage.engine import make_engine

    engine = make_engine(f"sqlite:///{folder / 'var' / 'veille.db'}")
    with engine.connect() as conn:
        rows = list(conn.execute(select(Run.job, Run.stage, Run.status).order_by(Run.id)))
    engine.dispose()
    assert rows[0] == ("nightly", None, "ok")
    assert [(stage, status) for _, stage, status in rows[1:]] == [
        (name, "ok") for name in [*stages, "report", "retention", "backup"]
    ]
    assert f"Report: {folder.resolve() / 'var' / 'reports'}" in out.replace("\n", "")
    assert f"Outbox: {folder.resolve() / 'var' / 'outbox'}" in out.replace("\n", "")
    assert "bundled sample" not in out  # collection stages are installed: no fallback


def test_schedule_list_prints_the_jobs_and_their_next_runs(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--config", str(config), "schedule", "--list", "--json"])
    assert exit_info.value.code == 0
    listed = json.loads(capsys.readouterr().out)
    assert listed["timezone"] == "Europe/Paris"
    jobs = {j["id"]: j for j in listed["jobs"]}
    assert list(jobs) == ["nightly", "incremental", "weekly-report", "monthly-report"]
    assert jobs["nightly"]["next_run"].endswith(("T02:00:00+01:00", "T02:00:00+02:00"))
    assert jobs["incremental"]["stages"] == [
        "calendars",
        "crawl",
        "import",
        "answers",
        "analyze",
        "handoff",
        "alerts",
    ]
    with pytest.raises(SystemExit):
        main(["--config", str(config), "schedule", "--list"])
    assert "weekly-report" in capsys.readouterr().out


def test_schedule_settings_are_checked(tmp_path: Path) -> None:
    from config.errors import ConfigError
    from config.loading import load_settings

    url = f"sqlite:///{tmp_path / 'v.db'}"
    settings = load_settings(write_config(tmp_path, url, schedules={"monthly_report": None}))
    assert settings.schedules.monthly_report is None
    for bad, expected in [
        ({"stages": ["crawl", "crawl"]}, "schedules.stages: stage 'crawl' is listed twice"),
        ({"stages": ["Crawl!"]}, "is not a stage name; the stages are calendars, crawl, import"),
        ({"timezone": "Paris"}, "'Paris' is not a time zone name"),
        ({"nightly_run": "0 2 * *"}, "is not a crontab expression of 5 fields"),
    ]:
        with pytest.raises(ConfigError, match=expected.replace("(", r"\(")):
            load_settings(write_config(tmp_path, url, schedules=bad))
