"""The inbox: what needs attention first, filters, Veille's query language, full-text search,
bulk actions, and the export of the filtered view (CSV with a BOM, JSON lines)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from contextlib import closing
from datetime import datetime
from typing import Any

import orjson
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from nlp.inbox_filters import PERIODS, STATUS_CHOICES, View, read_view
from storage.vocab import PROFILES, SENTIMENTS, TOPICS
from web.app import Ctx, page

PAGE = 50
# A query in Veille's language is matched in Python, mention by mention: it reads at most
# this many of the filtered mentions, most urgent first (narrow with the other filters).
QUERY_SCAN = 20_000
COUNT_CAP = 10_000  # the inbox counts up to this many, then says "10,000+"
# A full-text view counts up to fewer: each match is joined to the window and the open flag
# (PostgreSQL, 1,000,000 mentions: 226 ms to reach 10,000 for words in 10 % of the texts,
# 23 ms to reach 1,000; bench/README.md).
FULLTEXT_COUNT_CAP = 1_000
EXPORT_COLUMNS = [
    "id",
    "published_at",
    "source",
    "author",
    "brands",
    "sentiment",
    "topic",
    "themes",
    "status",
    "assignee",
    "reach",
    "url",
    "title",
    "text",
]


def _doc(row: dict[str, Any]) -> Any:
    from nlp.themes import match_doc

    return match_doc(row)


def matching(
    ctx: Ctx, view: View, limit: int | None, offset: int = 0, order: str = "attention"
) -> tuple[list[dict[str, Any]], int, bool]:
    """(rows, how many were read, whether the query's scan stopped at QUERY_SCAN)."""
    from storage.inbox import inbox_page, iter_filtered

    if view.query is None:
        if limit is None:
            rows = list(iter_filtered(ctx.ws.engine, view.flt, order))
            return rows, len(rows), False
        return inbox_page(ctx.ws.engine, view.flt, limit, offset, order), 0, False
    rows, read, skipped = [], 0, 0
    scan = QUERY_SCAN if limit is not None else None
    with closing(iter_filtered(ctx.ws.engine, view.flt, order, 500, scan)) as candidates:
        for row in candidates:
            read += 1
            if view.query.matches(_doc(row)):
                if skipped < offset:
                    skipped += 1
                else:
                    rows.append(row)
                    if limit is not None and len(rows) >= limit:
                        return rows, read, False
            if read >= QUERY_SCAN and limit is not None:
                return rows, read, True
    return rows, read, False


def neighbours(ctx: Ctx, view: View, mention_id: int) -> tuple[int | None, int | None]:
    """The mentions just before and just after this one in the view's order (the mention
    page's previous and next); with a query, the nearest that match it (at most QUERY_SCAN
    read on each side)."""
    from storage.inbox import beside

    if view.query_error is not None:
        return None, None
    found: list[int | None] = []
    for before in (True, False):
        if view.query is None:
            rows = beside(ctx.ws.engine, view.flt, mention_id, before)
            found.append(rows[0]["id"] if rows else None)
            continue
        at, read, hit = mention_id, 0, None
        while hit is None and read < QUERY_SCAN:
            rows = beside(ctx.ws.engine, view.flt, at, before, limit=200)
            hit = next((r["id"] for r in rows if view.query.matches(_doc(r))), None)
            if not rows:
                break
            read, at = read + len(rows), rows[-1]["id"]
        found.append(hit)
    return found[0], found[1]


def _choices(ctx: Ctx) -> dict[str, list[str]]:
    """The brands (those the person sees) and sources present, for the filters."""
    from storage.inbox import choices

    found = choices(ctx.ws.engine)
    return {**found, "brands": [b for b in found["brands"] if ctx.sees(b)]}


def _author(ctx: Ctx, author_id: int | None) -> dict[str, Any] | None:
    """The card of the contributor whose posts the view shows, if the person sees one."""
    from storage.contributors import author

    if author_id is None or not ctx.sees_author(author_id):
        return None
    return author(ctx.ws.engine, author_id)


@page("viewer")
def inbox(ctx: Ctx) -> Response:
    from storage.author_tags import all_tags
    from storage.inbox import count
    from storage.users import user_names
    from storage.view_watches import watched_by
    from web.saved_views import seen_views

    view = read_view(ctx.params, ctx.user.name, ctx.themes, ctx.scope)
    try:
        number = max(1, int(ctx.params.get("page") or 1))
    except ValueError:
        number = 1
    rows: list[dict[str, Any]] = []
    read, capped, total = 0, False, None
    cap = FULLTEXT_COUNT_CAP if view.flt.words else COUNT_CAP
    if view.query_error is None:
        rows, read, capped = matching(ctx, view, PAGE + 1, (number - 1) * PAGE)
        if view.query is None:
            total = count(ctx.ws.engine, view.flt, cap=cap)
    more = len(rows) > PAGE
    return ctx.render(
        "inbox.html",
        view=view,
        rows=rows[:PAGE],
        more=more,
        page=number,
        total=total,
        read=read,
        capped=capped,
        count_cap=cap,
        scan=QUERY_SCAN,
        choices=_choices(ctx),
        users=user_names(ctx.ws.engine),
        sentiments=SENTIMENTS,
        topics=TOPICS,
        profiles=PROFILES,
        periods=list(PERIODS),
        statuses=STATUS_CHOICES,
        handoff_targets=sorted(ctx.ws.settings.alerts.targets),
        themes=[t.name for t in ctx.themes],
        saved=seen_views(ctx),
        watched=watched_by(ctx.ws.engine, ctx.user.id) if ctx.user.id else set(),
        filters={k: v for k, v in view.values.items() if v},
        author=_author(ctx, view.flt.author),
        author_tags=all_tags(ctx.ws.engine),
    )


def csv_lines(
    rows: Iterator[dict[str, Any]], columns: Sequence[str] = EXPORT_COLUMNS
) -> Iterator[bytes]:
    """A CSV file a spreadsheet opens safely, streamed: `columns` of each row (a list joined
    with ";", a cell that a spreadsheet would run as a formula quoted)."""
    yield "\ufeff".encode()  # the BOM: spreadsheets then read UTF-8
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row, c) for c in columns])
        if out.tell() > 64_000:
            yield out.getvalue().encode()
            out.seek(0)
            out.truncate()
    yield out.getvalue().encode()


