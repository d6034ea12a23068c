"""Stable keys of corpus texts and the pseudonymised form annotators and models see."""

from __future__ import annotations

import hashlib
import html
import re
import unicodedata

_URL = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@])@\w{1,50}")
_LITERAL_NEWLINE = re.compile(r"\\n")
_BLANK_LINES = re.compile(r"\n\s*\n\s*\n+")
_SPACES = re.compile(r"[ \t\r\f\v]+")


def text_key(raw: str) -> str:
    """sha1 of the NFC-normalised text as the source file holds it (the key of id-less texts)."""
    return hashlib.sha1(unicodedata.normalize("NFC", raw).encode("utf-8")).hexdigest()


def tidy(raw: str, *, literal_newlines: bool = False, unescape: bool = False) -> str:
    """The text as a person should read it: NFC, real line breaks, no runs of blanks."""
    value = unicodedata.normalize("NFC", raw)
    if literal_newlines:  # some exports store line breaks as the two characters \ and n
        value = _LITERAL_NEWLINE.sub("\n", value)
    if unescape:  # tweets carry HTML entities (&amp;, &gt;)
        value = html.unescape(value)
    value = "\n".join(_SPACES.sub(" ", line).strip() for line in value.split("\n"))
    return _BLANK_LINES.sub("\n\n", value).strip()


def pseudonymise(text: str, keep: re.Pattern[str] | None = None) -> str:
    """Handles become @user except brand accounts that `keep` matches in full; links `http`."""
    value = _URL.sub("http", text)

    def swap(match: re.Match[str]) -> str:
        handle = match.group(0)
        return handle if keep is not None and keep.fullmatch(handle) else "@user"

    return _HANDLE.sub(swap, value)


_RETWEET = re.compile(r"^rt\s+@\w+:?\s*", re.IGNORECASE)
_NOT_WORD = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """The text reduced to its lower-case words, without handles, links, a retweet prefix,
    punctuation or emoji: two texts with the same fold are near-exact duplicates."""
    value = _RETWEET.sub("", unicodedata.normalize("NFKC", text).strip())
    value = _HANDLE.sub(" ", _URL.sub(" ", value))
    return " ".join(_NOT_WORD.sub(" ", value.casefold()).split())
