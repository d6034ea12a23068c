"""Recursive-descent parser: precedence NOT > NEAR > AND (explicit or implied) > OR."""

from __future__ import annotations

from nlp.query.document import SOURCE_NAMES, author_key, lang_key, url_host
from nlp.query.errors import QueryError
from nlp.query.fields import Author, Lang, Site, Source, Title
from nlp.query.lexer import Kind, Lexeme, lex
from nlp.query.nodes import And, Near, Node, Not, Or, Phrase, Positional, Word
from nlp.text import TOKEN_PATTERN, bare, normalise

MIN_STEM = 3
# Bounds that keep parsing and matching far from Python's recursion limit (docs/queries.md,
# "Limits"): how deep parentheses, NOT and operators may nest, and how many terms one
# NEAR/ONEAR chain may link (each link nests the chain one level deeper).
MAX_DEPTH = 100
MAX_NEAR_CHAIN = 20
_STARTS_TERM = {Kind.WORD, Kind.PHRASE, Kind.FIELD, Kind.LPAREN, Kind.NOT, Kind.MINUS}


def parse(query: str) -> Node:
    """The tree of `query`, or QueryError naming the column and what was expected."""
    return _Parser(query, lex(query)).parse()


def is_positional(node: Node) -> bool:
    """Whether the node stands at places in the text (NEAR and ~ need that)."""
    if isinstance(node, Word | Phrase | Near):
        return True
    return isinstance(node, Or) and all(is_positional(c) for c in node.children)


def keyword_node(keyword: str, column: int = 1) -> Positional:
    """A configured keyword, searched as a phrase (a single word is just that word)."""
    return _phrase_node(keyword, None, f'"{keyword}"', column)


class _Parser:
    def __init__(self, query: str, lexemes: list[Lexeme]) -> None:
        self.query = query
        self.lexemes = lexemes
        self.i = 0
        self.nesting = 0  # open parentheses and NOTs around the current position
        self.depths: dict[int, int] = {}  # id(node) -> height of its subtree, past 1

    def nest(self, lexeme: Lexeme) -> None:
        """Enter a parenthesis or a NOT; refuse before the recursion goes too deep."""
        self.nesting += 1
        if self.nesting > MAX_DEPTH:
            raise QueryError("nesting", lexeme.column, "nesting_hint", most=MAX_DEPTH)

    def built(self, node: Node, children: list[Node], column: int) -> Node:
        """Record the height of a new operator node; refuse a tree deeper than MAX_DEPTH."""
        height = 1 + max(self.depths.get(id(c), 1) for c in children)
        if height > MAX_DEPTH:
            raise QueryError("depth", column, "depth_hint", most=MAX_DEPTH)
        self.depths[id(node)] = height
        return node

    def parse(self) -> Node:
        if not self.lexemes:
            raise QueryError("empty", 1)
        node = self.or_expr()
        extra = self.peek()
        if extra is not None:  # only a stray ")" stops or_expr early
            raise QueryError("unbalanced", extra.column)
        return node

    # -- helpers ---------------------------------------------------------------------------

    def peek(self) -> Lexeme | None:
        return self.lexemes[self.i] if self.i < len(self.lexemes) else None

    def take(self) -> Lexeme:
        lexeme = self.lexemes[self.i]
        self.i += 1
        return lexeme

    def end_of_last(self) -> int:
        last = self.lexemes[self.i - 1]
        return last.column - 1 + len(last.text)

    def label(self, start: int) -> str:
        return self.query[start - 1 : self.end_of_last()]

    def need_right(self, op: Lexeme) -> None:
        nxt = self.peek()
        if nxt is None or nxt.kind not in _STARTS_TERM:
            raise QueryError("right_term", op.column, op=op.text)

    # -- grammar ---------------------------------------------------------------------------

    def or_expr(self) -> Node:
        start = self.lexemes[self.i].column
        children = [self.and_expr()]
        while (op := self.peek()) is not None and op.kind is Kind.OR:
            self.take()
            self.need_right(op)
            children.append(self.and_expr())
        if len(children) == 1:
            return children[0]
        return self.built(Or(children, self.label(start)), children, start)

    def and_expr(self) -> Node:
        start = self.lexemes[self.i].column
        children = [self.near_expr()]
        while (op := self.peek()) is not None:
            if op.kind is Kind.AND:
                self.take()
                self.need_right(op)
            elif op.kind not in _STARTS_TERM:
                break
            children.append(self.near_expr())
        if len(children) == 1:
            return children[0]
        return self.built(And(children, self.label(start)), children, start)

    def near_expr(self) -> Node:
        start = self.lexemes[self.i].column
        left = self.unary()
        terms = 1
        while (op := self.peek()) is not None and op.kind is Kind.NEAR:
            terms += 1
            if terms > MAX_NEAR_CHAIN:
                raise QueryError("near_chain", op.column, "near_chain_hint", most=MAX_NEAR_CHAIN)
            self.take()
            self.need_right(op)
            right = self.unary()
            if not (isinstance(left, Positional) and is_positional(left)) or not (
                isinstance(right, Positional) and is_positional(right)
            ):
                raise QueryError("near_sides", op.column, "near_sides_hint", op=op.text)
            assert op.number is not None
            near = Near(left, right, op.number, op.ordered, self.label(start))
            left = self.built(near, [left, right], start)
        return left

    def unary(self) -> Node:
        op = self.peek()
        if op is not None and op.kind in (Kind.NOT, Kind.MINUS):
            self.take()
            self.need_right(op)
            self.nest(op)
            child = self.unary()
            self.nesting -= 1
            return self.built(Not(child, self.label(op.column)), [child], op.column)
        return self.primary()

    def primary(self) -> Node:
        lexeme = self.take()
        kind = lexeme.kind
        if kind is Kind.LPAREN:
            nxt = self.peek()
            if nxt is None:
                raise QueryError("unbalanced", lexeme.column)
            if nxt.kind is Kind.RPAREN:
                raise QueryError("empty_parens", lexeme.column)
            self.nest(lexeme)
            node = self.or_expr()
            self.nesting -= 1
            close = self.peek()
            if close is None or close.kind is not Kind.RPAREN:
                raise QueryError("unbalanced", lexeme.column)
            self.take()
            return node
        if kind is Kind.WORD:
            return _word_node(lexeme.value, lexeme.text, lexeme.column)
        if kind is Kind.PHRASE:
            return _phrase_node(lexeme.value, lexeme.number, lexeme.text, lexeme.column)
        if kind is Kind.FIELD:
            return _field_node(lexeme)
        if kind is Kind.RPAREN:
            raise QueryError("unbalanced", lexeme.column)
        raise QueryError("left_term", lexeme.column, op=lexeme.text)


