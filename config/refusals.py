"""A refusal a person reads in their language.

Veille refuses what a person typed or chose (a name already taken, a calendar that is not one,
a mute without a reason) in code shared by the command line and the web workspace. Such code
raises a `Refusal`: its words are a `{key: (French, English)}` dict kept beside the code that
refuses, its fields filled in when it is said. The command line prints `str(exc)` (English, as
every message of the command line); the workspace shows `said(exc, lang)`, in the person's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Words = Mapping[str, tuple[str, str]]  # key -> (French, English)

# Refusals several modules make (a mute's brand, an event's brand).
SHARED: Words = {
    "brand": (
        "« {brand} » n'est pas une marque configurée (connues\u00a0: {known}, ou *)",
        "{brand!r} is not a configured brand (known: {known}, or *)",
    ),
}


class Refusal(ValueError):
    """A ValueError whose message can be said in French or English."""

    def __init__(self, words: Words, key: str, **fields: Any) -> None:
        if key not in words:
            raise KeyError(f"no refusal {key!r}")
        self.words, self.key, self.fields = words, key, fields
        super().__init__(self.said("en"))

    def said(self, lang: str) -> str:
        french, english = self.words[self.key]
        return (french if lang == "fr" else english).format(**self.fields)


def said(exc: BaseException, lang: str) -> str:
    """What to show a person for `exc`: a Refusal in `lang`, another error as it reads."""
    return exc.said(lang) if isinstance(exc, Refusal) else str(exc)
