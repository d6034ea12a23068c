"""Rich tables for the terminal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.table import Table

if TYPE_CHECKING:
    from pipeline.context import AppState
    from pipeline.stage_runner import RunSummary


def stats_tables(result: dict[str, Any]) -> list[Table]:
    head = Table(title="Veille database", show_header=False)
    head.add_row("mentions", f"{result['mentions']:,}")
    head.add_row("authors", f"{result['authors']:,}")
    head.add_row("labels set by a person", f"{result['human_labels']:,}")
    if result["last_run"]:
        r = result["last_run"]
        head.add_row("last run", f"{r['job']} — {r['status']} — {r['started_at']}")
    tables = [head]
    sources = Table(title="Per source")
    for col in ("source", "kind", "mentions"):
        sources.add_column(col, justify="right" if col == "mentions" else "left")
    for s in result["sources"]:
        sources.add_row(s["source"], s["kind"], f"{s['mentions']:,}")
    tables.append(sources)
    brands = Table(title="Per brand")
    brands.add_column("brand")
    brands.add_column("mentions", justify="right")
    brands.add_column("off-topic", justify="right")  # taken off it by a person, not counted
    off_topic = result.get("off_topic", {})
    for k in [*result["brands"], *(b for b in off_topic if b not in result["brands"])]:
        brands.add_row(str(k), f"{result['brands'].get(k, 0):,}", f"{off_topic.get(k, 0):,}")
    tables.append(brands)
    languages = Table(title="Per language")
    languages.add_column("language")
    languages.add_column("mentions", justify="right")
    for k, v in result["languages"].items():
        languages.add_row(str(k), f"{v:,}")
    tables.append(languages)
    for task, values in result["labels"].items():
        t = Table(title=f"Labels: {task}")
        t.add_column(task)
        t.add_column("mentions", justify="right")
        for k, v in values.items():
            t.add_row(k, f"{v:,}")
        tables.append(t)
    return tables


def authors_table(rows: list[dict[str, Any]]) -> Table:
    """Authors with profile, tier, influence, flags and reasons (collected text escaped)."""
    from rich.markup import escape

    table = Table(title="Authors, most influential first")
    for col, justify in (("author", "left"), ("source", "left"), ("profile", "left"),
                         ("tier", "left"), ("influence", "right"), ("posts", "right"),
                         ("flags", "left"), ("reasons", "left")):  # fmt: skip
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in rows:
        flags = "\n".join(f"⚠ {escape(f['reason'])}" for f in r["flags"]) or "—"
        profile = f"{r['profile']} ({r['profile_score']:.2f})"
        if r.get("by_human"):  # a person's choice; the score is the computed profile's
            computed = r.get("computed_profile") or "?"
            profile = f"{r['profile']} ✎ (computed: {computed} {r['profile_score']:.2f})"
        table.add_row(
            escape(str(r["handle"])), escape(str(r["source"])), profile, r["tier"],
            f"{r['influence']:.1f}", f"{r['posts']:,}", flags,
            "\n".join(escape(x) for x in r["reasons"]),
        )  # fmt: skip
    return table


def show_summary(state: AppState, summary: RunSummary) -> None:
    """A run's stages as a table, the files it wrote, and one line of totals."""
    from rich.text import Text

    table = Table(title=f"Run {summary.run_id} ({summary.job})", title_justify="left")
    for col in ("stage", "status", "took", "items", "errors", "note"):
        table.add_column(col, justify="right" if col in ("took", "items", "errors") else "left")
    styles = {"ok": "green", "failed": "red", "interrupted": "yellow", "skipped": "dim"}
    for s in summary.stages:
        ran = s.status not in ("skipped", "not_run")
        table.add_row(
            s.name,
            Text(s.status.replace("_", " "), style=styles.get(s.status, "")),
            f"{s.seconds:.1f} s" if ran else "—",
            f"{s.items:,}" if ran else "—",
            f"{s.errors:,}" if ran else "—",
            Text((s.error or "")[:160]),  # error texts may quote collected text: no markup
        )
    state.console.print(table)
    for path in summary.outputs:
        state.console.print(Text(f"Wrote {path}"))
    items = sum(s.items for s in summary.stages)
    errors = sum(s.errors for s in summary.stages)
    state.say(
        f"Run {summary.run_id} {summary.status} in {summary.seconds:.1f} s: {items:,} items, "
        f"{errors:,} errors."
    )


def show_set_aside(state: AppState, stage: str, by_whom: str, limit: int, as_json: bool) -> None:
    """The records `stage` kept aside, newest first, with their reason (`veille import
    --errors`, `veille events errors`); collected text escaped."""
    from rich.markup import escape

    from storage.runs import rejected

    items: list[dict[str, Any]] = [
        {"file": r["origin"], "location": r["location"], "reason": r["reason"],
         "record": (r["record"] or "")[:200], "at": r["created_at"]}
        for r in rejected(state.engine(), stage, limit)
    ]  # fmt: skip
    if as_json:
        state.emit_json({"errors": items})
        return
    if not items:
        state.say(f"No records kept aside by {by_whom}.")
        return
    table = Table(title=f"Records kept aside by {by_whom} (latest {len(items):,})")
    for col in ("file", "where", "reason", "record"):
        table.add_column(col, overflow="fold")
    for item in items:
        table.add_row(
            escape(item["file"]), escape(item["location"] or ""), escape(item["reason"]),
            escape(item["record"][:80]),
        )  # fmt: skip
    state.console.print(table)
