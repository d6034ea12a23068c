"""Posts: the most engaging (the brand's own apart), and the negative ones needing an answer."""

from __future__ import annotations

from typing import Any

from reports.build import ReportContent
from reports.html import post_rows
from reports.i18n import Translator
from reports.sections.base import ReportSection

SHOWN = 5


class Posts(ReportSection):
    name = "posts"
    order = 60

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        return {
            "engaging": post_rows(c.engaging.head(SHOWN), c, t),
            "own_posts": post_rows(c.own_posts, c, t),
            "needing": post_rows(c.needing_answer.head(SHOWN), c, t),
            "needing_total": len(c.needing_answer),
        }
