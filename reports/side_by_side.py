"""The configured reports written side by side, one process of this machine per report.

A night's reports (brands × periods) do not depend on one another: each reads the database,
draws its charts and lays out its PDF on its own, mostly on one core. `reports.jobs`
processes (0: one per core) write them at once, forked from the stage's process, each with
its own database connections; the outcomes come back in the configured order. Reports not
started when `should_stop` turns true are not started; those under way are finished.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterator
from itertools import takewhile
from typing import TYPE_CHECKING, Any, TypeVar

from nlp.processes import ahead

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

    from sqlalchemy import Engine

Job = TypeVar("Job")
Outcome = TypeVar("Outcome")

# What the forked processes run, set just before they are forked (neither a database engine
# nor a closure travels through a pipe).
_WORK: tuple[Engine, Callable[..., object]] | None = None


def outcomes(
    engine: Engine,
    write: Callable[[Job], Outcome],
    jobs: list[Job],
    processes: int,
    should_stop: Callable[[], bool] = lambda: False,
) -> Iterator[Outcome]:
    """`write(job)` for each job, in order, in up to `processes` processes at once (one:
    in this process). `write` returns its outcome and must not raise."""
    processes = min(processes, len(jobs))
    handed = takewhile(lambda _: not should_stop(), jobs)  # checked as each job is handed out
    if processes <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield from map(write, handed)
        return
    global _WORK
    _WORK = (engine, write)  # kept while the pool lives: it forks again to replace a process
    try:
        with multiprocessing.get_context("fork").Pool(processes, initializer=_started) as pool:

            def submit(job: Job) -> AsyncResult[Outcome]:
                return pool.apply_async(_write, (job,))

            # One report per process under way while the oldest one's outcome is awaited.
            for _, written in ahead(handed, submit, processes - 1):
                yield written.get()
            pool.close()
            pool.join()
    finally:
        _WORK = None


def _started() -> None:
    """In each forked process: connections of its own, none of the parent's."""
    assert _WORK is not None
    _WORK[0].dispose(close=False)


def _write(job: Any) -> Any:
    assert _WORK is not None
    return _WORK[1](job)
