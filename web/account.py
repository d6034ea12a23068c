"""A person's own account (`/account`): their role, a new password (the current one asked
first, throttled as signing in is; every other browser signed out, this one kept), the
address they hear of the mentions assigned to them at, and two-step sign-in
(web/two_factor.py). An API token has no account."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web.app import Ctx, page
from web.auth import start_session
from web.security import MIN_PASSWORD

TWO_FACTOR_PROBLEMS = ("wrong_code", "throttled")  # what web.two_factor's answers may say


def _page(ctx: Ctx, problem: object = None, status: int = 200) -> Response:
    from web.two_factor import qr_code, setup_link

    pending = ctx.user.totp_pending if ctx.user.totp_secret is None else None
    where = urlsplit(ctx.ws.settings.web.url or "").hostname or ""  # one install from another
    link = setup_link(pending, ctx.user.name, where) if pending else None
    said = ctx.params.get("two_factor")
    watched = _watched(ctx)
    return ctx.render(
        "account.html", status=status, problem=problem, token=ctx.user.id == 0,
        minimum=MIN_PASSWORD, changed=ctx.params.get("changed") == "1" and problem is None,
        pending=pending and " ".join(pending[i:i + 4] for i in range(0, len(pending), 4)),
        qr=link and qr_code(link), two_factor_problem=said if said in TWO_FACTOR_PROBLEMS else None,
        required=ctx.ws.settings.web.two_factor == "required" and ctx.user.totp_secret is None,
        watched=watched,
    )  # fmt: skip


def _watched(ctx: Ctx) -> list[Any]:
    """The saved views this person hears of, by name."""
    from storage.view_watches import watched_by
    from web.saved_views import seen_views

    if ctx.user.id == 0:
        return []
    mine = watched_by(ctx.ws.engine, ctx.user.id)
    return [v for v in seen_views(ctx) if v.id in mine]


@page("viewer")
def account(ctx: Ctx) -> Response:
    return _page(ctx)


@page("viewer")
def password(ctx: Ctx) -> Response:
    """A new password for the person signed in, after their current one."""
    from storage.users import get_user, set_password
    from web.security import hash_password, verify_or_waste

    ws, name = ctx.ws, ctx.user.name
    if ctx.user.id == 0:
        return _page(ctx, ctx.t("account.token"), status=400)
    wait = ws.throttle.wait(name, ctx.address)
    if wait > 0:
        return _page(ctx, ctx.t("login.throttled", n=int(wait) + 1), status=429)
    if not verify_or_waste(ctx.user.password_hash, ctx.field("current")):
        ws.throttle.failed(name, ctx.address)
        ctx.audit("password_failed", f"user:{name}")
        return _page(ctx, ctx.t("account.wrong_current"), status=400)
    new = ctx.field("new")
    if new != ctx.field("confirm"):
        return _page(ctx, ctx.t("account.mismatch"), status=400)
    if len(new) < MIN_PASSWORD:
        return _page(ctx, ctx.t("account.too_short", n=MIN_PASSWORD), status=400)
    ws.throttle.succeeded(name)
    set_password(ws.engine, name, hash_password(new))
    ctx.audit("password", f"user:{name}")
    fresh = get_user(ws.engine, name)
    assert fresh is not None  # this browser goes on; the others are signed out
    return start_session(ws, fresh, RedirectResponse("/account?changed=1", status_code=303))


@page("viewer")
def email(ctx: Ctx) -> Response:
    """Where the person hears of the mentions assigned to them (empty: nowhere)."""
    from storage.users import set_email

    if ctx.user.id == 0:
        return _page(ctx, ctx.t("account.token"), status=400)
    address = ctx.field("email").strip() or None
    try:
        set_email(ctx.ws.engine, ctx.user.name, address)
    except ValueError as exc:
        return _page(ctx, ctx.t("users.refused", reason=ctx.said(exc)), status=400)
    ctx.audit("user_email", f"user:{ctx.user.name}", {"email": address or ""})
    return RedirectResponse("/account", status_code=303)


ROUTES = [
    Route("/account", account, methods=["GET"]),
    Route("/account/password", password, methods=["POST"]),
    Route("/account/email", email, methods=["POST"]),
]
