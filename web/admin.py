"""Admins manage accounts and read the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from markupsafe import Markup
from starlette.responses import RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from web.app import Ctx, page
from web.security import MIN_PASSWORD, ROLES, hash_password


@page("admin")
def users(ctx: Ctx) -> Response:
    return _accounts(ctx)


def _accounts(ctx: Ctx, error: Markup | None = None) -> Response:
    """The accounts; with `error`, saying why the change was refused (400)."""
    from storage.users import list_users

    return ctx.render(
        "users.html", status=400 if error else 200, users=list_users(ctx.ws.engine), roles=ROLES,
        error=error, workspace_language=ctx.ws.language, minimum=MIN_PASSWORD,
        brands=ctx.brands,
    )  # fmt: skip


@page("admin")
def add(ctx: Ctx) -> Response:
    from storage.users import add_user, get_user, scope_text

    name, role = ctx.field("name").strip(), ctx.field("role")
    email = ctx.field("email").strip() or None
    brands = ctx.fields("brand") or None  # none checked: every brand
    if not name or len(name) > 100 or not name.isprintable():
        return _accounts(ctx, ctx.t("users.bad_name"))
    try:
        add_user(ctx.ws.engine, name, role, hash_password(ctx.field("password")), email,
                 brands, ctx.brands)  # fmt: skip
    except ValueError as exc:  # the store's words (shared with the command line)
        return _accounts(ctx, ctx.t("users.refused", reason=ctx.said(exc)))
    added = get_user(ctx.ws.engine, name)
    scope = added.brands if added is not None else None
    seen = {"brands": scope_text(scope)} if scope else {}
    ctx.audit("user_add", f"user:{name}",
              {"role": role, **({"email": email} if email else {}), **seen})  # fmt: skip
    return RedirectResponse("/admin/users", status_code=303)


@page("admin")
def email(ctx: Ctx) -> Response:
    """Set or clear where a person hears of the mentions assigned to them."""
    from storage.users import set_email

    name, address = ctx.field("name"), ctx.field("email").strip() or None
    try:
        found = set_email(ctx.ws.engine, name, address)
    except ValueError as exc:  # the store's words (shared with the command line)
        return _accounts(ctx, ctx.t("users.refused", reason=ctx.said(exc)))
    if found:
        ctx.audit("user_email", f"user:{name}", {"email": address or ""})
    return RedirectResponse("/admin/users", status_code=303)


@page("admin")
def role(ctx: Ctx) -> Response:
    """Give a person another role (from their next page; the last admin keeps theirs)."""
    from storage.users import set_role

    name, chosen = ctx.field("name"), ctx.field("role")
    try:
        was = set_role(ctx.ws.engine, name, chosen)
    except ValueError as exc:  # the store's words (shared with the command line)
        return _accounts(ctx, ctx.t("users.refused", reason=ctx.said(exc)))
    if was is None:
        return _accounts(ctx, ctx.t("triage.no_user_message", name=repr(name)))
    if was != chosen:
        ctx.audit("user_role", f"user:{name}", {"role": chosen, "was": was})
    return RedirectResponse("/admin/users", status_code=303)


@page("admin")
def brands(ctx: Ctx) -> Response:
    """Choose the brands a person sees (none checked: every brand), from their next page."""
    from storage.users import get_user, scope_text, set_brands

    name, chosen = ctx.field("name"), ctx.fields("brand") or None
    try:
        was = set_brands(ctx.ws.engine, name, chosen, ctx.brands)
    except ValueError as exc:  # the store's words (shared with the command line)
        return _accounts(ctx, ctx.t("users.refused", reason=ctx.said(exc)))
    found = get_user(ctx.ws.engine, name)
    if was is None or found is None:
        return _accounts(ctx, ctx.t("triage.no_user_message", name=repr(name)))
    shown = scope_text(found.brands)
    if shown != was:
        ctx.audit("user_brands", f"user:{name}", {"brands": shown, "was": was})
    return RedirectResponse("/admin/users", status_code=303)


@page("admin")
def two_factor_off(ctx: Ctx) -> Response:
    """Two-step sign-in off for a person who lost their phone (they set it up again)."""
    from storage.users import clear_totp, get_user

    name = ctx.field("name")
    found = get_user(ctx.ws.engine, name)
    if found is None:
        return _accounts(ctx, ctx.t("triage.no_user_message", name=repr(name)))
    if found.totp_secret or found.totp_pending:
        clear_totp(ctx.ws.engine, name)
        ctx.audit("two_factor_reset", f"user:{name}")
    return RedirectResponse("/admin/users", status_code=303)


@page("admin")
def password(ctx: Ctx) -> Response:
    """A new password an admin gives a person (who forgot theirs): every browser of theirs
    is signed out; they change it on their account page."""
    from storage.users import get_user, set_password

    name, new = ctx.field("name"), ctx.field("password")
    if get_user(ctx.ws.engine, name) is None:
        return _accounts(ctx, ctx.t("triage.no_user_message", name=repr(name)))
    if len(new) < MIN_PASSWORD:
        return _accounts(ctx, ctx.t("account.too_short", n=MIN_PASSWORD))
    set_password(ctx.ws.engine, name, hash_password(new))
    ctx.audit("user_passwd", f"user:{name}")
    return RedirectResponse("/admin/users", status_code=303)


@page("admin")
def remove(ctx: Ctx) -> Response:
    from storage.users import count_admins, get_user, remove_user

    name = ctx.field("name")
    target = get_user(ctx.ws.engine, name)
    if target is not None and target.role == "admin" and count_admins(ctx.ws.engine) <= 1:
        return _accounts(ctx, ctx.t("users.last_admin"))
    if remove_user(ctx.ws.engine, name):
        ctx.audit("user_remove", f"user:{name}")
    return RedirectResponse("/admin/users", status_code=303)


AUDIT_COLUMNS = ["id", "at", "actor", "action", "target", "detail", "address"]


@page("admin")
def audit_csv(ctx: Ctx) -> Response:
    """The whole audit log (one person's with `actor`) as CSV, oldest first, for the
    controller or an auditor: times in UTC, each entry's detail as JSON."""
    import json

    from storage.audit import every_entry
    from web.inbox import csv_lines

    actor = ctx.params.get("actor") or None
    whose = {"actor": actor} if actor else {}
    ctx.audit("export", None, {"format": "csv", "of": "audit", **whose})

    def rows() -> Iterator[dict[str, Any]]:
        for e in every_entry(ctx.ws.engine, actor):
            detail = e["detail"]
            yield {**e, "detail": json.dumps(detail, ensure_ascii=False) if detail else ""}

    return StreamingResponse(
        csv_lines(rows(), AUDIT_COLUMNS),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="veille-audit.csv"'},
    )


@page("admin")
def audit(ctx: Ctx) -> Response:
    from storage.audit import entries

    actor = ctx.params.get("actor") or None
    return ctx.render(
        "audit.html", entries=entries(ctx.ws.engine, actor=actor, limit=500), actor=actor
    )


ROUTES = [
    Route("/admin/users", users, methods=["GET"]),
    Route("/admin/users", add, methods=["POST"]),
    Route("/admin/users/role", role, methods=["POST"]),
    Route("/admin/users/brands", brands, methods=["POST"]),
    Route("/admin/users/two-factor/off", two_factor_off, methods=["POST"]),
    Route("/admin/users/remove", remove, methods=["POST"]),
    Route("/admin/users/email", email, methods=["POST"]),
    Route("/admin/users/password", password, methods=["POST"]),
    Route("/admin/audit", audit, methods=["GET"]),
    Route("/admin/audit/export.csv", audit_csv, methods=["GET"]),
]
