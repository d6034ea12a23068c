"""Posts: the most engaging, those needing an answer, and the emerging terms."""

from __future__ import annotations

from typing import Any

from reports.build import ReportContent
from reports.html import post_rows
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Posts(ReportSection):
    name = "posts"
    order = 60

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        return {"engaging": post_rows(c.engaging), "needing": post_rows(c.needing_answer)}
