"""Child processes of ours: a module of this checkout run with the run's settings, supervised.

A crawl or labelling run starts its own workers on this machine (`workers.local`), a crawl
runs in a child process: each child is `python -m MODULE SPEC.json`, with this checkout on its
`PYTHONPATH` and the settings in SPEC (`write_spec`). `local_workers` starts and stops a run's
worker processes; `Alone` tells a run's wait when no worker has been alive for too long.
Here, on the ground floor, because crawlers and nlp both start children the same way and need
nothing of ours for it but the settings they hand down (storage is SQL, not supervision).
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.settings import Settings

log = logging.getLogger("veille.workers")

ROOT = Path(__file__).resolve().parents[1]


def child_env() -> dict[str, str]:
    """This process's environment with this checkout first on `PYTHONPATH`."""
    path = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    return {**os.environ, "PYTHONPATH": path}


def write_spec(path: Path, settings: Settings, **fields: Any) -> Path:
    """A child's spec file: the settings (SMTP's left out: no child sends mail), and `fields`."""
    spec = {"settings": settings.model_dump(mode="json", exclude={"smtp"}), **fields}
    path.write_text(json.dumps(spec), encoding="utf-8")
    return path


class LocalWorker:
    """A worker process started for a run on this machine; its stderr goes to `log_path`."""

    def __init__(self, proc: subprocess.Popen[bytes], log_path: Path) -> None:
        self.proc = proc
        self.log_path = log_path

    def running(self) -> bool:
        return self.proc.poll() is None

    def last_words(self) -> str:
        """How it ended: its exit code and the last lines it logged ("" while it runs)."""
        if self.running():
            return ""
        try:
            lines = self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            lines = []
        return f"exit code {self.proc.returncode}: " + " | ".join(lines[-3:])

    def stop(self, wait: float = 30.0) -> None:
        """SIGTERM, then SIGKILL after `wait` seconds: a labelling worker finishes the batch in
        hand (Celery's warm shutdown), a crawl worker puts its pages back in the queue."""
        if self.running():
            self.proc.terminate()
            try:
                self.proc.wait(wait)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


@contextmanager
def local_workers(
    settings: Settings, n: int, log_level: str, command: list[str], name: str
) -> Iterator[list[LocalWorker]]:
    """`n` processes `python -m *command SPEC` (SPEC: these settings and `log_level`), each
    logging to `name-i.log` (to this process's stderr at DEBUG), stopped on leaving."""
    if n <= 0:
        yield []
        return
    with tempfile.TemporaryDirectory(prefix=f"veille-{name}s-") as tmp:
        spec = write_spec(Path(tmp) / "spec.json", settings, log_level=log_level)
        env = child_env()
        started: list[LocalWorker] = []
        try:
            for i in range(n):
                log_path = Path(tmp) / f"{name}-{i}.log"
                with log_path.open("wb") as out:
                    proc = subprocess.Popen(
                        [sys.executable, "-m", *command, str(spec)],
                        env=env, stdout=subprocess.DEVNULL,
                        stderr=None if log_level == "DEBUG" else out,
                    )  # fmt: skip
                started.append(LocalWorker(proc, log_path))
            yield started
        finally:
            for worker in started:
                worker.stop()


class Alone:
    """How long a run has had no worker alive: none beating in the database, none of its own
    processes (`started`) running. `why` says, after `dead_after` seconds alone, why the run
    fails; a warning says so as soon as no worker is alive."""

    def __init__(
        self, started: list[LocalWorker], dead_after: float, worker: str, command: str,
        queued: str = "",
    ) -> None:  # fmt: skip
        self.started = started
        self.dead_after = dead_after
        self.worker = worker  # "crawl worker"
        self.command = command  # "veille worker crawl"
        self.queued = queued  # what waits for the workers meanwhile, said after the command
        self.since: float | None = None

    def why(self, beating: bool) -> str | None:
        """None while some worker is alive (`beating`: some heartbeat in the database)."""
        if beating or any(w.running() for w in self.started):
            self.since = None
            return None
        now = time.monotonic()
        if self.since is None:
            self.since = now
            log.warning("No %s is alive: start `%s` on a machine", self.worker, self.command)
            return None
        if now - self.since <= self.dead_after:
            return None
        ended = "; ".join(w.last_words() for w in self.started if w.last_words())
        return (
            f"No {self.worker} was alive for {self.dead_after:g} s: start `{self.command}` on "
            f"one or more machines{self.queued}"
            + (f". The run's own workers ended: {ended}" if ended else "")
        )
