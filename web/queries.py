"""The query workbench: a brand's or a theme's query tried on the stored mentions before it
replaces the one in veille.yaml (reports/query_trial.py computes what it shows)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

import yaml
from starlette.responses import Response
from starlette.routing import Route

from nlp.inbox_filters import PERIODS as INBOX_PERIODS
from web import charts
from web.app import Ctx, every_brand_only, page
from web.monitoring import days_shown

# the inbox's periods of a week or more (the last day is too few to judge a query by)
PERIODS = {k: days for k, days in INBOX_PERIODS.items() if days is not None and days >= 7}
DEFAULT_DAYS = "30"
HEALTH_DAYS = 30  # the brand queries' overview: their last 30 days


@page("viewer")
def workbench(ctx: Ctx) -> Response:
    from nlp.query import QueryError, compile_query
    from reports.query_trial import (
        Target,
        query_health,
        try_query,
        with_exclusion,
        workspace_queries,
    )
    from storage.clock import utcnow
    from storage.dismissals import counts

    if (refused := every_brand_only(ctx)) is not None:  # it reads every stored mention
        return refused
    known = workspace_queries(ctx.ws.settings)
    end = utcnow()
    zone = ZoneInfo(ctx.ws.settings.schedules.timezone)
    with ctx.ws.engine.connect() as conn:  # every brand query's last 30 days, at the top
        since, _ = days_shown(end, HEALTH_DAYS, zone)
        health = query_health(conn, [b.name for b in ctx.ws.settings.brands], since, end)
    target = ctx.params.get("target") or next(iter(known), "")
    if target not in known:
        target = next(iter(known), "")
    days = ctx.params.get("days") or DEFAULT_DAYS
    if days not in PERIODS:
        days = DEFAULT_DAYS
    current = known.get(target, "")
    text = (ctx.params.get("q") or "").strip() or current
    values: dict[str, Any] = {
        "targets": list(known), "target": target, "days": days, "periods": list(PERIODS),
        "q": text, "current": current, "trial": None, "query_error": None,
        "health": health, "health_days": HEALTH_DAYS,
    }  # fmt: skip
    if not target:
        return ctx.render("queries.html", **values)
    kind, _, name = target.partition(":")
    try:
        query = compile_query(text)
    except QueryError as exc:
        values["query_error"] = exc
        return ctx.render("queries.html", status=400, **values)
    start, keys = days_shown(end, PERIODS[days], zone)  # the team's days, as the dashboard's
    theme_query = compile_query(current) if kind == "theme" else None
    the_target = Target("brand" if kind == "brand" else "theme", name, theme_query)
    with ctx.ws.engine.connect() as conn:
        trial = try_query(conn, query, the_target, start, end, zone=zone)
        dismissed = counts(conn).get(name, 0) if kind == "brand" else 0
    words = ctx.words
    daily = [trial.per_day.get(k, (0, 0)) for k in keys]
    chart = charts.lines(
        keys,
        {"total": [float(d[0]) for d in daily], "query": [float(d[1]) for d in daily]},
        words.text("queries.chart", name=name),
        names={
            "total": words.text("queries.chart.total"),
            "query": words.text("queries.chart.query"),
        },
        number=words.num,
    )
    values.update(
        trial=trial,
        chart=chart,
        kind=kind,
        name=name,
        dismissed_total=dismissed,
        exclusions=[(s, with_exclusion(text, s.word)) for s in trial.suggestions],
        yaml_line=yaml.safe_dump(
            {"query": text}, allow_unicode=True, width=10**6, default_flow_style=False
        ).strip(),
    )
    return ctx.render("queries.html", **values)


ROUTES = [Route("/queries", workbench, methods=["GET"])]
