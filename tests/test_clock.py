"""One clock per run: `veille --now` fixes the time of every command, report, file and e-mail."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import pytest
import reports_fixture as F
import yaml
from sqlalchemy import select

from pipeline.cli import main
from pipeline.context import AppState
from pipeline.stages import StageContext, load_stage
from reports.alerts.mailer import OutboxMailer
from storage.clock import parse_now, set_now, utcnow, wall_utcnow
from storage.engine import make_engine
from storage.models import Report, Run
from storage.schema import upgrade


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    db = tmp_path / "veille.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    F.load(engine)
    engine.dispose()
    config = F.config(tmp_path, db=db)
    config["reports"]["periods"] = ["yesterday"]
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_parse_now_reads_iso_times_and_says_how_to_write_them() -> None:
    assert parse_now("2026-11-22T09:00") == datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
    assert parse_now("2026-11-22T09:00+01:00") == datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    with pytest.raises(ValueError, match="write it like 2026-11-22T09:00"):
        parse_now("yesterday")


def test_a_fixed_clock_is_frozen_but_locks_keep_real_time() -> None:
    set_now(datetime(2026, 11, 22, 8, 0))
    assert utcnow() == datetime(2026, 11, 22, 8, 0, tzinfo=UTC) == utcnow()
    assert wall_utcnow() > datetime(2020, 1, 1, tzinfo=UTC)
    assert wall_utcnow() != utcnow()


def test_report_command_reads_yesterday_and_generated_at_from_now(
    workspace: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(workspace), "--now", "2026-03-08T06:30", "report", "--brand",
              "Lumino", "--format", "html", "--json"])  # fmt: skip
    assert exit_.value.code == 0
    out = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    html_path = Path(out["reports"][0])
    assert html_path.name == "lumino_2026-03-07_2026-03-07_fr.html"
    html = html_path.read_text(encoding="utf-8")
    assert "8 mars 2026 à 7 h 30" in html.replace("\u202f", " ").replace("\u00a0", " ")
    engine = make_engine(f"sqlite:///{workspace.parent / 'veille.db'}")
    with engine.connect() as conn:
        created = conn.execute(select(Report.created_at)).scalars().all()
        started = conn.execute(select(Run.started_at).where(Run.job == "report")).scalars().all()
    engine.dispose()
    assert {c.replace(tzinfo=UTC) for c in created} == {datetime(2026, 3, 8, 6, 30, tzinfo=UTC)}
    assert [s.replace(tzinfo=UTC) for s in started] == [datetime(2026, 3, 8, 6, 30, tzinfo=UTC)]


def test_a_bad_now_is_a_usage_error(workspace: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(workspace), "--now", "demain", "report"])
    assert exit_.value.code == 2
    assert "--now 'demain' is not an ISO date-time" in capsys.readouterr().err


def test_weekly_and_monthly_jobs_write_their_own_periods(workspace: Path, tmp_path: Path) -> None:
    """The jobs pass `periods` to the report stage, which the config's periods do not override."""
    from pipeline.jobs import spec

    state = AppState(config_path=workspace)
    settings = state.settings
    settings.reports.formats = ["html"]
    settings.reports.languages = ["fr"]
    for job, first in (("weekly-report", "2026-03-01"), ("monthly-report", "2026-02-06")):
        settings.reports.output_dir = str(tmp_path / job)
        options = spec(settings, job).options
        result = load_stage("report")(StageContext(state, now=F.NOW, options=options))
        assert result.errors == 0
        assert Path(result.outputs[0]).name == f"lumino_{first}_2026-03-07_fr.html"
    state.close()


def test_outbox_files_are_named_by_the_run_clock(tmp_path: Path) -> None:
    set_now(datetime(2026, 11, 22, 8, 0, 5, tzinfo=UTC))
    msg = EmailMessage()
    msg["X-Veille-Alert"] = "7/opened"
    msg.set_content("x")
    where = OutboxMailer(tmp_path).send(msg, ["a@example.org"])
    assert Path(where).name == "20261122-080005-alert-7-opened.eml"


def test_no_product_code_reads_the_wall_clock_but_the_clock_module() -> None:
    """Every timestamp goes through storage.clock (`--now`); only locks and worker heartbeats
    read real time, through `wall_utcnow`. A `datetime.now()` or `date.today()` elsewhere would
    put a wall-clock date in a report run with `--now` (« collecté le 3 déc. »)."""
    import re

    root = Path(__file__).resolve().parents[1]
    wall = re.compile(r"\bdatetime\.now\(|\bdatetime\.utcnow\(|\bdate\.today\(|\bdatetime\.today\(")
    found = []
    for package in ("config", "storage", "nlp", "crawlers", "reports", "pipeline", "veille_demo"):
        for path in sorted((root / package).rglob("*.py")):
            if path.relative_to(root).as_posix() == "storage/clock.py":
                continue
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if wall.search(line):
                    found.append(f"{path.relative_to(root)}:{n}: {line.strip()}")
    assert found == []
