"""A mention assigned to a person in the web workspace: an e-mail to them (their address,
`veille users email NAME ADDRESS`), owed and delivered as the alerts' messages are
(storage.deliveries: at least once before the hand-over, at most once after; the next alerts
check tries again when it could not go at once).

Nobody hears of what they assign themselves, nor a person without an address. One
assignment action is one message: a mention's card (who said what where, its labels, links
to the post and to its page in the workspace), or for several at once (the inbox's bulk
action) how many and the first of them, with a link to the person's mentions in the inbox.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from sqlalchemy import Connection, Engine

from config.settings import Settings
from reports.alerts.handoff import handoff_view, mention_cards
from reports.alerts.view import AlertView
from reports.i18n import Translator
from storage import deliveries
from storage.deliveries import person_target

if TYPE_CHECKING:
    from storage.users import UserRecord

ASSIGNED = "assigned"  # the kind of these deliveries
SHOWN = 5  # mentions of a bulk assignment the message shows
KEPT = 500  # mention ids a message keeps (the inbox link shows them all)


def notify(
    conn: Connection,
    mention_ids: Sequence[int],
    assignee: UserRecord,
    by: str,
    now: datetime,
) -> int | None:
    """Owe `assignee` the message of the mentions `by` just assigned to them: the new
    delivery's id, None when nothing is owed (self-assigned, no address, no mention)."""
    if assignee.name == by or not assignee.email or not mention_ids:
        return None
    ids = sorted(set(mention_ids))
    return deliveries.owe(
        conn, f"{ASSIGNED}:{assignee.name}:{now.isoformat()}:{ids[0]}:{len(ids)}",
        kind=ASSIGNED, target=person_target(assignee.name), channel="email", now=now,
        mention_id=ids[0], payload={"by": by, "mentions": ids[:KEPT], "count": len(ids)},
    )  # fmt: skip


def assigned_view(
    engine: Engine,
    settings: Settings,
    person: str,
    payload: dict[str, Any],
    t: Translator,
    source_name: Callable[[str], str],
) -> AlertView:
    """The message: one mention's card, or how many and the first SHOWN of them."""

    ids = [int(i) for i in payload.get("mentions") or []]
    count = int(payload.get("count") or len(ids))
    by = str(payload.get("by") or "?")
    target = person_target(person)
    data = {"by": by, "assignee": person, "count": count, "mentions": ids}
    # The message goes with its first mention when that one is erased (its delivery's
    # mention_id cascades); the others, erased since, are passed over.
    if count == 1:
        card = handoff_view(engine, settings, ids[0], {"by": by}, target, t, source_name)
        post = card.posts[0] if card.posts else None
        return dataclasses.replace(
            card, event="mention.assigned",
            title=t("assigned.title", brand=card.data.get("brand", "?")),
            subject=t("assigned.subject", by=by, author=(post and post.author) or "?",
                      source=post.source if post else "?"),
            headline=t("assigned.by", by=by), footer=t("assigned.footer"),
            data={**data, "mention": card.data.get("mention")},
        )  # fmt: skip
    cards = mention_cards(engine, settings, ids, {"by": by}, target, t, source_name, SHOWN)
    mine = settings.web.page(
        "/inbox?" + urlencode({"assignee": person, "status": "all", "period": "all"})
    )
    return AlertView(
        event="mention.assigned",
        title=t("assigned.many_title", count=t.num(count)),
        subject=t("assigned.many_subject", by=by, count=t.num(count)),
        headline=t("assigned.many_by", by=by, count=t.num(count)),
        posts=cards,
        links=[(t("assigned.open_inbox"), mine)] if mine else [],
        footer=t("assigned.footer"),
        colour="#2c3e50",
        lang=t.lang,
        data=data,
    )
