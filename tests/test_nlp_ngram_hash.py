"""The NumPy character n-gram hasher gives scikit-learn's HashingVectorizer rows bit for bit:
the n-gram models were trained on the vectorizer's columns."""

from __future__ import annotations

import random

import numpy as np
import pytest
from sklearn.utils import murmurhash3_32

from nlp import ngram_hash
from nlp.features import _vectorizers
from nlp.labelers.language import vectorizer as language_vectorizer

WORDS = [
    "a", "é", "ab", "abc", "abcd", "commande", "injoignable", "😡", "n°12345", "¿alguien",
    "españa", "x\x00y", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "日本語のテキスト", "مرحبا", "नमस्ते", "l'été", "—",
    "supercalifragilisticexpialidocious",
]  # fmt: skip


def _random_words(n: int) -> list[str]:
    """Random words of several scripts, split at whitespace as `features.char_wb_counts` does."""
    rng = random.Random(7)
    pools = [(33, 127), (160, 1024), (0x0900, 0x097F), (0x3040, 0x30FF), (0x1F300, 0x1F6FF)]
    out = []
    for _ in range(n):
        lo, hi = rng.choice(pools)
        out += "".join(chr(rng.randrange(lo, hi)) for _ in range(rng.randrange(1, 14))).split()
    return out


def test_hash_equals_sklearns_murmurhash() -> None:
    strings = [w.encode() for w in WORDS + _random_words(2000)] + [b"", b"abcd" * 9]
    data = np.frombuffer(b"".join(strings), dtype=np.uint8)
    lengths = np.array([len(s) for s in strings], dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    got = ngram_hash.murmurhash3_32(data, starts, lengths)
    assert got.tolist() == [murmurhash3_32(s, seed=0) for s in strings]


def test_column_of_the_smallest_hash_as_sklearn() -> None:
    cols = ngram_hash.columns(np.array([-(2**31), -5, 5], dtype=np.int32), 2**19)
    assert cols.tolist() == [(2**31 - 1 - (2**19 - 1)) % 2**19, 5, 5]


@pytest.mark.parametrize("vectorizer", [_vectorizers()[1], language_vectorizer()])
def test_rows_equal_the_vectorizers(vectorizer: object) -> None:
    assert ngram_hash.fits(vectorizer)
    words = WORDS + _random_words(3000)
    expect = vectorizer.transform(words).tocsr()  # type: ignore[attr-defined]
    got = ngram_hash.char_wb_rows(
        words,
        vectorizer.ngram_range,  # type: ignore[attr-defined]
        vectorizer.n_features,  # type: ignore[attr-defined]
    )
    assert got.shape == expect.shape and got.dtype == expect.dtype
    assert np.array_equal(got.indptr, expect.indptr)
    assert np.array_equal(got.indices, expect.indices)
    assert np.array_equal(got.data, expect.data)


def test_other_vectorizers_keep_sklearn() -> None:
    word, char = _vectorizers()
    assert not ngram_hash.fits(word)
    assert not ngram_hash.fits(char.set_params(lowercase=True))
    char.set_params(lowercase=False)
    assert ngram_hash.fits(char)
