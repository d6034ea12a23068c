"""Label batches in several processes of this machine (`nlp.jobs`): each labels a slice of
the batch, and the slices' labels come back in the batch's order.

A mention's labels do not depend on the mentions labelled with it (`nlp.rowwise`), so a batch
cut into slices gets the same labels as the batch in one piece, whatever the number of
processes. The processes are forked from this one once its models are loaded (they share
their memory pages), where the system allows it; elsewhere they load the models themselves.
A scheduled run forks them from its job thread while other threads run (the scheduler's, the
run lock's heartbeat): the forked processes only compute (no database, no lock those threads
take but logging's and the BLAS's, which reset themselves at fork; tests/test_nlp_jobs.py).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from nlp.processes import PoolUser

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult, Pool

    from config.settings import Settings
    from nlp.labelers import Labeler
    from storage.labelling import MentionToLabel
    from storage.labels import LabelRecord

log = logging.getLogger(__name__)

Result = tuple[list["LabelRecord"], list[tuple[int, str]]]
# A label record as a plain tuple: half the cost of sending the record itself.
Packed = tuple[list[tuple[Any, ...]], list[tuple[int, str]]]
# A batch is shared out only in slices of at least this many mentions (below, the cost of
# sending it to another process is not worth it).
MIN_SLICE = 100


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def jobs_of(settings: Settings, jobs: int | None = None) -> int:
    """Processes that label (and derive the authors stage's text facts): `jobs`, else
    `nlp.jobs`; 0 means one per core."""
    n = settings.nlp.jobs if jobs is None else jobs
    return n if n > 0 else cores()


def slices(n: int, jobs: int) -> list[tuple[int, int]]:
    """(start, end) of the slices one batch of `n` mentions is cut into, in order: up to
    `jobs` of them, none smaller than MIN_SLICE (unless the batch is)."""
    parts = max(1, min(jobs, n // MIN_SLICE))
    bounds = [round(i * n / parts) for i in range(parts + 1)]
    return list(pairwise(bounds))


class Pending:
    """One batch's labels, being computed."""

    def __init__(
        self, parts: list[AsyncResult[Packed]] | None = None, done: Result | None = None,
        tasks: Sequence[str] = (),
    ) -> None:  # fmt: skip
        self.parts, self.done, self.tasks = parts or [], done, tasks

    def get(self) -> Result:
        if self.done is not None:
            return self.done
        from storage.labels import LabelRecord

        records: list[LabelRecord] = []
        languages: list[tuple[int, str]] = []
        for part in self.parts:
            packed, lang = part.get()
            records += [LabelRecord(*fields) for fields in packed]
            languages += lang
        # Task by task, as one process gives them (the sort keeps the slices' order).
        rank = {task: i for i, task in enumerate(self.tasks)}
        records.sort(key=lambda r: rank[r.task])
        return records, languages


class LabellingPool(PoolUser):
    """`submit(batch, human)` gives a `Pending` whose `get()` is what `nlp.labelling.predict`
    gives for the batch. With one job, or a batch too small to share, it labels here."""

    def __init__(
        self, settings: Settings, labelers: Sequence[tuple[str, Labeler]], jobs: int
    ) -> None:
        self.settings, self.labelers, self.jobs = settings, list(labelers), max(1, jobs)
        self._pool: Pool | None = None

    def submit(self, batch: Sequence[MentionToLabel], human: Mapping[int, str]) -> Pending:
        from nlp.labelling import predict

        cuts = slices(len(batch), self.jobs)
        if len(cuts) == 1:
            return Pending(done=predict(self.settings, self.labelers, batch, human))
        pool = self._started()
        parts = []
        for start, end in cuts:
            part = list(batch[start:end])
            mine = {m.id: human[m.id] for m in part if m.id in human}
            parts.append(pool.apply_async(_predict, (part, mine)))
        return Pending(parts, tasks=[task for task, _ in self.labelers])

    def start(self) -> None:
        """Start the processes now rather than at the first batch large enough to share."""
        if self.jobs > 1:
            self._started()

    def _started(self) -> Pool:
        if self._pool is None:
            from nlp import rowwise

            if not rowwise.keeps_rows():
                log.warning(
                    "This machine's BLAS sums a row of a product by its place in the batch: "
                    "labels from %d processes may differ from one process's in a score's last "
                    "digit (nlp/rowwise.py). Set nlp.jobs: 1 for labels the same bit for bit.",
                    self.jobs,
                )
            methods = multiprocessing.get_all_start_methods()
            if "fork" in methods:
                # Models loaded here first are shared with the forked processes.
                _warm_up(self.labelers)
                fork = multiprocessing.get_context("fork")
                self._pool = fork.Pool(self.jobs, _start_forked, (self.settings, self.labelers))
            else:  # pragma: no cover - macOS, Windows: each process loads the models
                spawn = multiprocessing.get_context("spawn")
                self._pool = spawn.Pool(self.jobs, _start_spawned, (self.settings,))
        return self._pool


def _warm_up(labelers: Sequence[tuple[str, Labeler]]) -> None:
    """Load what the labelers load on first use (the sentence encoder's weights)."""
    from nlp.labelers import Doc

    for _, labeler in labelers:
        labeler.label_batch([Doc("warm up", lang="en")])


# The labelling process's settings and labelers.
_MINE: tuple[Settings, list[tuple[str, Labeler]]] | None = None


def _start_forked(settings: Settings, labelers: list[tuple[str, Labeler]]) -> None:
    global _MINE
    _MINE = (settings, labelers)


def _start_spawned(settings: Settings) -> None:  # pragma: no cover - macOS, Windows
    global _MINE
    from nlp.labelling import load_labelers

    _MINE = (settings, load_labelers(settings)[0])


def _predict(batch: list[MentionToLabel], human: dict[int, str]) -> Packed:
    from nlp.labelling import predict

    assert _MINE is not None, "not a labelling process"
    settings, labelers = _MINE
    records, languages = predict(settings, labelers, batch, human)
    return [
        (r.mention_id, r.task, r.value, r.score, r.scores, r.model, r.version, r.review)
        for r in records
    ], languages
