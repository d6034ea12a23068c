"""`veille users add|list|remove|passwd|email|language|brands`: the local accounts of the
workspace (`veille serve`).

The password comes from VEILLE_USER_PASSWORD when it is set (scripts), else it is prompted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

users_app = typer.Typer(
    help="Accounts of the web workspace: viewers read, analysts triage and correct, admins "
    "manage accounts."
)
PASSWORD_ENV = "VEILLE_USER_PASSWORD"


def _password(name: str) -> str:
    from web.security import MIN_PASSWORD

    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = typer.prompt(f"Password for {name}", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"a password needs at least {MIN_PASSWORD} characters")
    return password


def _audit(state: AppState, action: str, name: str, detail: dict[str, str] | None = None) -> None:
    from pipeline.context import login_name
    from storage.audit import log

    log(state.engine(), f"cli:{login_name()}", action, f"user:{name}", detail)


@users_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account's name (what /login asks for).")],
    role: Annotated[str, typer.Option("--role", help="admin, analyst or viewer.")] = "analyst",
    email: Annotated[
        str | None,
        typer.Option("--email", help="Where they hear of the mentions assigned to them."),
    ] = None,
    brands: Annotated[
        list[str] | None,
        typer.Option("--brand", help="A brand they see (repeat it); left out: every brand."),
    ] = None,
) -> None:
    """Add an account (password from VEILLE_USER_PASSWORD, else prompted)."""
    state: AppState = ctx.obj
    from storage.users import add_user, check_email, check_role, check_scope, scope_text
    from web.security import hash_password

    try:
        role = check_role(role)
    except ValueError as exc:
        raise UsageError(f"--role: {exc}") from None
    try:
        email = check_email(email) if email is not None else None
    except ValueError as exc:
        raise UsageError(f"--email: {exc}") from None
    known = [b.name for b in state.settings.brands]
    try:  # before the password is asked for
        scope = check_scope(name, role, brands or None, known)
    except ValueError as exc:
        raise UsageError(f"--brand: {exc}") from None
    try:
        add_user(state.engine(), name, role, hash_password(_password(name)), email, scope, known)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    seen = {"brands": scope_text(scope)} if scope else {}
    _audit(state, "user_add", name, {"role": role, **({"email": email} if email else {}), **seen})
    sees = f", sees {seen['brands']}" if scope else ""
    state.say(f"Added {name} ({role}{', ' + email if email else ''}{sees}).")


@users_app.command("brands")
def brands_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account.")],
    brands: Annotated[
        list[str] | None,
        typer.Argument(help="The brands they see (names of veille.yaml's brands)."),
    ] = None,
    every: Annotated[bool, typer.Option("--all", help="They see every brand again.")] = False,
) -> None:
    """Choose the brands a person sees (an agency's client, a brand's own team): their
    mentions, alerts, events, reports and contributors only, on every page, export and
    message, from the person's next page."""
    state: AppState = ctx.obj
    from storage.users import get_user, scope_text, set_brands

    if every == bool(brands):
        raise UsageError("name the brands they see, or --all for every brand (not both)")
    known = [b.name for b in state.settings.brands]
    try:
        was = set_brands(state.engine(), name, None if every else brands, known)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    found = get_user(state.engine(), name)
    if was is None or found is None:
        raise CommandError(f"there is no user named {name!r}; `veille users list` lists them")
    shown = scope_text(found.brands)
    _audit(state, "user_brands", name, {"brands": shown, "was": was})
    state.say(f"{name}: sees {shown}.")


def _set(
    state: AppState, name: str, field: str, value: str | None,
    setter: Callable[[Engine, str, str | None], bool],
) -> None:  # fmt: skip
    """Set (None: clear) one field of an account with `setter`, audited as `user_FIELD`."""
    try:
        found = setter(state.engine(), name, value)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if not found:
        raise CommandError(f"there is no user named {name!r}; `veille users list` lists them")
    _audit(state, f"user_{field}", name, {field: value or ""})


