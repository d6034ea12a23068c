"""Local accounts of the workspace (`veille users`, `veille serve`): rows, never hashing.

The password hash is computed above (web.security, argon2); this module stores and reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, delete, func, insert, null, or_, select, update

from config.refusals import Refusal
from config.settings import email_address
from storage.clock import utcnow
from storage.models import User
from storage.vocab import LANGS

ROLES = ("viewer", "analyst", "admin")  # each may do what the ones before it may


@dataclass(frozen=True)
class UserRecord:
    id: int
    name: str
    role: str
    password_hash: str
    created_at: datetime
    password_changed_at: datetime
    session_generation: int = 0  # a session cookie signed under another one is void
    email: str | None = None  # where they hear of the mentions assigned to them
    language: str | None = None  # of their workspace pages (None: the workspace's)
    totp_secret: str | None = None  # their authenticator's secret: two-step sign-in is on
    totp_pending: str | None = None  # the secret being set up, until a code confirms it
    brands: tuple[str, ...] | None = None  # the brands they see (web/scope.py); None: every


REFUSALS = {
    "role": ("le rôle « {role} » n'est pas l'un de\u00a0: {roles}",
             "role {role!r} is not one of {roles}"),
    "taken": ("il existe déjà une personne nommée « {name} »",
              "there is already a user named {name!r}"),
    "language": ("la langue « {language} » n'est pas l'une de\u00a0: {langs}",
                 "language {language!r} is not one of {langs}"),
    "last_admin": ("« {name} » est la dernière personne administratrice\u00a0: nommer d'abord"
                   " quelqu'un d'autre administrateur",
                   "{name!r} is the last admin: make someone else admin first"),
    "admin_scope": ("« {name} » administre l'espace\u00a0: une personne administratrice voit"
                    " toutes les marques (donner d'abord un autre rôle)",
                    "{name!r} is an admin: an admin sees every brand (give another role first)"),
    "scoped_admin": ("« {name} » ne voit que certaines marques\u00a0: lui rendre toutes les"
                     " marques avant de l'en nommer administratrice",
                     "{name!r} sees some brands only: give them every brand before making"
                     " them admin"),
    "unknown_brand": ("« {brand} » n'est pas une marque de veille.yaml\u00a0: {brands}",
                      "{brand!r} is not a brand of veille.yaml: {brands}"),
    "no_brand": ("une liste de marques vide ne laisserait rien voir\u00a0: nommer au moins"
                 " une marque, ou toutes",
                 "an empty list of brands would show nothing: name at least one, or every"
                 " brand"),
}  # fmt: skip


def _record(row: Any) -> UserRecord:
    values = tuple(row)  # _COLUMNS: the record's fields, its brands (a JSON list) last
    found = UserRecord(*values[:-1])
    return replace(found, brands=tuple(values[-1])) if values[-1] is not None else found


_COLUMNS = (
    User.id,
    User.name,
    User.role,
    User.password_hash,
    User.created_at,
    User.password_changed_at,
    User.session_generation,
    User.email,
    User.language,
    User.totp_secret,
    User.totp_pending,
    User.brands,
)


def check_role(role: str) -> str:
    role = role.strip().lower()
    if role not in ROLES:
        raise Refusal(REFUSALS, "role", role=role, roles=", ".join(ROLES))
    return role


def check_email(address: str) -> str:
    """An e-mail address as typed (trimmed); ValueError saying what is wrong."""
    return email_address(address.strip())


def add_user(
    engine: Engine,
    name: str,
    role: str,
    password_hash: str,
    email: str | None = None,
    brands: Sequence[str] | None = None,
    known: Sequence[str] = (),
) -> int:
    """A new account, seeing `brands` only (None: every brand; each one of `known`: see
    check_scope); ValueError when the name is taken, the role unknown, the e-mail address none
    or the brands refused."""
    role = check_role(role)
    email = check_email(email) if email else None
    scope = check_scope(name, role, brands, known)
    with engine.begin() as conn:
        if conn.execute(select(User.id).where(User.name == name)).first() is not None:
            raise Refusal(REFUSALS, "taken", name=name)
        now = utcnow()
        result = conn.execute(
            insert(User).values(
                name=name,
                role=role,
                password_hash=password_hash,
                created_at=now,
                password_changed_at=now,
                email=email,
                brands=list(scope) if scope is not None else null(),  # SQL NULL: every brand
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]


def set_email(engine: Engine, name: str, email: str | None) -> bool:
    """Set (None: clear) where the person hears of assigned mentions; False: no such user.
    ValueError when the address is none."""
    email = check_email(email) if email else None
    with engine.begin() as conn:
        found = conn.execute(update(User).where(User.name == name).values(email=email))
        return bool(found.rowcount)


def set_language(engine: Engine, name: str, language: str | None) -> bool:
    """Set (None: clear) the language of the person's workspace pages; False: no such user.
    ValueError when the language is not one Veille speaks."""
    if language is not None and language not in LANGS:
        raise Refusal(REFUSALS, "language", language=language, langs=", ".join(LANGS))
    with engine.begin() as conn:
        found = conn.execute(update(User).where(User.name == name).values(language=language))
        return bool(found.rowcount)


def get_user(engine: Engine, name: str) -> UserRecord | None:
    with engine.connect() as conn:
        row = conn.execute(select(*_COLUMNS).where(User.name == name)).first()
    return _record(row) if row is not None else None


def list_users(engine: Engine) -> list[UserRecord]:
    with engine.connect() as conn:
        return [_record(r) for r in conn.execute(select(*_COLUMNS).order_by(User.name))]


def user_names(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return list(conn.execute(select(User.name).order_by(User.name)).scalars())


def remove_user(engine: Engine, name: str) -> bool:
    """Remove the account; the messages still owed to them (assigned mentions) are owed no
    more. False: no such user."""
    from storage.deliveries import cancel_to, person_target

    with engine.begin() as conn:
        if not conn.execute(delete(User).where(User.name == name)).rowcount:
            return False
        cancel_to(conn, person_target(name), "the account was removed")
        return True


def set_password(engine: Engine, name: str, password_hash: str) -> bool:
    with engine.begin() as conn:
        result = conn.execute(
            update(User)
            .where(User.name == name)
            .values(
                password_hash=password_hash,
                password_changed_at=utcnow(),
                session_generation=User.session_generation + 1,
            )
        )
        return bool(result.rowcount)


def end_sessions(engine: Engine, name: str) -> bool:
    """Void every session cookie of this account (signing out: on every device)."""
    with engine.begin() as conn:
        result = conn.execute(
            update(User)
            .where(User.name == name)
            .values(session_generation=User.session_generation + 1)
        )
        return bool(result.rowcount)


def set_totp_pending(engine: Engine, name: str, secret: str) -> bool:
    """The secret of an authenticator being set up (a code confirms it: confirm_totp)."""
    with engine.begin() as conn:
        done = conn.execute(update(User).where(User.name == name).values(totp_pending=secret))
        return bool(done.rowcount)


def confirm_totp(engine: Engine, name: str, secret: str, step: int) -> bool:
    """Two-step sign-in on with `secret` (the one pending, which a code of time step `step`
    matched; that code is used). False when another setup replaced it meanwhile."""
    with engine.begin() as conn:
        done = conn.execute(
            update(User)
            .where(User.name == name, User.totp_pending == secret)
            .values(totp_secret=secret, totp_pending=None, totp_last_step=step)
        )
        return bool(done.rowcount)


def clear_totp(engine: Engine, name: str) -> bool:
    """Two-step sign-in off (the person's choice, or an admin's for a lost phone)."""
    with engine.begin() as conn:
        done = conn.execute(
            update(User)
            .where(User.name == name)
            .values(totp_secret=None, totp_pending=None, totp_last_step=None)
        )
        return bool(done.rowcount)


def use_totp_step(engine: Engine, name: str, step: int) -> bool:
    """Take a code of time step `step` as used: False if that step's code, or a later one,
    was used before (a code is good once, even when two requests race)."""
    with engine.begin() as conn:
        done = conn.execute(
            update(User)
            .where(
                User.name == name,
                User.totp_secret.is_not(None),
                or_(User.totp_last_step.is_(None), User.totp_last_step < step),
            )
            .values(totp_last_step=step)
        )
        return bool(done.rowcount)


def set_role(engine: Engine, name: str, role: str) -> str | None:
    """Give the account another role (it holds from the person's next page); the role it had,
    None if there is no such account. The last admin keeps theirs (Refusal)."""
    role = check_role(role)
    with engine.begin() as conn:
        was = conn.execute(select(User.role).where(User.name == name)).scalar_one_or_none()
        scoped = conn.execute(select(User.brands).where(User.name == name)).scalar()
        if role == "admin" and was != "admin" and scoped is not None:
            raise Refusal(REFUSALS, "scoped_admin", name=name)
        if was == "admin" and role != "admin":
            admins = select(func.count()).select_from(User).where(User.role == "admin")
            if conn.execute(admins).scalar_one() <= 1:
                raise Refusal(REFUSALS, "last_admin", name=name)
        if was is not None:
            conn.execute(update(User).where(User.name == name).values(role=role))
        return was


def scope_of(brands: Sequence[str] | None, known: Sequence[str]) -> tuple[str, ...] | None:
    """Brands as stored: sorted, each once, each one of `known` (the workspace's); None
    stays None (every brand). Refusal when the list is empty or names another brand."""
    if brands is None:
        return None
    kept = tuple(sorted({b.strip() for b in brands if b.strip()}))
    if not kept:
        raise Refusal(REFUSALS, "no_brand")
    for brand in kept:
        if brand not in known:
            raise Refusal(REFUSALS, "unknown_brand", brand=brand, brands=", ".join(known))
    return kept


def check_scope(
    name: str, role: str, brands: Sequence[str] | None, known: Sequence[str]
) -> tuple[str, ...] | None:
    """The brands account `name` of `role` may be given, as stored (scope_of); an admin sees
    every brand (Refusal)."""
    kept = scope_of(brands, known)
    if role == "admin" and kept is not None:
        raise Refusal(REFUSALS, "admin_scope", name=name)
    return kept


def scope_text(scope: Sequence[str] | None) -> str:
    """A scope as the audit log and the command line write it: "Acme, Lumino", "every brand"."""
    return ", ".join(scope) if scope is not None else "every brand"


def set_brands(
    engine: Engine, name: str, brands: Sequence[str] | None, known: Sequence[str]
) -> str | None:
    """The brands the person sees from their next page (None: every brand; each one of
    `known`: see check_scope); what they saw before (scope_text), None if there is no such
    account."""
    with engine.begin() as conn:
        found = conn.execute(select(User.role, User.brands).where(User.name == name)).first()
        if found is None:
            return None
        kept = check_scope(name, found.role, brands, known)
        stored = list(kept) if kept is not None else null()  # SQL NULL, not JSON's null
        conn.execute(update(User).where(User.name == name).values(brands=stored))
        return scope_text(found.brands)


def count_admins(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(User).where(User.role == "admin")
            ).scalar_one()
        )
