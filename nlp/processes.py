"""Pools of worker processes of this machine, shared by the labelling and the authors stage."""

from __future__ import annotations

from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from multiprocessing.pool import Pool
    from types import TracebackType


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