@users_app.command("email")
def email_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account.")],
    address: Annotated[
        str | None, typer.Argument(help="The address; left out: no e-mail any more.")
    ] = None,
) -> None:
    """Set where a person hears of the mentions assigned to them in the workspace."""
    from storage.users import set_email

    _set(ctx.obj, name, "email", address, set_email)
    ctx.obj.say(f"{name}: {'e-mail ' + address if address else 'no e-mail'}.")


@users_app.command("language")
def language_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account.")],
    language: Annotated[
        str | None, typer.Argument(help="fr or en; left out: the workspace's (web.language).")
    ] = None,
) -> None:
    """Set the language a person reads the workspace and their assigned mentions' e-mails in
    (each person can also pick it in the workspace's top bar)."""
    from storage.users import set_language

    _set(ctx.obj, name, "language", language, set_language)
    ctx.obj.say(f"{name}: {'pages in ' + language if language else 'the workspace language'}.")


@users_app.command("role")
def role_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(help="The account.")],
    role: Annotated[str, typer.Argument(help="admin, analyst or viewer.")],
) -> None:
    """Give an account another role, from the person's next page (the last admin keeps
    theirs)."""
    state: AppState = ctx.obj
    from storage.users import set_role

    try:
        was = set_role(state.engine(), name, role)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    if was is None:
        raise CommandError(f"there is no user named {name!r}; `veille users list` lists them")
    _audit(state, "user_role", name, {"role": role, "was": was})
    state.say(f"{name}: {role} (was {was}).")


@users_app.command("two-factor-off")
def two_factor_off_cmd(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The account.")]
) -> None:
    """Turn a person's two-step sign-in off (a lost phone): the password alone signs them in
    until they set it up again on their account page."""
    state: AppState = ctx.obj
    from storage.users import clear_totp

    if not clear_totp(state.engine(), name):
        raise CommandError(f"there is no user named {name!r}; `veille users list` lists them")
    _audit(state, "two_factor_reset", name)
    state.say(f"{name}: two-step sign-in off.")


@users_app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """List the accounts and their roles."""
    state: AppState = ctx.obj
    from storage.users import list_users, scope_text

    users = list_users(state.engine())
    if as_json:
        state.emit_json(
            {
                "users": [
                    {
                        "name": u.name,
                        "role": u.role,
                        "email": u.email,
                        "language": u.language,
                        "two_factor": u.totp_secret is not None,
                        "brands": list(u.brands) if u.brands is not None else None,
                        "created_at": u.created_at.isoformat(),
                    }
                    for u in users
                ]
            }
        )
        return
    if not users:
        state.say("No account yet: `veille users add NAME --role admin`.")
    from rich.markup import escape

    for u in users:
        mail = f"  {escape(u.email)}" if u.email else ""
        lang = f"  pages in {u.language}" if u.language else ""
        two = "  two-step sign-in" if u.totp_secret else ""
        sees = f"  sees {escape(scope_text(u.brands))}" if u.brands is not None else ""
        made = f"created {u.created_at:%Y-%m-%d %H:%M} UTC"
        state.say(f"{escape(u.name)}  {u.role}{sees}{mail}{lang}{two}  {made}")


@users_app.command("remove")
def remove_cmd(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The account to remove.")]
) -> None:
    """Remove an account (its past actions stay in the audit log)."""
    state: AppState = ctx.obj
    from storage.users import remove_user

    if not remove_user(state.engine(), name):
        raise CommandError(f"there is no user named {name!r}; `veille users list` lists them")
    _audit(state, "user_remove", name)
    state.say(f"Removed {name}.")


@users_app.command("passwd")
def passwd_cmd(
    ctx: typer.Context, name: Annotated[str, typer.Argument(help="The account.")]
) -> None:
    """Set a new password (signs the account out of every browser)."""
    state: AppState = ctx.obj
    from storage.users import get_user, set_password
    from web.security import hash_password

    if get_user(state.engine(), name) is None:
        raise CommandError(f"there is no user named {name!r}; `veille users list` lists them")
    set_password(state.engine(), name, hash_password(_password(name)))
    _audit(state, "user_passwd", name)
    state.say(f"New password set for {name}.")


def register(app: typer.Typer) -> None:
    app.add_typer(users_app, name="users")
