"""Volume over time: the chart, the alerts of the period and the spikes."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Volume(ReportSection):
    name = "volume"
    order = 20

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        title = titles.volume_title(c, t)
        alert_times = list(c.current_alerts["opened_at"])
        spikes = [
            f"{b:%H}h" if c.hourly else t.short_day(b.to_pydatetime())
            for b in c.series.index[c.series["spike"]]
        ]
        return {
            "chart": Chart(title, charts.volume_chart(c.series, alert_times, title, t, c.hourly)),
            "alerts": c.current_alerts.to_dict("records"),
            "spikes": ", ".join(spikes),
        }
