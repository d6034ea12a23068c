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
        late = {s.source for s in c.coverage.late}
        if not len(c.sources):
            return {"chart": None, "late": late}
        title = titles.sources_title(c, t)
        rows = c.sources.copy()
        rows["source"] = [c.source_names.shown(s, t.lang) for s in rows["source"]]  # type: ignore[arg-type]
        chart = charts.sentiment_by_source_chart(rows, title, t)
        return {"chart": Chart(title, chart), "late": late}
