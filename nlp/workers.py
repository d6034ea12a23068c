"""Labelling workers: Celery workers that label batches of mentions taken from the broker.

`veille worker analyze` (on any number of machines) runs `run_worker`: a Celery worker on the
queue `<workers.namespace>.analyze` of the broker `workers.broker_url` (RabbitMQ). Each message
names a range of mention ids (nlp/distributed.py sends them); the worker labels, for every
labeler, the mentions of the range still unlabelled at that labeler's model and version, and
commits each labeler's labels in one transaction.

Why it survives a worker's death: messages are acknowledged only once the batch is written
(`acks_late`), one at a time (prefetch 1), so the broker gives a batch whose worker died (kill
-9, a lost machine: its connection closes) to another worker; `reject_on_worker_lost` does the
same when a pool child dies. Writing a batch twice is harmless: a redelivered batch labels only
what is still unlabelled, labels are keyed (mention, task), and a person's label always wins.

Models are loaded once per labelling process, when it starts.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from celery import Celery
    from sqlalchemy import Engine

    from config.settings import Settings
    from nlp.labelers import Labeler
    from storage.workers import Heartbeat

log = logging.getLogger("veille.workers")

TASK = "veille.label_range"


def queue_name(settings: Settings) -> str:
    return f"{settings.workers.namespace}.analyze"


def celery_app(settings: Settings) -> Celery:
    """The Celery app of the labelling workers and of the command sending them batches."""
    from celery import Celery
    from kombu import Queue

    queue = queue_name(settings)
    app = Celery("veille", broker=settings.workers.broker_url, backend="rpc://")
    app.conf.update(
        task_default_queue=queue,
        task_queues=[Queue(queue, durable=True)],
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        # A batch is acknowledged once written; a dead worker's batch goes to another one.
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        result_persistent=False,
        broker_connection_retry_on_startup=True,
        broker_connection_max_retries=10,
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
        worker_enable_remote_control=False,
        worker_send_task_events=False,
        task_send_sent_event=False,
    )
    app.task(name=TASK, bind=True, autoretry_for=(_Transient,), retry_backoff=2,
             max_retries=3)(_label_range)  # fmt: skip
    return app


class _Transient(Exception):
    """The database did not answer (a restart, a failover): the batch is tried again."""


class ModelMismatch(Exception):
    """The worker's labeler is not the one the batch was sent for."""


