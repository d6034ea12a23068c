"""Contributors: the influencers of the period, the brand's own accounts, participation tiers,
profiles, and the share of suspicious mentions."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart, none_if_nan
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Contributors(ReportSection):
    name = "contributors"
    order = 50

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        tiers = c.contributors.tiers
        title = titles.tiers_title(c, t)
        chart = charts.paired_chart(
            [t.label("tier", x) for x in tiers["tier"]],
            [none_if_nan(v) for v in tiers["share"]],
            list(tiers["reference"]),
            title,
            t,
            t("chart.rule"),
            small=True,
        )
        return {
            "chart": Chart(title, chart),
            "suspicious": suspicious(c),
            "influencers": c.influencers.ranked.to_dict("records"),
            "own": c.influencers.own.to_dict("records"),
        }


def suspicious(c: ReportContent) -> dict[str, Any]:
    """The share of the period's mentions flagged as suspicious, and the previous period's."""

    def share_of(volume: float | None, flagged: int | None) -> float | None:
        total = (volume or 0) + (flagged or 0) if c.excluded else (volume or 0)
        return (flagged or 0) / total if total else None

    volume = c.headline["volume"].current or 0
    flagged = c.flagged or 0
    share = share_of(volume, c.flagged)
    previous = share_of(c.headline["volume"].previous, c.flagged_previous)
    return {
        "share": share,
        "n": flagged,
        "total": volume + flagged if c.excluded else volume,
        "previous": previous,
        "change": None if share is None or previous is None else share - previous,
    }
