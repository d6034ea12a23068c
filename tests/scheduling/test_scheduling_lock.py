"""The run lock: one run at a time, across processes and machines; crashed holders let go."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, update

from pipeline.cli import main
from pipeline.context import AppState
from pipeline.stage_runner import run_pipeline
from storage.clock import utcnow
from storage.engine import make_engine
from storage.locks import LockHeld, RunLock, read_lock
from storage.models import Run, RunLockRow


def test_a_second_lock_is_refused_naming_the_holder(engine: Engine) -> None:
    # Two engines: two processes (or machines) sharing the database.
    other = make_engine(engine.url.render_as_string(hide_password=False))
    first = RunLock(engine, holder="nightly").acquire()
    try:
        with pytest.raises(LockHeld) as held:
            RunLock(other, holder="run").acquire()
        message = str(held.value)
        assert "Another run is in progress: nightly (pid" in message
        assert f"on {first.host}" in message and "veille status" in message
        info = read_lock(engine)
        assert info is not None and info.holder == "nightly"
    finally:
        first.release()
    second = RunLock(other, holder="run").acquire()
    assert read_lock(engine).holder == "run"  # type: ignore[union-attr]
    second.release()
    assert read_lock(engine) is None
    other.dispose()


def test_waiting_for_the_lock(engine: Engine) -> None:
    first = RunLock(engine, holder="incremental").acquire()
    threading.Timer(0.5, first.release).start()
    second = RunLock(engine, holder="nightly").acquire(wait=10, poll=0.1)
    assert second.held
    second.release()


def test_postgres_frees_the_lock_of_a_dead_connection(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("the advisory lock is PostgreSQL's; SQLite is covered by the expiry tests")
    crashed = make_engine(engine.url.render_as_string(hide_password=False))
    lost = threading.Event()
    dead = RunLock(crashed, holder="nightly", timeout=1, on_lost=lost.set).acquire()
    with pytest.raises(LockHeld):
        RunLock(engine, holder="run").acquire()
    assert dead._pg_conn is not None
    dead._pg_conn.invalidate()  # its connection drops, as when the process is killed
    assert lost.wait(5)  # a holder whose connection dropped knows it and stops its run
    lock = RunLock(engine, holder="run").acquire()
    assert read_lock(engine).holder == "run"  # type: ignore[union-attr]
    lock.release()
    crashed.dispose()


def test_sqlite_takes_over_an_expired_lock(sqlite_engine: Engine) -> None:
    lost = threading.Event()
    crashed = RunLock(sqlite_engine, holder="nightly", timeout=5, on_lost=lost.set).acquire()
    crashed._stop.set()  # its heartbeat stops, as when the process hangs or the machine dies
    crashed._beat.join()  # type: ignore[union-attr]
    with sqlite_engine.begin() as conn:
        conn.execute(update(RunLockRow).values(host="machine-b", pid=4242))
    with pytest.raises(LockHeld, match=r"nightly \(pid 4242 on machine-b"):
        RunLock(sqlite_engine, holder="run", timeout=5).acquire()

    later = lambda: utcnow() + timedelta(seconds=6)  # noqa: E731 - past the expiry
    taker = RunLock(sqlite_engine, holder="run", timeout=5, clock=later).acquire()
    assert taker.taken_over is not None and taker.taken_over.host == "machine-b"
    assert read_lock(sqlite_engine).holder == "run"  # type: ignore[union-attr]
    # The old holder, back to life, finds it lost the lock and stops at the next boundary.
    crashed._stop.clear()
    crashed._start_heartbeat()
    assert lost.wait(5)
    taker.release()
    crashed.held = False


def test_sqlite_takes_over_at_once_from_a_dead_local_process(sqlite_engine: Engine) -> None:
    crashed = RunLock(sqlite_engine, holder="nightly").acquire()
    crashed._stop.set()
    with sqlite_engine.begin() as conn:
        # A pid of this machine that is not running (pid_max is far below 2**22 + 7 here).
        conn.execute(update(RunLockRow).values(pid=4_194_311))
    lock = RunLock(sqlite_engine, holder="run").acquire()
    assert lock.taken_over is not None and lock.taken_over.pid == 4_194_311
    lock.release()


def test_a_second_veille_run_exits_1_naming_the_holder(
    engine: Engine,
    config: Path,
    state: AppState,
    register: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
) -> None:
    register(crawl="ok_stage")
    held = RunLock(engine, holder="nightly").acquire()
    try:
        with pytest.raises(LockHeld):
            run_pipeline(state, ["crawl"])
        with pytest.raises(SystemExit) as exit_info:
            main(["--config", str(config), "run", "--stages", "crawl"])
        assert exit_info.value.code == 1
        err = capsys.readouterr().err
        assert "Error: Another run is in progress: nightly (pid" in err
    finally:
        held.release()
    with engine.connect() as conn:
        assert conn.execute(select(Run)).first() is None  # a refused run writes nothing
