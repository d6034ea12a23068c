"""The sentence encoder's forward pass with per-piece work done once equals the wheel's."""

from __future__ import annotations

import numpy as np

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
    for network in (roomy, tight, roomy):  # the second pass of `roomy` reads its cache
        got = network.encode(TEXTS)
        assert got.shape == expected.shape
        assert np.abs(got - expected).max() < 1e-5
    assert tight.used == 20 and roomy.used > 20
