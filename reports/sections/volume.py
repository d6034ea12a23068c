"""Volume over time: the chart, the alerts of the period, the spikes and the team's events."""

from __future__ import annotations

from typing import Any

from reports import charts, titles
from reports.build import ReportContent
from reports.html import Chart
from reports.i18n import Translator
from reports.ratios import observed_vs_expected
from reports.sections.base import ReportSection


class Volume(ReportSection):
    name = "volume"
    order = 20

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        title = titles.volume_title(c, t)
        alert_times = list(c.current_alerts["opened_at"])
        spikes = [
            t.hour(b.to_pydatetime()) if c.hourly else t.short_day(b.to_pydatetime())
            for b in c.series.index[c.series["spike"]]
        ]
        alerts = []
        for a in c.current_alerts.to_dict("records"):
            excess = observed_vs_expected(a["negative_count"] or 0, a["expected_count"])
            words = {"expected_text": t.expected(excess), "ratio": t.about(excess.ratio)}
            alerts.append({**a, **words})
        spans = [(e.at, e.ends_at) for e in c.events]
        chart = charts.volume_chart(c.series, alert_times, title, t, c.hourly, spans)
        return {
            "chart": Chart(title, chart),
            "alerts": alerts,
            "spikes": ", ".join(spikes),
            "events": [(n, t.span(e.at, e.ends_at), e.label) for n, e in enumerate(c.events, 1)],
        }
