"""Property tests: the operators mean what they say, on any text of a small vocabulary."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp.query import MatchDoc, compile_query
from nlp.text import TOKEN_PATTERN, normalise, tokenise

# Few words, so that generated texts often hold the terms; accents and signs on purpose.
VOCAB = ["fnac", "Fnac", "darty", "école", "ecole", "cœur", "#soldes", "@fnac", "colis", "nul"]
SEPARATORS = [" ", ", ", " - ", "’", "😡", "\n", " (", ") "]
TERMS = ["fnac", "darty", "ecole", "coeur", "#soldes", "@fnac", "colis", "nul", "fna*"]
TERMS += ['"fnac nul"', '"colis fnac"~2']

texts = st.lists(
    st.tuples(st.sampled_from(VOCAB), st.sampled_from(SEPARATORS)), min_size=0, max_size=12
).map(lambda parts: "".join(w + s for w, s in parts))
terms = st.sampled_from(TERMS)
distances = st.integers(min_value=1, max_value=6)


def matches(query: str, text: str) -> bool:
    return compile_query(query).matches(MatchDoc(text))


@settings(max_examples=150, deadline=None)
@given(terms, terms, texts)
def test_or_is_either(a: str, b: str, text: str) -> None:
    assert matches(f"{a} OR {b}", text) == (matches(a, text) or matches(b, text))


@settings(max_examples=150, deadline=None)
@given(terms, terms, texts)
def test_and_is_both(a: str, b: str, text: str) -> None:
    both = matches(a, text) and matches(b, text)
    assert matches(f"{a} AND {b}", text) == both
    assert matches(f"{a} {b}", text) == both


@settings(max_examples=150, deadline=None)
@given(terms, texts)
def test_not_is_the_opposite(a: str, text: str) -> None:
    assert matches(f"NOT {a}", text) == (not matches(a, text))
    assert matches(f"-{a}", text) == (not matches(a, text))


@settings(max_examples=200, deadline=None)
@given(terms, terms, distances, texts)
def test_proximity_never_matches_where_and_does_not(a: str, b: str, n: int, text: str) -> None:
    plain_and = matches(f"{a} AND {b}", text)
    near = matches(f"{a} NEAR/{n} {b}", text)
    onear = matches(f"{a} ONEAR/{n} {b}", text)
    assert not near or plain_and
    assert not onear or near  # in order is a special case of either order
    assert not matches(f"{a} NEAR/{n} {b}", text) or matches(f"{a} NEAR/{n + 1} {b}", text)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["fnac", "darty", "colis", "nul"]),
    st.sampled_from(["fnac", "darty", "colis", "nul"]),
    distances,
    texts,
)
def test_sloppy_phrase_is_near_for_two_words(a: str, b: str, n: int, text: str) -> None:
    sloppy = matches(f'"{a} {b}"~{n}', text)
    assert sloppy == matches(f"{a} NEAR/{n} {b}", text)
    assert not sloppy or matches(f"{a} AND {b}", text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_fast_tokeniser_equals_the_reference(text: str) -> None:
    assert tokenise(text) == TOKEN_PATTERN.findall(normalise(text))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_any_text_is_matched_without_crashing(text: str) -> None:
    query = compile_query('(fnac OR "service client" OR livr*) NEAR/3 nul -#spam lang:fr')
    assert query.matches(MatchDoc(text, title=text, author=text, url=text)) in (True, False)
