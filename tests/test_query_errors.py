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
