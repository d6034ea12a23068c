"""Topics: their shares against the reference study's."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart, none_if_nan
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Topics(ReportSection):
    name = "topics"
    order = 40

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        rows = c.topics[c.topics["reference"].notna() | (c.topics["mentions"] > 0)]
        title = titles.topics_title(c, t)
        chart = charts.paired_chart(
            [t.label("topic", x) for x in rows["topic"]],
            [none_if_nan(v) for v in rows["share"]],
            [none_if_nan(v) for v in rows["reference"]],
            title,
            t,
            t("chart.study"),
        )
        return {"chart": Chart(title, chart), "labelled_topics": bool(c.topics["mentions"].sum())}
