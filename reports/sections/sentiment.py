"""Sentiment per source: the chart and the table, with the net sentiment's change."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Sentiment(ReportSection):
    name = "sentiment"
    order = 30

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        if not len(c.sources):
            return {"chart": None}
        title = titles.sources_title(c, t)
        return {"chart": Chart(title, charts.sentiment_by_source_chart(c.sources, title, t))}
