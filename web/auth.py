"""Signing in and out: `/login` (fields `username`, `password`), then `/login/code` for a
person who turned two-step sign-in on (web/two_factor.py); throttled, audited."""

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
    if user.totp_secret:  # the code next; failures stay counted until it is right
        log(ws.engine, user.name, "login_password", f"user:{user.name}", None, address)
        return "code", user
    ws.throttle.succeeded(name)
    log(ws.engine, user.name, "login", f"user:{user.name}", None, address)
    return "ok", user


def _check_code(ws: Workspace, name: str, code: str, address: str) -> tuple[str, Any]:
    """The second step: a code of the person's authenticator, good once."""
    from storage.audit import log
    from storage.users import get_user, use_totp_step
    from web.two_factor import step_of

    wait = ws.throttle.wait(name, address)
    if wait > 0:
        log(ws.engine, name, "login_throttled", f"user:{name}", None, address)
        return "throttled", int(wait) + 1
    user = get_user(ws.engine, name)
    secret = user.totp_secret if user else None
    step = step_of(secret, code) if secret else None
    if user is None or step is None or not use_totp_step(ws.engine, name, step):
        ws.throttle.failed(name, address)
        log(ws.engine, name, "login_code_failed", f"user:{name}", None, address)
        return "bad", None
    ws.throttle.succeeded(name)
    log(ws.engine, name, "login", f"user:{name}", {"second_step": "code"}, address)
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
    if outcome == "code":
        return _code_form(ws, value, target)
    return start_session(ws, value, RedirectResponse(target, status_code=303))


def _code_form(
    ws: Workspace, user: UserRecord, target: str, error: Any = None, status: int = 200
) -> Response:
    """The sign-in's second step: the code of the person's authenticator app."""
    return render(
        ws,
        "login_code.html",
        status=status,
        user=None,
        token=ws.signer.login_token(),
        second=ws.signer.second_step(user.name, user.password_changed_at.timestamp()),
        next=target,
        error=error,
    )


async def login_code(request: Request) -> Response:
    """The code after the password (two-step sign-in, web/two_factor.py)."""
    from storage.users import get_user

    ws: Workspace = request.app.state.ws
    form = await request.form()
    words = ws.words(ws.language)
    target = _next(form.get("next"))
    second = ws.signer.read_second_step(str(form.get("second") or ""))
    if not ws.signer.check_login_token(str(form.get("csrf") or "")) or second is None:
        return PlainTextResponse(words.text("login.code_stale"), status_code=403)
    name, stamp = second
    user = await run_in_threadpool(get_user, ws.engine, name)
    if user is None or abs(user.password_changed_at.timestamp() - stamp) > 1e-3:
        return PlainTextResponse(words.text("login.code_stale"), status_code=403)
    address = request.client.host if request.client else "-"
    code = str(form.get("code") or "")
    outcome, value = await run_in_threadpool(_check_code, ws, name, code, address)
    if outcome == "throttled":
        return _code_form(ws, user, target, words.html("login.throttled", n=value), 429)
    if outcome == "bad":
        return _code_form(ws, user, target, words.html("login.wrong_code"), 401)
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
    Route("/login/code", login_code, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/language", language, methods=["POST"]),
]
