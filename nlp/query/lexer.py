"""Cut a query into lexemes: parentheses, operators, words, phrases and field filters."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

from nlp.query.errors import QueryError

FIELDS = ("author", "site", "lang", "source", "title")
MAX_DISTANCE = 1000

OPEN_QUOTES = '"“«'
CLOSE_QUOTES = '"”»'
_STOP = set(" \t\r\n()") | set(OPEN_QUOTES) | set(CLOSE_QUOTES)
_PROXIMITY = re.compile(r"^(O?NEAR)(?:/(.*))?$")
_FIELD = re.compile(r"^([A-Za-z]+):(.*)$", re.DOTALL)


class Kind(Enum):
    LPAREN = "("
    RPAREN = ")"
    AND = "AND"
    OR = "OR"
    NOT = "NOT"
    MINUS = "-"
    NEAR = "NEAR"
    WORD = "word"
    PHRASE = "phrase"
    FIELD = "field"


@dataclass(frozen=True, slots=True)
class Lexeme:
    kind: Kind
    column: int  # 1-based
    text: str  # as written in the query, for messages and explanations
    value: str = ""  # WORD: the word; PHRASE: the inside of the quotes; FIELD: the value
    number: int | None = None  # NEAR distance or phrase ~slop
    ordered: bool = False  # ONEAR
    field: str = ""  # FIELD: its name
    quoted: bool = False  # FIELD: value was a quoted phrase


def lex(query: str) -> list[Lexeme]:
    """The lexemes of `query`, or QueryError at the first one that cannot be read."""
    out: list[Lexeme] = []
    i, n = 0, len(query)
    while i < n:
        ch = query[i]
        col = i + 1
        if ch.isspace():
            i += 1
        elif ch == "(":
            out.append(Lexeme(Kind.LPAREN, col, ch))
            i += 1
        elif ch == ")":
            out.append(Lexeme(Kind.RPAREN, col, ch))
            i += 1
        elif ch in OPEN_QUOTES or ch in CLOSE_QUOTES:
            inside, slop, i = _phrase(query, i)
            out.append(Lexeme(Kind.PHRASE, col, query[col - 1 : i], inside, number=slop))
        elif ch == "-" and i + 1 < n and not query[i + 1].isspace() and query[i + 1] != "-":
            out.append(Lexeme(Kind.MINUS, col, ch))
            i += 1
        else:
            start = i
            while i < n and query[i] not in _STOP:
                i += 1
            word = query[start:i]
            if word == "-":
                raise QueryError("dash", col)
            lexeme, i = _word(query, word, col, i)
            out.append(lexeme)
    return out


def _phrase(query: str, i: int) -> tuple[str, int | None, int]:
    """Read a quoted phrase starting at i; returns its inside, its ~slop and the next index."""
    col = i + 1
    end = next((j for j in range(i + 1, len(query)) if query[j] in CLOSE_QUOTES), -1)
    if end < 0:
        raise QueryError("unclosed_quote", col)
    inside = query[i + 1 : end]
    i = end + 1
    slop = None
    if i < len(query) and query[i] == "~":
        digits = re.match(r"\d+", query[i + 1 :])
        if digits is None:
            raise QueryError("tilde_number", i + 1, "tilde_example")
        slop = _distance(int(digits.group()), "~", i + 1)
        i += 1 + len(digits.group())
    return inside, slop, i


def _word(query: str, word: str, col: int, i: int) -> tuple[Lexeme, int]:
    if word in ("AND", "OR", "NOT"):
        return Lexeme(Kind[word], col, word), i
    near = _PROXIMITY.match(word)
    if near:
        op, number = near.group(1), near.group(2)
        if number is None or not number.isdigit():
            raise QueryError("near_number", col, op=op)
        distance = _distance(int(number), f"{op}/", col)
        return Lexeme(Kind.NEAR, col, word, number=distance, ordered=op == "ONEAR"), i
    field = _FIELD.match(word)
    if field and not field.group(2).startswith("/"):
        name, value = field.group(1).lower(), field.group(2)
        if name not in FIELDS:
            known = ", ".join(f"{f}:" for f in FIELDS)
            raise QueryError("unknown_field", col, "known_fields", name=field.group(1), known=known)
        if value:
            return Lexeme(Kind.FIELD, col, word, value, field=name), i
        if i < len(query) and query[i] in OPEN_QUOTES:
            inside, slop, end = _phrase(query, i)
            if slop is not None:
                raise QueryError("field_tilde", i + 1, name=name)
            return Lexeme(
                Kind.FIELD, col, query[col - 1 : end], inside, field=name, quoted=True
            ), end
        raise QueryError("field_value", col, name=name)
    return Lexeme(Kind.WORD, col, word, word), i


def _distance(number: int, op: str, col: int) -> int:
    if not 1 <= number <= MAX_DISTANCE:
        raise QueryError("distance", col, op=op, most=MAX_DISTANCE)
    return number
