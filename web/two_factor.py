"""Two-step sign-in: after the password, a six-digit code from an authenticator app (TOTP,
RFC 6238: 30-second steps, SHA-1, as every authenticator app reads a QR code). Each person
turns it on from their account page (the secret shown as a QR code and as text, confirmed by
a first code), and off with a code; an admin turns it off for a person who lost their phone;
`web.two_factor: required` sends whoever has not set it up to their account page first.

A code is good for its step and the steps either side (a phone's clock a little off), and
once (storage.users.use_totp_step); wrong codes are throttled as wrong passwords are."""

from __future__ import annotations

import base64
import io
import secrets
import time
from urllib.parse import quote

import pyotp
import segno
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from web.app import Ctx, page

STEP = 30  # seconds a code lives
ISSUER = "Veille"


def new_secret() -> str:
    return pyotp.random_base32()


def step_of(secret: str, code: str, now: float | None = None) -> int | None:
    """The time step whose code `code` is (this step, or one either side), else None."""
    typed = "".join(code.split())
    if len(typed) != 6 or not typed.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP)
    current = int((time.time() if now is None else now) // STEP)
    for step in (current - 1, current, current + 1):
        if secrets.compare_digest(totp.at(step * STEP), typed):
            return step
    return None


def setup_link(secret: str, name: str, workspace: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    label = f"{workspace}:{name}" if workspace else name
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=label, issuer_name=ISSUER)


def qr_code(link: str) -> str:
    """The QR code of `link` as an SVG data URI (an <img>: nothing in it can run)."""
    svg = io.BytesIO()  # a standalone SVG (its namespace declared): an image of its own
    segno.make(link, error="m").save(svg, kind="svg", scale=4, dark="#000", light="#fff")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.getvalue()).decode("ascii")


def _back(problem: str | None = None) -> Response:
    where = "/account" + (f"?two_factor={quote(problem)}" if problem else "") + "#two-factor"
    return RedirectResponse(where, status_code=303)


@page("viewer")
def start(ctx: Ctx) -> Response:
    """A new secret to set up (replacing one being set up); the page shows its QR code."""
    from storage.users import set_totp_pending

    if ctx.user.id == 0 or ctx.user.totp_secret:
        return _back()
    set_totp_pending(ctx.ws.engine, ctx.user.name, new_secret())
    return _back()


@page("viewer")
def confirm(ctx: Ctx) -> Response:
    """The first code from the app: two-step sign-in is on."""
    from storage.users import confirm_totp

    pending = ctx.user.totp_pending
    if ctx.user.id == 0 or pending is None:
        return _back()
    step = step_of(pending, ctx.field("code"))
    if step is None or not confirm_totp(ctx.ws.engine, ctx.user.name, pending, step):
        ctx.audit("two_factor_failed", f"user:{ctx.user.name}")
        return _back("wrong_code")
    ctx.audit("two_factor_on", f"user:{ctx.user.name}")
    return _back()


@page("viewer")
def turn_off(ctx: Ctx) -> Response:
    """Two-step sign-in off, after a code from the app (the phone is still at hand)."""
    from storage.users import clear_totp, use_totp_step

    secret, name = ctx.user.totp_secret, ctx.user.name
    if ctx.user.id == 0 or secret is None:
        return _back()
    wait = ctx.ws.throttle.wait(name, ctx.address)
    if wait > 0:
        return _back("throttled")
    step = step_of(secret, ctx.field("code"))
    if step is None or not use_totp_step(ctx.ws.engine, name, step):
        ctx.ws.throttle.failed(name, ctx.address)
        ctx.audit("two_factor_failed", f"user:{name}")
        return _back("wrong_code")
    clear_totp(ctx.ws.engine, name)
    ctx.audit("two_factor_off", f"user:{name}")
    return _back()


ROUTES = [
    Route("/account/two-factor/start", start, methods=["POST"]),
    Route("/account/two-factor/confirm", confirm, methods=["POST"]),
    Route("/account/two-factor/off", turn_off, methods=["POST"]),
]
