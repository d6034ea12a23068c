"""Fixtures of the worker tests: the real Redis and RabbitMQ, a namespace per test, worker
processes started as a person would (`veille worker …`) and stopped (or killed) by the test."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("VEILLE_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
BROKER_URL = os.environ.get("VEILLE_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
IN_CI = os.environ.get("CI", "").lower() == "true"


def _unreachable(what: str, problem: str) -> None:
    if IN_CI:
        pytest.fail(f"{what} is unreachable in CI: {problem}")
    pytest.skip(f"{what} unreachable: {problem}")


@pytest.fixture(scope="session")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception as exc:
        _unreachable(f"Redis at {REDIS_URL}", f"{type(exc).__name__}: {exc}")
    return REDIS_URL


@pytest.fixture(scope="session")
def broker_url() -> str:
    from kombu import Connection

    try:
        with Connection(BROKER_URL, connect_timeout=3) as conn:
            conn.ensure_connection(max_retries=1)
    except Exception as exc:
        _unreachable(f"RabbitMQ at {BROKER_URL}", f"{type(exc).__name__}: {exc}")
    return BROKER_URL


@pytest.fixture
def namespace(request: pytest.FixtureRequest) -> Iterator[str]:
    """Redis keys and Celery queue of this test only (other people run these tests too);
    the queue and the keys are deleted afterwards."""
    name = f"t{uuid.uuid4().hex[:12]}"
    yield name
    try:
        from kombu import Connection

        with Connection(BROKER_URL, connect_timeout=3) as conn:
            conn.default_channel.queue_delete(f"{name}.analyze")
    except Exception:
        pass
    try:
        import redis

        server = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=3)
        keys = list(server.scan_iter(f"{name}:*"))
        if keys:
            server.delete(*keys)
    except Exception:
        pass


def write_config(path: Path, config: dict[str, Any]) -> Path:
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


class Worker:
    """A `veille worker KIND` process of the test, its output kept in a file."""

    def __init__(self, config: Path, kind: str, log: Path, *args: str) -> None:
        self.log = log
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # fmt: skip
        with log.open("wb") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "pipeline.cli", "-c", str(config), "worker", kind, *args],
                env=env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
            )  # fmt: skip

    @property
    def pid(self) -> int:
        return self.proc.pid

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self, wait: bool = True) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            if not wait:
                return
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[Callable[..., Worker]]:
    """Start `veille worker KIND` processes; each is stopped at the end of the test."""
    started: list[Worker] = []

    def start(config: Path, kind: str, *args: str) -> Worker:
        worker = Worker(config, kind, tmp_path / f"worker-{len(started)}.log", *args)
        started.append(worker)
        return worker

    yield start
    for worker in started:  # all told at once, then waited for
        worker.stop(wait=False)
    for worker in started:
        worker.stop()


def wait_for(condition: Callable[[], Any], timeout: float, what: str, poll: float = 0.1) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(poll)
    raise AssertionError(f"timed out after {timeout:g} s waiting for {what}")
