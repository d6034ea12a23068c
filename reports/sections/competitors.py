"""Competitors: volume, net sentiment and share of voice of each brand."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Competitors(ReportSection):
    name = "competitors"
    order = 70

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        shares = [f.current for f in c.competitors["sov"]] if len(c.brands) > 1 else []
        if not shares or all(s is None for s in shares):
            return {"chart": None}  # no conversation: no share of voice to draw
        title = titles.competitors_title(c, t)
        chart = charts.share_of_voice_chart(list(c.competitors["brand"]), shares, title, t)
        return {"chart": Chart(title, chart)}