def _cell(row: dict[str, Any], column: str) -> Any:
    value = row.get(column)
    if isinstance(value, list | tuple):
        value = ";".join(str(v) for v in value)
    elif isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value  # a cell a spreadsheet would run as a formula is quoted
    return "" if value is None else value


def _jsonl(rows: Iterator[dict[str, Any]]) -> Iterator[bytes]:
    for row in rows:
        item = {c: row.get(c) for c in EXPORT_COLUMNS}
        yield orjson.dumps(item, default=str) + b"\n"


def _all_rows(ctx: Ctx, view: View) -> Iterator[dict[str, Any]]:
    """Every mention of the view, streamed (the query, if any, matched on the way), with the
    workspace's themes each is in."""
    from nlp.themes import ThemeMatcher
    from storage.inbox import iter_filtered

    themes = ThemeMatcher(ctx.themes)
    for row in iter_filtered(ctx.ws.engine, view.flt):
        doc = _doc(row)
        if view.query is None or view.query.matches(doc):
            yield {**row, "themes": themes.match(doc) if len(themes) else []}


def _export(ctx: Ctx, kind: str) -> Response:
    view = read_view(ctx.params, ctx.user.name, ctx.themes, ctx.scope)
    if view.query_error is not None:
        reason, hint = view.query_error.said(ctx.lang)
        key = "inbox.query_error_hint" if hint else "inbox.query_error"
        said = ctx.t(key, column=view.query_error.column, reason=reason, hint=hint)
        return ctx.render("error.html", status=400, title=ctx.t("inbox.bad_query"), message=said)
    filters = {k: v for k, v in view.values.items() if v}
    ctx.audit("export", None, {"format": kind, **filters})
    rows = _all_rows(ctx, view)
    if kind == "csv":
        body, media = csv_lines(rows), "text/csv; charset=utf-8"
    else:
        body, media = _jsonl(rows), "application/x-ndjson"
    name = f"veille-mentions.{'csv' if kind == 'csv' else 'jsonl'}"
    return StreamingResponse(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )


@page("viewer")
def export_csv(ctx: Ctx) -> Response:
    return _export(ctx, "csv")


@page("viewer")
def export_jsonl(ctx: Ctx) -> Response:
    return _export(ctx, "jsonl")


