"""The one text folding, the one tokeniser and the one cue-lexicon engine (phrase syntax)."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.lexicon import PhraseLexicons, expand
from nlp.text import normalise, tokenise


def _rule(text: str) -> str:
    """The folding written the slow, obvious way."""
    folded = text.casefold()
    for typed, plain in (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("´", "'"), ("`", "'")):
        folded = folded.replace(typed, plain)
    folded = folded.replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(c for c in decomposed if not 0x300 <= ord(c) <= 0x36F)


def test_folding_examples() -> None:
    assert normalise("Très DÉÇU, l’appli plante") == "tres decu, l'appli plante"
    assert normalise("Cœur, Æon, Straße") == "coeur, aeon, strasse"
    assert normalise("ﬁn² ‼ à\u00a0bientôt") == "fin2 !! a bientot"
    assert normalise("lʼappli c`est") == "l'appli c'est"
    assert normalise("") == ""


def test_every_character_folds_by_the_rule() -> None:
    # Latin-1 text takes a byte-table shortcut; it must agree with the rule everywhere.
    for code in range(0x3000):
        text = f"a{chr(code)}b É"
        assert normalise(text) == _rule(text), hex(code)


@given(st.text(alphabet=st.characters(max_codepoint=0x2FFF), max_size=40))
def test_folding_agrees_with_the_rule(text: str) -> None:
    assert normalise(text) == _rule(text)


def test_one_tokeniser_for_matching_and_for_reading() -> None:
    text = "J'ai vu l’appli #Lumino_FR de @sav et Lumino's shop, 9 h, don`t https://x.fr/À"
    assert tokenise(text) == [
        "j", "ai", "vu", "l", "appli", "#lumino_fr", "de", "@sav", "et", "lumino", "s", "shop",
        "9", "h", "don", "t", "https", "x", "fr", "a",
    ]  # fmt: skip
    assert tokenise(text, read=True) == [
        "ai", "vu", "appli", "lumino", "fr", "de", "sav", "et", "lumino", "shop", "h", "don't",
    ]  # fmt: skip
    assert tokenise("Aujourd’hui, Déjà", read=True) == ["aujourd'hui", "déjà"]


def _found(lexicon: PhraseLexicons, text: str, name: str = "cue") -> list[str]:
    folded = normalise(text)
    spans = lexicon.scan(folded)[lexicon.index(name)]
    return [folded[s:e] for s, e in spans]


def test_alternatives_expand_and_fold() -> None:
    assert expand("Déçu(|e|s) (de|par)") == [
        "decu de", "decu par", "decue de", "decue par", "decus de", "decus par",
    ]  # fmt: skip
    with pytest.raises(ValueError, match="may not nest"):
        expand("a (b (c|d)|e)")
    with pytest.raises(ValueError, match="one <n> or <w> at most"):
        PhraseLexicons({"x": ["<n> et <n>"]})


def test_words_match_whole_with_accents_and_case_ignored() -> None:
    lex = PhraseLexicons({"cue": ["déçu(|e|s) (de|par)", "top", "so", "?"]})
    assert _found(lex, "DECUE par le SAV, pas top !") == ["decue par", "top"]
    assert _found(lex, "topissime, stop") == []
    assert _found(lex, "@belardo_SO so") == ["so"]  # "_" belongs to the word before
    assert _found(lex, "ah? ok?") == ["?", "?"]


def test_wildcards_anchor_and_gaps() -> None:
    lex = PhraseLexicons(
        {
            "cue": ["arnaque*", "*n't", "^comment", "<n> jours de retard"],
            "wait": ["ça fait <w> semaines", "relance <n>"],
        }
    )
    assert _found(lex, "Des arnaqueurs ! don't") == ["arnaqueurs", "don't"]
    assert _found(lex, "@sav @lumino Comment faire ? comment") == ["comment"]
    assert _found(lex, "Et comment ?") == []
    assert _found(lex, "12 jours de retard, x12 jours de retard") == ["12 jours de retard"]
    assert _found(lex, "Ça fait trois semaines, relance 4, relance 4b", "wait") == [
        "ca fait trois semaines", "relance 4",
    ]  # fmt: skip


def test_matches_do_not_overlap_and_the_longest_wins() -> None:
    lex = PhraseLexicons({"cue": ["recommande", "je (vous |)recommande", "vous"], "other": ["je"]})
    folded = normalise("Je vous recommande, je recommande, recommande")
    counts = dict(zip(lex.names, lex.counts(folded), strict=True))
    assert counts == {"cue": 3, "other": 2}  # lexicons are counted apart
    assert _found(lex, "je vous recommande") == ["je vous recommande"]
    flags = lex.flags([folded, "rien", normalise("Vous")])
    assert flags.tolist() == [[True, True], [False, False], [True, False]]
