"""The summary `veille crawl` and `veille import` print: seen, new, updated, dropped, errors.

The summary itself is added up by crawlers.process.merge."""

from __future__ import annotations

from typing import Any

from pipeline.context import AppState


def show(state: AppState, summary: dict[str, Any], as_json: bool, what: str = "Collected") -> None:
    """A readable table, or (with --json) the summary as one JSON object on the last line."""
    if as_json:
        state.emit_json(summary)
        return
    from rich.table import Table

    table = Table(title=f"{what}: {summary['seen']:,} items seen")
    for col in ("source", "seen", "new", "updated", "unchanged", "dropped", "errors"):
        table.add_column(col, justify="left" if col == "source" else "right")
    for s in summary.get("sources", []):
        dropped = ", ".join(f"{k}: {v:,}" for k, v in sorted(s.get("dropped", {}).items()))
        table.add_row(
            str(s.get("source", "?")),
            *(f"{int(s.get(k, 0)):,}" for k in ("seen", "new", "updated", "unchanged")),
            dropped or "0",
            f"{int(s.get('errors', 0)):,}",
        )
    state.console.print(table)
    dropped_total = ", ".join(f"{k}: {v:,}" for k, v in sorted(summary["dropped"].items()))
    state.say(
        f"{summary['new']:,} new, {summary['updated']:,} updated, "
        f"{summary['unchanged']:,} unchanged, dropped {dropped_total or 'none'}, "
        f"{summary['errors']:,} errors."
    )
