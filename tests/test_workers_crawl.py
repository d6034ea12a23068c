"""Crawl workers: real `veille worker crawl` processes sharing a run's requests in Redis (scrapy-
redis) crawl the phpBB fixture forum into PostgreSQL, each thread page once and each post once;
a worker killed with SIGKILL in the middle of the crawl loses nothing; SQLite is refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from build import NOW1
from conftest_sites import BRANDS
from sqlalchemy import Engine, func, select
from workers_support import REDIS_URL, ROOT, Worker, wait_for, write_config

from pipeline.cli import main
from storage.crawl_state import load_threads
from storage.engine import make_engine
from storage.models import Mention, WorkerRow
from storage.schema import upgrade
from veille_demo.server import SiteServer

PHPBB_POSTS = 34  # posts about a brand within the look-back (tests/test_crawl_sites.py)


def _config(tmp_path: Path, pg_url: str, namespace: str, base: str, delay: float) -> Path:
    return write_config(tmp_path / "veille.yaml", {
        "database": {"url": pg_url, "batch_size": 50},
        "brands": BRANDS,
        "sources": [{"name": "phpbb", "kind": "forum", "url": f"{base}/phpbb/index.php"}],
        # One request at a time per worker, `delay` s apart: the crawl lasts long enough to
        # share it, and to kill a worker in the middle of it.
        "crawl": {"download_delay": delay, "autothrottle": False, "timeout_seconds": 60,
                  "retries": 1, "concurrency_per_domain": 1, "redis_url": REDIS_URL},
        "workers": {"namespace": namespace, "local": 0, "heartbeat_seconds": 0.5,
                    "dead_after_seconds": 5},
    })  # fmt: skip


def _alive(engine: Engine, pids: set[int]) -> bool:
    with engine.connect() as conn:
        rows = conn.execute(
            select(WorkerRow.pid).where(WorkerRow.state != "stopped", WorkerRow.kind == "crawl")
        ).scalars()
        return pids <= set(rows)


def _coordinator(config: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "-c", str(config), "--now", NOW1.isoformat(),
         "crawl", "--distributed", "--json"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _joined(redis_url: str, namespace: str) -> int:
    """Workers whose crawl process has joined the run in progress."""
    import redis

    server = redis.Redis.from_url(redis_url)
    return sum(int(server.hlen(k)) for k in server.scan_iter(f"{namespace}:crawl:*:joined"))


def _stored(engine: Engine) -> tuple[int, int]:
    """Mention rows, and distinct posts among them."""
    with engine.connect() as conn:
        rows = conn.execute(select(func.count()).select_from(Mention)).scalar_one()
        posts = conn.execute(select(func.count(func.distinct(Mention.external_id)))).scalar_one()
    return rows, posts


def _thread_pages(sites: SiteServer) -> Counter[str]:
    return Counter(r for r in sites.requested("/phpbb/viewtopic.php") if "status" not in r)


def _children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found += [int(p) for p in text]
    return found


@pytest.mark.postgres
@pytest.mark.slow
def test_two_crawl_workers_read_each_page_once(
    tmp_path: Path, pg_url: str, namespace: str, redis_url: str, sites: SiteServer,
    workers: Callable[..., Worker],
) -> None:  # fmt: skip
    engine = make_engine(pg_url)
    upgrade(engine)
    config = _config(tmp_path, pg_url, namespace, sites.base_url, delay=0.15)
    started = [workers(config, "crawl"), workers(config, "crawl")]
    wait_for(lambda: _alive(engine, {w.pid for w in started}), 60, "two crawl workers")
    with sites.lock:  # the forum answers once both workers have joined the run
        coordinator = _coordinator(config)
        wait_for(lambda: _joined(redis_url, namespace) == 2, 60, "both workers in the run")
    out, err = coordinator.communicate(timeout=90)
    assert coordinator.returncode == 0, (out, err, [w.output() for w in started])
    summary: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    assert summary["new"] == PHPBB_POSTS, summary
    # Both took pages, and together they read each thread page once.
    assert len(summary["workers"]) == 2 and all(summary["workers"].values()), summary
    pages = _thread_pages(sites)
    assert pages and max(pages.values()) == 1, pages
    assert _stored(engine) == (PHPBB_POSTS, PHPBB_POSTS)
    # Thread state as a one-process crawl leaves it: thread 10 read up to its third page.
    states = load_threads(engine, "phpbb")
    assert states["10"].last_page == 3 and states["10"].last_post_at is not None
    # The run's keys are gone; the workers wait for the next run, idle.
    import redis

    assert not list(redis.Redis.from_url(redis_url).scan_iter(f"{namespace}:*"))
    # `veille status` shows both workers, alive, with their last heartbeat and pages read.
    from typer.testing import CliRunner

    from pipeline.cli import app

    shown = CliRunner().invoke(app, ["-c", str(config), "status", "--json"])
    listed = json.loads(shown.output.strip().splitlines()[-1])["workers"]
    assert sorted(w["pid"] for w in listed) == sorted(w.pid for w in started)
    assert {w["kind"] for w in listed} == {"crawl"}
    assert all(w["state"] in ("idle", "busy") and w["heartbeat_at"] for w in listed)
    assert sum(w["done"] for w in listed) >= sum(pages.values())
    table = CliRunner().invoke(app, ["-c", str(config), "status"], terminal_width=200).output
    assert "Workers" in table and "crawl@" in table
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_a_crawl_worker_killed_midway_loses_nothing(
    tmp_path: Path, pg_url: str, namespace: str, redis_url: str, sites: SiteServer,
    workers: Callable[..., Worker],
) -> None:  # fmt: skip
    import redis

    engine = make_engine(pg_url)
    upgrade(engine)
    server = redis.Redis.from_url(redis_url)
    config = _config(tmp_path, pg_url, namespace, sites.base_url, delay=0.3)
    victim, survivor = workers(config, "crawl"), workers(config, "crawl")
    wait_for(lambda: _alive(engine, {victim.pid, survivor.pid}), 60, "two crawl workers")
    with sites.lock:
        coordinator = _coordinator(config)
        wait_for(lambda: _joined(redis_url, namespace) == 2, 60, "both workers in the run")

    def in_hand() -> bool:
        """Freeze the victim's crawl process; true when it holds pages it has not stored."""
        children = _children(victim.pid)
        if not children:
            return False
        os.kill(children[0], signal.SIGSTOP)
        held = sum(server.llen(k) for k in server.scan_iter(f"{namespace}:crawl:*:inflight:*")
                   if k.decode().endswith(f":{victim.pid}"))  # fmt: skip
        if held:  # any page in its hands will do: waiting for stored posts too raced the end
            return True
        os.kill(children[0], signal.SIGCONT)
        return False

    wait_for(in_hand, 60, "the worker in the middle of the crawl", poll=0.05)
    os.kill(victim.pid, signal.SIGKILL)  # its crawl process dies with it
    victim.proc.wait()
    out, err = coordinator.communicate(timeout=90)
    assert coordinator.returncode == 0, (out, err, survivor.output())
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["requeued"] >= 1, summary  # the victim's pages, read by the survivor
    assert survivor.proc.poll() is None
    assert _stored(engine) == (PHPBB_POSTS, PHPBB_POSTS)  # no post lost, none twice
    assert load_threads(engine, "phpbb")["10"].last_page == 3
    engine.dispose()


