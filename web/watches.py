"""Hear of the new mentions of a saved view: anyone who sees a view of the inbox (the team's,
or their own) may ask for it (« M'avertir »); each alerts check then e-mails them the
mentions that arrived since the last one it looked at and that the view holds — its filters
and its query, whatever its period — one message per view and check, none when nothing new
came (`owe_new_matches`, called by the `alerts` stage and `veille alerts check`; the message:
reports/alerts/watch_mail.py). A person without an e-mail address hears of nothing."""

from __future__ import annotations

from contextlib import closing
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlencode

from sqlalchemy import Engine
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from config.settings import Settings
from web.app import Ctx, page
from web.inbox import read_view

SCAN = 5_000  # new mentions a watch reads at most per check (the newest first)
KEPT = 500  # mention ids a message keeps (the inbox link shows them all)


def owe_new_matches(engine: Engine, settings: Settings, now: datetime) -> int:
    """Owe each watcher the new mentions of their view; how many messages were owed."""
    from nlp.themes import match_doc
    from reports.alerts.watch_mail import WATCH
    from storage import deliveries
    from storage.deliveries import person_target
    from storage.inbox import iter_filtered
    from storage.view_watches import advance, every_watch, newest_mention_id

    newest = newest_mention_id(engine)
    owed = 0
    for w in every_watch(engine):
        if newest <= w.last_mention_id:
            continue
        view = read_view(w.filters, w.person, settings.themes)
        ids: list[int] = []
        if w.email and view.query_error is None:
            flt = replace(view.flt, since=None, ids_between=(w.last_mention_id, newest))
            with closing(iter_filtered(engine, flt, "date", 500, SCAN)) as rows:
                query = view.query
                ids = [r["id"] for r in rows if query is None or query.matches(match_doc(r))]
        with engine.begin() as conn:  # taken once, even by two checks at the same time
            if not advance(conn, w.id, w.last_mention_id, newest) or not ids:
                continue
            done = deliveries.owe(
                conn, f"{WATCH}:{w.id}:{newest}", kind=WATCH, target=person_target(w.person),
                channel="email", now=now, mention_id=ids[0],
                payload={"view": w.view_name, "mentions": ids[:KEPT], "count": len(ids),
                         "query": urlencode(sorted(w.filters.items()))},
            )  # fmt: skip
        owed += done is not None
    return owed


def _view_of(ctx: Ctx) -> int | None:
    """The view of the address, if this person sees it (the team's, or their own)."""
    from storage.saved_views import get_view

    found = get_view(ctx.ws.engine, int(ctx.request.path_params["view_id"]))
    if found is None or (found.private and found.owner != ctx.user.name):
        return None
    return found.id


@page("viewer")
def watch(ctx: Ctx) -> Response:
    """Hear of the view's new mentions (needs an e-mail address: My account)."""
    from storage.clock import utcnow
    from storage.view_watches import watch as start

    view_id = _view_of(ctx)
    if view_id is None or ctx.user.id == 0:
        return ctx.render("error.html", status=404, title=ctx.t("inbox.views.no_such"),
                          message="")  # fmt: skip
    if not ctx.user.email:
        return ctx.render("error.html", status=400, title=ctx.t("watch.no_email"),
                          message=ctx.t("watch.no_email_message"))  # fmt: skip
    if start(ctx.ws.engine, view_id, ctx.user.id, utcnow()):
        ctx.audit("view_watch", f"view:{view_id}")
    return RedirectResponse(_back(ctx), status_code=303)


@page("viewer")
def unwatch(ctx: Ctx) -> Response:
    """Hear of the view's new mentions no more."""
    from storage.view_watches import unwatch as stop

    view_id = _view_of(ctx)
    if view_id is not None and stop(ctx.ws.engine, view_id, ctx.user.id):
        ctx.audit("view_unwatch", f"view:{view_id}")
    return RedirectResponse(_back(ctx), status_code=303)


def _back(ctx: Ctx) -> str:
    back = ctx.field("back")
    ours = back.startswith(("/inbox", "/account")) and "\\" not in back
    return back if ours else "/inbox"


ROUTES = [
    Route("/inbox/views/{view_id:int}/watch", watch, methods=["POST"]),
    Route("/inbox/views/{view_id:int}/unwatch", unwatch, methods=["POST"]),
]
