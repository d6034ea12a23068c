"""Memory given back between phases: the allocator settings apply and change no result."""

from __future__ import annotations

import sys

import numpy as np

from nlp import memory


def test_large_blocks_mapped_and_memory_released() -> None:
    memory.map_large_blocks()
    big = np.arange(4_000_000, dtype=np.int64)
    total = int(big.sum())
    del big
    memory.release()
    assert total == 4_000_000 * 3_999_999 // 2
    if sys.platform.startswith("linux"):
        assert memory._glibc() is not None  # glibc here: the calls were made
