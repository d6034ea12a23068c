"""Bidi isolation of collected text, so U+202E or U+2067 in a name cannot reorder what follows.

Every collected string (author names, texts, titles, terms, URLs shown as text) goes through
`isolate` (plain text: FSI … PDI) or the `bdi` Jinja filter (HTML: `<bdi>` holding the same
FSI … PDI, since WeasyPrint honours the characters but not the element). The string is first
balanced: a stray PDI or PDF that would close our isolate early is dropped, and openers left
open are closed before the end.

    env = jinja2.Environment(...); install(env)   # {{ p.author | bdi }}, {{ p.text | isolate }}
"""

from __future__ import annotations

import re
from typing import Any

from jinja2 import Environment
from markupsafe import Markup

FSI, PDI = "\u2068", "\u2069"
PDF = "\u202c"
EMBEDDINGS = frozenset("\u202a\u202b\u202d\u202e")  # LRE, RLE, LRO, RLO: closed by PDF
ISOLATES = frozenset("\u2066\u2067\u2068")  # LRI, RLI, FSI: closed by PDI
CONTROLS = EMBEDDINGS | ISOLATES | {PDF, PDI}
# Marks only tie neutrals locally; in a URL they are percent-encoded like the controls.
_URL_HIDDEN = CONTROLS | {"\u200e", "\u200f", "\u061c"}
# Unicode bidi paragraph separators (class B): every embedding and isolate ends there.
_PARAGRAPH = frozenset("\n\r\x1c\x1d\x1e\x85\u2029")
_LINES = re.compile("([\n\r\x1c\x1d\x1e\x85\u2029]+)")


def balanced(text: str) -> str:
    """The text with every bidi embedding, override and isolate closed inside it, and no
    closer that has no opener in it (which would close something around the text)."""
    if not any(ch in CONTROLS for ch in text):
        return text
    out: list[str] = []
    stack: list[str] = []  # the closer each open opener needs

    def close_all() -> None:
        while stack:
            out.append(stack.pop())

    for ch in text:
        if ch in EMBEDDINGS:
            stack.append(PDF)
        elif ch in ISOLATES:
            stack.append(PDI)
        elif ch == PDF:
            if not stack or stack[-1] != PDF:
                continue  # unmatched: an isolate in between or nothing open
            stack.pop()
        elif ch == PDI:
            if PDI not in stack:
                continue
            while stack[-1] != PDI:
                out.append(stack.pop())
            stack.pop()
        elif ch in _PARAGRAPH:
            close_all()
        out.append(ch)
    close_all()
    return "".join(out)


def isolate(value: Any) -> str:
    """Plain text: the value between FSI and PDI, balanced; "" for None."""
    if value is None:
        return ""
    text = balanced(str(value))
    if not text:
        return text
    # A paragraph separator ends an isolate: isolate each paragraph on its own.
    return "".join(
        part if i % 2 or not part else FSI + part + PDI for i, part in enumerate(_LINES.split(text))
    )


def bdi(value: Any) -> Markup:
    """HTML: the value escaped inside `<bdi>` (direction from its own first strong letter)."""
    if value is None:
        return Markup("")
    return Markup("<bdi>{}</bdi>").format(isolate(value))


def in_url(url: str) -> str:
    """The URL with its bidi controls percent-encoded (a link text that cannot reorder)."""
    if not any(ch in _URL_HIDDEN for ch in url):
        return url
    return "".join(
        "".join(f"%{b:02X}" for b in ch.encode("utf-8")) if ch in _URL_HIDDEN else ch for ch in url
    )


def install(env: Environment) -> Environment:
    """Register the `bdi` (HTML) and `isolate` (text) filters on a Jinja environment."""
    env.filters["bdi"] = bdi
    env.filters["isolate"] = isolate
    return env
