"""API tokens: read-only keys for programs to read the web workspace (storage.models.ApiToken).

A token is shown once when it is made; only its SHA-256 digest is stored (a token is 32
random bytes: a digest needs no salt or slow hash), so a copy of the database holds none.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, null, update

from storage.dialect import insert
from storage.models import ApiToken
from storage.rows import Stored

PREFIX = "veille_"  # says what a leaked string is (secret scanners key on such prefixes)
NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,60}$")
MAX_LIFE = timedelta(days=366)  # every token ends: a year at most, then a new one
TOUCH_EVERY = timedelta(minutes=1)  # last_used_at is written at most this often

_TABLE = ApiToken.__table__


@dataclass(frozen=True)
class TokenRecord(Stored):
    id: int
    name: str
    created_by: str
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    brands: list[str] | None = None  # those it reads (web/scope.py); None: every brand


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue(
    engine: Engine,
    name: str,
    lifetime: timedelta,
    by: str,
    now: datetime,
    brands: tuple[str, ...] | None = None,
) -> tuple[TokenRecord, str]:
    """A new token named `name` for `lifetime` (at most MAX_LIFE), reading `brands` only (None:
    every brand; checked by storage.users.scope_of): its record and the token itself, which is
    shown once and never stored. ValueError says what to do."""
    if not NAME.match(name):
        raise ValueError("name the token with 1 to 60 letters, digits, '-', '_' or '.'")
    if not timedelta(0) < lifetime <= MAX_LIFE:
        raise ValueError(f"a token lasts from a minute to {MAX_LIFE.days} days")
    if named(engine, name) is not None:
        raise ValueError(f"there is already a token named {name!r}: revoke it, or name another")
    token = PREFIX + secrets.token_urlsafe(32)
    with engine.begin() as conn:
        conn.execute(insert(conn, _TABLE).values(
            name=name, digest=digest(token), created_by=by, created_at=now,
            expires_at=now + lifetime, brands=list(brands) if brands is not None else null(),
        ))  # fmt: skip
    found = named(engine, name)
    assert found is not None
    return found, token


def holder(engine: Engine, token: str, now: datetime) -> TokenRecord | None:
    """The token's record when it is one and has not expired (its use noted); None else."""
    if not token.startswith(PREFIX):
        return None
    c = _TABLE.c
    with engine.connect() as conn:
        row = conn.execute(
            TokenRecord.select_from(_TABLE).where(c.digest == digest(token), c.expires_at > now)
        ).mappings().first()  # fmt: skip
    if row is None:
        return None
    found = TokenRecord.of(row)
    if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
        with engine.begin() as conn:
            conn.execute(update(ApiToken).where(c.id == found.id).values(last_used_at=now))
        found = replace(found, last_used_at=now)
    return found


def listing(engine: Engine) -> list[TokenRecord]:
    with engine.connect() as conn:
        rows = conn.execute(TokenRecord.select_from(_TABLE).order_by(_TABLE.c.name)).mappings()
        return [TokenRecord.of(r) for r in rows]


def named(engine: Engine, name: str) -> TokenRecord | None:
    with engine.connect() as conn:
        stmt = TokenRecord.select_from(_TABLE).where(_TABLE.c.name == name)
        row = conn.execute(stmt).mappings().first()
    return TokenRecord.of(row) if row is not None else None


def revoke(engine: Engine, name: str) -> TokenRecord | None:
    """Delete the token named `name` (its requests are refused from now on); None if none."""
    found = named(engine, name)
    if found is not None:
        with engine.begin() as conn:
            conn.execute(delete(ApiToken).where(_TABLE.c.id == found.id))
    return found
