"""Layer normalisation of a matrix's rows, in place, each row summed alone (`einsum`), so a
row's result does not depend on the rows beside it (`nlp.rowwise`): the sentence encoders'
(`nlp.use_encoder`, `nlp.e5_network`)."""

from __future__ import annotations

import numpy as np


def normalise(x: np.ndarray, eps: float) -> np.ndarray:
    """Each row less its mean, over its standard deviation (no scale or shift), in place."""
    x -= (np.einsum("ij->i", x) / x.shape[-1])[:, None]
    var = np.einsum("ij,ij->i", x, x) / x.shape[-1]
    x *= np.reciprocal(np.sqrt(var + eps))[:, None]
    return x


def layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    """`normalise`, then each column's scale and shift, in place."""
    normalise(x, eps)
    x *= gamma
    x += beta
    return x
