"""The inbox's saved views: an analyst names the inbox's current filters, everyone opens them
in a click above the inbox (storage.saved_views keeps them)."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web.app import Ctx, page
from web.inbox import read_view


@page("analyst")
def save(ctx: Ctx) -> Response:
    """Save the filters of the inbox address in `query` under `name` (the same name: the new
    filters)."""
    from storage.clock import utcnow
    from storage.saved_views import NAME_LIMIT, save_view

    view = read_view(dict(parse_qsl(ctx.field("query"))), ctx.user.name, ctx.ws.settings.themes)
    if view.query_error is not None:
        return ctx.render("error.html", status=400, title=ctx.t("inbox.views.not_saved"),
                          message=ctx.t("inbox.views.bad_query"))  # fmt: skip
    filters = {k: v for k, v in view.values.items() if v}
    try:
        saved = save_view(ctx.ws.engine, ctx.field("name"), filters, ctx.user.name, utcnow())
    except ValueError:
        return ctx.render("error.html", status=400, title=ctx.t("inbox.views.not_saved"),
                          message=ctx.t("inbox.views.bad_name", most=NAME_LIMIT))  # fmt: skip
    ctx.audit("view_save", f"view:{saved.id}", {"name": saved.name, "filters": filters})
    return RedirectResponse("/inbox?" + urlencode(filters), status_code=303)


@page("analyst")
def remove(ctx: Ctx) -> Response:
    """Remove a saved view, for the whole team."""
    from storage.saved_views import remove_view

    view_id = int(ctx.request.path_params["view_id"])
    found = remove_view(ctx.ws.engine, view_id)
    if found is None:
        return ctx.render("error.html", status=404, title=ctx.t("inbox.views.no_such"),
                          message="")  # fmt: skip
    ctx.audit("view_remove", f"view:{view_id}", {"name": found.name, "filters": found.filters})
    return RedirectResponse("/inbox", status_code=303)


ROUTES = [
    Route("/inbox/views", save, methods=["POST"]),
    Route("/inbox/views/{view_id:int}/remove", remove, methods=["POST"]),
]
