"""Who talks about the brands: the profiled contributors (filters, order, their sentiment over
their window, CSV), one contributor's page (who they are, their profile and its reasons, the
suspicious posts, how they spoke of each brand, their latest posts) and a person's correction of
their profile, which wins over the nightly computation until withdrawn (`veille authors` on the
command line; docs/contributors.md says how profiles are computed)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from config.refusals import Refusal
from reports.kpis import net_sentiment
from storage.contributors import ORDERS, ContributorFilter
from storage.vocab import PROFILES, SENTIMENTS, TIERS
from web.app import Ctx, page

PAGE = 50  # contributors a page
LATEST = 50  # a contributor's latest posts shown on their page
EXPORT_PAGE = 5_000  # rows read at a time for the CSV
FILTER_KEYS = ("words", "brand", "profile", "tier", "tag", "source", "flagged", "order")
EXPORT_COLUMNS = [
    "author_id", "handle", "name", "source", "profile", "profile_by_person", "profile_score",
    "tier", "influence", "followers", "posts", *SENTIMENTS,
    "net_sentiment", "suspicious", "flags", "tags", "profile_url",
]  # fmt: skip


def read_filters(params: Mapping[str, str], brands: list[str], tags: list[str]) -> dict[str, str]:
    """The list's filters, each kept only when it is one of the choices."""
    values = {k: (params.get(k) or "").strip() for k in FILTER_KEYS}
    choices = (("brand", brands), ("profile", PROFILES), ("tier", TIERS), ("tag", tags))
    for key, allowed in choices:
        if values[key] not in allowed:
            values[key] = ""
    values["flagged"] = "1" if values["flagged"] else ""
    if values["order"] not in ORDERS:
        values["order"] = ORDERS[0]
    values["words"] = values["words"][:200]
    return values


def _filter(values: dict[str, str], scope: tuple[str, ...] | None) -> ContributorFilter:
    return ContributorFilter(
        scope=scope,
        brand=values["brand"] or None,
        profile=values["profile"] or None,
        tier=values["tier"] or None,
        tag=values["tag"] or None,
        source=values["source"] or None,
        flagged=bool(values["flagged"]),
        words=values["words"] or None,
        order=values["order"],
    )


def url(values: dict[str, str], base: str = "/authors", **more: Any) -> str:
    kept = {k: v for k, v in values.items() if v and not (k == "order" and v == ORDERS[0])}
    kept.update({k: v for k, v in more.items() if v is not None})
    return base + ("?" + urlencode(kept) if kept else "")


def _with_tone_and_tags(
    ctx: Ctx, rows: list[dict[str, Any]], brand: str | None
) -> list[dict[str, Any]]:
    """Each row with its sentiment over its window (of `brand` only, if chosen) and net, and
    the team's tags on the author."""
    from storage.author_tags import tags_of
    from storage.contributors import sentiment_mix

    ids = [r["author_id"] for r in rows]
    mixes = sentiment_mix(ctx.ws.engine, ids, brand, ctx.scope)
    with ctx.ws.engine.connect() as conn:
        tags = tags_of(conn, ids)
    for r in rows:
        r["tags"] = tags.get(r["author_id"], [])
        mix = mixes.get(r["author_id"], {})
        r.update({s: mix.get(s, 0) for s in SENTIMENTS})
        r["mentions"] = mix.get("total", 0)
        r["net_sentiment"] = net_sentiment(r["positive"], r["negative"])
    return rows


@page("viewer")
def contributors(ctx: Ctx) -> Response:
    from storage.author_tags import all_tags
    from storage.contributors import contributors as listed
    from storage.contributors import count
    from storage.inbox import choices

    brands = ctx.brands
    tags = all_tags(ctx.ws.engine)
    values = read_filters(ctx.params, brands, tags)
    try:
        number = max(1, int(ctx.params.get("page") or 1))
    except ValueError:
        number = 1
    f = _filter(values, ctx.scope)
    rows = listed(ctx.ws.engine, f, PAGE + 1, (number - 1) * PAGE)
    return ctx.render(
        "authors.html",
        rows=_with_tone_and_tags(ctx, rows[:PAGE], f.brand),
        more=len(rows) > PAGE,
        page=number,
        total=count(ctx.ws.engine, f),
        values=values,
        brands=brands,
        sources=choices(ctx.ws.engine)["sources"],
        profiles=PROFILES,
        tiers=TIERS,
        tags=tags,
        orders=ORDERS,
        sentiments=SENTIMENTS,
        page_url=lambda n: url(values, page=str(n) if n > 1 else None),
        export_url=url(values, "/authors/export.csv"),
    )


