"""Page 1: the alert banners, the summary in sentences and the KPI scorecard."""

from __future__ import annotations

from typing import Any

from reports.build import ReportContent
from reports.i18n import Translator
from reports.sections.base import ReportSection
from reports.summary import banners, sentences
from storage.vocab import SENTIMENTS, UNLABELLED


class Summary(ReportSection):
    name = "summary"
    order = 10

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        late = [
            {"source": c.source_names.shown(s.source, t.lang), "since": s.covered_from}  # type: ignore[arg-type]
            for s in c.coverage.late
        ]
        return {
            "banners": banners(c, t),
            "sentences": sentences(c, t),
            "late": late,
            "sentiments": (*reversed(SENTIMENTS), UNLABELLED),  # positive first, as people read
        }
