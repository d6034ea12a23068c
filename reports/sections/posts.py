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
            "own_activity": _own_activity(c, t),
            "needing": post_rows(c.needing_answer.head(SHOWN), c, t),
            "needing_total": c.answers.unanswered,
            "answered": _answered(c, t),
        }


def _own_activity(c: ReportContent, t: Translator) -> str | None:
    """What the brand's own accounts published (None when it has none, or they were silent)."""
    a = c.own_activity
    if a is None or not (a.posts or a.previous):
        return None
    return t(
        "posts.own_activity", posts=t.count(a.posts, "unit.post"), previous=t.num(a.previous),
        interactions=t.count(a.engagement, "unit.interaction"),
    )  # fmt: skip


def _answered(c: ReportContent, t: Translator) -> str | None:
    """How many of the period's negative customer-service mentions the brand answered, and how
    fast (None when there were none)."""
    a = c.answers
    if not a.asked:
        return None
    if not a.answered:
        return t("posts.none_answered", asked=t.count(a.asked, "unit.mention"))
    said = t(
        "posts.answered", answered=t.num(a.answered), asked=t.count(a.asked, "unit.mention"),
        delay=t.delay(a.median_minutes or 0.0),
    )  # fmt: skip
    if len(a.by_source) < 2:  # one source: the sentence says it all
        return said
    sources = " · ".join(
        t("posts.source_answered", source=c.source_names.shown(s, t.lang),  # type: ignore[arg-type]
          answered=t.num(done), asked=t.num(asked))
        for s, asked, done in a.by_source
    )  # fmt: skip
    return f"{said} {t('posts.answered_by_source', sources=sources)}"