def _word_node(word: str, label: str, column: int) -> Positional:
    star = word.find("*")
    if star >= 0 and star != len(word) - 1:
        raise QueryError("star", column + star)
    words = _words(word, column)
    if len(words) == 1:
        words[0].label = label
        return words[0]
    return Phrase(words, None, label)


def _phrase_node(inside: str, slop: int | None, label: str, column: int) -> Positional:
    if not inside.strip():
        raise QueryError("empty_phrase", column)
    words = _words(inside, column)
    if len(words) == 1:
        words[0].label = label
        return words[0]
    return Phrase(words, slop, label)


def _words(raw: str, column: int) -> list[Word]:
    """Normalised words of a term or phrase; a word followed by * is a prefix."""
    text = normalise(raw)
    words: list[Word] = []
    for found in TOKEN_PATTERN.finditer(text):
        token = found.group()
        prefix = text[found.end() : found.end() + 1] == "*"
        if prefix and len(bare(token)) < MIN_STEM:
            raise QueryError("short_stem", column, least=MIN_STEM)
        words.append(Word(token, prefix, token + ("*" if prefix else "")))
    if not words:
        raise QueryError("no_letters", column, text=repr(raw.strip()))
    return words


def _field_node(lexeme: Lexeme) -> Node:
    name, value, col, label = lexeme.field, lexeme.value, lexeme.column, lexeme.text
    if name == "title":
        if lexeme.quoted:
            return Title(_phrase_node(value, None, value, col), label)
        return Title(_word_node(value, value, col), label)
    if name == "author":
        prefix = value.endswith("*") and not lexeme.quoted
        key = author_key(value[:-1] if prefix else value)
        if not key:
            raise QueryError("author_value", col)
        return Author(key, prefix, label)
    if name == "site":
        host = url_host(value) if "*" not in value and " " not in value.strip() else None
        if not host or "." not in host.strip("."):
            raise QueryError("site_value", col)
        return Site(host, label)
    if name == "lang":
        code = lang_key(value)
        if not (code.isascii() and code.isalpha() and 2 <= len(code) <= 3):
            raise QueryError("lang_value", col)
        return Lang(code, label)
    source = value.strip().lower()
    if source not in SOURCE_NAMES:
        raise QueryError("source_value", col, names=", ".join(SOURCE_NAMES))
    return Source(source, label)
