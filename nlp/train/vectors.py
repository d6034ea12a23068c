"""Sentence vectors for training, remembered per text on disk (`--cache DIR`): every trainer
and benchmark encodes a text once, whatever set it comes in."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from nlp import features

# Texts encoded between two writes of the cache file (the e5 encoder is slow: a long run that
# stops keeps what it did).
CHUNK = 500


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _cached(
    texts: Sequence[str], cache: Path | None, name: str, dim: int,
    encode: Callable[[list[str]], np.ndarray],
) -> np.ndarray:  # fmt: skip
    """`encode(texts)`; with `cache`, texts met before are read from CACHE/<name>.npz and new
    ones added to it (written every CHUNK texts, through a file of the process's own: trainers
    run side by side on one cache each write it whole, the last one's file kept)."""
    if cache is None:
        return encode(list(texts)).astype(np.float32)
    path = cache / f"{name}.npz"
    known: dict[str, np.ndarray] = {}
    keys: list[str] = []
    matrix = np.zeros((0, dim), dtype=np.float32)
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            keys = [str(k) for k in data["keys"]]
            matrix = data["vectors"]
        known = {k: matrix[i] for i, k in enumerate(keys)}
    wanted = [_key(t) for t in texts]
    missing = list(dict.fromkeys(t for t, k in zip(texts, wanted, strict=True) if k not in known))
    for start in range(0, len(missing), CHUNK):
        part = missing[start : start + CHUNK]
        new = encode(part)
        new_keys = [_key(t) for t in part]
        known.update(zip(new_keys, new, strict=True))
        keys += new_keys
        matrix = np.vstack([matrix, new]).astype(np.float32)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")  # two trainers may share a cache
        np.savez(tmp, keys=np.array(keys), vectors=matrix)
        tmp.replace(path)
    if not wanted:
        return np.zeros((0, dim), dtype=np.float32)
    return np.vstack([known[k] for k in wanted]).astype(np.float32)


def sentence_vectors(texts: Sequence[str], cache: Path | None) -> np.ndarray:
    """USE vectors of `texts` (the labelers' encoder and tokenizer); with `cache`, texts met
    before are read from CACHE/use-<tokenizer>.npz and new ones added to it."""
    encoder = features.shared_encoder()
    return _cached(texts, cache, f"use-{encoder.tokenizer}", 512, encoder.encode)


def e5_vectors(texts: Sequence[str], cache: Path | None) -> np.ndarray:
    """E5 vectors of `texts` (the `thorough` profile's encoder, `nlp.e5_encoder`); with
    `cache`, remembered in CACHE/<e5 name>.npz like the USE vectors."""
    from nlp.e5_encoder import DIM, NAME, shared_e5

    return _cached(texts, cache, NAME, DIM, lambda t: shared_e5().encode(t))


def tuned_probabilities(
    path: Path, language: str, texts: Sequence[str], cache: Path | None
) -> np.ndarray:
    """The tuned e5 classifier's probabilities (`nlp.e5_tuned`, file `path`) for `texts` of
    `language`, out of fold on the texts it was tuned on; with `cache`, remembered in
    CACHE/e5-tuned-<file's identity>-<language>.npz."""
    from nlp.e5_tuned import identity, load_one

    tuned = load_one(path, language)
    name = f"e5-tuned-{identity(path)}-{language}"
    return _cached(texts, cache, name, len(tuned.adapter.classes),
                   tuned.probabilities_for_training)  # fmt: skip
