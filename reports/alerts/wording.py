"""What an alert says, kind by kind: the one sentence of what happened (subject and first line),
why the kind's rule fired, the next step. Shared by the e-mail, the chat cards, the webhook and
the report's banner, so they all say the same thing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reports import bidi
from reports.alerts.content import AlertContent, DriverCount
from reports.i18n import Translator
from reports.ratios import observed_vs_expected
from storage.alerts import AlertRecord

SUBJECT_LIMIT = 160


def snapshot(alert: AlertRecord, closing: bool = False) -> dict[str, Any]:
    """The evaluation the message is about: its opening (or closing) as stored."""
    details = alert.details or {}
    return dict(details.get("closing" if closing else "opening") or {})


def window(minutes: int, t: Translator) -> str:
    """« 1 h », « 2 h », « 30 min »."""
    if minutes % 60 == 0:
        return t("alert.window_hours", n=t.num(minutes // 60))
    return t("alert.window_minutes", n=t.num(minutes))


def driver_phrase(d: DriverCount) -> str:
    """A driver as people read it: #tag, @handle, « paiement débité deux fois »."""
    return d.label if d.kind in ("hashtag", "handle") else f"« {d.label} »"


def cause(
    alert: AlertRecord,
    t: Translator,
    content: AlertContent | None = None,
    isolate: bool = False,
    source_name: Callable[[str], str] | None = None,
) -> str:
    """What happened, in one sentence: « Lumino : 138 messages négatifs en 1 h, ×9,8 la
    normale — paiement débité deux fois ». Collected words (authors, terms, drivers) are
    bidi-isolated when `isolate` (message bodies; a subject stays plain)."""
    snap = snapshot(alert)
    why: dict[str, Any] = snap.get("why") or {}
    kind = alert.kind or "bad_buzz"
    minutes = int(snap.get("window_minutes", 60))
    observed = int(snap.get("negative_last_hour", alert.negative_count or 0))
    expected = float(snap.get("expected_last_hour", alert.expected_count or 0.0))
    total = int(snap.get("total_last_hour", 0))

    def own(text: str) -> str:
        text = " ".join(text.split())
        return bidi.isolate(text) if isolate else text

    driver = ""
    if content is not None and content.drivers and kind in ("bad_buzz", "negative_share"):
        driver = t("alert.driver", driver=own(driver_phrase(content.drivers[0])))
    values: dict[str, Any] = {"brand": alert.brand, "window": window(minutes, t), "driver": driver}
    key = f"alert.cause.{kind}"
    if kind == "bad_buzz":
        excess = observed_vs_expected(observed, expected)
        values.update(negatives=t.count(observed, "alert.negposts"), ratio=t.about(excess.ratio))
        if excess.below_floor:
            key = "alert.cause.bad_buzz_new"
    elif kind == "negative_share":
        values.update(
            negatives=t.count(observed, "alert.negposts"), total=t.num(total),
            share=t.pct(float(why.get("share", 0.0)), 0),
            usual=t.pct(float(why.get("usual_share", 0.0)), 0),
        )  # fmt: skip
    elif kind in ("influential_post", "watched_author"):  # the top author of the window
        top = (snap.get("influencers") or [{}])[0]
        values.update(
            author=own(str(top.get("author") or "?")), tag=own(str(top.get("tag") or "?")),
            followers=followers(top, t), source=(source_name or str)(str(top.get("source") or "")),
        )  # fmt: skip
    elif kind == "campaign":
        values.update(
            polarity=t(f"alert.polarity.{why.get('polarity', 'mixed')}"),
            posts=t.count(int(why.get("posts", observed)), "unit.post"),
            accounts=t.count(int(why.get("accounts", 0)), "unit.account"),
        )  # fmt: skip
    elif kind in ("rising_term", "rising_theme"):
        excess = observed_vs_expected(observed, expected)
        name = "term" if kind == "rising_term" else "theme"  # what rose, by its name
        values.update({
            name: own(str(why.get(name, "?"))), "mentions": t.count(observed, "unit.mention"),
            "expected": t.expected(excess),
        })  # fmt: skip
    return t(key, **values)


def subject(
    alert: AlertRecord,
    t: Translator,
    content: AlertContent | None = None,
    source_name: Callable[[str], str] | None = None,
) -> str:
    """`[Veille] ` and the cause sentence, on one line, cut to a readable length."""
    sentence = " ".join(cause(alert, t, content, source_name=source_name).split())
    if len(sentence) > SUBJECT_LIMIT:
        sentence = sentence[: SUBJECT_LIMIT - 1].rstrip() + "…"
    return t("alert.subject_kind", sentence=sentence)


def followers(item: dict[str, Any], t: Translator) -> str:
    value = item.get("followers")
    if value is None:
        return t("alert.followers_unknown")
    return t.count(int(value), "unit.follower")


