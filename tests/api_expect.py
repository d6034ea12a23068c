"""Compare the mentions a crawl stored with a fixture's expected-values file (expected.yaml)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from api_replay import iso_utc
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import Author, Mention, Source

# expected.yaml key -> how to read it off a stored mention (and its author)
FIELDS: dict[str, Any] = {
    "author": lambda m, a: a.handle if a else None,
    "author_name": lambda m, a: a.name if a else None,
    "author_url": lambda m, a: a.profile_url if a else None,
    "followers": lambda m, a: m.author_followers,
    "own_account": lambda m, a: bool((a.extra or {}).get("own_account")) if a else False,
    "published_at": lambda m, a: m.published_at,
    "url": lambda m, a: m.url,
    "text": lambda m, a: m.text,
    "title": lambda m, a: m.title,
    "likes": lambda m, a: m.likes,
    "shares": lambda m, a: m.shares,
    "comments": lambda m, a: m.comments,
    "views": lambda m, a: m.views,
    "rating": lambda m, a: m.rating,
    "thread_id": lambda m, a: m.thread_id,
    "thread_title": lambda m, a: m.thread_title,
    "parent_id": lambda m, a: m.parent_id,
    "lang": lambda m, a: m.lang,
}


def load_expected(folder: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((folder / "expected.yaml").read_text(encoding="utf-8"))
    return data


def stored(engine: Engine, source: str) -> dict[str, tuple[Mention, Author | None]]:
    with Session(engine) as session:
        rows = session.execute(
            select(Mention, Author)
            .join(Source, Source.id == Mention.source_id)
            .join(Author, Author.id == Mention.author_id, isouter=True)
            .where(Source.name == source)
        ).all()
        session.expunge_all()
    return {m.external_id: (m, a) for m, a in rows}


def differences(
    expected: dict[str, dict[str, Any]],
    found: dict[str, tuple[Mention, Author | None]],
    host: str = "",
) -> list[str]:
    """Every field that differs, as readable lines (empty: all right); quotes must be absent."""
    out = []
    for external_id, fields in expected.items():
        if external_id not in found:
            out.append(f"{external_id}: not stored")
            continue
        mention, author = found[external_id]
        for key, want in fields.items():
            if key == "quote_absent":
                out += [
                    f"{external_id}: quoted {snippet!r} left in the text"
                    for snippet in want
                    if snippet in mention.text
                ]
                continue
            got = FIELDS[key](mention, author)
            if isinstance(want, str):
                want = want.replace("{host}", host)
            if key == "published_at" and want is not None:
                want = iso_utc(str(want))
            if got != want:
                out.append(f"{external_id}.{key}: expected {want!r}, stored {got!r}")
    return out
