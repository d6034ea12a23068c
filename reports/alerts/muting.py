"""Muting a brand's alerts for a while: a launch, a TV spot, a known outage being handled.

While a mute holds, the brand's alerts (of one kind, or every kind) still open, update and
close, and are listed; their messages wait (reports.alerts.routing: all but a critical
alert's). An episode still open when the mute ends is told at the next check. A mute always
ends: at most `MAX_MUTE` ahead, with a reason, and who set it — the people's commands
(`veille alerts mute|mutes|unmute`) and the web workspace's Alerts page share these rules.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import Engine

from config.refusals import SHARED, Refusal
from config.settings import ALERT_KINDS, Settings
from storage import mutes
from storage.mutes import MuteRecord
from storage.vocab import EVERY

MAX_MUTE = timedelta(days=30)
REASON_LIMIT = 1000  # characters kept of a reason
_DURATION = re.compile(r"^\s*(\d+)\s*([mhd])\s*$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


REFUSALS = {
    "duration": ("« {text} » n'est pas une durée\u00a0; écrire des minutes, des heures ou des"
                 " jours\u00a0: 90m, 3h, 2d",
                 "{text!r} is not a duration; write minutes, hours or days: 90m, 3h, 2d"),
    "kind": ("« {kind} » n'est pas un type d'alerte (connus\u00a0: {known}, ou *)",
             "{kind!r} is not a kind of alert (known: {known}, or *)"),
    "past": ("la mise en sourdine finirait le {until} UTC, déjà passé",
             "the mute would end at {until} UTC, already past"),
    "too_long": ("une mise en sourdine dure {days} jours au plus\u00a0; pour arrêter un type"
                 " d'alerte pour de bon, mettre `enabled: false` sous alerts.kinds (ou"
                 " alerts.brands) dans la configuration",
                 "a mute ends within {days} days; to stop a kind of alert for good, set"
                 " `enabled: false` under alerts.kinds (or alerts.brands) in the config"),
    "no_reason": ("dire pourquoi (--reason dans la commande)\u00a0: l'équipe le lit sur la"
                  " page des alertes",
                  "say why (--reason): the team reads it on the Alerts page"),
    "ended": ("la mise en sourdine n°{id} est déjà finie ({at} UTC)",
              "mute {id} has ended already ({at} UTC)"),
}  # fmt: skip


def parse_duration(text: str) -> timedelta:
    """`90m`, `3h`, `2d`."""
    found = _DURATION.match(text.lower())
    if found is None:
        raise Refusal(REFUSALS, "duration", text=text)
    return timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})


def mute(
    engine: Engine,
    settings: Settings,
    brand: str,
    kind: str,
    until: datetime,
    reason: str,
    by: str,
    now: datetime,
) -> MuteRecord:
    """Hold the messages of `brand`'s alerts of `kind` (`*`: every one) from now to `until`."""
    names = [b.name for b in settings.brands]
    if brand != EVERY and brand not in names:
        raise Refusal(SHARED, "brand", brand=brand, known=", ".join(names))
    if kind != EVERY and kind not in ALERT_KINDS:
        raise Refusal(REFUSALS, "kind", kind=kind, known=", ".join(ALERT_KINDS))
    if until <= now:
        raise Refusal(REFUSALS, "past", until=f"{until:%Y-%m-%d %H:%M}")
    if until - now > MAX_MUTE:
        raise Refusal(REFUSALS, "too_long", days=MAX_MUTE.days)
    reason = " ".join(reason.split())
    if not reason:
        raise Refusal(REFUSALS, "no_reason")
    mute_id = mutes.add(
        engine, None if brand == EVERY else brand, None if kind == EVERY else kind, now, until,
        reason[:REASON_LIMIT], by,
    )  # fmt: skip
    found = mutes.get(engine, mute_id)
    assert found is not None
    return found


def unmute(engine: Engine, mute_id: int, by: str, now: datetime) -> MuteRecord:
    """End a mute now: the next check tells of the episodes it held that are still open."""
    found = mutes.get(engine, mute_id)
    if found is None:
        raise KeyError(f"no mute {mute_id}; `veille alerts mutes` lists them")
    if not mutes.end(engine, mute_id, by, now):
        raise Refusal(REFUSALS, "ended", id=mute_id, at=f"{found.ends():%Y-%m-%d %H:%M}")
    ended = mutes.get(engine, mute_id)
    assert ended is not None
    return ended


def described(m: MuteRecord) -> str:
    """« Lumino, every kind, until 2026-11-22 23:00 UTC: TV spot » for a person."""
    brand = m.brand or "every brand"
    kind = m.kind or "every kind"
    return f"{brand}, {kind}, until {m.ends():%Y-%m-%d %H:%M} UTC: {m.reason}"
