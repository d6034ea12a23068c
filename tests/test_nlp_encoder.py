"""The sentence encoder's forward pass with per-piece work done once and its second convolution
in integers gives the wheel's vectors within rounding, whatever its piece cache holds."""

from __future__ import annotations

import numpy as np

from nlp import rowwise
from nlp.features import shared_encoder
from nlp.use_encoder import PieceCachedUSE

TEXTS = [
    "Toujours pas reçu ma commande, le SAV est injoignable 😡",
    "I love my new Lumio headphones, great sound",
    ".",
    "ok",
    "Vous comptez rétablir le réseau quand ? " * 250,  # longer than a micro-batch's budget
    "Bonjour, ma commande n°12345 n'est jamais arrivée.",
    "Toujours pas reçu ma commande, le SAV est injoignable 😡",
]


def test_piece_cache_equals_the_wheels_network() -> None:
    backend = shared_encoder()._use._model
    expected = backend.encode(TEXTS)
    roomy = PieceCachedUSE(backend)
    tight = PieceCachedUSE(backend, capacity=20)  # most pieces past the cache
    first = roomy.encode(TEXTS)
    assert first.shape == expected.shape
    # Unit vectors: cosine with the wheel's float32 network (0.9996 at worst here).
    assert np.einsum("ij,ij->i", first, expected).min() > 0.999
    assert np.abs(first - expected).max() < 0.02
    for network in (tight, roomy):  # the second pass of `roomy` reads its cache
        again = network.encode(TEXTS)
        if rowwise.keeps_rows():
            assert np.array_equal(again, first)
        else:  # this BLAS sums a row by its place in a product (nlp/rowwise.py): last bits
            assert np.abs(again - first).max() < 1e-6
    assert tight.used == 20 and roomy.used > 20