@page("analyst")
def bulk(ctx: Ctx) -> Response:
    """Assign, mark done (closed), relabel, hand over, take off a brand (off-topic) or put
    back on it the checked mentions."""
    from nlp.human_labels import check_value
    from storage.audit import record
    from storage.inbox import existing_ids, set_triage
    from storage.labelling import set_languages
    from storage.labels import LabelRecord, save_labels
    from storage.users import get_user

    back = ctx.field("back") or "/inbox"
    if not back.startswith("/inbox"):
        back = "/inbox"
    try:
        ids = existing_ids(ctx.ws.engine, [int(i) for i in ctx.fields("ids")][:1000])
    except ValueError:
        ids = []
    if ctx.scope is not None:  # only what the person sees (storage.scope)
        from storage.scope import seen_mentions

        with ctx.ws.engine.connect() as conn:
            ids = seen_mentions(conn, ctx.scope, ids)
    action = ctx.field("action")
    if not ids:
        return RedirectResponse(back, status_code=303)
    engine = ctx.ws.engine
    detail: dict[str, Any] = {"ids": ids}
    each = [f"mention:{i}" for i in ids]  # each mention's history lists the action
    if action == "assign":
        from reports.alerts.assignment import notify
        from storage.clock import utcnow

        assignee = ctx.field("assignee")
        person = get_user(engine, assignee) if assignee else None
        if assignee and person is None:
            return ctx.render(
                "error.html",
                status=400,
                title=ctx.t("triage.no_user"),
                message=ctx.t("triage.no_user_message", name=repr(assignee)),
            )
        if person is not None:
            from web.mentions import blind

            if (refused := blind(ctx, person, ids)) is not None:
                return refused
        detail["assignee"] = assignee or None
        now = utcnow()
        with engine.begin() as conn:
            set_triage(conn, ids, ctx.user.name, assignee=assignee or None, unassign=not assignee)
            record(conn, ctx.user.name, "bulk_assign", None, detail, ctx.address, targets=each)
            # One message for the whole action (not of what they assign themselves).
            notice = notify(conn, ids, person, ctx.user.name, now) if person else None
        sent = [notice] if notice is not None else []
        return ctx.deliver_after(RedirectResponse(back, status_code=303), sent, now)
    elif action in ("done", "in_progress", "answered", "new"):
        status = "closed" if action == "done" else action
        detail["status"] = status
        with engine.begin() as conn:
            set_triage(conn, ids, ctx.user.name, status=status)
            record(conn, ctx.user.name, "bulk_status", None, detail, ctx.address, targets=each)
    elif action == "relabel":
        task, _, value = ctx.field("label").partition("=")
        try:
            value = check_value(task, value)
        except ValueError as exc:
            return ctx.render(
                "error.html", status=400, title=ctx.t("triage.bad_label"), message=ctx.said(exc)
            )
        detail.update(task=task, value=value)
        records = [
            LabelRecord(i, task, value, score=1.0, model="human", version="human") for i in ids
        ]
        with engine.begin() as conn:
            save_labels(conn, records, by_human=True)
            if task == "language":
                set_languages(conn, [(i, value) for i in ids])
            record(conn, ctx.user.name, "bulk_label", None, detail, ctx.address, targets=each)
    elif action == "handoff":
        from reports.alerts.handoff import HandoffError, hand_over_many
        from storage.clock import utcnow

        now = utcnow()
        try:  # each mention's history says it was handed over (reports.alerts.handoff)
            new = hand_over_many(engine, ctx.ws.settings, ids, ctx.field("target"), now,
                                 by=ctx.user.name)  # fmt: skip
        except HandoffError as exc:
            return ctx.render(
                "error.html",
                status=400,
                title=ctx.t("inbox.cannot_hand_over"),
                message=ctx.said(exc),
            )
        return ctx.deliver_after(RedirectResponse(back, status_code=303), new, now)
    elif action == "off_topic":
        from web.off_topic import take_off

        take_off(ctx, ids, ctx.field("off_topic_brand"), bulk=True)
    elif action == "on_topic":
        from web.off_topic import put_back

        put_back(ctx, ids, ctx.field("off_topic_brand"), bulk=True)
    else:
        return ctx.render(
            "error.html",
            status=400,
            title=ctx.t("inbox.unknown_action"),
            message=ctx.t("inbox.unknown_action_message"),
        )
    return RedirectResponse(back, status_code=303)


ROUTES = [
    Route("/inbox", inbox, methods=["GET"]),
    Route("/inbox/export.csv", export_csv, methods=["GET"]),
    Route("/inbox/export.jsonl", export_jsonl, methods=["GET"]),
    Route("/inbox/bulk", bulk, methods=["POST"]),
]
