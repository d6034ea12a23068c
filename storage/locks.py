"""The run lock: two runs never overlap, even from two machines sharing the database.

PostgreSQL: a session advisory lock (`pg_try_advisory_lock`) held on a dedicated connection;
the server frees it when the holder's connection dies. SQLite: a row in `run_locks` with an
expiry the holder keeps pushing back (heartbeat); a crashed holder's row is taken over once it
has expired, or at once when the holder was a process of this machine that no longer exists.
On both, the row says who holds the lock (job, host, pid, since when) for messages and status.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import uuid
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, select, text, update

from storage.clock import wall_utcnow
from storage.dialect import insert as upsert_insert
from storage.errors import StorageError
from storage.models import RunLockRow

log = logging.getLogger("veille.lock")

RUN_LOCK = "pipeline"
_PG_CLASS_ID = 0x5645  # "VE": the first key of Veille's advisory locks


@dataclass(frozen=True)
class LockInfo:
    holder: str
    host: str
    pid: int
    acquired_at: datetime
    heartbeat_at: datetime
    expires_at: datetime

    def describe(self, now: datetime | None = None) -> str:
        now = now or wall_utcnow()
        ago = max(0, int((now - self.heartbeat_at).total_seconds()))
        return (
            f"{self.holder} (pid {self.pid} on {self.host}, since "
            f"{self.acquired_at:%Y-%m-%d %H:%M:%S} UTC, last heartbeat {ago} s ago)"
        )


class LockHeld(StorageError):
    """Another run holds the lock; the message names it."""

    def __init__(self, name: str, info: LockInfo | None, timeout: float) -> None:
        self.info = info
        who = info.describe() if info else "another PostgreSQL session"
        super().__init__(
            f"Another run is in progress: {who} holds the {name!r} run lock; wait for it to "
            f"finish (see `veille status`). A crashed holder's lock is taken over "
            f"{_human(timeout)} after its last heartbeat."
        )


def read_lock(engine: Engine, name: str = RUN_LOCK) -> LockInfo | None:
    """The row of a lock, or None; on SQLite an expired row is reported all the same."""
    with engine.connect() as conn:
        row = conn.execute(select(RunLockRow).where(RunLockRow.name == name)).first()
    return _info(row._mapping) if row is not None else None


class RunLock:
    """A named lock in the database; use `acquire()`/`release()` or `with RunLock(...)`."""

    def __init__(
        self,
        engine: Engine,
        holder: str,
        name: str = RUN_LOCK,
        timeout: float = 600.0,
        clock: Callable[[], datetime] = wall_utcnow,
        on_lost: Callable[[], None] | None = None,
    ) -> None:
        self.engine = engine
        self.name = name
        self.holder = holder
        self.timeout = timeout
        self.clock = clock
        self.on_lost = on_lost
        self.token = uuid.uuid4().hex
        self.host = socket.gethostname()
        self.pid = os.getpid()
        self.taken_over: LockInfo | None = None
        self._pg_conn: Connection | None = None
        self._pg_object_id = 0
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None
        self.held = False

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def acquire(
        self, wait: float = 0.0, poll: float = 1.0, cancel: threading.Event | None = None
    ) -> RunLock:
        """Take the lock, waiting up to `wait` seconds (or until `cancel` is set).

        Raises LockHeld, naming the holder, when it stays taken.
        """
        deadline = time.monotonic() + wait
        while True:
            if self._try_acquire():
                self.held = True
                self._start_heartbeat()
                log.info("run lock %r taken by %s", self.name, self.holder)
                return self
            left = deadline - time.monotonic()
            if left <= 0 or (cancel is not None and cancel.is_set()):
                raise LockHeld(self.name, read_lock(self.engine, self.name), self.timeout)
            if cancel is not None:
                cancel.wait(min(poll, left))
            else:
                time.sleep(min(poll, left))

    def release(self) -> None:
        if not self.held:
            return
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=10)
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    delete(RunLockRow).where(
                        RunLockRow.name == self.name, RunLockRow.token == self.token
                    )
                )
        finally:
            if self._pg_conn is not None:
                try:
                    self._pg_conn.execute(
                        text("SELECT pg_advisory_unlock(:a, :b)"), self._pg_keys()
                    )
                finally:
                    self._pg_conn.close()
                    self._pg_conn = None
            self.held = False
            log.info("run lock %r released by %s", self.name, self.holder)

    def __enter__(self) -> RunLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    # -- taking it --------------------------------------------------------------------------

    def _try_acquire(self) -> bool:
        if self.postgres:
            return self._try_pg()
        return self._try_row()

    def _values(self) -> dict[str, Any]:
        now = self.clock()
        return {
            "name": self.name,
            "token": self.token,
            "holder": self.holder[:200],
            "host": self.host[:255],
            "pid": self.pid,
            "acquired_at": now,
            "heartbeat_at": now,
            "expires_at": now + timedelta(seconds=self.timeout),
        }

    def _try_row(self) -> bool:
        values = self._values()
        with self.engine.begin() as conn:
            stmt = upsert_insert(conn, RunLockRow.__table__).values(**values)
            if conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"])).rowcount == 1:
                return True
            row = conn.execute(select(RunLockRow).where(RunLockRow.name == self.name)).first()
            if row is None:  # released between the two statements: try again at once
                return self._try_row_again(conn, values)
            info = _info(row._mapping)
            if not self._abandoned(info):
                return False
            # Compare-and-set on the old token: of two processes taking over, one wins.
            taken = conn.execute(
                update(RunLockRow)
                .where(RunLockRow.name == self.name, RunLockRow.token == row.token)
                .values(**values)
            ).rowcount
        if taken == 1:
            self.taken_over = info
            log.warning("run lock %r taken over from %s", self.name, info.describe())
        return taken == 1

    def _try_row_again(self, conn: Connection, values: dict[str, Any]) -> bool:
        stmt = upsert_insert(conn, RunLockRow.__table__).values(**values)
        return bool(conn.execute(stmt.on_conflict_do_nothing(index_elements=["name"])).rowcount)

    def _abandoned(self, info: LockInfo) -> bool:
        if info.expires_at < self.clock():
            return True
        return info.host == self.host and info.pid != self.pid and not _pid_alive(info.pid)

    def _pg_keys(self) -> dict[str, int]:
        return {"a": _PG_CLASS_ID, "b": self._pg_object_id}

    def _try_pg(self) -> bool:
        conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        try:
            schema = conn.execute(text("SELECT current_schema()")).scalar_one() or "public"
            # One lock per schema and name: two Veille databases in one server don't collide.
            self._pg_object_id = zlib.crc32(f"{schema}:{self.name}".encode()) & 0x7FFFFFFF
            got = conn.execute(
                text("SELECT pg_try_advisory_lock(:a, :b)"), self._pg_keys()
            ).scalar_one()
        except BaseException:
            conn.close()
            raise
        if not got:
            conn.close()
            return False
        self._pg_conn = conn
        try:
            values = self._values()
            with self.engine.begin() as tx:
                stmt = upsert_insert(tx, RunLockRow.__table__).values(**values)
                tx.execute(
                    stmt.on_conflict_do_update(
                        index_elements=["name"],
                        set_={k: v for k, v in values.items() if k != "name"},
                    )
                )
        except BaseException:
            conn.execute(text("SELECT pg_advisory_unlock(:a, :b)"), self._pg_keys())
            conn.close()
            self._pg_conn = None
            raise
        return True

    # -- keeping it -------------------------------------------------------------------------

    def _start_heartbeat(self) -> None:
        self._stop.clear()
        self._beat = threading.Thread(
            target=self._heartbeat, name=f"lock-heartbeat-{self.name}", daemon=True
        )
        self._beat.start()

    @property
    def heartbeat_interval(self) -> float:
        return max(0.2, self.timeout / 4)

    def _heartbeat(self) -> None:
        while not self._stop.wait(self.heartbeat_interval):
            if self._pg_conn is not None and not self._pg_alive():
                log.error(
                    "run lock %r: the connection holding the advisory lock was lost; stopping "
                    "at the next stage boundary",
                    self.name,
                )
                if self.on_lost is not None:
                    self.on_lost()
                return
            try:
                now = self.clock()
                with self.engine.begin() as conn:
                    kept = conn.execute(
                        update(RunLockRow)
                        .where(RunLockRow.name == self.name, RunLockRow.token == self.token)
                        .values(heartbeat_at=now, expires_at=now + timedelta(seconds=self.timeout))
                    ).rowcount
            except Exception as exc:  # a busy database: try again at the next beat
                log.warning("run lock heartbeat failed (%s); retrying", exc)
                continue
            if kept == 0 and not self.postgres:
                log.error(
                    "run lock %r was taken over by another process (this one missed its "
                    "heartbeats for %s); stopping at the next stage boundary",
                    self.name,
                    _human(self.timeout),
                )
                if self.on_lost is not None:
                    self.on_lost()
                return

    def _pg_alive(self) -> bool:
        """The advisory lock lives as long as its connection: check (and keep) it alive."""
        assert self._pg_conn is not None
        try:
            self._pg_conn.execute(text("SELECT 1"))
        except Exception:
            return False
        return True


def _info(row: Any) -> LockInfo:
    return LockInfo(
        holder=row["holder"],
        host=row["host"],
        pid=row["pid"],
        acquired_at=row["acquired_at"],
        heartbeat_at=row["heartbeat_at"],
        expires_at=row["expires_at"],
    )


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, under another user
        return True
    return True


def _human(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} min"
    return f"{seconds:.0f} s"
