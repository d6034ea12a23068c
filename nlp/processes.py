"""Pools of worker processes of this machine, shared by the labelling, the authors stage and
the reports, and the one way their work is handed out ahead of what is collected."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Self, TypeVar

if TYPE_CHECKING:
    from multiprocessing.pool import Pool
    from types import TracebackType


Item = TypeVar("Item")
Handle = TypeVar("Handle")


def ahead(
    items: Iterable[Item], submit: Callable[[Item], Handle], depth: int
) -> Iterator[tuple[Item, Handle]]:
    """Each item with what `submit(item)` returned (a handle on work under way elsewhere), in
    the items' order, once `depth` later items are submitted too (the last ones at the end):
    the processes keep working on those while the caller collects and uses this one. The
    next item is taken only when it is submitted (an `items` that stops ends the handing
    out; what is under way is still yielded)."""
    pending: deque[tuple[Item, Handle]] = deque()
    for item in items:
        pending.append((item, submit(item)))
        if len(pending) > depth:
            yield pending.popleft()
    while pending:
        yield pending.popleft()


class PoolUser:
    """Holds a pool of processes (`_pool`, None until started) and, as a context manager,
    ends it: lets the processes finish their work and stop, or after a failure stops them at
    once, then waits for them."""

    _pool: Pool | None = None

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._pool is not None:
            if kind is None:
                self._pool.close()
            else:
                self._pool.terminate()
            self._pool.join()
            self._pool = None
