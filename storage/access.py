"""An access request: everything held about one person (`veille privacy export`)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, String, cast, func, select

from storage.dialect import chunks
from storage.mentions import not_by
from storage.models import (
    Alert,
    Author,
    AuthorProfile,
    AuthorTag,
    BrandDismissal,
    Label,
    Mention,
    MentionBrand,
    MentionFlag,
    Source,
)
from storage.tombstones import HANDLE_IN_TEXT


def _rows(conn: Connection, stmt: Any, skip: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    out = []
    for row in conn.execute(stmt):
        out.append({k: v for k, v in row._mapping.items() if k not in skip})
    return out


def person_data(conn: Connection, source: str, handle: str) -> dict[str, Any]:
    """The person's author rows, profile and tags, every mention they wrote (with its raw record,
    labels, brand matches, brands it was taken off and flags), other mentions and alerts that
    name them."""
    handle = handle.lstrip("@")
    authors = _rows(
        conn,
        select(Author.__table__, Source.name.label("source"), Source.kind.label("source_kind"))
        .join(Source, Source.id == Author.source_id)
        .where(
            func.lower(Source.name) == source.lower(), func.lower(Author.handle) == handle.lower()
        ),
    )
    author_ids = [a["id"] for a in authors]
    out: dict[str, Any] = {
        "request": {"source": source, "handle": handle},
        "authors": authors,
        "profiles": [],
        "tags": [],
        "mentions": [],
        "named_in": [],
        "alerts": [],
    }
    if not author_ids:
        return out
    out["profiles"] = _rows(
        conn, select(AuthorProfile.__table__).where(AuthorProfile.author_id.in_(author_ids))
    )
    out["tags"] = _rows(
        conn, select(AuthorTag.__table__).where(AuthorTag.author_id.in_(author_ids))
    )
    by_id: dict[int, dict[str, Any]] = {}
    for row in _rows(
        conn,
        select(Mention.__table__).where(Mention.author_id.in_(author_ids)).order_by(Mention.id),
    ):
        row.update(labels=[], brands=[], flags=[], off_topic_for=[])
        by_id[row["id"]] = row
    for part in chunks(list(by_id)):
        for key, table in (
            ("labels", Label), ("brands", MentionBrand), ("flags", MentionFlag),
            ("off_topic_for", BrandDismissal),  # a brand the team took the mention off
        ):  # fmt: skip
            stmt = select(table.__table__).where(table.mention_id.in_(part))
            for values in _rows(conn, stmt):
                by_id[values.pop("mention_id")][key].append(values)
    out["mentions"] = list(by_id.values())
    # Other people's posts that name them (ids and links only: the texts are others' data).
    source_ids = sorted({a["source_id"] for a in authors})
    like = f"%@{handle.lower()}%"
    for mid, url, published, text in conn.execute(
        select(Mention.id, Mention.url, Mention.published_at, Mention.text).where(
            Mention.source_id.in_(source_ids),
            not_by(author_ids),
            func.lower(Mention.text).like(like),
        )
    ):
        if any(h.casefold() == handle.casefold() for h in HANDLE_IN_TEXT.findall(text)):
            out["named_in"].append({"mention_id": mid, "url": url, "published_at": published})
    for aid, brand, opened in conn.execute(
        select(Alert.id, Alert.brand, Alert.opened_at).where(
            func.lower(cast(Alert.details, String)).like(f"%{handle.lower()}%")
        )
    ):
        out["alerts"].append({"alert_id": aid, "brand": brand, "opened_at": opened})
    return out


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def write_json(data: dict[str, Any], out: Path) -> None:
    """Written beside the target and renamed: no half file; readable by its owner only."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, default=_default)
        fh.write("\n")
    tmp.replace(out)
