"""A report's figures as plain, comparable data: what must not change with the backend.

`figures(content)` is the JSON report (reports/jsonreport.py, in English) with floats rounded
to 9 digits, so that summing in another order cannot tell two runs apart. Every row of it is
named by what does not depend on the database (source names, author handles, external ids,
times), never by a row id, so the same demo on SQLite and on PostgreSQL gives equal data.
"""

from __future__ import annotations

import math
from typing import Any

from reports.build import ReportContent
from reports.i18n import Translator
from reports.jsonreport import report_dict

_DIGITS = 9


def _rounded(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, _DIGITS)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_rounded(v) for v in value]
    return value


def figures(c: ReportContent) -> dict[str, Any]:
    """Everything the report shows that is computed, keyed by natural names, no ids."""
    data = report_dict(c, Translator("en", c.period.tz))
    for alert in data["alerts"]:
        alert.pop("id", None)
    out: dict[str, Any] = _rounded(data)
    return out
