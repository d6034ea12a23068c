"""The brand team's themes: volume, change and sentiment of each (`themes` in veille.yaml)."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart, none_if_nan
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Themes(ReportSection):
    name = "themes"
    order = 45

    def shown(self, c: ReportContent) -> bool:
        return c.themes is not None

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        assert c.themes is not None
        table = c.themes.table
        title = titles.themes_title(c, t)
        chart = None
        if table["mentions"].sum() or table["previous"].sum():
            chart = Chart(
                title,
                charts.paired_chart(
                    list(table["theme"]),
                    [none_if_nan(v) for v in table["share"]],
                    [none_if_nan(v) for v in table["share_previous"]],
                    title,
                    t,
                    t("chart.previous"),
                    observed_label=t("chart.period"),
                ),
            )
        rows = []
        for r in table.to_dict("records"):
            r = {k: none_if_nan(v) for k, v in r.items()}
            r["change"] = (r["mentions"] - r["previous"]) / r["previous"] if r["previous"] else None
            net, before = r["net"], r["net_previous"]
            r["net_change"] = None if net is None or before is None else net - before
            rows.append(r)
        total = int(c.headline["volume"].current or 0)
        return {
            "chart": chart,
            "rows": rows,
            "unthemed": c.themes.unthemed,
            "unthemed_share": c.themes.unthemed / total if total else None,
        }
