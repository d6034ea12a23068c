"""Who talks about the brands: the profiled contributors (filters, order, their sentiment over
their window, CSV), one contributor's page (who they are, their profile and its reasons, the
suspicious posts, how they spoke of each brand, their latest posts) and a person's correction of
their profile, which wins over the nightly computation (`veille authors` on the command line;
docs/contributors.md says how profiles are computed)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from reports.kpis import net_sentiment
from storage.contributors import ORDERS, ContributorFilter
from storage.vocab import PROFILES, TIERS
from web.app import Ctx, page

PAGE = 50  # contributors a page
LATEST = 50  # a contributor's latest posts shown on their page
EXPORT_PAGE = 5_000  # rows read at a time for the CSV
FILTER_KEYS = ("words", "brand", "profile", "tier", "source", "flagged", "order")
EXPORT_COLUMNS = [
    "author_id", "handle", "name", "source", "profile", "profile_by_person", "profile_score",
    "tier", "influence", "followers", "posts", "negative", "neutral", "positive",
    "net_sentiment", "suspicious", "flags", "profile_url",
]  # fmt: skip


def read_filters(params: Mapping[str, str], brands: list[str]) -> dict[str, str]:
    """The list's filters, each kept only when it is one of the choices."""
    values = {k: (params.get(k) or "").strip() for k in FILTER_KEYS}
    for key, allowed in (("brand", brands), ("profile", PROFILES), ("tier", TIERS)):
        if values[key] not in allowed:
            values[key] = ""
    values["flagged"] = "1" if values["flagged"] else ""
    if values["order"] not in ORDERS:
        values["order"] = ORDERS[0]
    values["words"] = values["words"][:200]
    return values


def _filter(values: dict[str, str]) -> ContributorFilter:
    return ContributorFilter(
        brand=values["brand"] or None,
        profile=values["profile"] or None,
        tier=values["tier"] or None,
        source=values["source"] or None,
        flagged=bool(values["flagged"]),
        words=values["words"] or None,
        order=values["order"],
    )


def url(values: dict[str, str], base: str = "/authors", **more: Any) -> str:
    kept = {k: v for k, v in values.items() if v and not (k == "order" and v == ORDERS[0])}
    kept.update({k: v for k, v in more.items() if v is not None})
    return base + ("?" + urlencode(kept) if kept else "")


def _with_mix(ctx: Ctx, rows: list[dict[str, Any]], brand: str | None) -> list[dict[str, Any]]:
    """Each row with its sentiment over its window (of `brand` only, if chosen) and net."""
    from storage.contributors import sentiment_mix

    mixes = sentiment_mix(ctx.ws.engine, [r["author_id"] for r in rows], brand)
    for r in rows:
        mix = mixes.get(r["author_id"], {})
        r.update({s: mix.get(s, 0) for s in ("negative", "neutral", "positive")})
        r["mentions"] = mix.get("total", 0)
        r["net_sentiment"] = net_sentiment(r["positive"], r["negative"])
    return rows


@page("viewer")
def contributors(ctx: Ctx) -> Response:
    from storage.contributors import contributors as listed
    from storage.contributors import count
    from storage.inbox import choices

    brands = [b.name for b in ctx.ws.settings.brands]
    values = read_filters(ctx.params, brands)
    try:
        number = max(1, int(ctx.params.get("page") or 1))
    except ValueError:
        number = 1
    f = _filter(values)
    rows = listed(ctx.ws.engine, f, PAGE + 1, (number - 1) * PAGE)
    return ctx.render(
        "authors.html",
        rows=_with_mix(ctx, rows[:PAGE], f.brand),
        more=len(rows) > PAGE,
        page=number,
        total=count(ctx.ws.engine, f),
        values=values,
        brands=brands,
        sources=choices(ctx.ws.engine)["sources"],
        profiles=PROFILES,
        tiers=TIERS,
        orders=ORDERS,
        page_url=lambda n: url(values, page=str(n) if n > 1 else None),
        export_url=url(values, "/authors/export.csv"),
    )


