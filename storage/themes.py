"""The themes kept per mention (`mention_themes`): read the valid ones, find the mentions
with none, store and forget them. What a theme is and how it is matched: nlp/themes.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import Connection, and_, select

from storage.bulk import delete_in, replace_rows, select_in
from storage.models import Mention, MentionThemes


def _valid(setting: str) -> Any:
    t = MentionThemes
    return and_(
        t.mention_id == Mention.id, t.content_hash == Mention.content_hash, t.setting == setting
    )


def stored(conn: Connection, ids: Sequence[int], setting: str) -> dict[int, list[str]]:
    """The kept themes of those of `ids` matched as they are now under `setting` (at the
    driver level, in large chunks: a report reads a million of them). Mentions in the same
    themes share one list: read only."""
    valid = _valid(setting).compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    rows = select_in(
        conn,
        "SELECT mention_themes.mention_id, mention_themes.themes FROM mention_themes"
        f" JOIN mentions ON {valid} WHERE mention_themes.mention_id IN ({{keys}})",
        (),
        list(ids),
        size=10_000,
    )
    decoded: dict[str, list[str]] = {}  # a few dozen distinct sets of themes for a million
    out: dict[int, list[str]] = {}
    for i, names in rows:
        found = decoded.get(names)
        if found is None:
            found = decoded[names] = orjson.loads(names)
        out[int(i)] = found
    return out


def unmatched(conn: Connection, start: datetime, end: datetime, setting: str) -> dict[int, str]:
    """The mentions published in [start, end) with no valid kept themes under `setting`: their
    content hash by id (read whole before any is stored)."""
    q = (
        select(Mention.id, Mention.content_hash)
        .outerjoin(MentionThemes, _valid(setting))
        .where(
            Mention.published_at >= start, Mention.published_at < end,
            MentionThemes.mention_id.is_(None),
        )
    )  # fmt: skip
    return {int(i): str(digest) for i, digest in conn.execute(q).tuples()}


def save(conn: Connection, rows: Iterable[tuple[int, str, str, list[str]]]) -> int:
    """Keep (replace) the themes of mentions: (id, content hash, setting, names)."""
    cols = ("mention_id", "content_hash", "setting", "themes")
    return replace_rows(
        conn, "mention_themes", cols, ((i, h, s, orjson.dumps(n).decode()) for i, h, s, n in rows)
    )


def forget(conn: Connection, mention_ids: Sequence[int]) -> None:
    """Drop the kept themes of these mentions (deleted, or their text rewritten)."""
    delete_in(conn, MentionThemes.mention_id, mention_ids)
