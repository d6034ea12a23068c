"""What the author analytics need of a post's text alone — the cue lexicons it matches, the
@handles it names, its hash and its MinHash signature — derived here or in other processes
of this machine while the window's next rows are read (`nlp.authors.data.load_window`).

Each fact depends on its own text only, so the facts of a chunk are the same whichever
process derives them and whatever texts come with it. The processes are forked (they share
this one's loaded modules) where the system allows it, as the labelling processes are
(`nlp.label_pool`); elsewhere, and with one job, the facts are derived here.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from nlp.authors.features import named_handles
from nlp.authors.lexicons import cue_flags
from nlp.authors.neardup import text_hash
from nlp.authors.suspicion import NUM_PERM, eligible_signatures
from nlp.processes import PoolUser

if TYPE_CHECKING:
    from multiprocessing.pool import Pool


@dataclass
class TextFacts:
    """The facts of a list of texts, aligned with it."""

    found: np.ndarray  # texts × CUES: the lexicons each text matches
    named: np.ndarray  # object: the @handles each text names (None where it holds no @)
    text_hash: np.ndarray  # int64
    signed: np.ndarray  # the texts that can be near-duplicates (positions, ascending)
    sig: np.ndarray  # their MinHash signatures (len(signed) × NUM_PERM, uint32)


def text_facts(texts: list[str], sign: bool = True) -> TextFacts:
    """The facts of these texts; `sign`: with their signatures (else none)."""
    series = pd.Series(texts, dtype=object)
    if sign:
        signed, sig = eligible_signatures(series.to_frame("text"), chunk=10_000)
    else:
        signed, sig = np.zeros(0, dtype=np.int64), np.zeros((0, NUM_PERM), dtype=np.uint32)
    return TextFacts(
        cue_flags(texts), named_handles(series).to_numpy(), text_hash(series).view(np.int64),
        signed, sig,
    )  # fmt: skip


class TextPool(PoolUser):
    """`submit(texts, sign)` gives a callable that returns their `text_facts`: derived by one
    of `jobs` other processes (with more than one job, where processes can be forked), else
    here when called."""

    def __init__(self, jobs: int) -> None:
        self.jobs = max(1, jobs)
        self._pool: Pool | None = None
        if self.jobs > 1 and "fork" in multiprocessing.get_all_start_methods():
            self._pool = multiprocessing.get_context("fork").Pool(self.jobs)

    def submit(self, texts: list[str], sign: bool = True) -> Callable[[], TextFacts]:
        if self._pool is None:
            return lambda: text_facts(texts, sign)
        return self._pool.apply_async(text_facts, (texts, sign)).get
