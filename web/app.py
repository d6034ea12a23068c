"""The web app: `create_app(engine, settings)` builds the Starlette application.

Every page goes through `page(...)`: it finds the signed-in person (else the login page, or
401) — or, for a request with `Authorization: Bearer`, the API token it reads as (a viewer,
GET only: storage/tokens.py) —, checks the role the page needs (else 403), checks the CSRF
token of every POST (else 403), runs the handler in a worker thread (the database calls are
synchronous) and adds the security headers (strict CSP: no inline script or style).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from config.refusals import said
from reports.bidi import install as install_bidi
from web import security
from web.i18n import LANGS, Words
from web.security import SECURITY_HEADERS, SESSION_COOKIE, Session, Signer, Throttle

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings, ThemeSettings
    from storage.users import UserRecord

HERE = Path(__file__).resolve().parent


@dataclass
class Workspace:
    engine: Engine
    settings: Settings
    signer: Signer
    throttle: Throttle
    templates: dict[str, Environment]  # the pages in each language (web.i18n.LANGS)
    secure_cookies: bool = False
    reports_dir: Path | None = None  # where reports on demand go (default reports.output_dir)

    @property
    def language(self) -> str:
        """The pages' language for a person who chose none (and the sign-in page's)."""
        return self.settings.web.language or self.settings.reports.languages[0]

    def language_of(self, user: UserRecord) -> str:
        """The person's language (chosen in the top bar), else the workspace's."""
        return user.language if user.language in self.templates else self.language

    def words(self, lang: str) -> Words:
        return cast("Words", self.templates[lang].globals["words"])


@dataclass
class Ctx:
    """What a handler gets: the request, the workspace, the person, their session, the form."""

    request: Request
    ws: Workspace
    user: UserRecord
    session: Session
    form: FormData | None

    @property
    def lang(self) -> str:
        return self.ws.language_of(self.user)

    @property
    def words(self) -> Words:
        return self.ws.words(self.lang)

    def t(self, key: str, **fields: Any) -> Markup:
        """A text of web/words/ in the person's language, its fields escaped (web.i18n)."""
        return self.words.html(key, **fields)

    def said(self, exc: BaseException) -> str:
        """A refusal of the code shared with the command line in the person's language
        (config.refusals); another error as it reads."""
        return said(exc, self.lang)

    @property
    def scope(self) -> tuple[str, ...] | None:
        """The brands the person (or the API token) sees; None: every brand (storage.scope)."""
        return self.user.brands

    def sees(self, brand: str | None) -> bool:
        """Whether the person sees a thing of `brand` (None: of every brand)."""
        from storage.scope import sees

        return sees(self.scope, brand)

    @property
    def brands(self) -> list[str]:
        """The workspace's brands the person sees, in veille.yaml's order."""
        return [b.name for b in self.ws.settings.brands if self.sees(b.name)]

    @property
    def themes(self) -> list[ThemeSettings]:
        """The workspace's themes of the brands the person sees (a theme of no brand: all)."""
        scope = self.scope
        return [
            t for t in self.ws.settings.themes
            if scope is None or not t.brands or any(t.applies_to(b) for b in scope)
        ]  # fmt: skip

    def sees_mention(self, mention_id: int) -> bool:
        from storage.scope import sees_mention

        if self.scope is None:
            return True
        with self.ws.engine.connect() as conn:
            return sees_mention(conn, self.scope, mention_id)

    def sees_author(self, author_id: int) -> bool:
        """Whether the person sees one of the author's mentions (storage.scope)."""
        from storage.scope import sees_author

        if self.scope is None:
            return True
        with self.ws.engine.connect() as conn:
            return sees_author(conn, self.scope, author_id)

    @property
    def params(self) -> Any:
        return self.request.query_params

    @property
    def address(self) -> str:
        return self.request.client.host if self.request.client else "-"

    def field(self, name: str, default: str = "") -> str:
        value = self.form.get(name) if self.form is not None else None
        return value if isinstance(value, str) else default

    def fields(self, name: str) -> list[str]:
        if self.form is None:
            return []
        return [v for v in self.form.getlist(name) if isinstance(v, str)]

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        """A page for the signed-in person, with the top bar's count of the open alerts
        nobody has taken on yet."""
        from storage.alerts import count_unacknowledged

        return render(
            self.ws,
            template,
            status=status,
            lang=self.lang,
            user=self.user,
            csrf=self.session.csrf,
            path=self.request.url.path,
            here=_here(self.request),
            waiting_alerts=count_unacknowledged(self.ws.engine, self.scope),
            **values,
        )

    def deliver_after(self, response: Response, delivery_ids: list[int], now: datetime) -> Response:
        """`response`, the messages just owed (hand-overs, an assignee's e-mail) leaving once
        it has gone; the next alerts check tries again those that could not."""
        from starlette.background import BackgroundTask

        from reports.alerts.delivery import deliver_pending

        if delivery_ids:
            response.background = BackgroundTask(
                deliver_pending, self.ws.engine, self.ws.settings, now, delivery_ids
            )
        return response

    def audit(
        self, action: str, target: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        from storage.audit import log

        log(self.ws.engine, self.user.name, action, target, detail, self.address)


Handler = Callable[[Ctx], Response]


def _here(request: Request) -> str:
    """The page's path and query, to come back to after a form (the language's)."""
    url = request.url
    return url.path + (f"?{url.query}" if url.query else "")


def render(
    ws: Workspace, template: str, status: int = 200, lang: str | None = None, **values: Any
) -> HTMLResponse:
    """A page in `lang` (default: the workspace's language)."""
    html = ws.templates[lang or ws.language].get_template(template).render(**values)
    return HTMLResponse(html, status_code=status, headers={"Content-Language": lang or ws.language})


def _user_of(ws: Workspace, session: Session | None) -> UserRecord | None:
    from storage.users import get_user

    if session is None:
        return None
    user = get_user(ws.engine, session.name)
    if (
        user is None
        or abs(user.password_changed_at.timestamp() - session.stamp) > 1e-3
        or user.session_generation != session.generation
    ):
        return None  # removed (or removed and added again), signed out, new password
    return user


def _token_user(ws: Workspace, token: str) -> UserRecord | None:
    """The viewer a valid API token reads as (named `token:NAME` in the audit log)."""
    from storage.clock import utcnow
    from storage.tokens import holder
    from storage.users import UserRecord

    found = holder(ws.engine, token, utcnow())
    if found is None:
        return None
    return UserRecord(
        id=0, name=f"token:{found.name}", role="viewer", password_hash="",
        created_at=found.created_at, password_changed_at=found.created_at,
        brands=tuple(found.brands) if found.brands is not None else None,
    )  # fmt: skip


def every_brand_only(ctx: Ctx) -> Response | None:
    """403 for a person who sees some brands only (storage.scope) on a page that reads the
    whole workspace (the query workbench, the sources); None for the others."""
    if ctx.scope is None:
        return None
    return ctx.render("error.html", status=403, title=ctx.t("error.not_allowed"),
                      message=ctx.t("scope.every_brand_page",
                                    brands=", ".join(ctx.scope)))  # fmt: skip


def not_allowed(ctx: Ctx, role: str) -> Response:
    """403: the page needs `role`, the person has less."""
    name = ctx.words.text
    return ctx.render("error.html", status=403, title=ctx.t("error.not_allowed"),
                      message=ctx.t("error.needs_role", role=name(f"role.{role}"),
                                    you=name(f"role.{ctx.user.role}")))  # fmt: skip


# What a person who must set up two-step sign-in (web.two_factor: required) may reach first.
_BEFORE_TWO_FACTOR = ("/account", "/logout", "/language")


def page(role: str = "viewer") -> Callable[[Handler], Callable[[Request], Awaitable[Response]]]:
    """The decorator every page and action goes through (see the module's docstring)."""

    def decorate(handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            ws: Workspace = request.app.state.ws
            bearer = request.headers.get("authorization", "")
            if bearer[:7].lower() == "bearer ":  # a program's token: reads as a viewer
                if request.method != "GET":
                    return PlainTextResponse(
                        "An API token reads; a person signs in to change anything.",
                        status_code=405,
                    )
                user = await run_in_threadpool(_token_user, ws, bearer[7:].strip())
                if user is None:
                    return PlainTextResponse(
                        "This API token is unknown, revoked or expired: `veille tokens list`.",
                        status_code=401,
                        headers={"WWW-Authenticate": 'Bearer realm="veille"'},
                    )
                if not security.allowed(user.role, role):
                    return PlainTextResponse(
                        f"This needs the {role} role; an API token reads as a viewer.",
                        status_code=403,
                    )
                return await run_in_threadpool(
                    handler, Ctx(request, ws, user, Session(user.name, "", 0.0), None)
                )
            session = ws.signer.read_session(request.cookies.get(SESSION_COOKIE))
            user = await run_in_threadpool(_user_of, ws, session)
            if user is None or session is None:
                if request.method == "GET":
                    return RedirectResponse(f"/login?next={quote(_here(request))}", status_code=303)
                return PlainTextResponse(ws.words(ws.language).text("error.sign_in"), 401)
            if (
                ws.settings.web.two_factor == "required"
                and user.totp_secret is None
                and not request.url.path.startswith(_BEFORE_TWO_FACTOR)
            ):  # their account page first, to set up two-step sign-in
                if request.method == "GET":
                    return RedirectResponse("/account#two-factor", status_code=303)
                words = ws.words(ws.language_of(user))
                return PlainTextResponse(words.text("two_factor.required"), status_code=403)
            form = None
            if request.method == "POST":
                form = await request.form()
                token = form.get("csrf") or request.headers.get("x-csrf-token")
                if not security.same_token(token if isinstance(token, str) else None, session.csrf):
                    stale = ws.words(ws.language_of(user)).text("error.stale_form")
                    return PlainTextResponse(stale, status_code=403)
            ctx = Ctx(request, ws, user, session, form)
            if not security.allowed(user.role, role):
                return await run_in_threadpool(not_allowed, ctx, role)
            return await run_in_threadpool(handler, ctx)

        endpoint.__name__ = handler.__name__
        return endpoint

    return decorate


class SecurityHeaders:
    """Adds the CSP and its companions to every response (static files included)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                for name, value in SECURITY_HEADERS.items():
                    if name.lower().encode() not in present:
                        headers.append((name.lower().encode(), value.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


def templates(zone: str = "UTC", lang: str = "en") -> Environment:
    """The pages' templates in `lang`; times shown in `zone` (the team's:
    schedules.timezone). Globals: `t` (web.i18n.Words.html), `words`, `lang`, `zone`."""
    from web import filters

    env = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(["html", "svg"], default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    install_bidi(env)
    words = Words(lang, zone)
    env.globals.update(t=words.html, words=words, lang=lang, languages=LANGS)
    filters.install(env, zone, words)
    return env


def create_app(
    engine: Engine,
    settings: Settings,
    secret: str | None = None,
    secure_cookies: bool = False,
    throttle: Throttle | None = None,
) -> Starlette:
    """The app; the secret signs cookies (VEILLE_WEB_SECRET, else a new one per start)."""
    from web import (
        account,
        admin,
        alerts,
        auth,
        contributors,
        events,
        inbox,
        mentions,
        monitoring,
        off_topic,
        queries,
        review,
        saved_views,
        two_factor,
        watches,
    )  # fmt: skip

    secret = secret or os.environ.get("VEILLE_WEB_SECRET") or secrets.token_urlsafe(32)
    ws = Workspace(
        engine,
        settings,
        Signer(secret),
        throttle or Throttle(),
        {lang: templates(settings.schedules.timezone, lang) for lang in LANGS},
        secure_cookies=secure_cookies,
    )
    routes = [
        Route("/", auth.home),
        *auth.ROUTES,
        *account.ROUTES,
        *two_factor.ROUTES,
        *inbox.ROUTES,
        *saved_views.ROUTES,
        *watches.ROUTES,
        *mentions.ROUTES,
        *off_topic.ROUTES,
        *queries.ROUTES,
        *review.ROUTES,
        *contributors.ROUTES,
        *alerts.ROUTES,
        *monitoring.ROUTES,
        *events.ROUTES,
        *admin.ROUTES,
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    app = Starlette(routes=routes)
    app.state.ws = ws
    app.add_middleware(SecurityHeaders)
    return app
