"""Headline figures: volume, authors, sentiment, reach… against the previous period."""

from __future__ import annotations

from typing import Any

from reports.build import ReportContent
from reports.i18n import Translator
from reports.sections.base import ReportSection
from storage.vocab import SENTIMENTS, UNLABELLED


class Headline(ReportSection):
    name = "headline"
    order = 10

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        return {"sentiments": (*reversed(SENTIMENTS), UNLABELLED)}  # positive first, as people read