def why_lines(alert: AlertRecord, t: Translator, isolate: bool = True) -> list[str]:
    """Why the kind's rule fired, with its thresholds (the bad buzz says it with its numbers)."""
    snap = snapshot(alert)
    why: dict[str, Any] = snap.get("why") or {}
    kind = alert.kind or "bad_buzz"
    minutes = int(snap.get("window_minutes", 60))
    observed = int(snap.get("negative_last_hour", alert.negative_count or 0))

    def own(text: str) -> str:
        return bidi.isolate(" ".join(text.split())) if isolate else text

    if kind == "negative_share":
        return [
            t("alert.why.negative_share", share=t.pct(float(why.get("share", 0.0)), 0),
              total=t.count(int(snap.get("total_last_hour", 0)), "unit.mention"),
              window=window(minutes, t), usual=t.pct(float(why.get("usual_share", 0.0)), 0),
              days=t.count(int(why.get("baseline_days", 7)), "unit.day"),
              min_negative=why.get("min_negative", "–"),
              min_share=t.pct(float(why.get("min_share", 0.5)), 0),
              jump=t.about(float(why.get("jump", 3.0))))
        ]  # fmt: skip
    if kind == "influential_post":
        out = []
        for item in snap.get("influencers") or []:
            influence = item.get("influence")
            out.append(
                t("alert.why.influential_post", author=own(str(item.get("author") or "?")),
                  followers=followers(item, t),
                  influence=t.num(float(influence), 0) if influence is not None else "–",
                  min_followers=t.count(why.get("min_followers"), "unit.follower"),
                  min_influence=t.num(float(why.get("min_influence", 80.0)), 0))
            )  # fmt: skip
        return out[:3]
    if kind == "watched_author":
        return [
            t("alert.why.watched_author", author=own(str(item.get("author") or "?")),
              tag=own(str(item.get("tag") or "?")), followers=followers(item, t),
              sentiment=t.label("sentiment", item.get("sentiment") or "neutral").lower(),
              text=own(str(item.get("text") or "")))
            for item in (snap.get("influencers") or [])[:3]
        ]  # fmt: skip
    if kind == "campaign":
        return [
            t("alert.why.campaign", posts=t.count(int(why.get("posts", observed)), "unit.post"),
              accounts=t.count(int(why.get("accounts", 0)), "unit.account"),
              window=window(minutes, t), example=own(str(why.get("example", ""))))
        ]  # fmt: skip
    if kind == "rising_term":
        return [
            t("alert.why.rising_term", term=own(str(why.get("term", "?"))),
              mentions=t.count(observed, "unit.mention"),
              authors=t.count(int(why.get("authors", 0)), "unit.author"),
              window=window(minutes, t), before=t.num(int(why.get("before", 0))),
              days=t.count(int(why.get("baseline_days", 3)), "unit.day"))
        ]  # fmt: skip
    if kind == "rising_theme":
        return [
            t("alert.why.rising_theme", theme=own(str(why.get("theme", "?"))),
              share=t.pct(float(why.get("share", 0.0)), 0),
              total=t.count(int(why.get("total", 0)), "unit.mention"),
              window=window(minutes, t), mentions=t.count(observed, "unit.mention"),
              authors=t.count(int(why.get("authors", 0)), "unit.author"),
              negatives=t.count(int(why.get("negative", 0)), "alert.negposts"),
              usual=t.pct(float(why.get("usual_share", 0.0)), 0),
              before=t.num(int(why.get("before", 0))),
              before_total=t.count(int(why.get("before_total", 0)), "unit.mention"),
              days=t.count(int(why.get("baseline_days", 7)), "unit.day"))
        ]  # fmt: skip
    return []


def next_step(alert: AlertRecord, t: Translator) -> str:
    kind = alert.kind or "bad_buzz"
    why = snapshot(alert).get("why") or {}
    if kind == "campaign" and why.get("polarity") == "praise":
        return t("alert.next", step=t("alert.next.campaign_praise"))
    return t("alert.next", step=t(f"alert.next.{kind}"))


def owner_line(owner: str | None, t: Translator) -> str:
    return t("alert.owner", owner=owner) if owner else t("alert.owner_none")


def duplicate_lines(content: AlertContent, t: Translator) -> list[str]:
    """The share of near-duplicate posts, and whether a coordinated campaign is suspected."""
    if not content.posts:
        return []
    lines = [
        t("alert.duplicates", dups=t.num(content.duplicates), total=t.num(content.posts),
          share=t.pct(content.duplicates / content.posts, 0))
    ]  # fmt: skip
    if content.campaign is not None:
        posts, accounts = content.campaign
        lines.append(
            t("alert.campaign_suspected", posts=t.count(posts, "unit.post"),
              accounts=t.count(accounts, "unit.account"))
        )  # fmt: skip
    else:
        lines.append(t("alert.campaign_none"))
    return lines


def answered_lines(content: AlertContent, t: Translator) -> list[str]:
    """How many of the window's negative posts the brand has answered (its own accounts'
    replies), where it has accounts to answer with."""
    if content.answered is None or not content.posts:
        return []
    total = t.count(content.posts, "unit.post")
    if not content.answered:
        return [t("alert.answered_none", total=total)]
    return [t("alert.answered", answered=t.num(content.answered), total=total)]


def covered_line(alert: AlertRecord, t: Translator) -> str | None:
    """What the other kinds saw during a bad buzz (their findings are part of it)."""
    covered = (alert.details or {}).get("covered") or {}
    if not covered:
        return None
    kinds = ", ".join(t.label("alert_kind", k) for k in covered)
    return t("alert.also", kinds=kinds)
