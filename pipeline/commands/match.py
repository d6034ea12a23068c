"""`veille match`: try a brand query on texts before saving it in the configuration."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from pipeline.errors import CommandError, UsageError

if TYPE_CHECKING:
    from nlp.query import MatchDoc, Query


def match(
    ctx: typer.Context,
    query: Annotated[str, typer.Argument(help="The boolean query, quoted for the shell.")],
    file: Annotated[
        Path | None,
        typer.Argument(help="Texts, one per line (default: standard input).", show_default=False),
    ] = None,
    explain: Annotated[
        bool, typer.Option("--explain", help="After 1, print the query terms that matched.")
    ] = False,
    jsonl: Annotated[
        bool,
        typer.Option(
            "--jsonl",
            help="Each line is a JSON object with text and optionally title, author, url, "
            "lang, source_kind (to try field filters).",
        ),
    ] = False,
) -> None:
    """Print 1 for each input line the query matches, 0 for each it does not."""
    from nlp.query import QueryError, compile_query

    try:
        compiled = compile_query(query)
    except QueryError as exc:
        raise UsageError(_pointed(query, exc)) from None
    if file is None:
        _run(compiled, sys.stdin, explain, jsonl, "standard input")
        return
    try:
        with file.open(encoding="utf-8", errors="replace", newline="") as lines:
            _run(compiled, lines, explain, jsonl, str(file))
    except FileNotFoundError:
        raise UsageError(f"{file}: no such file; give a text file with one text per line") from None
    except IsADirectoryError:
        raise UsageError(f"{file} is a folder; give a text file with one text per line") from None


def _run(compiled: Query, lines: TextIO, explain: bool, jsonl: bool, where: str) -> None:
    from nlp.query import MatchDoc

    out = sys.stdout
    for number, line in enumerate(lines, 1):
        text = line.rstrip("\r\n")
        doc = _json_doc(text, where, number) if jsonl else MatchDoc(text=text)
        if explain:
            found = compiled.explain(doc)
            out.write("1\t" + " ".join(found.terms) + "\n" if found.matched else "0\n")
        else:
            out.write("1\n" if compiled.matches(doc) else "0\n")
    out.flush()


def _json_doc(line: str, where: str, number: int) -> MatchDoc:
    import json

    from nlp.query import MatchDoc

    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise CommandError(f"{where}, line {number}: not JSON ({exc.msg})") from None
    if not isinstance(data, dict) or not isinstance(data.get("text", ""), str):
        raise CommandError(f'{where}, line {number}: expected an object such as {{"text": "…"}}')
    fields = ("title", "author", "url", "lang", "source_kind")
    extra = {k: str(data[k]) for k in fields if data.get(k) is not None}
    return MatchDoc(text=data.get("text") or "", **extra)


def _pointed(query: str, exc: Exception) -> str:
    """The error with the query underneath and a caret under the column."""
    column = getattr(exc, "column", 0)
    if "\n" in query or column < 1:
        return str(exc)
    # A long query is shown around the column only: 60 characters before, 20 after.
    start = max(0, column - 61)
    shown = (
        ("…" if start else "")
        + query[start : column + 20]
        + ("…" if column + 20 < len(query) else "")
    )
    return f"{exc}\n  {shown}\n  {' ' * (column - 1 - start + (1 if start else 0))}^"


def register(app: typer.Typer) -> None:
    app.command()(match)
