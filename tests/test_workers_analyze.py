"""Labelling workers: real `veille worker analyze` processes on RabbitMQ and PostgreSQL label
every mention once, a worker killed with SIGKILL in the middle of a batch loses nothing, and
SQLite is refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from typer.testing import CliRunner
from workers_support import ROOT, Worker, wait_for, write_config

from pipeline.cli import app, main
from storage.engine import make_engine
from storage.labels import LabelRecord, save_labels
from storage.models import Label, Mention, WorkerRow
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.schema import upgrade
from storage.upsert import MentionStore

TEXTS = [
    "Toujours pas reçu ma commande Lumio, le SAV est injoignable",
    "Super produit Lumio, je recommande vivement !",
    "I love my new Lumio headphones, great sound",
    "Lumio : livraison rapide mais emballage abîmé",
    "Quel est le prix du Lumio Nova 10 ?",
    "Service client Lumio au top, merci Julie",
]
TASKS = ("language", "sentiment", "topic")


def _workspace(tmp_path: Path, pg_url: str, namespace: str, broker_url: str, n: int,
               batch: int) -> tuple[Engine, Path, int]:  # fmt: skip
    """n mentions, a person's sentiment label on the first, and the config of the test."""
    engine = make_engine(pg_url)
    upgrade(engine)
    MentionStore(engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=str(i),
                      text=f"{TEXTS[i % len(TEXTS)]} ({i})", author=AuthorRecord(handle=f"a{i % 40}"),
                      brands=[BrandMatch("Lumio")])
        for i in range(n)
    )  # fmt: skip
    with engine.begin() as conn:
        first = conn.execute(select(func.min(Mention.id))).scalar_one()
        save_labels(conn, [LabelRecord(first, "sentiment", "positive")], by_human=True)
    config = write_config(tmp_path / "veille.yaml", {
        "database": {"url": pg_url},
        "brands": [{"name": "Lumio", "query": ["lumio"]}],
        "nlp": {"profile": "fast", "batch_size": batch},
        "workers": {"namespace": namespace, "broker_url": broker_url, "local": 0,
                    "heartbeat_seconds": 0.5, "dead_after_seconds": 20},
    })  # fmt: skip
    return engine, config, first


def _labels(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        rows = conn.execute(select(Label.task, func.count()).group_by(Label.task)).all()
    return {task: n for task, n in rows}


def _human_label_kept(engine: Engine, mention_id: int) -> bool:
    with engine.connect() as conn:
        row = conn.execute(
            select(Label.value, Label.by_human).where(
                Label.mention_id == mention_id, Label.task == "sentiment"
            )
        ).one()
    return tuple(row) == ("positive", True)


def _alive(engine: Engine, pids: set[int]) -> bool:
    with engine.connect() as conn:
        found = set(
            conn.execute(select(WorkerRow.pid).where(WorkerRow.state != "stopped")).scalars()
        )
    return pids <= found


def _coordinator(config: Path, tmp_path: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}  # fmt: skip
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "-c", str(config), "analyze", "--distributed",
         "--json"],
        env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


@pytest.mark.postgres
@pytest.mark.slow
def test_two_workers_label_every_mention_once(
    tmp_path: Path, pg_url: str, namespace: str, broker_url: str,
    workers: Callable[..., Worker],
) -> None:  # fmt: skip
    n = 240
    engine, config, human = _workspace(tmp_path, pg_url, namespace, broker_url, n, batch=12)
    started = [workers(config, "analyze"), workers(config, "analyze")]
    wait_for(lambda: _alive(engine, {w.pid for w in started}), 120, "two labelling workers")

    result = CliRunner().invoke(app, ["-c", str(config), "analyze", "--distributed", "--json"])
    assert result.exit_code == 0, (result.output, [w.output() for w in started])
    counts = json.loads(result.output.strip().splitlines()[-1])
    # Each batch was labelled once: the workers' counts add up to the mentions, no more.
    assert {t: counts[t] for t in TASKS} == {"language": n, "sentiment": n - 1, "topic": n}
    assert counts["batches"] == n // 12 and counts["redelivered"] == 0
    assert len(counts["workers"]) == 2, counts["workers"]  # both took batches
    assert sum(counts["workers"].values()) == n
    assert _labels(engine) == dict.fromkeys(TASKS, n)  # one row per mention and task
    assert _human_label_kept(engine, human)
    # Nothing left: a second run sends no batch.
    again = CliRunner().invoke(app, ["-c", str(config), "analyze", "--distributed", "--json"])
    assert json.loads(again.output.strip().splitlines()[-1])["batches"] == 0
    engine.dispose()


@pytest.mark.postgres
@pytest.mark.slow
def test_a_worker_killed_in_a_batch_loses_nothing(
    tmp_path: Path, pg_url: str, namespace: str, broker_url: str,
    workers: Callable[..., Worker],
) -> None:  # fmt: skip
    n = 160  # 16 batches: the worker is frozen in its third or so, the survivor does the rest
    engine, config, human = _workspace(tmp_path, pg_url, namespace, broker_url, n, batch=10)
    victim = workers(config, "analyze")
    wait_for(lambda: _alive(engine, {victim.pid}), 120, "the first labelling worker")
    coordinator = _coordinator(config, tmp_path)

    def busy() -> bool:
        """Freeze the worker; while it shows busy in the database it holds an unacknowledged
        batch (it writes busy before labelling, idle before acknowledging)."""
        os.kill(victim.pid, signal.SIGSTOP)
        with engine.connect() as conn:
            state = conn.execute(
                select(WorkerRow.state).where(WorkerRow.pid == victim.pid)
            ).scalar_one()
            labelled = conn.execute(select(func.count()).select_from(Label)).scalar_one()
        if state == "busy" and labelled > 20:
            return True
        os.kill(victim.pid, signal.SIGCONT)
        return False

    wait_for(busy, 120, "the worker in the middle of a batch", poll=0.02)
    os.kill(victim.pid, signal.SIGKILL)
    victim.proc.wait()
    survivor = workers(config, "analyze")
    out, err = coordinator.communicate(timeout=240)
    assert coordinator.returncode == 0, (out, err, survivor.output())
    counts = json.loads(out.strip().splitlines()[-1])
    assert counts["redelivered"] == 1  # the killed worker's batch, labelled by the other
    assert survivor.proc.poll() is None
    assert _labels(engine) == dict.fromkeys(TASKS, n)  # no mention lost, none twice
    assert _human_label_kept(engine, human)
    engine.dispose()


@pytest.mark.parametrize("command", [["worker", "analyze"], ["analyze", "--distributed"]])
def test_workers_refuse_sqlite(
    tmp_path: Path, command: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 'veille.db'}"
    upgrade(make_engine(url))
    config = write_config(tmp_path / "veille.yaml", {"database": {"url": url}})
    with pytest.raises(SystemExit) as exit_:
        main(["-c", str(config), *command])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert "needs PostgreSQL" in err and "postgresql+psycopg://" in err, err
