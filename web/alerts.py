"""Alerts: the list (by brand, kind and status), the mutes, an alert's page (its chart, posts,
drivers and escalation), acknowledging and resolving."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from markupsafe import Markup
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from storage.vocab import EVERY
from web import charts
from web.app import Ctx, page
from web.monitoring import owned, series, series_names
from web.words import WORDS

if TYPE_CHECKING:
    from storage.alerts import AlertRecord
    from web.i18n import Words


def _alert_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["alert_id"])


def _cause(ctx: Ctx) -> Callable[[AlertRecord], str]:
    """What happened, in one sentence per kind, in the person's language."""
    from reports.alerts.listing import teller

    return teller(ctx.ws.engine, ctx.ws.settings, ctx.lang)


@page("viewer")
def alerts(ctx: Ctx) -> Response:
    return _render_alerts(ctx)


MUTE_LENGTHS = ("1h", "3h", "8h", "24h", "3d", "7d")  # as `veille alerts mute --for` reads them


def _length_name(words: Words, code: str) -> str:
    """A length offered, as a person reads it: « 3 h », « 3 jours » / "3 h", "3 days"."""
    n = int(code[:-1])
    return (
        words.count(n, "unit.day") if code.endswith("d") else words.text("alert.window_hours", n=n)
    )


def _trigger_name(words: Words, code: str) -> str:
    """What set an alert off (reports.alerts.rule: "spike", "influencer", else the kind)."""
    if f"alert_page.trigger.{code}" in WORDS:
        return words.text("alert_page.trigger." + code)
    return words.label("alert_kind", code)


def _render_alerts(ctx: Ctx, error: Markup | None = None, status: int = 200) -> Response:
    from config.settings import ALERT_KINDS
    from reports.alerts.listing import list_alerts
    from reports.alerts.muting import REASON_LIMIT
    from storage.alerts import ALERT_STATES
    from storage.clock import utcnow
    from storage.mutes import listing

    brands = ctx.brands

    def wanted(name: str, allowed: Sequence[str]) -> str | None:  # anything else: all
        value = ctx.params.get(name) or ""
        return value if value in allowed else None

    brand, kind, state = (
        wanted("brand", brands),
        wanted("kind", ALERT_KINDS),
        wanted("state", ALERT_STATES),
    )
    listed = list_alerts(ctx.ws.engine, brand, limit=200, say=_cause(ctx), kind=kind, state=state,
                         scope=ctx.scope)  # fmt: skip
    mutes = [m for m in listing(ctx.ws.engine, utcnow()) if ctx.sees(m.brand)]
    return ctx.render(
        "alerts.html", status=status, alerts=listed, brand=brand, kind=kind, state=state,
        states=ALERT_STATES, error=error, mutes=mutes, brands=brands,
        kinds=ALERT_KINDS, reason_limit=REASON_LIMIT,
        lengths=[(_length_name(ctx.words, code), code) for code in MUTE_LENGTHS],
    )  # fmt: skip


@page("analyst")
def mute(ctx: Ctx) -> Response:
    """Hold a brand's alert messages for a while, as `veille alerts mute` does."""
    from reports.alerts.muting import mute as hold
    from reports.alerts.muting import parse_duration
    from storage.clock import utcnow

    now = utcnow()
    length = ctx.field("length")
    if ctx.scope is not None and ctx.field("brand") not in ctx.brands:
        return _render_alerts(ctx, ctx.t("alerts.not_muted", reason=ctx.t("scope.not_yours")),
                              status=403)  # fmt: skip
    if length not in MUTE_LENGTHS:
        offered = ctx.words.text("alerts.not_offered", length=repr(length))
        return _render_alerts(ctx, ctx.t("alerts.not_muted", reason=offered), status=400)
    try:
        found = hold(
            ctx.ws.engine, ctx.ws.settings, ctx.field("brand"), ctx.field("kind") or EVERY,
            now + parse_duration(length), ctx.field("reason"), ctx.user.name, now,
        )  # fmt: skip
    except ValueError as exc:
        return _render_alerts(ctx, ctx.t("alerts.not_muted", reason=ctx.said(exc)), status=400)
    ctx.audit("alert_mute", f"mute:{found.id}", found.as_dict())
    return RedirectResponse("/alerts", status_code=303)


@page("analyst")
def unmute(ctx: Ctx) -> Response:
    """End a mute now, as `veille alerts unmute ID` does."""
    from reports.alerts.muting import unmute as end
    from storage.clock import utcnow

    mute_id = int(ctx.request.path_params["mute_id"])
    if ctx.scope is not None:
        from storage.mutes import get

        held = get(ctx.ws.engine, mute_id)
        if held is None or held.brand not in ctx.scope:  # another brand's, or every brand's
            return ctx.render("error.html", status=404, title=ctx.t("alerts.no_such_mute"),
                              message="")  # fmt: skip
    try:
        ended = end(ctx.ws.engine, mute_id, ctx.user.name, utcnow())
    except KeyError:
        return ctx.render("error.html", status=404, title=ctx.t("alerts.no_such_mute"), message="")
    except ValueError as exc:
        return ctx.render(
            "error.html", status=409, title=ctx.t("error.not_done"), message=ctx.said(exc)
        )
    ctx.audit("alert_unmute", f"mute:{mute_id}", ended.as_dict())
    return RedirectResponse("/alerts", status_code=303)


