"""Passwords (argon2), signed session cookies, CSRF tokens, login throttling, roles, headers."""

from __future__ import annotations

import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from itsdangerous import BadSignature, URLSafeTimedSerializer

ROLES = ("viewer", "analyst", "admin")  # storage.users.ROLES; each may do what those before may
SESSION_COOKIE = "veille_session"
SESSION_SECONDS = 12 * 3600
LOGIN_TOKEN_SECONDS = 3600
SECOND_STEP_SECONDS = 300  # to type the code after the password
# Strict: no inline script or style, nothing from elsewhere, no framing, forms post here only.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}

_hasher = PasswordHasher()
MIN_PASSWORD = 10


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(stored_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A hash to verify against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


def verify_or_waste(stored_hash: str | None, password: str) -> bool:
    if stored_hash is None:
        verify_password(_DUMMY_HASH, password)
        return False
    return verify_password(stored_hash, password)


def allowed(role: str, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


@dataclass(frozen=True)
class Session:
    name: str
    csrf: str
    stamp: float  # the password's change time when signed in: a new password ends sessions
    generation: int = 0  # the account's session generation when signed in (see _user_of)


class Signer:
    """Signs the session cookie and the login form's token with the server's secret."""

    def __init__(self, secret: str) -> None:
        self._session = URLSafeTimedSerializer(secret, salt="veille.session")
        self._login = URLSafeTimedSerializer(secret, salt="veille.login")
        self._second = URLSafeTimedSerializer(secret, salt="veille.two-factor")

    def session_cookie(self, name: str, stamp: float, generation: int = 0) -> tuple[str, Session]:
        session = Session(name, secrets.token_urlsafe(24), stamp, generation)
        values = [session.name, session.csrf, session.stamp, session.generation]
        return self._session.dumps(values), session

    def read_session(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        try:
            name, csrf, stamp, generation = self._session.loads(cookie, max_age=SESSION_SECONDS)
            return Session(str(name), str(csrf), float(stamp), int(generation))
        except (BadSignature, ValueError, TypeError):
            return None

    def login_token(self) -> str:
        return self._login.dumps(secrets.token_urlsafe(8))

    def check_login_token(self, token: str | None) -> bool:
        if not token:
            return False
        try:
            self._login.loads(token, max_age=LOGIN_TOKEN_SECONDS)
        except BadSignature:
            return False
        return True

    def second_step(self, name: str, stamp: float) -> str:
        """What the code form carries between the password and the code: who gave the right
        password, for that password (a new one voids it), for SECOND_STEP_SECONDS."""
        return self._second.dumps([name, stamp])

    def read_second_step(self, token: str | None) -> tuple[str, float] | None:
        if not token:
            return None
        try:
            name, stamp = self._second.loads(token, max_age=SECOND_STEP_SECONDS)
            return str(name), float(stamp)
        except (BadSignature, ValueError, TypeError):
            return None


def same_token(a: str | None, b: str | None) -> bool:
    return bool(a) and bool(b) and secrets.compare_digest(str(a), str(b))


class Throttle:
    """Failed logins per name and per address: past `limit` in `window` seconds, wait."""

    def __init__(self, limit: int = 5, window: float = 900.0, per_address: int = 20) -> None:
        self.limit, self.window, self.per_address = limit, window, per_address
        self._failures: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def _recent(self, key: str, now: float) -> deque[float]:
        times = self._failures.setdefault(key, deque())
        while times and times[0] <= now - self.window:
            times.popleft()
        return times

    def wait(self, name: str, address: str, now: float | None = None) -> float:
        """Seconds to wait before trying again (0: go ahead)."""
        now = time.monotonic() if now is None else now
        with self._lock:
            waits = []
            for key, limit in (
                (f"n:{name.casefold()}", self.limit),
                (f"a:{address}", self.per_address),
            ):
                times = self._recent(key, now)
                if len(times) >= limit:
                    waits.append(times[0] + self.window - now)
            return max(waits, default=0.0)

    def failed(self, name: str, address: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            for key in (f"n:{name.casefold()}", f"a:{address}"):
                self._recent(key, now).append(now)

    def succeeded(self, name: str) -> None:
        with self._lock:
            self._failures.pop(f"n:{name.casefold()}", None)


def is_local(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def safe_url(url: Any) -> str:
    """A collected link only if it is http(s); anything else (javascript:, data:) is dropped."""
    if not isinstance(url, str):
        return ""
    value = url.strip()
    return value if value.lower().startswith(("http://", "https://")) else ""
