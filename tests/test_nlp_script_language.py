"""The language a script names: the shortcut for Latin texts changes no answer."""

from __future__ import annotations

import sys

import pytest

from nlp.labelers import language
from nlp.labelers.language import _PAST_LATIN, _SCRIPT_LANGUAGE, _script, script_language


def test_below_u0250_no_letter_names_a_language_and_past_it_every_letter_is_seen() -> None:
    letters = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isalpha()]
    latin = [ch for ch in letters if ord(ch) < 0x250]
    assert not [ch for ch in latin if _PAST_LATIN.search(ch) or _script(ch) in _SCRIPT_LANGUAGE]
    assert all(_PAST_LATIN.search(ch) for ch in letters if ord(ch) >= 0x250)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ça marche pas depuis hier ’ 😡 ½ µ", None),
        ("Привет, как дела? ok", "ru"),
        ("ありがとうございます", "ja"),
        ("مرحبا بكم", "ar"),  # the labeler hands Arabic to the model
        ("Γειά σου Κόσμε", "el"),
        ("Ελληνικά mostly english words here", None),  # under half the letters
    ],
)
def test_answers_are_those_of_the_letter_count(
    text: str, expected: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert script_language(text) == expected
    monkeypatch.setattr(language, "_PAST_LATIN", type("Never", (), {"search": lambda *_: True})())
    assert script_language(text) == expected  # counted letter by letter
