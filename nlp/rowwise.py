"""Matrix products whose rows come out bit for bit the same whatever rows go with them, so that a
mention's labels do not depend on the other mentions of its batch (or on which labelling
process got it, or on what the sentence encoder's piece cache held).

The BLAS does not promise that: its kernels for a product of few rows, or of a narrow right
side, sum in another order than those for many rows, so a row's last bits change with the
number of rows. Here a wide product (the sentence encoder's layers) runs on a row count padded
to a multiple of `ROW_MULTIPLE`, which the BLAS computes row by row alike (tested:
tests/test_nlp_rowwise.py); a narrow one (a classifier's few classes) runs in NumPy's own
`einsum` loops, which sum each row alone.
"""

from __future__ import annotations

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
