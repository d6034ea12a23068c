"""CPU of the processes a bench started and waited for (`RUSAGE_CHILDREN`), for the benches
that time `veille` commands or workers run as child processes."""

from __future__ import annotations

import resource


def children_cpu() -> float:
    """User + system CPU seconds of every waited-for child of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime
