"""The sentence encoder's second convolution in 8-bit integers (nlp/integer_product.py): exact
integers from ONNX Runtime and from the BLAS alike, each sentence's rows on their own."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.integer_product import (
    ACTIVATION_LEVELS,
    WEIGHT_LEVELS,
    ZERO_POINT,
    IntegerProduct,
    sentence_codes,
)


def _extremes(rows: int, k: int, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Codes and weights at their bounds, where a saturating or float sum would go wrong."""
    rng = np.random.default_rng(0)
    codes = rng.choice(
        np.array([1, 255, ZERO_POINT, 200], dtype=np.uint8), size=(rows, k), p=[0.4, 0.4, 0.1, 0.1]
    )
    codes[0] = 255  # every product at its largest: sums of ±127 × ±63 over k
    codes[1] = 1
    weights = rng.choice([-1.0, 1.0, 0.37, -0.5], size=(k, m)).astype(np.float32)
    weights[:, 0] = 1.0  # one column's sum at the bound
    weights[:, 1] = -1.0
    return codes, weights


@pytest.mark.parametrize("k", [512, 768, 1280])
def test_onnx_runtime_and_the_blas_give_the_exact_integers(k: int) -> None:
    codes, weights = _extremes(64, k, 256)
    runtime = IntegerProduct(weights)
    assert runtime.runtime, "onnxruntime is a dependency of the project"
    blas = IntegerProduct(weights, runtime=False)
    exact = (codes.astype(np.int64) - ZERO_POINT) @ runtime.weights.astype(np.int64)
    assert np.abs(runtime.weights).max() == WEIGHT_LEVELS
    assert abs(int(exact[0, 0])) == k * ACTIVATION_LEVELS * WEIGHT_LEVELS
    assert np.array_equal(runtime.integers(codes), exact)
    assert np.array_equal(blas.integers(codes), exact)
    scale = np.linspace(0.01, 2.0, len(codes), dtype=np.float32)
    assert np.array_equal(runtime(codes, scale), blas(codes, scale))  # same floats, bit for bit


def test_a_sentence_rows_are_coded_by_its_own_scale() -> None:
    rng = np.random.default_rng(1)
    lens = np.array([3, 5, 2])
    starts = np.array([0, 3, 8])
    x = rng.standard_normal((10, 256)).astype(np.float32)
    x[3:8] *= 40.0  # a loud sentence beside quiet ones
    codes = np.empty((11, 256), dtype=np.uint8)
    scale = sentence_codes(x, starts, lens, codes)
    for start, n in zip(starts, lens, strict=True):
        rows = slice(start, start + n)
        assert len(set(scale[rows].tolist())) == 1
        alone = np.empty((n, 256), dtype=np.uint8)
        alone_scale = sentence_codes(x[rows], np.array([0]), np.array([n]), alone)
        assert np.array_equal(alone, codes[rows]) and np.array_equal(alone_scale, scale[rows])
        assert codes[rows].min() >= 1 and codes[rows].max() <= 255
        # each sentence uses its whole range, and its values come back within half a step
        assert (np.abs(codes[rows].astype(int) - ZERO_POINT)).max() == ACTIVATION_LEVELS
        back = (codes[rows].astype(np.float32) - ZERO_POINT) * scale[rows, None]
        assert np.abs(back - x[rows]).max() <= scale[start] / 2 * 1.0001


def test_the_integer_product_is_near_the_float_one() -> None:
    rng = np.random.default_rng(2)
    x = rng.standard_normal((40, 768)).astype(np.float32)
    w = (rng.standard_normal((768, 256)) / 30).astype(np.float32)
    codes = np.empty((40, 768), dtype=np.uint8)
    scale = sentence_codes(x, np.array([0, 20]), np.array([20, 20]), codes)
    got, want = IntegerProduct(w)(codes, scale), x @ w
    cosine = (got * want).sum(1) / np.linalg.norm(got, axis=1) / np.linalg.norm(want, axis=1)
    assert cosine.min() > 0.999
