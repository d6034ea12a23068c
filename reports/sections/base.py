"""What a report section is: a name, a place in the report, a template and what it shows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from reports.build import ReportContent
    from reports.i18n import Translator


class ReportSection:
    """Abstract: one `<section>` of a brand's report (HTML and PDF), with its entry in the contents.

    Subclasses set `name` (the section's anchor; its title is the message `section.<name>`
    of reports/messages.py, or `titles[lang]`), `order` (its place: the built-ins are 10, 20…
    80) and `template`: a Jinja template of reports/templates (default
    `sections/<name>.html.j2`) or, for a plugin, `"package:path/in/the/package.html.j2"`.
    The template sees the report `c`, the translator `t`, its `title`, the helpers every
    section gets (reports.html.helpers) and what `variables(c, t)` adds.
    """

    name: ClassVar[str] = ""
    order: ClassVar[int] = 100
    template: ClassVar[str] = ""
    titles: ClassVar[Mapping[str, str]] = {}  # lang -> title, when messages.py has none

    def template_name(self) -> str:
        return self.template or f"sections/{self.name}.html.j2"

    def title(self, t: Translator) -> str:
        return self.titles.get(t.lang) or t(f"section.{self.name}")

    def shown(self, c: ReportContent) -> bool:
        """Whether this report has the section (and its entry in the contents)."""
        return True

    def variables(self, c: ReportContent, t: Translator) -> dict[str, Any]:
        """What the template needs beyond `c`, `t` and the common helpers."""
        return {}
