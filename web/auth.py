"""Signing in and out: `/login` (fields `username`, `password`), throttled, audited."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from web.app import Ctx, Workspace, page, render
from web.security import SESSION_COOKIE, SESSION_SECONDS, verify_or_waste

if TYPE_CHECKING:
    from storage.users import UserRecord


def _next(value: Any) -> str:
    """Only a path of this site (never //elsewhere or a scheme)."""
    text = value if isinstance(value, str) else ""
    return (
        text
        if text.startswith("/") and not text.startswith("//") and "\\" not in text
        else "/inbox"
    )


async def login_form(request: Request) -> Response:
    ws: Workspace = request.app.state.ws
    return render(
        ws,
        "login.html",
        user=None,
        token=ws.signer.login_token(),
        next=_next(request.query_params.get("next")),
        error=None,
    )


def _check(ws: Workspace, name: str, password: str, address: str) -> tuple[str, Any]:
    from storage.audit import log
    from storage.users import get_user

    wait = ws.throttle.wait(name, address)
    if wait > 0:
        log(ws.engine, name or "-", "login_throttled", f"user:{name}", None, address)
        return "throttled", int(wait) + 1
    user = get_user(ws.engine, name)
    if not verify_or_waste(user.password_hash if user else None, password) or user is None:
        ws.throttle.failed(name, address)
        log(ws.engine, name or "-", "login_failed", f"user:{name}", None, address)
        return "bad", None
    ws.throttle.succeeded(name)
    log(ws.engine, user.name, "login", f"user:{user.name}", None, address)
    return "ok", user


async def login(request: Request) -> Response:
    ws: Workspace = request.app.state.ws
    form = await request.form()
    name = str(form.get("username") or "").strip()
    password = str(form.get("password") or "")
    target = _next(form.get("next"))
    if not ws.signer.check_login_token(str(form.get("csrf") or "")):
        return PlainTextResponse(ws.words(ws.language).text("login.stale"), status_code=403)
    address = request.client.host if request.client else "-"
    outcome, value = await run_in_threadpool(_check, ws, name, password, address)
    if outcome == "throttled":
        return render(
            ws,
            "login.html",
            status=429,
            user=None,
            token=ws.signer.login_token(),
            next=target,
            error=ws.words(ws.language).html("login.throttled", n=value),
        )
    if outcome == "bad":
        return render(
            ws,
            "login.html",
            status=401,
            user=None,
            token=ws.signer.login_token(),
            next=target,
            error=ws.words(ws.language).html("login.wrong"),
        )
    return start_session(ws, value, RedirectResponse(target, status_code=303))


def start_session(ws: Workspace, user: UserRecord, response: Response) -> Response:
    """`response` with the session cookie of `user` (signing in, a new password): signed,
    HttpOnly, SameSite=Lax, Secure behind HTTPS."""
    cookie, _ = ws.signer.session_cookie(
        user.name, user.password_changed_at.timestamp(), user.session_generation
    )
    response.set_cookie(
        SESSION_COOKIE,
        cookie,
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="lax",
        secure=ws.secure_cookies,
        path="/",
    )
    return response


@page("viewer")
def logout(ctx: Ctx) -> Response:
    """Signing out voids the cookie on the server too (and the person's other sessions)."""
    from storage.users import end_sessions

    end_sessions(ctx.ws.engine, ctx.user.name)
    ctx.audit("logout", f"user:{ctx.user.name}")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=ctx.ws.secure_cookies
    )
    return response


@page("viewer")
def language(ctx: Ctx) -> Response:
    """The person's language for every page from now on (the top bar's FR / EN)."""
    from storage.users import set_language

    chosen = ctx.field("language")
    if chosen not in ctx.ws.templates:
        return ctx.render("error.html", status=400, title=ctx.t("error.not_done"),
                          message=ctx.t("language.unknown", language=chosen))  # fmt: skip
    set_language(ctx.ws.engine, ctx.user.name, chosen)
    ctx.audit("language", f"user:{ctx.user.name}", {"language": chosen})
    return RedirectResponse(_next(ctx.field("back")), status_code=303)


@page("viewer")
def home(ctx: Ctx) -> Response:
    return RedirectResponse("/inbox", status_code=303)


ROUTES = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/language", language, methods=["POST"]),
]
