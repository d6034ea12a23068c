"""A saved view's new mentions, told to those who asked (web/watches.py: the bell): each
periodic delivery (`deliver_pending` of the alerts stage and of `veille alerts check`) first
reads, for each watch, the mentions stored since the last one it looked at and keeps those the
view holds — its filters and its query, whatever its period (nlp/inbox_filters.py) — and owes
one message per view, none when nothing new came: how many arrived, the first of them as cards,
a link to the view in the inbox; delivered as the other messages are (storage.deliveries)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import closing
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Engine

from config.settings import Settings
from nlp.inbox_filters import read_view
from nlp.themes import match_doc
from reports.alerts.handoff import mention_cards
from reports.alerts.view import AlertView
from reports.i18n import Translator
from storage import deliveries
from storage.deliveries import person_target
from storage.inbox import iter_filtered
from storage.view_watches import advance, every_watch, newest_mention_id

WATCH = "watch"  # the kind of these deliveries
SHOWN = 5  # the mentions the message shows
SCAN = 5_000  # new mentions a watch reads at most per check (the newest first)
KEPT = 500  # mention ids a message keeps (the inbox link shows them all)


def owe_new_matches(engine: Engine, settings: Settings, now: datetime) -> int:
    """Owe each watcher the new mentions of their view; how many messages were owed."""
    newest = newest_mention_id(engine)
    owed = 0
    for w in every_watch(engine):
        if newest <= w.last_mention_id:
            continue
        view = read_view(w.filters, w.person, settings.themes, w.brands)
        ids: list[int] = []
        if w.email and view.query_error is None:
            flt = replace(view.flt, since=None, ids_between=(w.last_mention_id, newest))
            with closing(iter_filtered(engine, flt, "date", 500, SCAN)) as rows:
                query = view.query
                ids = [r["id"] for r in rows if query is None or query.matches(match_doc(r))]
        with engine.begin() as conn:  # taken once, even by two checks at the same time
            if not advance(conn, w.id, w.last_mention_id, newest) or not ids:
                continue
            done = deliveries.owe(
                conn, f"{WATCH}:{w.id}:{newest}", kind=WATCH, target=person_target(w.person),
                channel="email", now=now, mention_id=ids[0],
                payload={"view": w.view_name, "mentions": ids[:KEPT], "count": len(ids),
                         "query": urlencode(sorted(w.filters.items()))},
            )  # fmt: skip
        owed += done is not None
    return owed


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
