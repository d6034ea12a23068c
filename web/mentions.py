"""One mention: its text (escaped, bidi-isolated), link, thread, author card, labels with
one-click correction (a person's label, which wins), status, assignee, notes and history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from storage.inbox import STATUSES
from storage.vocab import MENTION_TASKS, values_of
from web.app import Ctx, page

if TYPE_CHECKING:
    from storage.users import UserRecord


def _mention_id(ctx: Ctx) -> int:
    return int(ctx.request.path_params["mention_id"])


def _not_found(ctx: Ctx, mention_id: int) -> Response:
    return ctx.render(
        "error.html",
        status=404,
        title=ctx.t("mention.not_found"),
        message=ctx.t("mention.not_found_message", id=mention_id),
    )


def unseen(ctx: Ctx, mention_id: int) -> Response | None:
    """404 when there is no such mention or the person does not see it (another brand's:
    storage.scope); None when they may go on."""
    from storage.inbox import existing_ids

    if not existing_ids(ctx.ws.engine, [mention_id]) or not ctx.sees_mention(mention_id):
        return _not_found(ctx, mention_id)
    return None


def blind(ctx: Ctx, person: UserRecord, ids: list[int]) -> Response | None:
    """400 when `person` would not see some of these mentions (another brand's): they are
    not assigned what they cannot open; None when they see them all."""
    from storage.scope import seen_mentions

    if person.brands is None:
        return None
    with ctx.ws.engine.connect() as conn:
        if len(seen_mentions(conn, person.brands, ids)) == len(set(ids)):
            return None
    return ctx.render("error.html", status=400, title=ctx.t("triage.not_theirs"),
                      message=ctx.t("triage.not_theirs_message", name=person.name,
                                    brands=", ".join(person.brands)))  # fmt: skip


def _history(ctx: Ctx, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The mention's audit entries as its page shows them: a bulk action says how many
    mentions it took at once rather than listing their ids; what was done about a brand the
    person does not see is left out."""
    out = []
    for e in found:
        detail = dict(e["detail"] or {})
        if not ctx.sees(detail.get("brand")):
            continue
        ids = detail.pop("ids", None)
        if isinstance(ids, list):
            detail["mentions"] = len(ids)
        out.append({**e, "detail": detail or None})
    return out


@page("viewer")
def mention(ctx: Ctx) -> Response:
    from nlp.inbox_filters import read_view
    from storage.alerts import episodes_of
    from storage.audit import entries
    from storage.inbox import mention as load
    from storage.users import user_names
    from web.inbox import neighbours

    mention_id = _mention_id(ctx)
    m = load(ctx.ws.engine, mention_id, ctx.scope)
    if m is None or not ctx.sees_mention(mention_id):
        return _not_found(ctx, mention_id)
    m["brands"] = [b for b in m["brands"] if ctx.sees(b)]  # the others' are not theirs to see
    m["brand_terms"] = {b: t for b, t in m["brand_terms"].items() if ctx.sees(b)}
    # the inbox view the analyst came from
    view = read_view(ctx.params, ctx.user.name, ctx.themes, ctx.scope)
    previous, following = neighbours(ctx, view, mention_id)
    labels = {label["task"]: label for label in m["labels"]}
    answered = _brand_answers(ctx, mention_id, m["brands"])
    choices = {task: values_of(task) for task in MENTION_TASKS if values_of(task)}
    return ctx.render(
        "mention.html",
        m=m,
        labels=labels,
        choices=choices,
        statuses=STATUSES,
        users=user_names(ctx.ws.engine),
        history=_history(ctx, entries(ctx.ws.engine, f"mention:{mention_id}")),
        view=view,
        previous=previous,
        following=following,
        alerts=episodes_of(ctx.ws.engine, m["brands"], m["published_at"]),
        answered=answered,
        handoffs=_handoffs(ctx, mention_id),
        handoff_targets=sorted(ctx.ws.settings.alerts.targets),
        themes=_themes(ctx, mention_id),
        dismissed=_dismissed(ctx, mention_id),
    )


def _dismissed(ctx: Ctx, mention_id: int) -> list[dict[str, Any]]:
    """The brands a person took the mention off (storage/dismissals.py)."""
    from storage.dismissals import of_mention

    with ctx.ws.engine.connect() as conn:
        return [d for d in of_mention(conn, mention_id) if ctx.sees(d["brand"])]


def _themes(ctx: Ctx, mention_id: int) -> list[str]:
    """The workspace's themes the mention is in (their queries matched now)."""
    from nlp.themes import themes_of

    if not ctx.themes:
        return []
    with ctx.ws.engine.connect() as conn:
        return themes_of(conn, ctx.themes, [mention_id]).get(mention_id, [])


def _handoffs(ctx: Ctx, mention_id: int) -> list[dict[str, Any]]:
    """The mention's hand-overs to a helpdesk or CRM: target, state, when, by whom."""
    from reports.alerts.handoff import HANDOFF
    from storage.deliveries import of_mention

    return [
        {"target": d.target, "status": d.status, "at": d.sent_at or d.created_at,
         "by": (d.payload or {}).get("by"), "error": d.error if d.status != "sent" else None}
        for d in of_mention(ctx.ws.engine, mention_id)
        if d.kind == HANDOFF
    ]  # fmt: skip


@page("analyst")
def handoff(ctx: Ctx) -> Response:
    """Hand the mention over to a target of alerts.targets (a helpdesk, a CRM); it leaves at
    once, after the answer, and the next alerts check tries again if it could not."""
    from reports.alerts.handoff import HandoffError, hand_over_now
    from storage.clock import utcnow

    mention_id = _mention_id(ctx)
    if (refused := unseen(ctx, mention_id)) is not None:
        return refused
    now = utcnow()
    note = ctx.field("note").strip()[:2000] or None
    try:
        new, _ = hand_over_now(
            ctx.ws.engine, ctx.ws.settings, mention_id, ctx.field("target"), now,
            by=ctx.user.name, note=note,
        )  # fmt: skip
    except HandoffError as exc:
        return ctx.render(
            "error.html", status=400, title=ctx.t("mention.cannot_hand_over"), message=ctx.said(exc)
        )
    return ctx.deliver_after(back_to(ctx, mention_id), [new] if new is not None else [], now)


def _brand_answers(ctx: Ctx, mention_id: int, brands: list[str]) -> list[dict[str, Any]]:
    """The replies that answer the mention from the own accounts of the brands it is about
    (storage.replies: as the report and the `answers` stage count them)."""
    from storage.clock import utcnow
    from storage.replies import answers_to
    from storage.reporting import own_account_ids

    handles = [h for b in ctx.ws.settings.brands if b.name in brands for h in b.own_accounts]
    if not handles:
        return []
    with ctx.ws.engine.connect() as conn:
        return answers_to(conn, mention_id, own_account_ids(conn, handles), utcnow())


def back_to(ctx: Ctx, mention_id: int) -> Response:
    """Back to the mention, in the inbox view it was opened from (the form's query string);
    back to the labels to check when the form was sent from there."""
    if ctx.params.get("from") == "review":
        from web import review

        brands = ctx.brands
        return RedirectResponse(review.url(review.filters(ctx.params, brands)), status_code=303)
    query = ctx.request.url.query
    return RedirectResponse(
        f"/mentions/{mention_id}" + (f"?{query}" if query else ""), status_code=303
    )


@page("analyst")
def correct(ctx: Ctx) -> Response:
    """A person's label for one task: stored as `veille label` stores it, so it wins."""
    from nlp.human_labels import check_value, record

    mention_id = _mention_id(ctx)
    if (refused := unseen(ctx, mention_id)) is not None:
        return refused
    task = ctx.field("task")
    try:
        value = check_value(task, ctx.field("value"))
        record(ctx.ws.engine, mention_id, [(task, value)])
    except ValueError as exc:
        return ctx.render(
            "error.html", status=400, title=ctx.t("triage.bad_label"), message=ctx.said(exc)
        )
    except LookupError:
        return _not_found(ctx, mention_id)
    ctx.audit("label", f"mention:{mention_id}", {"task": task, "value": value})
    return back_to(ctx, mention_id)


@page("analyst")
def triage(ctx: Ctx) -> Response:
    from reports.alerts.assignment import notify
    from storage.audit import record
    from storage.clock import utcnow
    from storage.inbox import set_triage
    from storage.users import get_user

    mention_id = _mention_id(ctx)
    if (refused := unseen(ctx, mention_id)) is not None:
        return refused
    status = ctx.field("status") or None
    if status is not None and status not in STATUSES:
        return ctx.render(
            "error.html",
            status=400,
            title=ctx.t("mention.bad_status"),
            message=ctx.t("mention.bad_status_message", statuses=", ".join(STATUSES)),
        )
    detail: dict[str, Any] = {}
    kwargs: dict[str, Any] = {}
    if status:
        kwargs["status"] = detail["status"] = status
    person = None
    if ctx.form is not None and "assignee" in ctx.form:
        assignee = ctx.field("assignee")
        if assignee == "me":
            assignee = ctx.user.name
        person = get_user(ctx.ws.engine, assignee) if assignee else None
        if assignee and person is None:
            return ctx.render(
                "error.html",
                status=400,
                title=ctx.t("triage.no_user"),
                message=ctx.t("triage.no_user_message", name=repr(assignee)),
            )
        if person is not None and (refused := blind(ctx, person, [mention_id])) is not None:
            return refused
        kwargs["assignee"] = assignee or None
        kwargs["unassign"] = not assignee
        detail["assignee"] = assignee or None
    new = None
    now = utcnow()
    if detail:
        with ctx.ws.engine.begin() as conn:
            set_triage(conn, [mention_id], ctx.user.name, **kwargs)
            record(conn, ctx.user.name, "triage", f"mention:{mention_id}", detail, ctx.address)
            if person is not None:  # they hear of it (not of what they assign themselves)
                new = notify(conn, [mention_id], person, ctx.user.name, now)
    return ctx.deliver_after(back_to(ctx, mention_id), [new] if new is not None else [], now)


@page("analyst")
def note(ctx: Ctx) -> Response:
    from storage.audit import record
    from storage.inbox import add_note

    mention_id = _mention_id(ctx)
    text = ctx.field("note").strip()
    if (refused := unseen(ctx, mention_id)) is not None:
        return refused
    if text:
        with ctx.ws.engine.begin() as conn:
            add_note(conn, mention_id, ctx.user.name, text[:5000])
            record(
                conn,
                ctx.user.name,
                "note",
                f"mention:{mention_id}",
                {"chars": len(text)},
                ctx.address,
            )
    return back_to(ctx, mention_id)


ROUTES = [
    Route("/mentions/{mention_id:int}", mention, methods=["GET"]),
    Route("/mentions/{mention_id:int}/label", correct, methods=["POST"]),
    Route("/mentions/{mention_id:int}/triage", triage, methods=["POST"]),
    Route("/mentions/{mention_id:int}/notes", note, methods=["POST"]),
    Route("/mentions/{mention_id:int}/handoff", handoff, methods=["POST"]),
]
