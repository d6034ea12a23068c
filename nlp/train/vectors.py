"""Sentence vectors for training, remembered per text on disk (`--cache DIR`): every trainer
and benchmark encodes a text once, whatever set it comes in."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from nlp import features


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def sentence_vectors(texts: Sequence[str], cache: Path | None) -> np.ndarray:
    """USE vectors of `texts` (the labelers' encoder and tokenizer); with `cache`, texts met
    before are read from CACHE/use-<tokenizer>.npz and new ones added to it."""
    encoder = features.shared_encoder()
    if cache is None:
        return encoder.encode(list(texts))
    path = cache / f"use-{encoder.tokenizer}.npz"
    known: dict[str, np.ndarray] = {}
    keys: list[str] = []
    matrix = np.zeros((0, 512), dtype=np.float32)
    if path.exists():
        with np.load(path, allow_pickle=False) as data:
            keys = [str(k) for k in data["keys"]]
            matrix = data["vectors"]
        known = {k: matrix[i] for i, k in enumerate(keys)}
    wanted = [_key(t) for t in texts]
    missing = list(dict.fromkeys(t for t, k in zip(texts, wanted, strict=True) if k not in known))
    if missing:
        new = encoder.encode(missing)
        new_keys = [_key(t) for t in missing]
        known.update(zip(new_keys, new, strict=True))
        keys += new_keys
        matrix = np.vstack([matrix, new]).astype(np.float32)
        cache.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vectors=matrix)
        tmp.replace(path)
    if not wanted:
        return np.zeros((0, 512), dtype=np.float32)
    return np.vstack([known[k] for k in wanted]).astype(np.float32)
