"""The sentence encoder's widest products in 8-bit integers, exact, each sentence on its own.

The second convolution of USE's branches (`nlp.use_encoder`) multiplies every token's window
(up to 5 × 256 values) by a (1,280 × 256) weight block: 40 % of the `accurate` profile's
labelling time in float32. Here the weights are quantised once, one scale per output column
(its largest |weight| / `WEIGHT_LEVELS`), and the windows one scale per sentence (its largest
|value| / `ACTIVATION_LEVELS`), so that a row's result depends on its sentence alone, never on
the other texts of the batch. The product of the integers is exact: a sum of at most 1,280
products of |a| ≤ 127 by |w| ≤ 63 stays under 2**24, so ONNX Runtime's u8 × s8 kernels (int32
sums; AVX-512 VNNI where the CPU has it, about 4× float32 here) and a float32 BLAS product give
the same integers whatever their order of summation, and the AVX2 kernels' 16-bit pair sums
(2 × 255 × 63 < 2**15) cannot saturate. Without onnxruntime the BLAS computes them (same
results, float32 speed).

Sentence vectors move little: cosine with the float32 network's vectors 0.9998 on average over
8,000 UMSAB tweets, 0.9956 at worst (nlp/models/HISTORY.md, "Integer products").
"""

from __future__ import annotations

import importlib.util
import os
from typing import Any

import numpy as np

ACTIVATION_LEVELS = 127  # codes 1 … 255 around the zero point
WEIGHT_LEVELS = 63  # 7 bits: see above
ZERO_POINT = 128


def sentence_codes(
    x: np.ndarray, starts: np.ndarray, lens: np.ndarray, codes: np.ndarray
) -> np.ndarray:
    """Quantise the rows of `x` (tokens, sentence after sentence: `starts`, `lens`) into
    `codes[:len(x)]` (uint8, zero at `ZERO_POINT`), one scale per sentence; returns each row's
    scale (float32)."""
    peak = np.maximum.reduceat(np.abs(x).max(axis=1), starts)
    scale = (np.maximum(peak, np.float32(1e-12)) / np.float32(ACTIVATION_LEVELS)).astype(np.float32)
    rows = np.repeat(scale, lens)
    scaled = x / rows[:, None]
    np.rint(scaled, out=scaled)
    scaled += ZERO_POINT
    codes[: len(x)] = scaled
    return rows


class IntegerProduct:
    """`x @ weights` for rows given as `sentence_codes` and their scales."""

    def __init__(self, weights: np.ndarray, runtime: bool = True) -> None:
        peak = np.abs(weights).max(axis=0)
        self.scale = (np.where(peak > 0, peak, 1.0) / WEIGHT_LEVELS).astype(np.float32)
        self.weights = np.rint(weights / self.scale).astype(np.int8)
        self.runtime = runtime and _has_runtime()
        self._session: tuple[int, Any] | None = None  # (process id, ONNX Runtime session)
        self._float: np.ndarray | None = None

    def __call__(self, codes: np.ndarray, row_scale: np.ndarray) -> np.ndarray:
        out = self.integers(codes).astype(np.float32)
        out *= row_scale[:, None]
        out *= self.scale
        return out

    def integers(self, codes: np.ndarray) -> np.ndarray:
        """(codes - ZERO_POINT) @ weights, exact (int32 from ONNX Runtime, float32 else)."""
        if self.runtime:
            return self._runtime_session().run(None, {"A": codes})[0]  # type: ignore[no-any-return]
        if self._float is None:
            self._float = self.weights.astype(np.float32)
        centred = codes.astype(np.float32)
        centred -= ZERO_POINT
        return centred @ self._float

    def _runtime_session(self) -> Any:
        # One session per process: a labelling process forked from its parent builds its own.
        if self._session is None or self._session[0] != os.getpid():
            self._session = (os.getpid(), _session(self.weights))
        return self._session[1]


def _has_runtime() -> bool:
    """Whether onnx and onnxruntime are installed (found, not imported: the session imports
    them when it is first built, in the process that runs it)."""
    return all(importlib.util.find_spec(name) is not None for name in ("onnx", "onnxruntime"))


def _session(weights: np.ndarray) -> Any:
    """An ONNX Runtime session of one MatMulInteger node: uint8 rows (zero point
    `ZERO_POINT`) by these int8 weights, int32 out, on one thread (labelling runs one process
    per core)."""
    import onnxruntime
    from onnx import TensorProto, helper, numpy_helper

    k, m = weights.shape
    graph = helper.make_graph(
        [helper.make_node("MatMulInteger", ["A", "W", "zero"], ["Y"])],
        "integer_product",
        [helper.make_tensor_value_info("A", TensorProto.UINT8, [None, k])],
        [helper.make_tensor_value_info("Y", TensorProto.INT32, [None, m])],
        initializer=[
            numpy_helper.from_array(weights, "W"),
            helper.make_tensor("zero", TensorProto.UINT8, [], [ZERO_POINT]),
        ],
    )
    # IR version 8 (ONNX 1.10): read by every onnxruntime the project allows.
    model = helper.make_model(graph, ir_version=8, opset_imports=[helper.make_opsetid("", 13)])
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    return onnxruntime.InferenceSession(
        model.SerializeToString(), options, providers=["CPUExecutionProvider"]
    )
