"""`veille tokens add|list|revoke`: read-only API tokens for programs (a BI tool, a script) to
read the web workspace's pages and exports (`Authorization: Bearer TOKEN`, as a viewer)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from pipeline.context import AppState, login_name
from pipeline.errors import UsageError

tokens_app = typer.Typer(
    help="Read-only API tokens: a program reads the web workspace's pages and exports (the "
    "inbox as CSV or JSON lines, the reports) as a viewer, without a person's password."
)


@tokens_app.command("add")
def add_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="Who uses it: powerbi, tableau…")],
    days: Annotated[
        int, typer.Option("--days", min=1, max=366, help="It ends after this many days.")
    ] = 90,
    brands: Annotated[
        list[str] | None,
        typer.Option("--brand", help="A brand it reads (repeat it); left out: every brand."),
    ] = None,
) -> None:
    """Make a token: printed once (keep it in the program's secret store), never again."""
    state: AppState = ctx.obj
    from datetime import timedelta

    from storage.audit import log
    from storage.clock import utcnow
    from storage.tokens import issue
    from storage.users import scope_of, scope_text

    who = login_name()
    try:
        scope = scope_of(brands, [b.name for b in state.settings.brands]) if brands else None
    except ValueError as exc:
        raise UsageError(f"--brand: {exc}") from None
    try:
        found, token = issue(state.engine(), name, timedelta(days=days), who, utcnow(), scope)
    except ValueError as exc:
        raise UsageError(f"tokens add: {exc}") from None
    seen = {"brands": scope_text(scope)} if scope else {}
    log(state.engine(), f"cli:{who}", "token_add", f"token:{found.name}",
        {"expires_at": found.expires_at.isoformat(), **seen})  # fmt: skip
    state.say(f"Token {escape(found.name)}, until {found.expires_at:%Y-%m-%d %H:%M} UTC "
              "(shown once; send it as `Authorization: Bearer TOKEN`):")  # fmt: skip
    state.console.print(token, markup=False, highlight=False, soft_wrap=True)


@tokens_app.command("list")
def list_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The tokens (never the tokens themselves): who made each, until when, last used."""
    state: AppState = ctx.obj
    from storage.tokens import listing
    from storage.users import scope_text

    found = listing(state.engine())
    if as_json:
        state.emit_json({"tokens": [t.as_dict() for t in found]})
        return
    if not found:
        state.say("No API tokens.")
        return
    from rich.table import Table

    table = Table("name", "reads", "by", "made (UTC)", "until (UTC)", "last used (UTC)")
    for t in found:
        used = f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "never"
        reads = scope_text(t.brands)
        table.add_row(escape(t.name), escape(reads), escape(t.created_by),
                      f"{t.created_at:%Y-%m-%d %H:%M}", f"{t.expires_at:%Y-%m-%d %H:%M}",
                      used)  # fmt: skip
    state.console.print(table)


@tokens_app.command("revoke")
def revoke_cmd(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument(metavar="NAME", help="The token's name (tokens list).")],
) -> None:
    """Revoke a token: its requests are refused from now on."""
    state: AppState = ctx.obj
    from storage.audit import log
    from storage.tokens import revoke

    found = revoke(state.engine(), name)
    if found is None:
        raise UsageError(f"no token named {name!r}; `veille tokens list` shows them")
    log(state.engine(), f"cli:{login_name()}", "token_revoke", f"token:{name}", found.as_dict())
    state.say(f"Token {escape(name)} revoked.")


def register(app: typer.Typer) -> None:
    app.add_typer(tokens_app, name="tokens")
