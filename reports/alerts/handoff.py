"""Handing a mention over to the team that acts on it (a helpdesk, a CRM): a message owed on
one of `alerts.targets` (e-mail, signed webhook, Slack, Teams), delivered as the alerts'
messages are (`delivery.deliver_pending`: at least once before the hand-over, at most once
after it; `veille alerts resend ID` sends one again).

A person hands a mention over (the web workspace, `veille handoff send`), or a rule of
`handoff.rules` does (the `handoff` stage). A mention goes to a target once (its key); each
hand-over is in the mention's history (the audit log).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine

from config.refusals import Refusal
from config.settings import Settings
from nlp.themes import themes_of
from reports.alerts.content import safe_url
from reports.alerts.view import AlertView, PostView
from reports.alerts.wording import followers as followers_of
from reports.i18n import Translator
from storage import deliveries
from storage.audit import record
from storage.handoffs import KIND, matching
from storage.inbox import mention as read_mention
from storage.mentions import mention_brands
from storage.reporting import own_account_ids
from storage.vocab import PROFILES, SENTIMENTS, TOPICS

HANDOFF = KIND  # the kind of these deliveries
RULES = "veille"  # who the audit log names for a rule's hand-overs
TEXT_LIMIT = 4000  # characters of the mention's text a message carries


REFUSALS = {
    "rule": ("handoff.rules[{i}].{part}\u00a0: « {value} » n'est pas l'une des valeurs\u00a0:"
             " {known}",
             "handoff.rules[{i}].{part}: {value!r} is not one of {known}"),
    "target": ("« {target} » n'est pas sous alerts.targets (connues\u00a0: {known})",
               "{target!r} is not under alerts.targets (known: {known})"),
    "no_mention": ("il n'y a pas de mention n°{id}", "there is no mention {id}"),
}  # fmt: skip


class HandoffError(Refusal):
    """A hand-over that cannot be made, worded for a person."""


def key_of(mention_id: int, target: str) -> str:
    return f"{HANDOFF}:{mention_id}:{target}"


def check_rules(settings: Settings) -> None:
    """The rules' labels are Veille's (config cannot read the vocabulary, so it is checked
    here, before any rule runs)."""
    for i, rule in enumerate(settings.handoff.rules):
        for key, values, known in (("topics", rule.topics, TOPICS),
                                   ("sentiments", rule.sentiments, SENTIMENTS),
                                   ("profiles", rule.profiles, PROFILES)):  # fmt: skip
            for value in values:
                if value not in known:
                    raise HandoffError(REFUSALS, "rule", i=i, part=key, value=value,
                                       known=", ".join(known))  # fmt: skip


def hand_over(
    conn: Connection,
    settings: Settings,
    mention_id: int,
    brand: str | None,
    target: str,
    now: datetime,
    *,
    by: str,
    note: str | None = None,
    rule: int | None = None,
) -> int | None:
    """Owe the mention's message to `target`; None when it was handed over there already.
    The hand-over is written to the audit log (`by`: the person, or `veille` for a rule)."""
    options = settings.alerts.targets.get(target)
    if options is None:
        known = ", ".join(settings.alerts.targets) or "none defined"
        raise HandoffError(REFUSALS, "target", target=target, known=known)
    payload = {"brand": brand, "by": by, "note": note or None, "rule": rule}
    new = deliveries.owe(
        conn, key_of(mention_id, target), kind=HANDOFF, target=target, channel=options.channel,
        now=now, mention_id=mention_id, payload=payload,
    )  # fmt: skip
    if new is not None:
        detail: dict[str, Any] = {"target": target}
        if rule is not None:
            detail["rule"] = rule + 1  # as the manual and the messages count them
        if note:
            detail["note"] = note
        record(conn, by, HANDOFF, f"mention:{mention_id}", detail)
    return new


def hand_over_many(
    engine: Engine,
    settings: Settings,
    mention_ids: list[int],
    target: str,
    now: datetime,
    *,
    by: str,
    note: str | None = None,
) -> list[int]:
    """A person hands several mentions over at once (the inbox's bulk action), each about its
    first brand; those gone or handed over to `target` already are passed over. Returns the
    new deliveries' ids."""
    new: list[int] = []
    with engine.begin() as conn:
        for mention_id in mention_ids:
            brands = mention_brands(conn, mention_id)
            if brands is None:
                continue
            owed = hand_over(conn, settings, mention_id, brands[0] if brands else None, target,
                             now, by=by, note=note)  # fmt: skip
            new += [owed] if owed is not None else []
    return new


def hand_over_now(
    engine: Engine,
    settings: Settings,
    mention_id: int,
    target: str,
    now: datetime,
    *,
    by: str,
    note: str | None = None,
) -> tuple[int | None, deliveries.DeliveryRecord | None]:
    """A person hands the mention over (about its first brand): (the new delivery's id, None),
    or (None, the earlier delivery) when it went to `target` already. HandoffError when the
    mention or the target does not exist."""
    with engine.connect() as conn:
        if mention_brands(conn, mention_id) is None:
            raise HandoffError(REFUSALS, "no_mention", id=mention_id)
    new = hand_over_many(engine, settings, [mention_id], target, now, by=by, note=note)
    if new:
        return new[0], None
    earlier = next((d for d in deliveries.of_mention(engine, mention_id) if d.target == target),
                   None)  # fmt: skip
    return None, earlier


def apply_rules(engine: Engine, settings: Settings, now: datetime) -> dict[str, int]:
    """Owe the hand-overs of every rule over the mentions of the last `lookback_hours`, the
    brands' own accounts left out; a mention matched by several rules goes to each of their
    targets once. Returns how many mentions matched and how many messages are newly owed."""
    check_rules(settings)
    every = [b.name for b in settings.brands]
    since = now - timedelta(hours=settings.handoff.lookback_hours)
    matched: set[int] = set()
    owed = 0
    with engine.begin() as conn:
        own = own_account_ids(conn, settings.own_accounts)
        for i, rule in enumerate(settings.handoff.rules):
            found = matching(
                conn, brands=rule.brands or every, topics=rule.topics,
                sentiments=rule.sentiments, profiles=rule.profiles,
                min_followers=rule.min_followers,
                open_only=rule.open_only, skip_authors=own, since=since, until=now,
            )  # fmt: skip
            first: dict[int, str] = {}
            for mention_id, brand in found:  # a mention of two brands: its first one
                first.setdefault(mention_id, brand)
            if rule.themes:
                named = [t for t in settings.themes if t.name in rule.themes]
                inside = themes_of(conn, named, first)
                first = {m: b for m, b in first.items() if inside.get(m)}
            for mention_id, brand in sorted(first.items()):
                matched.add(mention_id)
                for target in rule.targets:
                    new = hand_over(conn, settings, mention_id, brand, target, now, by=RULES,
                                    rule=i)  # fmt: skip
                    owed += new is not None
    return {"matched": len(matched), "owed": owed}


def mention_cards(
    engine: Engine,
    settings: Settings,
    mention_ids: Sequence[int],
    payload: dict[str, Any],
    target: str,
    t: Translator,
    source_name: Callable[[str], str],
    shown: int,
) -> list[PostView]:
    """The first `shown` of these mentions still there, each as its message's card shows it
    (handoff_view); the ones erased since passed over."""
    from reports.alerts.mailer import SendError

    cards: list[PostView] = []
    for mention_id in mention_ids:
        if len(cards) == shown:
            break
        try:
            view = handoff_view(engine, settings, mention_id, payload, target, t, source_name)
        except SendError:
            continue
        cards.extend(view.posts[:1])
    return cards


def handoff_view(
    engine: Engine,
    settings: Settings,
    mention_id: int,
    payload: dict[str, Any],
    target: str,
    t: Translator,
    source_name: Callable[[str], str],
) -> AlertView:
    """The message: who said what where (the text whole, up to TEXT_LIMIT), its labels, who
    handed it over and why, links to the post and to the mention in the workspace."""
    from reports.alerts.mailer import SendError

    m = read_mention(engine, mention_id)
    if m is None:
        raise SendError(f"mention {mention_id} no longer exists")
    labels = {lab["task"]: lab["value"] for lab in m["labels"]}
    brand = str(payload.get("brand") or (m["brands"][0] if m["brands"] else "?"))
    card = m["author"] or {}
    author = str(card.get("handle") or t("alert.unknown_author"))
    followers = (
        m["author_followers"] if m["author_followers"] is not None else card.get("followers")
    )
    source = source_name(str(m["source"]))
    when = t.moment(m["published_at"], short=True) if m["published_at"] else "–"
    text = " ".join(str(m["text"] or "").split())
    text = text if len(text) <= TEXT_LIMIT else text[: TEXT_LIMIT - 1] + "…"
    engagement = sum(int(m[k] or 0) for k in ("likes", "shares", "comments"))
    url = safe_url(m["url"])
    rule = payload.get("rule")
    by = (
        t("handoff.by_rule", rule=int(rule) + 1)
        if rule is not None
        else t("handoff.by_person", by=payload.get("by") or "?")
    )
    facts = [(t("handoff.fact_brand"), brand)]
    for task, key in (("sentiment", "handoff.fact_sentiment"), ("topic", "handoff.fact_topic")):
        if task in labels:
            facts.append((t(key), t.label(task, labels[task])))
    themes: list[str] = []
    if settings.themes:
        with engine.connect() as conn:
            themes = themes_of(conn, settings.themes, [mention_id]).get(mention_id, [])
    if themes:
        facts.append((t("handoff.fact_themes"), ", ".join(themes)))
    note = payload.get("note")
    if note:
        facts.append((t("handoff.fact_note"), str(note)))
    links = [(t("handoff.open_post"), url)] if url else []
    page = settings.web.page(f"/mentions/{mention_id}")
    if page:
        links.append((t("handoff.open_workspace"), page))
    data = {
        "brand": brand, "target": target, "by": payload.get("by"), "note": note or None,
        "rule": int(rule) + 1 if rule is not None else None,
        "mention": {
            "id": mention_id, "source": m["source"], "source_kind": m["source_kind"],
            "external_id": m["external_id"], "url": url, "author": card.get("handle"),
            "author_name": card.get("name"), "followers": followers,
            "published_at": m["published_at"].isoformat() if m["published_at"] else None,
            "title": m["title"], "text": text, "lang": m["lang"], "brands": m["brands"],
            "sentiment": labels.get("sentiment"), "topic": labels.get("topic"),
            "themes": themes, "engagement": engagement,
            "thread_id": m["thread_id"], "parent_id": m["parent_id"],
        },
    }  # fmt: skip
    follower_words = followers_of({"followers": followers}, t)
    return AlertView(
        event="mention.handoff",
        title=t("handoff.title", brand=brand),
        subject=t("handoff.subject", brand=brand, author=author, source=source),
        headline=by,
        facts=facts,
        posts=[
            PostView(
                author=card.get("handle"),
                text=text,
                url=url,
                source=source,
                when=when,
                engagement=t.num(engagement),
                influence=None,
                followers=follower_words,
            )
        ],
        links=links,
        footer=t("handoff.footer"),
        colour="#2c3e50",
        lang=t.lang,
        data=data,
    )