@pytest.mark.parametrize("command", [["worker", "crawl"], ["crawl", "--distributed"]])
def test_crawl_workers_refuse_sqlite(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'veille.db'}"
    upgrade(make_engine(url))
    config = write_config(tmp_path / "veille.yaml", {
        "database": {"url": url},
        "sources": [{"name": "f", "kind": "forum", "url": "http://127.0.0.1:9/"}],
    })  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main(["-c", str(config), *command])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "needs PostgreSQL" in err and "postgresql+psycopg://" in err, err


def test_the_crawl_stage_of_a_run_goes_to_the_workers_when_configured(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`workers.crawl: true`: the run's crawl stage is a distributed crawl (refused on SQLite,
    recorded as the stage's failure, the run going on)."""
    url = f"sqlite:///{tmp_path / 'veille.db'}"
    upgrade(make_engine(url))
    config = write_config(tmp_path / "veille.yaml", {
        "database": {"url": url},
        "sources": [{"name": "f", "kind": "forum", "url": "http://127.0.0.1:9/"}],
        "workers": {"crawl": True},
    })  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main(["-c", str(config), "run", "--stages", "crawl", "--json"])
    assert exit_.value.code == 1
    captured = capsys.readouterr()
    assert "needs PostgreSQL" in captured.out + captured.err
