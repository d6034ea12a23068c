"""A run's own worker processes (config/child_processes.py, shared by crawl and labelling runs):
started with the run's settings, stopped on leaving, their last words kept; a run alone for
too long says why."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from config.child_processes import Alone, child_env, local_workers, write_spec
from config.settings import Settings
from crawlers.distributed import local_crawl_workers
from nlp.distributed import local_workers as local_labelling_workers

WORKER = """\
import json, sys, time
spec = json.load(open(sys.argv[1], encoding="utf-8"))
print("worker of", spec["settings"]["workers"]["namespace"], spec["log_level"], file=sys.stderr,
      flush=True)
if spec["settings"]["workers"]["namespace"] == "quits":
    sys.exit(3)
time.sleep(60)
"""


@pytest.fixture
def worker_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    (tmp_path / "fake_worker.py").write_text(WORKER, encoding="utf-8")
    monkeypatch.setenv("PYTHONPATH", str(tmp_path))
    return "fake_worker"


def _settings(namespace: str) -> Settings:
    return Settings.model_validate({"workers": {"namespace": namespace}})


def _wait_until(done: Callable[[], bool], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        time.sleep(0.05)


def test_workers_run_with_the_settings_and_stop_on_leaving(worker_module: str) -> None:
    with local_workers(_settings("runs"), 2, "INFO", [worker_module], "fake") as started:
        assert len(started) == 2
        assert all(w.running() for w in started)
        assert [w.last_words() for w in started] == ["", ""]  # nothing to say while running
        assert [w.log_path.name for w in started] == ["fake-0.log", "fake-1.log"]
        _wait_until(lambda: all(w.log_path.read_text() for w in started))
        begun = time.monotonic()
    assert time.monotonic() - begun < 10  # SIGTERM, not the 30 s wait for a SIGKILL
    assert not any(w.running() for w in started)
    assert all(w.proc.returncode == -15 for w in started)


def test_a_worker_that_ends_says_why(worker_module: str) -> None:
    with local_workers(_settings("quits"), 1, "WARNING", [worker_module], "fake") as [worker]:
        _wait_until(lambda: not worker.running())
        assert worker.last_words() == "exit code 3: worker of quits WARNING"
        alone = Alone([worker], 0.0, "crawl worker", "veille worker crawl")
        assert alone.why(beating=False) is None  # the first time alone: a warning only
        time.sleep(0.01)
        assert alone.why(beating=True) is None  # a heartbeat: not alone any more
        assert alone.why(beating=False) is None
        time.sleep(0.01)
        assert alone.why(beating=False) == (
            "No crawl worker was alive for 0 s: start `veille worker crawl` on one or more "
            "machines. The run's own workers ended: exit code 3: worker of quits WARNING"
        )


def test_a_running_worker_is_company(worker_module: str) -> None:
    with local_workers(_settings("runs"), 1, "INFO", [worker_module], "fake") as [worker]:
        alone = Alone([worker], 0.0, "labelling worker", "veille worker analyze", " (queued)")
        for _ in range(3):
            assert alone.why(beating=False) is None
            time.sleep(0.01)
        # the whole line: print() writes its parts one by one, and a SIGTERM between them
        # would leave "worker of" alone (seen once in CI)
        _wait_until(lambda: worker.log_path.read_text().endswith("\n"))
        worker.stop()
        assert alone.why(beating=False) is None
        time.sleep(0.01)
        assert alone.why(beating=False) == (
            "No labelling worker was alive for 0 s: start `veille worker analyze` on one or "
            "more machines (queued). The run's own workers ended: exit code -15: worker of runs "
            "INFO"
        )


def test_no_worker_asked_none_started() -> None:
    for start in (local_crawl_workers, local_labelling_workers):
        with start(_settings("none"), 0, "INFO") as started:
            assert started == []


def test_a_child_finds_this_checkout_and_its_spec(tmp_path: Path) -> None:
    env = child_env()
    assert env["PYTHONPATH"].split(os.pathsep)[0] == str(Path(__file__).resolve().parents[1])
    spec = write_spec(tmp_path / "spec.json", _settings("x"), jobs=[1])
    written = json.loads(spec.read_text(encoding="utf-8"))
    assert written["jobs"] == [1] and written["settings"]["workers"]["namespace"] == "x"
    assert "smtp" not in written["settings"]  # no child sends mail; its password stays here
