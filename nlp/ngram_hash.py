"""scikit-learn's `HashingVectorizer(analyzer="char_wb")` rows of single words, computed with
NumPy over all the words at once: the same n-grams (each word padded with a space on both
sides; a padded word not longer than an order counts once, whole), the same hash (MurmurHash3
x86 32-bit of the n-gram's UTF-8 bytes, seed 0, column |h| mod n_features), the same counts.
The pure-Python analyzer and its per-n-gram calls were most of the `fast` profile's n-gram
time; here a word costs a few array operations. tests/test_nlp_ngram_hash.py checks the rows
equal the vectorizer's, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

_C1 = np.uint32(0xCC9E2D51)
_C2 = np.uint32(0x1B873593)
_INT32_MIN = -(2**31)


def fits(vectorizer: Any) -> bool:
    """Whether `vectorizer` is a HashingVectorizer whose rows `char_wb_rows` reproduces."""
    from sklearn.feature_extraction.text import HashingVectorizer

    v = vectorizer
    return (
        type(v) is HashingVectorizer
        and v.analyzer == "char_wb"
        and not v.alternate_sign
        and v.norm is None
        and not v.binary
        and not v.lowercase
        and v.preprocessor is None
        and v.strip_accents is None
        and np.dtype(v.dtype) == np.float32
    )


def _rotl(x: np.ndarray, r: int) -> np.ndarray:
    return (x << np.uint32(r)) | (x >> np.uint32(32 - r))


def _mix(k: np.ndarray) -> np.ndarray:
    k = k * _C1
    k = _rotl(k, 15)
    return k * _C2


def murmurhash3_32(data: np.ndarray, starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """MurmurHash3 x86 32-bit (seed 0, signed, as sklearn.utils.murmurhash3_32) of the byte
    strings data[starts[i] : starts[i] + lengths[i]] of a uint8 array."""
    n_blocks = -(-int(lengths.max(initial=0)) // 4)
    data = np.concatenate([data, np.zeros(4 * n_blocks, dtype=np.uint8)])
    h = np.zeros(len(starts), dtype=np.uint32)
    for b in range(n_blocks):
        rows = np.flatnonzero(lengths > 4 * b)  # the strings with bytes in this block
        pos = starts[rows] + 4 * b
        left = lengths[rows] - 4 * b
        k = data[pos].astype(np.uint32)
        for j in range(1, 4):
            byte = data[pos + j].astype(np.uint32)
            byte[left <= j] = 0  # past the string (a tail of 1–3 bytes)
            k |= byte << np.uint32(8 * j)
        k = _mix(k)
        k ^= h[rows]
        # A full block goes through the round; a tail is only xored in.
        full = left >= 4
        k[full] = _rotl(k[full], 13) * np.uint32(5) + np.uint32(0xE6546B64)
        h[rows] = k
    h ^= lengths.astype(np.uint32)
    h ^= h >> np.uint32(16)
    h *= np.uint32(0x85EBCA6B)
    h ^= h >> np.uint32(13)
    h *= np.uint32(0xC2B2AE35)
    h ^= h >> np.uint32(16)
    return h.view(np.int32)


def columns(hashes: np.ndarray, n_features: int) -> np.ndarray:
    """The column of each signed hash, as sklearn's hashing transform gives it."""
    h = hashes.astype(np.int64)
    out = np.abs(h) % n_features
    out[h == _INT32_MIN] = (2147483647 - (n_features - 1)) % n_features
    return out


def char_wb_rows(words: Sequence[str], ngram_range: tuple[int, int], n_features: int) -> Any:
    """`HashingVectorizer(analyzer="char_wb", ngram_range, n_features, alternate_sign=False,
    norm=None, lowercase=False, dtype=float32).transform(words)` for words without whitespace
    (one word a row): a CSR matrix with sorted column indices and summed counts."""
    from scipy.sparse import csr_matrix

    lo, hi = ngram_range
    padded = [f" {w} " for w in words]
    joined = "".join(padded)
    # Each character's code point and the offset of its first UTF-8 byte.
    code = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    utf8 = np.frombuffer(joined.encode("utf-8"), dtype=np.uint8)
    size = 1 + (code >= 0x80) + (code >= 0x800) + (code >= 0x10000)
    offset = np.zeros(len(code) + 1, dtype=np.int64)
    np.cumsum(size, out=offset[1:])
    length = np.fromiter(map(len, padded), dtype=np.int64, count=len(padded))
    first = np.zeros(len(padded), dtype=np.int64)
    np.cumsum(length[:-1], out=first[1:])
    word_ids = np.arange(len(padded), dtype=np.int64)
    # Per n-gram: its word, first character and length in characters.
    parts_word, parts_start, parts_len = [], [], []
    for n in range(lo, hi + 1):
        longer = length > n  # all the windows of order n
        counts = length[longer] - n + 1
        w = np.repeat(word_ids[longer], counts)
        within = np.arange(len(w), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts)
        parts_word.append(w)
        parts_start.append(first[w] + within)
        parts_len.append(np.full(len(w), n, dtype=np.int64))
    whole = length <= hi  # the whole padded word, once (sklearn stops at the first order >= it)
    parts_word.append(word_ids[whole])
    parts_start.append(first[whole])
    parts_len.append(length[whole])
    gram_word = np.concatenate(parts_word)
    gram_start = np.concatenate(parts_start)
    gram_len = np.concatenate(parts_len)
    byte_start = offset[gram_start]
    byte_len = offset[gram_start + gram_len] - byte_start
    cols = columns(murmurhash3_32(utf8, byte_start, byte_len), n_features)
    keys, counts = np.unique(gram_word * n_features + cols, return_counts=True)
    row = keys // n_features
    indptr = np.zeros(len(padded) + 1, dtype=np.int64)
    np.cumsum(np.bincount(row, minlength=len(padded)), out=indptr[1:])
    return csr_matrix(
        (counts.astype(np.float32), (keys % n_features).astype(np.int32), indptr),
        shape=(len(padded), n_features),
    )
