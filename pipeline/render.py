"""Rich tables for the terminal."""

from __future__ import annotations

from typing import Any

from rich.table import Table


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
    for title, mapping in (("Per brand", result["brands"]), ("Per language", result["languages"])):
        t = Table(title=title)
        t.add_column(title.split()[-1])
        t.add_column("mentions", justify="right")
        for k, v in mapping.items():
            t.add_row(str(k), f"{v:,}")
        tables.append(t)
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
        if r.get("by_human"):
            profile += " ✎"
        table.add_row(
            escape(str(r["handle"])), escape(str(r["source"])), profile, r["tier"],
            f"{r['influence']:.1f}", f"{r['posts']:,}", flags,
            "\n".join(escape(x) for x in r["reasons"]),
        )  # fmt: skip
    return table
