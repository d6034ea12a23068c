"""The message of a saved view's new mentions (web/watches.py owes it): how many arrived, the
first of them as cards, a link to the view in the inbox; delivered as the other messages are
(storage.deliveries)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.handoff import mention_cards
from reports.alerts.view import AlertView
from reports.i18n import Translator
from storage.deliveries import person_target

WATCH = "watch"  # the kind of these deliveries
SHOWN = 5  # the mentions the message shows


def watch_view(
    engine: Engine,
    settings: Settings,
    person: str,
    payload: dict[str, Any],
    t: Translator,
    source_name: Callable[[str], str],
) -> AlertView:
    """The view's new mentions as the message shows them (those erased since passed over)."""
    ids = [int(i) for i in payload.get("mentions") or []]
    count = int(payload.get("count") or len(ids))
    name = str(payload.get("view") or "?")
    target = person_target(person)
    posts = mention_cards(engine, settings, ids, {}, target, t, source_name, SHOWN)
    link = settings.web.page("/inbox?" + str(payload.get("query") or ""))
    return AlertView(
        event="view.new_mentions",
        title=t("watch.title", view=name, count=t.count(count, "unit.mention")),
        subject=t("watch.subject", view=name, count=t.count(count, "unit.mention")),
        headline=t("watch.headline", view=name, count=t.count(count, "unit.mention")),
        posts=posts,
        links=[(t("watch.open"), link)] if link else [],
        footer=t("watch.footer", view=name),
        colour="#2c3e50",
        lang=t.lang,
        data={"view": name, "count": count, "mentions": ids},
    )
