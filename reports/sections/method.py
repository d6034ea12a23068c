"""Method: the sources and their last runs, the models, what was excluded, the definitions."""

from __future__ import annotations

from typing import Any

from reports.build import ReportContent
from reports.html import excerpt, none_if_nan
from reports.i18n import Translator
from reports.sections.base import ReportSection


class Method(ReportSection):
    name = "method"
    order = 80

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        return {"source_rows": source_rows(c)}


def source_rows(c: ReportContent) -> list[dict[str, Any]]:
    rows = []
    for r in c.source_status.to_dict("records"):
        r = {k: none_if_nan(v) for k, v in r.items()}
        if r.get("status") == "failed":
            state = "failed"
        elif not r.get("mentions"):
            state = "silent"
        elif r.get("status") is None:
            state = "no_run"
        else:
            state = "ok"
        r["state"] = state
        r["error"] = excerpt(r.get("error"), 200) if state == "failed" else None
        r["mentions"] = int(r.get("mentions") or 0)
        rows.append(r)
    return rows
