"""`veille serve`: the analysts' web workspace over the configured database."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError


def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000,
    https: Annotated[
        bool,
        typer.Option(
            "--https/--no-https",
            help="Behind an HTTPS proxy: session cookies are sent over HTTPS only (Secure).",
        ),
    ] = False,
) -> None:
    """Start the web workspace: inbox, mention pages, alerts, reports, dashboard, sources.

    Anything but localhost needs an admin account first (`veille users add NAME --role
    admin`); cookies are signed with VEILLE_WEB_SECRET (else a new secret each start, which
    signs everyone out).
    """
    state: AppState = ctx.obj
    from storage.users import count_admins
    from web.security import is_local

    engine = state.engine()
    if not is_local(host) and count_admins(engine) == 0:
        raise CommandError(
            f"refusing to listen on {host}: there is no admin account; add one with "
            "`veille users add NAME --role admin` (or serve on 127.0.0.1)"
        )
    import uvicorn

    from web.app import create_app

    app = create_app(
        engine, state.settings, secret=os.environ.get("VEILLE_WEB_SECRET"), secure_cookies=https
    )
    state.say(f"Veille workspace on http://{host}:{port}/ (Ctrl+C stops it)")
    uvicorn.run(
        app, host=host, port=port, log_level="warning", proxy_headers=https, server_header=False
    )


def register(app: typer.Typer) -> None:
    app.command()(serve)
