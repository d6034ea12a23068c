"""Hear of the new mentions of a saved view: anyone who sees a view of the inbox (the team's,
or their own) may ask for it (« M'avertir »); each alerts check then e-mails them the
mentions that arrived since the last one it looked at and that the view holds
(reports/alerts/watch_mail.py). A person without an e-mail address hears of nothing."""

from __future__ import annotations

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web.app import Ctx, page


def _view_of(ctx: Ctx) -> int | None:
    """The view of the address, if this person sees it (the team's, or their own)."""
    from storage.saved_views import get_view
    from web.saved_views import about_seen_brands

    found = get_view(ctx.ws.engine, int(ctx.request.path_params["view_id"]))
    if found is None or (found.private and found.owner != ctx.user.name):
        return None
    if not about_seen_brands(ctx, found):  # a team's view of another brand
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
