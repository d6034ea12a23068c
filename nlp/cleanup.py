"""Text clean-up for the labelers: bounded length, no control junk, URLs masked."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# A 100 KB post says what it says in its first few thousand characters; bounding the input
# keeps every labeler's cost per mention bounded too.
MAX_CHARS = 4000

_URL = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b(?=\s|$)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,50}")
_HASHTAG = re.compile(r"#(\w+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]+")
_SPACES = re.compile(r"\s+")
# A run at a time (one space for it, as the spaces are collapsed after): one char at a time
# made a replacement per punctuation mark and digit.
_NOT_LETTERS = re.compile(r"(?:[^\w\s'’-]|[\d_])+")
_CAMEL = re.compile(r"(?<=[a-zà-ÿ])(?=[A-ZÀ-Þ])")


def bounded(text: object, limit: int = MAX_CHARS) -> str:
    """Any input (None, bytes, junk) as a str of at most `limit` characters, controls removed."""
    if text is None:
        return ""
    if isinstance(text, bytes):
        text = text.decode("utf-8", errors="replace")
    elif not isinstance(text, str):
        text = str(text)
    text = text[: limit * 2]
    text = _CONTROL.sub(" ", text)
    return text[:limit]


def clean(text: object, limit: int = MAX_CHARS) -> str:
    """Normalised text for the models: URLs and handles masked, whitespace collapsed."""
    value = unicodedata.normalize("NFC", bounded(text, limit))
    if _may_hold_url(value):
        value = _URL.sub(" http ", value)
    if "@" in value:
        value = _HANDLE.sub(" @user ", value)
    return _SPACES.sub(" ", value).strip()


def _may_hold_url(text: str) -> bool:
    """Whether `_URL` can match: every match holds `http` or `www.`, in any case. Most posts
    hold neither, and two substring tests cost far less than the pattern's scan."""
    low = text.lower()
    return "http" in low or "www." in low


def words_only(text: object, limit: int = MAX_CHARS) -> str:
    """Text for language identification: no URLs, handles, digits; hashtags split into words.

    Remembered for the texts of about a batch (the language labeler and the topic labeler
    clean the same texts one after the other; each cleaning is five regex passes)."""
    if type(text) is str and len(text) <= _MEMORY_CHARS:
        return _remembered_words_only(text, limit)
    return _words_only(text, limit)


def _words_only(text: object, limit: int) -> str:
    value = bounded(text, limit)
    if _may_hold_url(value):
        value = _URL.sub(" ", value)
    if "@" in value:
        value = _HANDLE.sub(" ", value)
    if "#" in value:
        value = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", value)
    value = _NOT_LETTERS.sub(" ", value)
    return _SPACES.sub(" ", value).strip().lower()


_BATCH_MEMORY = 8192  # texts remembered (a batch is 2,000 mentions)
_MEMORY_CHARS = 600  # longer texts are cleaned again rather than kept
_remembered_words_only = lru_cache(maxsize=_BATCH_MEMORY)(_words_only)


def letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))
