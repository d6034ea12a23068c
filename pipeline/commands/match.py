"""`veille match`: try a brand query on texts, or on the stored mentions against a brand's or
a theme's query (`--brand`, `--theme`), before saving it in the configuration."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TextIO

import typer

from pipeline.context import AppState
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
    brand: Annotated[
        str | None,
        typer.Option(
            "--brand",
            help="Read no text: try the query on the stored mentions against this brand's "
            "(what it keeps, drops, adds; its off-topic mentions left out; exclusions).",
            show_default=False,
        ),
    ] = None,
    theme: Annotated[
        str | None,
        typer.Option("--theme", help="The same against this theme's query.", show_default=False),
    ] = None,
    days: Annotated[
        int, typer.Option("--days", min=1, max=3660, help="With --brand/--theme: the period.")
    ] = 30,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --brand/--theme: one JSON object for scripts.")
    ] = False,
) -> None:
    """Print 1 for each input line the query matches, 0 for each it does not; with --brand or
    --theme, what the query would change on the stored mentions of the last --days."""
    from nlp.query import QueryError, compile_query

    try:
        compiled = compile_query(query)
    except QueryError as exc:
        raise UsageError(_pointed(query, exc)) from None
    if brand is not None or theme is not None:
        if file is not None or (brand is not None and theme is not None):
            raise UsageError("give --brand or --theme, and no FILE: the stored mentions are read")
        kind, name = ("brand", brand) if brand is not None else ("theme", theme)
        _on_stored(ctx.obj, compiled, f"{kind}:{name}", days, as_json)
        return
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


def _on_stored(state: AppState, compiled: Query, target: str, days: int, as_json: bool) -> None:
    from dataclasses import asdict
    from datetime import timedelta

    from nlp.query import compile_query
    from reports.query_trial import Target, try_query, with_exclusion, workspace_queries
    from storage.clock import utcnow

    known = workspace_queries(state.settings)
    if target not in known:
        kind = target.split(":", 1)[0]
        names = [k.split(":", 1)[1] for k in known if k.startswith(kind + ":")]
        raise UsageError(
            f"no {kind} named {target.split(':', 1)[1]!r} in the configuration; "
            + (f"its {kind}s: {', '.join(names)}" if names else f"it has no {kind}")
        )
    kind, _, name = target.partition(":")
    current = compile_query(known[target]) if kind == "theme" else None
    end = utcnow()
    with state.engine().connect() as conn:
        trial = try_query(
            conn, compiled, Target("brand" if kind == "brand" else "theme", name, current),
            end - timedelta(days=days), end,
        )  # fmt: skip
    if as_json:
        state.emit_json({"target": target, "days": days, "query": compiled.text,
                         **asdict(trial), "matched": trial.matched})  # fmt: skip
        return
    out = state.console
    where = f"about {name}" if kind == "brand" else f"in the theme {name}"
    out.print(
        f"Of the last {days} days' {trial.read} mentions{' (the newest)' if trial.capped else ''},"
        f" {trial.now} are {where} now; this query matches {trial.matched}: it keeps"
        f" {trial.kept}, drops {trial.dropped}, adds {trial.added}.",
        markup=False, highlight=False,
    )  # fmt: skip
    if kind == "brand":
        out.print(
            f"Off-topic for {name}: {trial.off_topic}; the query leaves out {trial.caught}.",
            markup=False, highlight=False,
        )  # fmt: skip
        for s in trial.suggestions:
            out.print(
                f"  exclude {s.word!r} ({s.off_topic} off-topic, {s.kept} kept): "
                f"{with_exclusion(compiled.text, s.word)}",
                markup=False, highlight=False,
            )  # fmt: skip
    for part, items in trial.samples.items():
        if items:
            out.print(f"{part}: " + ", ".join(f"#{s.id}" for s in items), markup=False)


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
