"""Give memory back to the system between the phases of a large computation.

CPython frees a large array's memory to the C allocator, which may keep it: glibc serves
blocks under its mmap threshold from a heap it returns only from the top, and raises that
threshold to the size of each mapped block freed (up to 32 MB), so after a few big
temporaries every array of a million rows lands on the heap and the process's resident size
stays at its highest. Fixing the threshold keeps large blocks mapped (returned when freed),
and `release` hands back the heap's free pages. Elsewhere than glibc both do nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import cache

_M_MMAP_THRESHOLD = -3


@cache
def _glibc() -> ctypes.CDLL | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        libc.malloc_trim  # noqa: B018 (glibc only)
        libc.mallopt  # noqa: B018
    except (OSError, AttributeError):
        return None
    return libc


def map_large_blocks(threshold: int = 1 << 20) -> None:
    """Blocks of `threshold` bytes or more mapped apart from the heap, whatever was freed
    before."""
    libc = _glibc()
    if libc is not None:
        libc.mallopt(_M_MMAP_THRESHOLD, threshold)


def release() -> None:
    """Return the allocator's free memory to the system."""
    libc = _glibc()
    if libc is not None:
        libc.malloc_trim(0)
