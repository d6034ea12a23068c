"""`veille analyze --distributed`: hand the unlabelled mentions to labelling workers, and wait.

The mentions some labeler has still to label are cut, in id order, into ranges of
`nlp.batch_size`; each range is one Celery message (nlp/workers.py), taken by whichever
labelling worker is free, on any machine. Results come back through the broker (`rpc://`),
so the command shows progress as batches finish, and reports failed batches by range. Workers
started for the run (`workers.local`) run as child processes with this command's settings.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sqlalchemy import Engine

    from config.child_processes import LocalWorker
    from config.settings import Settings

Progress = Callable[[str, int, int], None]  # (what, done, total)
PROGRESS_TASK = "mentions (workers)"


class WorkersFailed(Exception):
    """Batches failed, or no worker was alive to take them; the message says which and why."""

    exit_code = 1


def label_distributed(
    engine: Engine,
    settings: Settings,
    *,
    relabel: bool = False,
    batch_size: int | None = None,
    progress: Progress | None = None,
    local: int | None = None,
    log_level: str = "WARNING",
) -> dict[str, Any]:
    """Label every mention not labelled yet through the workers; counts per task, as
    `label_mentions` gives them, with `batches`, `workers` (mentions per worker) and
    `redelivered` (batches a worker died on, labelled again by another)."""
    from nlp.labelling import load_labelers, wanted_of
    from nlp.workers import TASK, celery_app, queue_name
    from storage.labelling import ranges_to_label
    from storage.workers import hide_password, require_shared_database

    require_shared_database(settings.database.url, "Labelling with workers (--distributed)")
    loaded, disabled = load_labelers(settings)
    wanted = wanted_of(loaded)
    size = int(batch_size or settings.nlp.batch_size)
    ranges = ranges_to_label(engine, wanted, relabel, size)
    counts: dict[str, Any] = {task: 0 for task, _ in loaded}
    if disabled:
        counts["disabled"] = disabled
    total = sum(n for _, _, n in ranges)
    if progress:
        progress(PROGRESS_TASK, 0, total)
    if not ranges:
        return {**counts, "batches": 0, "workers": {}, "redelivered": 0}
    app = celery_app(settings)
    n_local = settings.workers.local if local is None else local
    with local_workers(settings, n_local, log_level) as started:
        sizes: dict[str, tuple[int, int, int]] = {}
        results = []
        try:
            for first, last, n in ranges:
                result = app.send_task(
                    TASK, args=[first, last, wanted, relabel, size], queue=queue_name(settings)
                )
                sizes[result.id] = (first, last, n)
                results.append(result)
        except Exception as exc:  # kombu's connection errors: the broker does not answer
            raise WorkersFailed(
                f"The broker {hide_password(settings.workers.broker_url)} does not answer "
                f"({type(exc).__name__}: {exc}); start it, or set workers.broker_url"
            ) from None
        watch = Liveness(engine, settings, started)
        done = 0
        per_worker: Counter[str] = Counter()
        redelivered = 0
        failures: list[str] = []
        from celery.result import ResultSet

        for task_id, meta in ResultSet(results, app=app).iter_native(
            interval=0.5, on_interval=watch.check
        ):
            first, last, n = sizes[task_id]
            done += n
            if meta.get("status") == "SUCCESS":
                outcome = meta["result"]
                for task, labelled in outcome["labelled"].items():
                    counts[task] = counts.get(task, 0) + int(labelled)
                per_worker[outcome["worker"]] += int(outcome.get("mentions", 0))
                redelivered += bool(outcome.get("redelivered"))
            else:
                failures.append(f"mentions {first:,}–{last:,}: {_reason(meta.get('result'))}")
            if progress:
                progress(PROGRESS_TASK, done, total)
    if failures:
        raise WorkersFailed(
            f"{len(failures):,} of {len(ranges):,} batches failed; the others are labelled, and "
            f"the next analyze takes what is left. {'; '.join(failures[:5])}"
        )
    return {**counts, "batches": len(ranges), "workers": dict(per_worker),
            "redelivered": redelivered}  # fmt: skip


def _reason(result: Any) -> str:
    if isinstance(result, BaseException):
        return f"{type(result).__name__}: {result}"
    if isinstance(result, dict) and "exc_message" in result:
        return f"{result.get('exc_type')}: {result['exc_message']}"
    return str(result)


class Liveness:
    """Fails the wait when no worker has been alive for `workers.dead_after_seconds`: none
    beating in the database, none of the run's own worker processes still running."""

    def __init__(self, engine: Engine, settings: Settings, started: list[LocalWorker]) -> None:
        from config.child_processes import Alone

        self.engine = engine
        self.settings = settings
        self.every = settings.workers.heartbeat_seconds
        self.next_check = 0.0
        self.alone = Alone(
            started, settings.workers.dead_after_seconds, "labelling worker",
            "veille worker analyze", queued=" (the batches stay queued for them)",
        )  # fmt: skip

    def check(self) -> None:
        from storage.workers import live_workers

        now = time.monotonic()
        if now < self.next_check:
            return
        self.next_check = now + self.every
        dead_after = self.settings.workers.dead_after_seconds
        why = self.alone.why(bool(live_workers(self.engine, "analyze", dead_after)))
        if why:
            raise WorkersFailed(why)


def local_workers(
    settings: Settings, n: int, log_level: str
) -> AbstractContextManager[list[LocalWorker]]:
    """`n` labelling worker processes with these settings, stopped on leaving."""
    from config.child_processes import local_workers as start

    return start(settings, n, log_level, ["nlp.workers"], "worker")
