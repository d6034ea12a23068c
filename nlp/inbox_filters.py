"""An inbox view's filters and query read from its address (`?brand=…&q=…`): the inbox and
its exports, a mention's neighbours, a saved view and the alerts its watchers hear of
(reports/alerts/watch_mail.py) read a view the same way."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from config.settings import ThemeSettings
from storage.author_tags import TAG_LIMIT
from storage.vocab import PROFILES, SENTIMENTS, TOPICS

PERIODS = {"1": 1, "7": 7, "30": 30, "90": 90, "365": 365, "all": None}
DEFAULT_PERIOD = "30"
STATUS_CHOICES = ("open", "new", "in_progress", "answered", "closed", "all")
FILTER_KEYS = (
    "brand",
    "source",
    "sentiment",
    "topic",
    "profile",
    "period",
    "status",
    "assignee",
    "q",
    "theme",
    "words",
    "alert",
    "author",
    "tag",
    "alike",
    "off_topic",
)


@dataclass
class View:
    """The filters of a request, checked; `query` is the compiled Veille query if any."""

    values: dict[str, str]
    flt: Any
    query: Any = None
    query_error: Any = None

    def url(self, base: str = "/inbox", **more: Any) -> str:
        items = {k: v for k, v in self.values.items() if v}
        items.update({k: v for k, v in more.items() if v is not None})
        return base + ("?" + urlencode(items) if items else "")


def read_view(
    params: Any,
    me: str,
    themes: Sequence[ThemeSettings] = (),
    scope: tuple[str, ...] | None = None,
) -> View:
    """The request's filters; `themes`: the workspace's (`theme` names one of them); `scope`:
    the brands the reader sees (storage.scope; None: every brand)."""
    from nlp.query import QueryError, all_of, compile_query
    from storage.clock import utcnow
    from storage.inbox import InboxFilter

    values = {k: (params.get(k) or "").strip() for k in FILTER_KEYS}
    if values["period"] not in PERIODS:
        values["period"] = DEFAULT_PERIOD
    if values["status"] not in STATUS_CHOICES:
        values["status"] = "open"
    for key, allowed in (("sentiment", SENTIMENTS), ("topic", TOPICS), ("profile", PROFILES)):
        if values[key] not in allowed:
            values[key] = ""
    values["tag"] = values["tag"][:TAG_LIMIT]
    for key in ("alert", "author", "alike"):
        if not values[key].isdigit():
            values[key] = ""
    theme = next((t for t in themes if t.name == values["theme"]), None)
    if theme is None:
        values["theme"] = ""
    days = PERIODS[values["period"]]
    assignee = values["assignee"]
    flt = InboxFilter(
        brand=values["brand"] or None,
        source=values["source"] or None,
        sentiment=values["sentiment"] or None,
        topic=values["topic"] or None,
        profile=values["profile"] or None,
        since=utcnow() - timedelta(days=days) if days else None,
        status=None if values["status"] == "all" else values["status"],
        assignee=me if assignee == "me" else (assignee or None),
        words=values["words"] or None,
        alert=int(values["alert"]) if values["alert"] else None,
        author=int(values["author"]) if values["author"] else None,
        alike=int(values["alike"]) if values["alike"] else None,
        author_tag=values["tag"] or None,
        off_topic=values["off_topic"] or None,
        scope=scope,
    )
    view = View(values, flt)
    queries = [compile_query(theme.query)] if theme is not None else []
    if values["q"]:
        try:
            queries.append(compile_query(values["q"]))
        except QueryError as exc:
            view.query_error = exc
    if queries and view.query_error is None:
        view.query = all_of(queries)
    return view
