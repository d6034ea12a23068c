"""SIGTERM during a run or under the scheduler: rows finished, no half batch, clean exit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scheduling_support import FIXTURES, url_of, write_config
from scheduling_test_stages import BATCH
from sqlalchemy import Engine, func, select, text

from storage.locks import read_lock
from storage.models import Rejected, Run

RUN_CLI = FIXTURES / "run_cli.py"


def _start(config: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(RUN_CLI), "--config", str(config), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **env},
    )


def _wait_for(path: Path, proc: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            _, err = proc.communicate(timeout=10)
            pytest.fail(f"the run did not start its first batch: {err[-2000:]}")
        time.sleep(0.05)


def _check_consistent(engine: Engine) -> list[tuple[str | None, str]]:
    with engine.connect() as conn:
        rows = conn.execute(select(Run.stage, Run.status, Run.ended_at).order_by(Run.id)).all()
        kept = conn.execute(select(func.count()).select_from(Rejected)).scalar_one()
    assert all(ended is not None for _, _, ended in rows), rows  # nothing left "running"
    assert kept > 0 and kept % BATCH == 0, f"{kept} rows: a batch was half written"
    assert read_lock(engine) is None  # the lock was released
    return [(stage, status) for stage, status, _ in rows]


def test_sigterm_stops_veille_run_at_a_batch_boundary(engine: Engine, tmp_path: Path) -> None:
    config = write_config(tmp_path, url_of(engine))
    marker = tmp_path / "started"
    proc = _start(config, "run", "--stages", "crawl,import", VEILLE_TEST_MARKER=str(marker))
    _wait_for(marker, proc)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, err
    assert "stopped by SIGTERM" in err and "finishing the current batch" in err
    assert _check_consistent(engine) == [
        (None, "interrupted"),
        ("crawl", "interrupted"),  # the import stage never started
    ]
    assert "not run" in out  # the summary says which stages did not run


def test_a_second_sigterm_stops_at_once_and_rolls_the_batch_back(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    config = write_config(tmp_path, url_of(sqlite_engine))
    marker = tmp_path / "started"
    proc = _start(
        config, "run", "--stages", "crawl",
        VEILLE_TEST_MARKER=str(marker), VEILLE_TEST_IGNORE_STOP="1",
    )  # fmt: skip
    _wait_for(marker, proc)
    proc.send_signal(signal.SIGTERM)  # this stage does not check the flag: it goes on
    time.sleep(0.3)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "second SIGTERM: stopping at once" in err
    assert _check_consistent(sqlite_engine) == [(None, "interrupted"), ("crawl", "interrupted")]


def test_veille_schedule_stops_cleanly_on_sigterm(sqlite_engine: Engine, tmp_path: Path) -> None:
    engine = sqlite_engine
    config = write_config(tmp_path, url_of(engine))
    proc = _start(config, "schedule")
    deadline = time.monotonic() + 60
    assert proc.stderr is not None
    lines: list[str] = []
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        lines.append(line)
        if "scheduler started" in line or not line:
            break
    assert any("scheduler started" in line for line in lines), "".join(lines)
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 0, err
    assert "scheduler stopped" in err
    with engine.connect() as conn:
        ids = set(conn.execute(text("SELECT id FROM apscheduler_jobs")).scalars())
    assert ids == {"nightly", "incremental", "weekly-report", "monthly-report"}