def _export_rows(ctx: Ctx, f: ContributorFilter) -> Iterator[dict[str, Any]]:
    from storage.contributors import contributors as listed

    offset = 0
    while True:
        rows = listed(ctx.ws.engine, f, EXPORT_PAGE, offset)
        for r in _with_tone_and_tags(ctx, rows, f.brand):
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
    from storage.author_tags import all_tags
    from web.inbox import csv_lines

    tags = all_tags(ctx.ws.engine)
    values = read_filters(ctx.params, ctx.brands, tags)
    filters = {k: v for k, v in values.items() if v}
    ctx.audit("export", None, {"format": "csv", "of": "authors", **filters})
    return StreamingResponse(
        csv_lines(_export_rows(ctx, _filter(values, ctx.scope)), EXPORT_COLUMNS),
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
    from storage.author_tags import all_tags
    from storage.contributors import author, by_brand, total_mentions

    author_id = _author_id(ctx)
    found = author(ctx.ws.engine, author_id)
    if found is None or not ctx.sees_author(author_id):
        return _not_found(ctx, author_id)
    brands = [row for row in by_brand(ctx.ws.engine, author_id) if ctx.sees(row["brand"])]
    for row in brands:
        row["net_sentiment"] = net_sentiment(row["positive"], row["negative"])
    return ctx.render(
        "author.html",
        a=found,
        p=found["profile"],
        brands=brands,
        latest=_latest(ctx, author_id),
        total=total_mentions(ctx.ws.engine, author_id, ctx.scope),
        profiles=PROFILES,
        sentiments=SENTIMENTS,
        known_tags=all_tags(ctx.ws.engine),
        history=entries(ctx.ws.engine, f"author:{author_id}"),
        inbox=f"/inbox?{urlencode({'author': author_id, 'status': 'all', 'period': 'all'})}",
    )


def _latest(ctx: Ctx, author_id: int) -> list[dict[str, Any]]:
    """The author's latest posts the person sees, each with the brands they see."""
    from storage.contributors import mentions_of

    rows = mentions_of(ctx.ws.engine, author_id, LATEST, ctx.scope)
    for row in rows:
        row["brands"] = [b for b in row["brands"] if ctx.sees(b)]
    return rows


@page("analyst")
def set_profile(ctx: Ctx) -> Response:
    """A person's profile for the contributor: it wins over the nightly computation, kept
    with the author (storage.authors.set_profile_by_human), and is audited."""
    from storage.audit import record
    from storage.authors import set_profile_by_human
    from storage.contributors import author

    author_id = _author_id(ctx)
    found = author(ctx.ws.engine, author_id)
    if found is None or not ctx.sees_author(author_id):
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


@page("analyst")
def withdraw_profile(ctx: Ctx) -> Response:
    """A person's profile withdrawn: the contributor's profile is the nights' computation
    again (storage.authors.withdraw_person_profile), audited with what it was."""
    from storage.audit import record
    from storage.authors import withdraw_person_profile
    from storage.contributors import author

    author_id = _author_id(ctx)
    found = author(ctx.ws.engine, author_id)
    if found is None or not ctx.sees_author(author_id):
        return _not_found(ctx, author_id)
    with ctx.ws.engine.begin() as conn:
        now = withdraw_person_profile(conn, author_id)
        if now is not None:  # else no person's profile to withdraw: nothing happens
            record(conn, ctx.user.name, "profile_withdrawn", f"author:{author_id}",
                   {"profile": now, "was": found["profile"]["profile"]}, ctx.address)  # fmt: skip
    return RedirectResponse(f"/authors/{author_id}", status_code=303)


@page("analyst")
def tag(ctx: Ctx) -> Response:
    """Put a tag of the team's on the contributor (« journaliste », « VIP »), audited."""
    from storage.audit import record
    from storage.author_tags import add_tag
    from storage.clock import utcnow

    author_id = _author_id(ctx)
    if not ctx.sees_author(author_id):
        return _not_found(ctx, author_id)
    try:
        with ctx.ws.engine.begin() as conn:
            if add_tag(conn, author_id, ctx.field("tag"), ctx.user.name, utcnow()):
                record(conn, ctx.user.name, "tag", f"author:{author_id}",
                       {"tag": " ".join(ctx.field("tag").split())}, ctx.address)  # fmt: skip
    except Refusal as exc:
        return ctx.render("error.html", status=400, title=ctx.t("authors.not_tagged"),
                          message=ctx.said(exc))  # fmt: skip
    return RedirectResponse(f"/authors/{author_id}", status_code=303)


@page("analyst")
def untag(ctx: Ctx) -> Response:
    """Take a tag off the contributor, audited."""
    from storage.audit import record
    from storage.author_tags import remove_tag

    author_id = _author_id(ctx)
    if not ctx.sees_author(author_id):
        return _not_found(ctx, author_id)
    with ctx.ws.engine.begin() as conn:
        if remove_tag(conn, author_id, ctx.field("tag")):
            record(conn, ctx.user.name, "untag", f"author:{author_id}",
                   {"tag": ctx.field("tag")}, ctx.address)  # fmt: skip
    return RedirectResponse(f"/authors/{author_id}", status_code=303)


ROUTES = [
    Route("/authors", contributors, methods=["GET"]),
    Route("/authors/export.csv", export_csv, methods=["GET"]),
    Route("/authors/{author_id:int}", contributor, methods=["GET"]),
    Route("/authors/{author_id:int}/profile", set_profile, methods=["POST"]),
    Route("/authors/{author_id:int}/profile/withdraw", withdraw_profile, methods=["POST"]),
    Route("/authors/{author_id:int}/tags", tag, methods=["POST"]),
    Route("/authors/{author_id:int}/tags/remove", untag, methods=["POST"]),
]
