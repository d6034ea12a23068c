"""The labelers' clean-up: what it keeps and masks, on the cases its shortcuts skip or take
(no `http`/`www.`, `@` or `#` in the text: the pattern is not run)."""

from __future__ import annotations

import pytest

from nlp.cleanup import clean, words_only

CASES = [
    # text, words_only (language identification), clean (the models' text)
    ("HTTP://X.Y hello", "hello", "http hello"),
    ("Www.site.fr ok", "ok", "http ok"),
    ("voir https ici", "voir ici", "voir http ici"),
    ("xhttps://a.b/c fin", "x fin", "x http fin"),
    ("@User_1 #CamelCase 42_x", "camel case x", "@user #CamelCase 42_x"),
    ("a__b--c’d  #Été2024 !!", "a b--c’d été", "a__b--c’d #Été2024 !!"),
    ("mail x@y.fr, 3 fois...", "mail x y fr fois", "mail x@y.fr, 3 fois..."),
    ("sans\x00 rien\ufffd de   spécial", "sans rien de spécial", "sans rien de spécial"),
]


@pytest.mark.parametrize(("text", "words", "cleaned"), CASES)
def test_cleanup(text: str, words: str, cleaned: str) -> None:
    assert words_only(text) == words
    assert clean(text) == cleaned
