"""Worker heartbeats: each crawl or labelling worker says who it is and what it does.

A worker process upserts its row every few seconds from a background thread (`Heartbeat`),
so `veille status` and the command waiting on a distributed run see which workers are alive,
busy or lost, on any machine sharing the database. Heartbeats read the wall clock, never
`--now`: they measure real time between processes.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, update
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from storage.clock import wall_utcnow
from storage.dialect import insert
from storage.errors import StorageError
from storage.models import WorkerRow

log = logging.getLogger("veille.workers")

KINDS = ("crawl", "analyze")
STATES = ("idle", "busy", "stopped")


class SharedDatabaseRequired(StorageError):
    """Workers were asked for on a SQLite database."""

    exit_code = 2


def require_shared_database(url: str, what: str) -> None:
    """Refuse workers on SQLite, saying why and what to do."""
    if url.startswith("sqlite"):
        raise SharedDatabaseRequired(
            f"{what} needs PostgreSQL: its workers, on this machine or others, write into one "
            "shared database, and a SQLite file belongs to one machine and one writer at a "
            "time. Set database.url (or VEILLE_DATABASE__URL) to "
            "postgresql+psycopg://USER@HOST:5432/DB, or run without workers (no --distributed)."
        )


def hide_password(url: str) -> str:
    """A broker or Redis URL without its password, for messages."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return parts._replace(netloc=netloc).geturl()


def worker_name(kind: str, suffix: str = "") -> str:
    """`analyze@HOST:PID` (`:suffix` added when one process runs several workers)."""
    name = f"{kind}@{socket.gethostname()}:{os.getpid()}"
    return f"{name}:{suffix}" if suffix else name


@dataclass(frozen=True, slots=True)
class WorkerInfo:
    name: str
    kind: str
    host: str
    pid: int
    started_at: datetime
    heartbeat_at: datetime
    state: str
    doing: str | None
    done: int

    def condition(self, dead_after: float, now: datetime | None = None) -> str:
        """idle, busy, stopped, or lost (no heartbeat for `dead_after` seconds)."""
        if self.state == "stopped":
            return "stopped"
        now = now or wall_utcnow()
        if (now - self.heartbeat_at).total_seconds() > dead_after:
            return "lost"
        return self.state

    def as_dict(self, dead_after: float, now: datetime | None = None) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "host": self.host,
            "pid": self.pid,
            "started_at": self.started_at.isoformat(),
            "heartbeat_at": self.heartbeat_at.isoformat(),
            "state": self.condition(dead_after, now),
            "doing": self.doing,
            "done": self.done,
        }


def beat(
    engine: Engine,
    name: str,
    kind: str,
    state: str,
    doing: str | None = None,
    done: int | None = None,
    started: bool = False,
) -> None:
    """Record that worker `name` (this process) is alive in `state` (`started`: its first
    beat, which also resets its start time and count)."""
    if kind not in KINDS or state not in STATES:
        raise ValueError(f"worker kind {kind!r} / state {state!r} unknown")
    now = wall_utcnow()
    values = {
        "name": name[:200], "kind": kind, "host": socket.gethostname()[:255], "pid": os.getpid(),
        "started_at": now, "heartbeat_at": now, "state": state, "doing": doing,
        "done": done or 0,
    }  # fmt: skip
    table = WorkerRow.__table__
    with engine.begin() as conn:
        stmt = insert(conn, table).values(**values)
        keep: dict[str, Any] = {"heartbeat_at": now, "state": state, "doing": doing}
        if done is not None:
            keep["done"] = done
        if started:
            keep.update(started_at=now, host=values["host"], pid=values["pid"], kind=kind)
        conn.execute(stmt.on_conflict_do_update(index_elements=["name"], set_=keep))


def add_done(engine: Engine, name: str, n: int) -> None:
    """Add `n` pages or mentions to the worker's count (from whichever process did them)."""
    with engine.begin() as conn:
        conn.execute(
            update(WorkerRow).where(WorkerRow.name == name).values(done=WorkerRow.done + n)
        )


def list_workers(engine: Engine, since: datetime | None = None) -> list[WorkerInfo]:
    """Workers heard from since `since` (all by default), by kind then name."""
    q = select(WorkerRow).order_by(WorkerRow.kind, WorkerRow.name)
    if since is not None:
        q = q.where(WorkerRow.heartbeat_at >= since)
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [
        WorkerInfo(r.name, r.kind, r.host, r.pid, r.started_at, r.heartbeat_at, r.state,
                   r.doing, int(r.done or 0))
        for r in rows
    ]  # fmt: skip


def live_workers(engine: Engine, kind: str, dead_after: float) -> list[WorkerInfo]:
    """Workers of `kind` not stopped whose last heartbeat is less than `dead_after` s old."""
    now = wall_utcnow()
    return [
        w
        for w in list_workers(engine, since=now - timedelta(seconds=dead_after))
        if w.kind == kind and w.state != "stopped"
    ]


class Heartbeat:
    """Beat for worker `name` every `every` seconds in a thread, reading `status()` for the
    (state, doing) to report; `stop()` records the worker as stopped.

    A failed beat (the database restarting) is logged and tried again at the next one: a
    worker does not die because its heartbeat could not be written once.
    """

    def __init__(
        self,
        engine: Engine,
        name: str,
        kind: str,
        every: float,
        status: Callable[[], tuple[str, str | None]] = lambda: ("idle", None),
    ) -> None:
        self.engine = engine
        self.name = name
        self.kind = kind
        self.every = every
        self.status = status
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        # One beat at a time, state read and written together: the row never shows a state
        # older than one written after it (a test reads "busy" as "holds a batch").
        self._beating = threading.Lock()

    def start(self) -> Heartbeat:
        state, doing = self.status()
        beat(self.engine, self.name, self.kind, state, doing, done=0, started=True)
        self._thread = threading.Thread(target=self._run, name=f"heartbeat {self.name}",
                                        daemon=True)  # fmt: skip
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            self.now()

    def now(self) -> None:
        """Beat at once (a state change worth showing before the next beat)."""
        try:
            with self._beating:
                state, doing = self.status()
                beat(self.engine, self.name, self.kind, state, doing)
        except (DBAPIError, SQLAlchemyError) as exc:
            log.warning("worker %s: heartbeat not recorded (%s); trying again", self.name, exc)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        try:
            with self._beating:
                beat(self.engine, self.name, self.kind, "stopped", None)
        except (DBAPIError, SQLAlchemyError) as exc:
            log.warning("worker %s: could not record its stop (%s)", self.name, exc)
