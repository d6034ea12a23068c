"""The inbox's saved views: an analyst names the inbox's current filters for the team, anyone
names them for themselves alone; each opens them in a click above the inbox
(storage.saved_views keeps them)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from nlp.inbox_filters import read_view
from web.app import Ctx, not_allowed, page

if TYPE_CHECKING:
    from storage.saved_views import SavedViewRecord


def about_seen_brands(ctx: Ctx, view: SavedViewRecord) -> bool:
    """Whether the view's filters name no brand the person does not see (storage.scope): a
    team's view of another brand is not theirs to list, watch or remove."""
    return all(ctx.sees(view.filters.get(key) or None) for key in ("brand", "off_topic"))


def seen_views(ctx: Ctx) -> list[SavedViewRecord]:
    """The saved views above this person's inbox: the team's and their own, of their brands."""
    from storage.saved_views import list_views

    return [v for v in list_views(ctx.ws.engine, ctx.user.name) if about_seen_brands(ctx, v)]


def _needs_analyst(ctx: Ctx) -> Response | None:
    """The team's views are an analyst's to save and remove (a 403 otherwise)."""
    from web.security import allowed

    return None if allowed(ctx.user.role, "analyst") else not_allowed(ctx, "analyst")


@page("viewer")
def save(ctx: Ctx) -> Response:
    """Save the filters of the inbox address in `query` under `name` (the same name: the new
    filters), for the team (an analyst) or, with `private`, for oneself (anyone)."""
    from storage.clock import utcnow
    from storage.saved_views import NAME_LIMIT, save_view

    private = bool(ctx.field("private"))
    refused = None if private else _needs_analyst(ctx)
    if refused is not None:
        return refused

    view = read_view(dict(parse_qsl(ctx.field("query"))), ctx.user.name, ctx.themes, ctx.scope)
    if view.query_error is not None:
        return ctx.render("error.html", status=400, title=ctx.t("inbox.views.not_saved"),
                          message=ctx.t("inbox.views.bad_query"))  # fmt: skip
    filters = {k: v for k, v in view.values.items() if v}
    try:
        saved = save_view(ctx.ws.engine, ctx.field("name"), filters, ctx.user.name, utcnow(),
                          owner=ctx.user.name if private else "")  # fmt: skip
    except ValueError:
        return ctx.render("error.html", status=400, title=ctx.t("inbox.views.not_saved"),
                          message=ctx.t("inbox.views.bad_name", most=NAME_LIMIT))  # fmt: skip
    ctx.audit("view_save", f"view:{saved.id}",
              {"name": saved.name, "filters": filters, "private": private})  # fmt: skip
    return RedirectResponse("/inbox?" + urlencode(filters), status_code=303)


@page("viewer")
def remove(ctx: Ctx) -> Response:
    """Remove a saved view: the team's (an analyst), or one's own; another person's own view
    is not found."""
    from storage.saved_views import get_view, remove_view

    view_id = int(ctx.request.path_params["view_id"])
    found = get_view(ctx.ws.engine, view_id)
    if found is not None and found.private and found.owner != ctx.user.name:
        found = None
    if found is not None and not about_seen_brands(ctx, found):
        found = None
    if found is not None and not found.private:
        refused = _needs_analyst(ctx)
        if refused is not None:
            return refused
    if found is not None:
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
