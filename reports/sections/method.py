"""Method: the sources and what they cover, the models, what was excluded, the definitions."""

from __future__ import annotations

from typing import Any

from reports.build import ReportContent
from reports.html import excerpt
from reports.i18n import Translator
from reports.sections.base import ReportSection

DEFINITIONS = (
    "counted", "volume", "authors", "net_sentiment", "share_of_voice", "reach", "impressions",
    "engagement", "engagement_rate", "change", "spikes",
)  # fmt: skip


class Method(ReportSection):
    name = "method"
    order = 80

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        return {
            "source_rows": source_rows(c, t),
            "reasons": reasons(c, t),
            "definitions": DEFINITIONS,
        }


def source_rows(c: ReportContent, t: Translator) -> list[dict[str, Any]]:
    rows = []
    for s in c.coverage.sources:
        rows.append(
            {
                "name": c.source_names.shown(s.source, t.lang),  # type: ignore[arg-type]
                "kind": t.label("source_kind", s.kind),
                "mentions": s.mentions,
                "excluded": s.excluded,
                "covered_from": s.covered_from,
                "last_collection": s.last_collection,
                "last_published": s.last_published,
                "state": state(c, s),
                "error": excerpt(s.error, 160) if s.status == "failed" else None,
            }
        )
    return rows


def state(c: ReportContent, s: Any) -> str:
    """A source's status; `quiet` when silent in a period that is over but not since (a past
    period's report: « rien sur la période », not « silencieuse depuis » a later day)."""
    if s.status == "silent" and s.covered_from is not None and s.covered_from >= c.period.end:
        return "later"  # collected only from after the period
    if s.status == "silent" and s.last_published is not None and s.last_published >= c.period.end:
        return "quiet"
    return str(s.status)


def reasons(c: ReportContent, t: Translator) -> list[dict[str, Any]]:
    """Each suspicious group worded in the report's language, from its own figures."""
    out = []
    for r in c.exclusions.head(12).to_dict("records"):
        hours = max(1, round((r["last"] - r["first"]).total_seconds() / 3600) + 1)
        out.append(
            {
                "kind": t.label("flag", r["kind"]),
                "reason": t(
                    f"reason.{r['kind']}",
                    posts=t.count(r["mentions"], "unit.post"),
                    accounts=t.count(r["authors"], "unit.account"),
                    hours=t.count(hours, "unit.hour"),
                    day=t.day(r["first"].to_pydatetime()),
                ),
                "n": r["mentions"],
            }
        )
    return out
