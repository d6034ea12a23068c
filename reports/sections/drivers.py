"""Drivers of change: what moved the volume, what people praise, what they complain about."""

from __future__ import annotations

from typing import Any

import pandas as pd

from reports.build import ReportContent
from reports.drivers import Driver
from reports.html import post_rows
from reports.i18n import Translator
from reports.sections.base import ReportSection
from reports.summary import driver_label

SHOWN = {"change": 3, "praise": 3, "complaints": 3}


class Drivers(ReportSection):
    name = "drivers"
    order = 25

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        posts = c.driver_posts.set_index("id") if len(c.driver_posts) else pd.DataFrame()

        def rows(items: list[Driver], n: int) -> list[dict[str, Any]]:
            out = []
            for d in items[:n]:
                found = [i for i in d.examples if i in posts.index]
                examples = post_rows(posts.loc[found].reset_index(), c, t) if found else []
                total = sum(d.sentiment.values()) or 1
                out.append(
                    {
                        "d": d,
                        "share": c.drivers.explains(d),
                        "label": driver_label(d, t),
                        "negative": d.sentiment.get("negative", 0) / total,
                        "positive": d.sentiment.get("positive", 0) / total,
                        "neutral": d.sentiment.get("neutral", 0) / total,
                        "examples": examples,
                    }
                )
            return out

        return {
            "lists": [(key, rows(getattr(c.drivers, key), n)) for key, n in SHOWN.items()],
            "volume_change": c.drivers.volume_change,
            "chance_limit": c.drivers.chance_limit,
        }
