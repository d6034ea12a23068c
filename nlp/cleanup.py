"""Text clean-up for the labelers: bounded length, no control junk, URLs masked."""

from __future__ import annotations

import re
import unicodedata

# A 100 KB post says what it says in its first few thousand characters; bounding the input
# keeps every labeler's cost per mention bounded too.
MAX_CHARS = 4000

_URL = re.compile(r"(?:https?://|www\.)\S+|\bhttps?\b(?=\s|$)", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,50}")
_HASHTAG = re.compile(r"#(\w+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]+")
_SPACES = re.compile(r"\s+")
_NOT_LETTER = re.compile(r"[^\w\s'’-]|[\d_]")
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
    value = _URL.sub(" http ", value)
    value = _HANDLE.sub(" @user ", value)
    return _SPACES.sub(" ", value).strip()


def words_only(text: object, limit: int = MAX_CHARS) -> str:
    """Text for language identification: no URLs, handles, digits; hashtags split into words."""
    value = bounded(text, limit)
    value = _URL.sub(" ", value)
    value = _HANDLE.sub(" ", value)
    value = _HASHTAG.sub(lambda m: " " + _CAMEL.sub(" ", m.group(1)) + " ", value)
    value = _NOT_LETTER.sub(" ", value)
    return _SPACES.sub(" ", value).strip().lower()


def letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))
