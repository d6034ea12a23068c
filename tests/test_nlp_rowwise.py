"""A mention's sentence vector and labels are the same bit for bit whatever mentions go with it
in its batch and whatever the encoder's piece cache holds: what lets `veille analyze` split a
batch between processes and store the same labels (tests/test_nlp_jobs.py)."""

from __future__ import annotations

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from nlp import rowwise
from nlp.evaluation import labeler_for
from nlp.features import shared_encoder
from nlp.labelers import Doc
from nlp.model_store import packaged_model
from nlp.use_encoder import PieceCachedUSE

TEXTS = [
    "Toujours pas reçu ma commande, le SAV est injoignable 😡",
    "I love my new Lumio headphones, great sound",
    ".",
    "ok",
    "Vous comptez rétablir le réseau quand ? " * 120,  # longer than a micro-batch's budget
    "Bonjour, ma commande n°12345 n'est jamais arrivée.",
    "Il serait bien que Lumio propose la livraison le dimanche.",
    "Toujours pas reçu ma commande, le SAV est injoignable 😡",
    "¿Alguien sabe si Lumio envía a España?",
] + [f"Message numéro {i} pour @Lumio, merci d'avance" for i in range(30)]

# Bit for bit across batches only where the BLAS keeps a padded product's rows (nlp/rowwise.py):
# elsewhere these fail, and must (strict), or the probe the labelling pool trusts is wrong.
BLAS_KEEPS_ROWS = pytest.mark.xfail(
    not rowwise.keeps_rows(), strict=True,
    reason="this BLAS sums a row of a product by its place in it (rowwise.keeps_rows())",
)  # fmt: skip


@pytest.mark.parametrize(
    ("k", "n"),
    [
        *(pytest.param(k, n, marks=BLAS_KEEPS_ROWS) for k, n in [(1280, 256), (512, 768), (256, 2560)]),
        (512, 3), (40, 7), (512, 1),  # narrow: NumPy's einsum, whatever the BLAS
    ],
)  # fmt: skip
def test_each_row_of_a_product_ignores_the_other_rows(k: int, n: int) -> None:
    rng = np.random.default_rng(0)
    a = rng.standard_normal((300, k)).astype(np.float32)
    b = rng.standard_normal((k, n) if n > 1 else k).astype(np.float32)
    with threadpool_limits(1, user_api="blas"):  # as the sentence encoder runs them
        whole = rowwise.matmul(a, b)
        assert np.allclose(whole, a @ b, rtol=1e-4, atol=1e-3)
        for start, rows in ((0, 1), (5, 2), (13, 17), (100, 33), (7, 200)):
            part = rowwise.matmul(a[start : start + rows], b)
            assert np.array_equal(part, whole[start : start + rows])


def test_sentence_vectors_ignore_the_blas_threads() -> None:
    """Whatever BLAS threads the process has (a labelling process inherits its parent's), the
    encoder runs its products with one: more would sum them in another order."""
    backend = shared_encoder()._use._model
    vectors = []
    for threads in (1, 2, 4):
        with threadpool_limits(threads, user_api="blas"):
            vectors.append(PieceCachedUSE(backend).encode(TEXTS))
    assert all(np.array_equal(v, vectors[0]) for v in vectors[1:])


@BLAS_KEEPS_ROWS
def test_sentence_vectors_ignore_the_batch_and_the_cache() -> None:
    backend = shared_encoder()._use._model
    whole = PieceCachedUSE(backend).encode(TEXTS)
    assert np.einsum("ij,ij->i", whole, backend.encode(TEXTS)).min() > 0.999  # the wheel's
    alone = PieceCachedUSE(backend)  # a cold cache, filled text by text
    tight = PieceCachedUSE(backend, capacity=20)  # most pieces past the cache
    for i, text in enumerate(TEXTS):
        assert np.array_equal(alone.encode([text])[0], whole[i])
        assert np.array_equal(tight.encode([text, *TEXTS[:i:3]])[0], whole[i])
    assert np.array_equal(alone.encode(TEXTS[::-1]), whole[::-1])


@pytest.mark.parametrize("profile", ["accurate", "fast"])
def test_labels_ignore_the_batch(profile: str) -> None:
    topic = labeler_for("topic", packaged_model("topic"), profile)
    sentiment = labeler_for("sentiment", packaged_model("sentiment"), profile)
    docs = [Doc(t, lang=("fr" if i % 3 == 0 else None)) for i, t in enumerate(TEXTS)]
    for labeler in (sentiment, topic):
        whole = labeler.label_batch(docs)
        assert [labeler.label_batch([d])[0] for d in docs] == whole
        assert labeler.label_batch(docs[::-1]) == whole[::-1]
