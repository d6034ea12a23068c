"""Jinja filters of the workspace's templates (every collected string is escaped anyway)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment

from reports.bidi import in_url
from storage.vocab import NAMES
from web.security import safe_url


def when(value: datetime | str | None, zone: ZoneInfo | None = None) -> str:
    """A moment (or its ISO text, as a record's `as_dict` gives it) as the team reads it: in
    `zone` (the workspace's, schedules.timezone); a naive one is UTC, as the database keeps
    it."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return "—"
    if not isinstance(value, datetime):
        return "—"
    if zone is not None:
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    return value.strftime("%Y-%m-%d %H:%M")


def after(later: Any, earlier: Any) -> str:
    """How long after `earlier` `later` came: « 45 min », « 1 h 21 », « 2 d 3 h »."""
    if not isinstance(later, datetime) or not isinstance(earlier, datetime):
        return "—"
    minutes = round(max((later - earlier).total_seconds(), 0.0) / 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {rest:02d}"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h"


def number(value: Any) -> str:
    return f"{int(value):,}" if isinstance(value, int | float) else "—"


def score(value: Any) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else "—"


def percent(value: Any) -> str:
    """A share (0.25) as « 25% »; "—" when there is none (no mention to share)."""
    return f"{value:.0%}" if _figure(value) else "—"


def signed_percent(value: Any) -> str:
    """A net sentiment (−1 to 1) as « +33% »; "—" when there is none."""
    return f"{value:+.0%}" if _figure(value) else "—"


def _figure(value: Any) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)


def name_of(value: Any, group: str) -> str:
    """The English name of a vocabulary value (sentiment, topic, profile, tier…)."""
    if value is None:
        return "—"
    names = NAMES.get(group, {})
    return names[value][1] if value in names else str(value)


def link(value: Any) -> str:
    url = safe_url(value)
    return in_url(url) if url else ""


def snippet(value: Any, length: int = 240) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def install(env: Environment, zone: str = "UTC") -> None:
    """The filters, times shown in `zone` (and its name as the `zone` global, for the pages'
    "(Europe/Paris)")."""
    tz = ZoneInfo(zone)
    env.globals["zone"] = zone
    env.filters.update(
        when=lambda value: when(value, tz),
        number=number,
        score=score,
        percent=percent,
        signed_percent=signed_percent,
        name_of=name_of,
        link=link,
        snippet=snippet,
        after=after,
    )
