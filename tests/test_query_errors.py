"""Invalid queries are rejected with the column and what was expected."""

from __future__ import annotations

import pytest

from nlp.query import QueryError, compile_query

ERRORS: list[tuple[str, str, int]] = [
    # (query, message start, column)
    ("(fnac OR darty", "unbalanced parenthesis", 1),
    ('fnac AND (darty OR "service client"', "unbalanced parenthesis", 10),
    ("fnac OR darty) AND (x)", "unbalanced parenthesis", 14),
    (")fnac", "unbalanced parenthesis", 1),
    ("fnac OR", "OR needs a term on its right", 6),
    ("fnac OR )", "OR needs a term on its right", 6),
    ("fnac AND OR darty", "AND needs a term on its right", 6),
    ("OR fnac", "OR needs a term on its left", 1),
    ("(AND fnac)", "AND needs a term on its left", 2),
    ("fnac NOT", "NOT needs a term on its right", 6),
    ("fnac NEAR/ darty", "NEAR/ needs a number", 6),
    ("fnac NEAR darty", "NEAR/ needs a number", 6),
    ("fnac ONEAR/x darty", "ONEAR/ needs a number", 6),
    ("fnac NEAR/0 darty", "NEAR/ needs a number of words from 1 to 1000", 6),
    ("fnac NEAR/5", "NEAR/5 needs a term on its right", 6),
    ("fnac NEAR/5 NOT darty", "NEAR/5 needs words or phrases on both sides", 6),
    ("(a AND b) NEAR/5 c", "NEAR/5 needs words or phrases on both sides", 11),
    ("lang:fr NEAR/5 c", "NEAR/5 needs words or phrases on both sides", 9),
    ('"service client', "unclosed quote", 1),
    ('fnac ""', "empty phrase", 6),
    ('"service client"~', "~ needs a number", 17),
    ("()", "empty parentheses", 1),
    ("", "empty query", 1),
    ("   ", "empty query", 1),
    ("fnac - darty", "- needs a term right after it", 6),
    ("fn*", "a wildcard needs at least 3 letters or digits before *", 1),
    ("f*nac", "* is allowed only at the end of a word", 2),
    ("foo:bar", "unknown field foo:", 1),
    ("fnac source:tiktok", "source: needs one of forum, twitter, facebook, rss, reviews", 6),
    ("lang:french", "lang: needs a language code", 1),
    ("site:", "site: needs a value", 1),
    ("site:localhost", "site: needs a domain", 1),
    ("author:@", "author: needs a name or handle", 1),
    ("😡", "'😡' has no letters or digits to search", 1),
]


@pytest.mark.parametrize(("query", "message", "column"), ERRORS)
def test_error_names_what_and_where(query: str, message: str, column: int) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    assert caught.value.column == column
    assert str(caught.value).startswith(f"{message}")
    assert f"at column {column}" in str(caught.value)


def test_message_reads_as_in_the_issue() -> None:
    with pytest.raises(QueryError, match=r"^unbalanced parenthesis at column 17$"):
        compile_query("lumino OR darty (fnac")
    with pytest.raises(QueryError, match=r"^OR needs a term on its right at column 6$"):
        compile_query("fnac OR")
    with pytest.raises(QueryError, match=r"^NEAR/ needs a number at column 9$"):
        compile_query("fnac et NEAR/ x")


@pytest.mark.parametrize(
    "query",
    [
        "http://lumino.fr",
        "12:30",
        '"foo:bar"',
        "Author:fnac",
        'title:"service client" OR author:"Jean Dupont"',
        "-(abc* OR b)",
        "fnac NEAR/1000 darty",
        "“service client” OR «lumino»",
    ],
)
def test_valid_queries_compile(query: str) -> None:
    compile_query(query)


DEEP = "(" * 190 + "fnac" + ")" * 190
NOTS = "NOT " * 10_000 + "fnac"
NEARS = " NEAR/3 ".join(f"w{i}" for i in range(2_000))


@pytest.mark.parametrize(
    ("query", "message", "column"),
    [
        (DEEP, "more than 100 nested parentheses or NOT", 101),
        (NOTS, "more than 100 nested parentheses or NOT", 401),
        ("-(" * 150 + "fnac" + ")" * 150, "more than 100 nested parentheses or NOT", 101),
        (NEARS, "a chain of NEAR/ONEAR links at most 20 terms", NEARS.index("NEAR/3 w20") + 1),
        # 34 groups of OR, AND and NOT nest 102 operators in only 34 parentheses.
        (
            "".join(f"(a{i} OR b{i} NOT " for i in range(34)) + "z" + ")" * 34,
            "the query nests more than 100 levels deep",
            11,
        ),
    ],
)
def test_deep_or_long_queries_are_refused_not_crashed(
    query: str, message: str, column: int
) -> None:
    with pytest.raises(QueryError) as caught:
        compile_query(query)
    assert str(caught.value).startswith(f"{message} at column {column}")


def test_queries_at_the_limits_compile_and_match() -> None:
    assert compile_query("(" * 100 + "fnac" + ")" * 100).matches("la fnac")
    assert compile_query("NOT " * 99 + "spam").matches("la fnac")  # odd: NOT spam
    assert compile_query(" NEAR/1 ".join(["a", "b", "c"] * 6 + ["d", "e"])).matches(
        " ".join(["a", "b", "c"] * 6 + ["d", "e"])
    )
    # Long flat chains have no depth: 10,000 NOT terms and 10,000 ORs are fine.
    nots = compile_query("fnac " + " ".join(f"NOT w{i}" for i in range(10_000)))
    assert nots.matches("la fnac") and not nots.matches("la fnac w9999")
    ors = compile_query(" OR ".join(f"w{i}" for i in range(10_000)))
    assert ors.matches("x w9876 y") and not ors.matches("x w10000")


def test_every_error_reads_in_french_too() -> None:
    """The inbox shows a French team the French text (QueryError.said): every message in
    both languages with the same fields, and each raised error says something in French."""
    import string

    from nlp.query.errors import MESSAGES

    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, (fr, en) in MESSAGES.items():
        assert fr and en and fields(fr) == fields(en), key
    for query, _, _ in ERRORS:
        with pytest.raises(QueryError) as raised:
            compile_query(query)
        error = raised.value
        reason, _ = error.said("fr")
        assert reason and reason != error.reason and error.said("en") == (error.reason, error.hint)
    with pytest.raises(QueryError) as raised:
        compile_query("foo:bar")
    assert raised.value.said("fr") == (
        "champ inconnu foo:",
        "les champs connus sont author:, site:, lang:, source:, title: ; mettez le texte entre "
        "guillemets pour le chercher comme des mots",
    )
