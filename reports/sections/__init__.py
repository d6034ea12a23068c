"""The sections of a report, by name and in order (`SECTIONS`).

A section is a `reports.sections.base.ReportSection` subclass; the built-ins are the classes
of this package's modules, third-party sections are classes (or modules of them) named by the
`veille.sections` entry-point group. A report shows every registered section, by `order`.
"""

from __future__ import annotations

from typing import Any

from config.plugins import Registry, classes_in
from reports.sections.base import ReportSection


def _sections_of(obj: Any) -> list[tuple[str, type[ReportSection]]]:
    return [(c.name, c) for c in classes_in(obj, ReportSection)]


# section name -> class, in the order of the report.
SECTIONS: Registry[type[ReportSection]] = Registry(
    "report section",
    "sections",
    __name__,
    "veille.sections",
    _sections_of,
    skip=("base",),
    order=lambda name, cls: (cls.order, name),
)

__all__ = ["SECTIONS", "ReportSection"]
