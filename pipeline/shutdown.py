"""SIGTERM/SIGINT: the first asks the run to stop at the next boundary, a second stops it now."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType

from pipeline.stage_runner import StopFlag

log = logging.getLogger("veille.shutdown")

SIGNALS = (signal.SIGTERM, signal.SIGINT)


@contextmanager
def graceful_signals(
    stop: StopFlag,
    on_first: Callable[[str], None] | None = None,
    force: bool = True,
) -> Iterator[None]:
    """Within the block, a first SIGTERM/SIGINT sets `stop` (and calls `on_first`).

    With `force`, a second one raises KeyboardInterrupt in the main thread: the transaction
    in progress is rolled back and the run rows are finished `interrupted`. Outside the main
    thread (where Python cannot install handlers) the block runs unchanged.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if stop.is_set():
            if force:
                log.warning("second %s: stopping at once; the current batch is rolled back", name)
                raise KeyboardInterrupt(name)
            log.warning("%s again: already stopping, waiting for the running job", name)
            return
        stop.request(name)
        log.warning(
            "%s received: finishing the current batch, then stopping (send it again to stop "
            "at once)",
            name,
        )
        if on_first is not None:
            on_first(name)

    previous = {sig: signal.signal(sig, handler) for sig in SIGNALS}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)
