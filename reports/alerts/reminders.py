"""Each morning, each person's open mentions: at `web.reminder_at` (local time), every person
with an e-mail address and mentions assigned to them still open (new or in progress) is owed
one message — how many, how many of them negative, the oldest, the most urgent few as cards,
a link to them in the inbox — delivered as the other messages are (storage.deliveries: never
twice; the next alerts check tries again when it could not go). Nobody hears of an empty
queue. The message reads the queue when it is sent, not when it was owed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from config.settings import Settings
from reports.alerts.handoff import mention_cards
from reports.alerts.view import AlertView
from reports.i18n import Translator
from storage import deliveries
from storage.deliveries import person_target

QUEUE = "queue"  # the kind of these deliveries
SHOWN = 5  # the most urgent mentions the message shows
# The morning's reminders are owed this long after `reminder_at`: a queue that fills later in
# the day is told the next morning (the assignments' own e-mails tell it at once).
LATE = timedelta(hours=3)


def due_day(settings: Settings, now: datetime) -> str | None:
    """The team's day whose reminders are due at `now` (ISO): from `reminder_at` to LATE
    after it; else (or without `reminder_at`) None."""
    if settings.web.reminder_at is None:
        return None
    zone = ZoneInfo(settings.schedules.timezone)
    local = now.astimezone(zone)
    hour, minute = (int(x) for x in settings.web.reminder_at.split(":"))
    at = datetime.combine(local.date(), time(hour, minute), zone)
    if not at <= local < at + LATE:
        return None
    return local.date().isoformat()


def owe_reminders(engine: Engine, settings: Settings, now: datetime) -> list[int]:
    """Owe today's reminder to each person whose queue is not empty (once a day each): the
    new deliveries' ids."""
    from storage.inbox import InboxFilter, count
    from storage.users import list_users

    day = due_day(settings, now)
    if day is None:
        return []
    owed = []
    for user in list_users(engine):
        if not user.email:
            continue
        key = f"{QUEUE}:{day}:{user.name}"
        if deliveries.id_of(engine, key) is not None:
            continue
        if not count(engine, InboxFilter(assignee=user.name, scope=user.brands)):
            continue
        with engine.begin() as conn:
            new = deliveries.owe(conn, key, kind=QUEUE, target=person_target(user.name),
                                 channel="email", now=now, payload={"day": day})  # fmt: skip
        if new is not None:
            owed.append(new)
    return owed


def reminder_view(
    engine: Engine,
    settings: Settings,
    person: str,
    payload: dict[str, Any],
    t: Translator,
    source_name: Callable[[str], str],
) -> AlertView:
    """The person's open mentions as the message shows them (read now; those of the brands
    they see: storage.scope)."""
    from storage.inbox import InboxFilter, count, inbox_page
    from storage.users import get_user

    found = get_user(engine, person)
    scope = found.brands if found is not None else None
    mine = InboxFilter(assignee=person, scope=scope)  # open: new or in progress, of any day
    total = count(engine, mine)
    negative = count(engine, InboxFilter(assignee=person, sentiment="negative", scope=scope))
    oldest = inbox_page(engine, mine, limit=1, order="oldest")
    urgent = [int(r["id"]) for r in inbox_page(engine, mine, limit=SHOWN)]
    cards = mention_cards(engine, settings, urgent, {}, person_target(person), t, source_name,
                          SHOWN)  # fmt: skip
    inbox = settings.web.page(
        "/inbox?" + urlencode({"assignee": person, "status": "open", "period": "all"})
    )
    since = t.moment(oldest[0]["published_at"]) if oldest else "–"
    return AlertView(
        event="mentions.reminder",
        title=t("queue.title", count=t.num(total)),
        subject=t(
            "queue.subject",
            count=t.count(total, "unit.mention"),
            negative=t.count(negative, "unit.negative"),
        ),
        headline=t(
            "queue.headline",
            count=t.count(total, "unit.mention"),
            negative=t.count(negative, "unit.negative"),
        ),
        facts=[(t("queue.oldest"), since)],
        posts=cards,
        links=[(t("assigned.open_inbox"), inbox)] if inbox else [],
        footer=t("queue.footer", at=settings.web.reminder_at or ""),
        colour="#2c3e50",
        lang=t.lang,
        data={"assignee": person, "day": payload.get("day"), "open": total, "negative": negative},
    )
