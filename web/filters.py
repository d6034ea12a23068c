"""Jinja filters of the workspace's templates (every collected string is escaped anyway)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from jinja2 import Environment

from reports.bidi import in_url
from web.security import safe_url

if TYPE_CHECKING:
    from web.i18n import Words


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


def after(later: Any, earlier: Any, words: Words) -> str:
    """How long after `earlier` `later` came: « 45 min », « 2 h 05 », « 3 j 4 h »."""
    if not isinstance(later, datetime) or not isinstance(earlier, datetime):
        return "—"
    return words.delay(max((later - earlier).total_seconds(), 0.0) / 60)


def _figure(value: Any) -> bool:
    return isinstance(value, int | float) and not math.isnan(value)


def link(value: Any) -> str:
    url = safe_url(value)
    return in_url(url) if url else ""


def snippet(value: Any, length: int = 240) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def install(env: Environment, zone: str, words: Words) -> None:
    """The filters in `words`'s language, times shown in `zone` (and its name as the `zone`
    global, for the pages' "(Europe/Paris)")."""
    tz = ZoneInfo(zone)
    env.globals["zone"] = zone
    env.filters.update(
        when=lambda value: when(value, tz),
        number=lambda value: words.num(value) if _figure(value) else "—",
        score=lambda value: words.num(value, 2) if _figure(value) else "—",
        percent=lambda value: words.pct(value, 0) if _figure(value) else "—",
        signed_percent=lambda value: words.pct(value, 0, signed=True) if _figure(value) else "—",
        name_of=lambda value, group: "—" if value is None else words.label(group, value),
        link=link,
        snippet=snippet,
        after=lambda later, earlier: after(later, earlier, words),
    )