def _export_rows(ctx: Ctx, f: ContributorFilter) -> Iterator[dict[str, Any]]:
    from storage.contributors import contributors as listed

    offset = 0
    while True:
        rows = listed(ctx.ws.engine, f, EXPORT_PAGE, offset)
        for r in _with_mix(ctx, rows, f.brand):
            yield {
                **r,
                "profile_by_person": bool(r["by_human"]),
                "flags": sorted({flag["kind"] for flag in r["flags"] or []}),
            }
        if len(rows) < EXPORT_PAGE:
            return
        offset += EXPORT_PAGE


@page("viewer")
def export_csv(ctx: Ctx) -> Response:
    """The filtered list as CSV, every page (a spreadsheet's formulas quoted)."""
    from web.inbox import csv_lines

    values = read_filters(ctx.params, [b.name for b in ctx.ws.settings.brands])
    filters = {k: v for k, v in values.items() if v}
    ctx.audit("export", None, {"format": "csv", "of": "authors", **filters})
    return StreamingResponse(
        csv_lines(_export_rows(ctx, _filter(values)), EXPORT_COLUMNS),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="veille-contributors.csv"'},
    )


def _author_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["author_id"])


def _not_found(ctx: Ctx, author_id: int) -> Response:
    return ctx.render(
        "error.html",
        status=404,
        title=ctx.t("authors.not_found"),
        message=ctx.t("authors.not_found_message", id=author_id),
    )


@page("viewer")
def contributor(ctx: Ctx) -> Response:
    from storage.audit import entries
    from storage.contributors import author, by_brand, mentions_of, total_mentions

    author_id = _author_id(ctx)
    found = author(ctx.ws.engine, author_id)
    if found is None:
        return _not_found(ctx, author_id)
    brands = by_brand(ctx.ws.engine, author_id)
    for row in brands:
        row["net_sentiment"] = net_sentiment(row["positive"], row["negative"])
    return ctx.render(
        "author.html",
        a=found,
        p=found["profile"],
        brands=brands,
        latest=mentions_of(ctx.ws.engine, author_id, LATEST),
        total=total_mentions(ctx.ws.engine, author_id),
        profiles=PROFILES,
        history=entries(ctx.ws.engine, f"author:{author_id}"),
        inbox=f"/inbox?{urlencode({'author': author_id, 'status': 'all', 'period': 'all'})}",
    )


@page("analyst")
def set_profile(ctx: Ctx) -> Response:
    """A person's profile for the contributor: it wins over the nightly computation, kept
    with the author (storage.authors.set_profile_by_human), and is audited."""
    from storage.audit import record
    from storage.authors import set_profile_by_human
    from storage.contributors import author

    author_id = _author_id(ctx)
    found = author(ctx.ws.engine, author_id)
    if found is None:
        return _not_found(ctx, author_id)
    profile = ctx.field("profile")
    if profile not in PROFILES:
        names = ", ".join(ctx.words.label("profile", p) for p in PROFILES)
        return ctx.render("error.html", status=400, title=ctx.t("authors.bad_profile"),
                          message=ctx.t("authors.bad_profile_message", profiles=names))  # fmt: skip
    if found["profile"] is None:  # nothing to correct until the `authors` stage profiles them
        return ctx.render("error.html", status=409, title=ctx.t("authors.no_profile_yet"),
                          message=ctx.t("authors.no_profile_yet_message"))  # fmt: skip
    with ctx.ws.engine.begin() as conn:
        if set_profile_by_human(conn, author_id, profile):
            record(conn, ctx.user.name, "profile", f"author:{author_id}",
                   {"profile": profile, "was": found["profile"]["profile"]},
                   ctx.address)  # fmt: skip
    return RedirectResponse(f"/authors/{author_id}", status_code=303)


ROUTES = [
    Route("/authors", contributors, methods=["GET"]),
    Route("/authors/export.csv", export_csv, methods=["GET"]),
    Route("/authors/{author_id:int}", contributor, methods=["GET"]),
    Route("/authors/{author_id:int}/profile", set_profile, methods=["POST"]),
]