class LabellingWorker:
    """One labelling process: its database engine, its labelers and its heartbeat."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.engine: Engine | None = None
        self.labelers: dict[str, Labeler] = {}
        self.name = ""
        self.heartbeat: Heartbeat | None = None
        self.doing: str | None = None
        self.lock = threading.Lock()

    def start(self) -> None:
        """Connect, load every labeler (once for the process's life) and start beating."""
        from nlp.labelling import load_labelers
        from storage.engine import make_engine
        from storage.workers import Heartbeat, worker_name

        self.engine = make_engine(self.settings.database.url)
        self.name = worker_name("analyze")
        loaded, disabled = load_labelers(self.settings)
        self.labelers = dict(loaded)
        for task, why in disabled.items():
            log.warning("Disabled labeler %s: %s", task, why)
        self.heartbeat = Heartbeat(
            self.engine, self.name, "analyze", self.settings.workers.heartbeat_seconds,
            status=self.status,
        ).start()  # fmt: skip
        log.info("labelling worker %s ready (%s)", self.name, ", ".join(self.labelers))

    def stop(self) -> None:
        if self.heartbeat is not None:
            self.heartbeat.stop()
            self.heartbeat = None
        if self.engine is not None:
            self.engine.dispose()

    def status(self) -> tuple[str, str | None]:
        with self.lock:
            return ("busy", self.doing) if self.doing else ("idle", None)

    def set_doing(self, doing: str | None) -> None:
        with self.lock:
            self.doing = doing
        if self.heartbeat is not None:
            self.heartbeat.now()

    def label(
        self, first: int, last: int, wanted: list[list[str]], relabel: bool, batch_size: int
    ) -> tuple[dict[str, int], int]:
        """Label the range's mentions for each (task, model, version) asked, batch by batch as
        `label_mentions` does: labels written per task, and mentions labelled."""
        from sqlalchemy.exc import DBAPIError

        from nlp.labelling import label_batch
        from storage.labelling import iter_needing_labels
        from storage.workers import add_done

        assert self.engine is not None, "LabellingWorker.start() was not called"
        labelers = []
        for task, model, version in wanted:
            labeler = self.labelers.get(task)
            if labeler is None or (labeler.model, labeler.version) != (model, version):
                have = f"{labeler.model} {labeler.version}" if labeler else "no labeler"
                raise ModelMismatch(
                    f"worker {self.name} has {have} for {task}, the batch asks {model} "
                    f"{version}: give every machine the same configuration and models"
                )
            labelers.append((task, labeler))
        counts = dict.fromkeys((task for task, _ in labelers), 0)
        touched = 0
        self.set_doing(f"mentions {first:,}–{last:,}")
        try:
            triples = [(t, m, v) for t, m, v in wanted]
            for batch in iter_needing_labels(
                self.engine, triples, relabel, batch_size, between=(first, last)
            ):
                for task, n in label_batch(self.engine, self.settings, labelers, batch).items():
                    counts[task] += n
                touched += len(batch)
            add_done(self.engine, self.name, touched)
        except DBAPIError as exc:
            raise _Transient(f"the database did not answer: {exc}".splitlines()[0]) from None
        finally:
            self.set_doing(None)
        return counts, touched


_WORKER: LabellingWorker | None = None


def _label_range(
    task: Any, first: int, last: int, tasks: list[list[str]], relabel: bool, batch_size: int
) -> dict[str, Any]:
    """The Celery task: label mentions `first`..`last` (see LabellingWorker.label)."""
    if _WORKER is None:
        raise RuntimeError("this process is not a labelling worker (veille worker analyze)")
    counts, mentions = _WORKER.label(first, last, tasks, relabel, batch_size)
    delivery = task.request.delivery_info or {}
    return {
        "first": first,
        "last": last,
        "labelled": counts,
        "mentions": mentions,
        "worker": _WORKER.name,
        "redelivered": bool(delivery.get("redelivered")),
    }


def run_worker(settings: Settings, concurrency: int = 1, log_level: str = "WARNING") -> int:
    """Run a labelling worker until it is stopped (SIGTERM, Ctrl-C); returns its exit code.

    `concurrency` 1: one process labels (Celery's solo pool); more: that many child processes,
    each loading the models once and beating as a worker of its own.
    """
    from celery.signals import worker_process_init, worker_process_shutdown

    from storage.workers import require_shared_database

    require_shared_database(settings.database.url, "veille worker analyze")
    global _WORKER
    _WORKER = LabellingWorker(settings)
    app = celery_app(settings)
    if concurrency == 1:
        _WORKER.start()
    else:
        worker_process_init.connect(lambda **_: _WORKER.start() if _WORKER else None, weak=False)
        worker_process_shutdown.connect(lambda **_: _WORKER.stop() if _WORKER else None,
                                        weak=False)  # fmt: skip
    worker = app.Worker(
        pool="solo" if concurrency == 1 else "prefork",
        concurrency=concurrency,
        queues=[queue_name(settings)],
        loglevel=log_level,
        quiet=True,
        without_gossip=True,
        without_mingle=True,
        without_heartbeat=True,
        optimization="fair",
    )
    try:
        worker.start()
    finally:
        if concurrency == 1:
            _WORKER.stop()
    return int(worker.exitcode or 0)


def exit_now(code: int) -> None:
    """End a worker process once it has stopped cleanly (heartbeat `stopped`, engine closed):
    without waiting for the interpreter to tear the models' native libraries down, which
    takes seconds and does nothing useful."""
    import os

    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def main(spec_path: str) -> int:
    """`python -m nlp.workers SPEC.json`: a worker started for one run by the command that
    sends the batches (the spec holds its settings, so it labels exactly as that command)."""
    from config.settings import Settings
    from storage.errors import ShortTracebacks

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    level = spec.get("log_level", "WARNING")
    logging.basicConfig(level=level, stream=sys.stderr, format="%(levelname)s %(message)s")
    if level != "DEBUG":
        for handler in logging.getLogger().handlers:
            handler.addFilter(ShortTracebacks())
    settings = Settings.model_validate(spec["settings"])
    return run_worker(settings, int(spec.get("concurrency", 1)), level)


if __name__ == "__main__":
    exit_now(main(sys.argv[1]))
