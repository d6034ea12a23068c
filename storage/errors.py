"""Storage failures worded for a person: what is wrong and what to do."""

from __future__ import annotations

from typing import Any


class StorageError(Exception):
    """The database cannot be used as it is; the message says what to do."""

    exit_code = 1


class SchemaError(StorageError):
    """The database schema is missing, behind or ahead of this version of Veille."""


def one_line(exc: BaseException | None) -> str:
    """An exception as `Type: message` on one line, for logs without --debug (no traceback)."""
    if exc is None:
        return ""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class ShortTracebacks:
    """A logging filter: a record's exception becomes one line appended to its message.

    Without --debug no traceback reaches the terminal or the journal (Scrapy logs every
    failed download, a failed stage logs what stopped it): the message and the exception's
    type and text say enough; --debug keeps the full traceback.
    """

    def filter(self, record: Any) -> bool:
        message = record.getMessage() if isinstance(record.msg, str) else None
        # Some messages carry a formatted traceback themselves (Scrapy's start-request errors).
        if message is not None and _TRACEBACK in message:
            record.msg, record.args = message.split(_TRACEBACK, 1)[0].rstrip(), None
        if record.exc_info and record.exc_info[1] is not None:
            text = one_line(record.exc_info[1])
            message = record.getMessage()
            record.msg = message if text in message else f"{message} ({text})"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


_TRACEBACK = "\nTraceback (most recent call last):"


def describe_url(url: str) -> str:
    """The URL without its password, for messages and logs."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "the configured database"


def translate(exc: BaseException, url: str) -> StorageError:
    """Turn a DBAPI/SQLAlchemy error into one sentence saying what is wrong and what to do."""
    text = str(getattr(exc, "orig", None) or exc)
    where = describe_url(url)
    lowered = text.lower()
    if "file is not a database" in lowered or "malformed" in lowered:
        return StorageError(
            f"The SQLite file of {where} is corrupt or not a database; restore it from a backup "
            "or point database.url at a new file and run `veille db upgrade`."
        )
    if "database is locked" in lowered:
        return StorageError(
            f"The SQLite database {where} is locked by another process; wait for the running "
            "Veille job to finish (see `veille status`) and try again."
        )
    if "unable to open database file" in lowered or "readonly database" in lowered:
        return StorageError(
            f"Cannot open or write the SQLite database {where}; check that its folder exists "
            "and is writable."
        )
    if (
        "connection refused" in lowered
        or "could not connect" in lowered
        or ("connection" in lowered and ("failed" in lowered or "timeout" in lowered))
    ):
        return StorageError(
            f"Cannot connect to the database {where}; check that the server is running and that "
            "database.url (or VEILLE_DATABASE__URL) is right."
        )
    if "does not exist" in lowered and "database" in lowered:
        return StorageError(
            f"The database named in {where} does not exist; create it (createdb) "
            "or fix database.url."
        )
    if "password authentication failed" in lowered:
        return StorageError(
            f"The database server refused the credentials for {where}; check the user and password."
        )
    first = text.strip().splitlines()[0] if text.strip() else type(exc).__name__
    return StorageError(f"Database error on {where}: {first}")
