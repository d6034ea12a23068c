"""A report's figures as plain, comparable data: what must not change with the backend.

`figures(content)` turns a ReportContent into JSON-ready data where every row is named by
what does not depend on the database (source names, author handles, post URLs, times) and
never by an id, so the same demo on SQLite and on PostgreSQL gives equal data. Floats are
rounded (to 9 digits) so that summing in another order cannot tell two runs apart.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Any

import pandas as pd

from reports.build import ReportContent

_DIGITS = 9


def _plain(value: Any) -> Any:
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return value
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, _DIGITS)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _rows(frame: pd.DataFrame, columns: list[str] | None = None) -> list[dict[str, Any]]:
    if columns is not None:
        frame = frame[[c for c in columns if c in frame.columns]]
    return [_plain(r) for r in frame.to_dict("records")]


def _figure_row(row: dict[str, Any]) -> dict[str, Any]:
    """A competitors row: the brand, and each Figure as [current, previous]."""
    return {
        k: v if k == "brand" else [_plain(v.current), _plain(v.previous)] for k, v in row.items()
    }


def figures(c: ReportContent) -> dict[str, Any]:
    """Everything the report shows that is computed, keyed by natural names, no ids."""
    people = c.contributors
    return {
        "brand": c.brand,
        "period": [c.period.first_day.isoformat(), c.period.last_day.isoformat()],
        "headline": {f.key: [_plain(f.current), _plain(f.previous)] for f in c.headline.figures},
        "sentiment": _plain(c.headline.sentiment),
        "sentiment_previous": _plain(c.headline.sentiment_previous),
        "series": _rows(c.series.reset_index()),
        "sources": _rows(c.sources),
        "topics": _rows(c.topics),
        "tiers": _rows(people.tiers),
        "profiles": _rows(people.profiles),
        "authors": people.authors,
        "influential": _rows(
            people.influential,
            ["source", "handle", "profile", "influence", "followers", "posts", "engagement"],
        ),
        "flagged": [c.flagged, c.flagged_previous],
        "exclusions": sorted(_rows(c.exclusions), key=lambda r: (r["kind"], r["reason"])),
        "engaging": _rows(c.engaging, ["published_at", "source", "url", "engagement"]),
        "needing_answer": _rows(c.needing_answer, ["published_at", "source", "url"]),
        "terms": _rows(c.terms),
        "competitors": [_figure_row(row) for row in c.competitors.to_dict("records")],
        "sources_status": _rows(c.source_status, ["name", "kind", "mentions", "status"]),
        "alerts": _rows(c.alerts.drop(columns="id", errors="ignore")),
        "models": _rows(c.models),
    }