@page("viewer")
def alert(ctx: Ctx) -> Response:
    from reports.alerts.wording import why_lines
    from storage.alerts import episode_span, get_alert
    from storage.clock import utcnow
    from storage.inbox import InboxFilter, count, inbox_page, sentiment_series, top_authors

    alert_id = _alert_id(ctx)
    record = get_alert(ctx.ws.engine, alert_id)
    if record is None or not ctx.sees(record.brand):
        return _no_such_alert(ctx, alert_id)
    start = record.opened_at - timedelta(hours=24)
    end = min(
        (record.closed_at or utcnow()) + timedelta(hours=1), record.opened_at + timedelta(days=7)
    )
    zone = ZoneInfo(ctx.ws.settings.schedules.timezone)
    hours, labels = [], []  # each hour's UTC key, and its name in the team's time
    at = start.replace(minute=0, second=0, microsecond=0)
    while at < end:
        hours.append(at.strftime("%Y-%m-%d %H"))
        labels.append(at.astimezone(zone).strftime("%Y-%m-%d %H:%M"))
        at += timedelta(hours=1)
    own = owned(ctx, always=True)  # as the alerts count: the brands' own posts never
    rows = sentiment_series(ctx.ws.engine, record.brand, start, end, "hour", own)
    title = ctx.words.text("alert_page.chart_title", brand=record.brand, zone=zone.key)
    chart = charts.lines(labels, series(rows, hours), title, names=series_names(ctx.words),
                         number=ctx.words.num)  # fmt: skip
    episode = InboxFilter(alert=alert_id, status=None, scope=ctx.scope)
    posts = inbox_page(ctx.ws.engine, episode, limit=20)
    episode_count = count(ctx.ws.engine, episode, cap=10_000)
    episode_start, _ = episode_span(record.opened_at, record.closed_at)
    drivers = top_authors(ctx.ws.engine, record.brand, episode_start, end, skip_authors=own)
    details = record.details or {}
    peak = details.get("peak") or {}
    opening = details.get("opening") or {}
    theme = (opening.get("why") or {}).get("theme") if record.kind == "rising_theme" else None
    inbox = {"alert": alert_id, "status": "all", "period": "all"}
    from storage.mutes import holding

    with ctx.ws.engine.connect() as conn:  # a mute that held its messages when it opened
        muted = holding(conn, record.brand, record.kind, record.opened_at)
    from reports.alerts.routing import ESCALATED
    from storage.deliveries import of_alerts

    # Its escalation: owed until someone takes it on (acknowledging cancels it), or sent.
    escalation = [d for d in of_alerts(ctx.ws.engine, [alert_id]).get(alert_id, [])
                  if d.kind == ESCALATED and d.status in ("pending", "sent")]  # fmt: skip
    return ctx.render(
        "alert.html",
        a=record,
        muted=muted,
        cause=_cause(ctx)(record),
        why=why_lines(record, ctx.words),
        escalating=[d for d in escalation if d.status == "pending"],
        escalated=[d for d in escalation if d.status == "sent"],
        theme=theme,
        theme_inbox="/inbox?" + urlencode({**inbox, "theme": theme}) if theme else None,
        chart=chart,
        posts=posts,
        episode_count=episode_count,
        drivers=drivers,
        peak=peak,
        triggers=[_trigger_name(ctx.words, str(c)) for c in peak.get("triggers") or []],
        opening=opening,
    )


def _no_such_alert(ctx: Ctx, alert_id: int) -> Response:
    return ctx.render(
        "error.html",
        status=404,
        title=ctx.t("alert_page.no_such"),
        message=ctx.t("alert_page.no_such_message", id=alert_id),
    )


def _answer(ctx: Ctx, how: str) -> Response:
    from reports.alerts.acknowledge import acknowledge_alert, resolve_alert
    from storage.clock import utcnow

    alert_id = _alert_id(ctx)
    if ctx.scope is not None:
        from storage.alerts import get_alert

        found = get_alert(ctx.ws.engine, alert_id)
        if found is None or not ctx.sees(found.brand):
            return _no_such_alert(ctx, alert_id)
    note = ctx.field("note").strip()[:2000] or None
    act = acknowledge_alert if how == "ack" else resolve_alert
    try:
        answer = act(ctx.ws.engine, alert_id, ctx.user.name, note, utcnow())
    except KeyError:
        return _no_such_alert(ctx, alert_id)
    except ValueError as exc:
        return ctx.render(
            "error.html", status=409, title=ctx.t("error.not_done"), message=ctx.said(exc)
        )
    ctx.audit(
        "alert_" + ("acknowledge" if how == "ack" else "resolve"),
        f"alert:{alert_id}",
        {"note": note, "cancelled_escalations": answer.cancelled},
    )
    return RedirectResponse(f"/alerts/{alert_id}", status_code=303)


@page("analyst")
def acknowledge(ctx: Ctx) -> Response:
    return _answer(ctx, "ack")


@page("analyst")
def resolve(ctx: Ctx) -> Response:
    return _answer(ctx, "resolve")


ROUTES = [
    Route("/alerts", alerts, methods=["GET"]),
    Route("/alerts/{alert_id:int}", alert, methods=["GET"]),
    Route("/alerts/{alert_id:int}/ack", acknowledge, methods=["POST"]),
    Route("/alerts/{alert_id:int}/resolve", resolve, methods=["POST"]),
    Route("/alerts/mute", mute, methods=["POST"]),
    Route("/alerts/mutes/{mute_id:int}/end", unmute, methods=["POST"]),
]
