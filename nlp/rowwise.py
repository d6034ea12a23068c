"""Matrix products whose rows come out bit for bit the same whatever rows go with them, so that a
mention's labels do not depend on the other mentions of its batch (or on which labelling
process got it, or on what the sentence encoder's piece cache held).

The BLAS does not promise that: its kernels for a product of few rows, or of a narrow right
side, sum in another order than those for many rows, so a row's last bits change with the
number of rows. Here a wide product (the sentence encoder's layers) runs on a row count padded
to a multiple of `ROW_MULTIPLE`; a narrow one (a classifier's few classes) runs in NumPy's own
`einsum` loops, which sum each row alone.

The padding rests on an assumption about the BLAS's kernels, not a promise: that, given one
thread, they sum a row of a padded product alike wherever the row stands. OpenBLAS's SkylakeX
kernels do; OpenBLAS 0.3.31's Haswell kernels (chosen on AMD EPYC) do not: a row's sums follow
its place in the product, so a sentence vector moves in its last bits (about 1e-7) with its
batch, and a score, rounded to 4 decimals, may rarely differ in its last digit between
`--jobs` values. `keeps_rows()` probes the BLAS loaded; the labelling pool warns when it fails,
and tests/test_nlp_rowwise.py expects the bit-for-bit tests to fail exactly then. The thread
count matters too (more threads, other sums): the encoder runs every product under one BLAS
thread (threadpoolctl, the wheel's `threads`) in every process, whatever OPENBLAS_NUM_THREADS
or the process's own setting say (tested).
"""

from __future__ import annotations

from functools import cache

import numpy as np

ROW_MULTIPLE = 16
WIDE = 64  # output columns from which the BLAS is worth it


def padded(n: int) -> int:
    """`n` rounded up to a multiple of ROW_MULTIPLE."""
    return -(-n // ROW_MULTIPLE) * ROW_MULTIPLE


def matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`a @ b` for a 2-d `a` and a 1-d or 2-d `b`, each row independent of the others."""
    if b.ndim == 1:
        return np.einsum("ij,j->i", a, b)
    if b.shape[1] < WIDE:
        return np.einsum("ij,jk->ik", a, b)
    m = a.shape[0]
    if m == padded(m):
        return a @ b
    pad = np.zeros((padded(m), a.shape[1]), dtype=a.dtype)
    pad[:m] = a
    return (pad @ b)[:m]


@cache
def keeps_rows() -> bool:
    """Whether the BLAS loaded gives a padded product's rows whatever rows go with them (the
    assumption above), probed with one thread on a wide product of random rows cut at a few
    places (about 50 ms, once)."""
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)
    a = rng.standard_normal((80, WIDE)).astype(np.float32)
    b = rng.standard_normal((WIDE, WIDE)).astype(np.float32)
    cuts = ((0, 1), (5, 2), (13, 17), (7, 40), (30, 50))
    with threadpool_limits(1, user_api="blas"):
        whole = matmul(a, b)
        return all(np.array_equal(matmul(a[s : s + n], b), whole[s : s + n]) for s, n in cuts)
