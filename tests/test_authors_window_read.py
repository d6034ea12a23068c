"""The authors' window read two ways on SQLite (by time, or scanning in id order) gives the
same rows, and the window the analytics see does not depend on which way it was read."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import Engine, select

from nlp.authors.data import load_window
from storage import authors
from storage.labels import LabelRecord, save_labels
from storage.models import Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

T0 = datetime(2026, 1, 1, tzinfo=UTC)
DAYS = 64


def _store(engine: Engine) -> None:
    """Four posts a day over DAYS days, stored out of time order (ids are collection order),
    some by the same authors, some on two brands, two labels on most."""
    posts = []
    for k in range(4 * DAYS):
        day = (k * 37) % DAYS  # ids do not follow time
        posts.append(
            MentionRecord(
                source="twitter", source_kind="twitter_export", external_id=f"t{k}",
                text=f"Post {k} sur Lumino, avis {'nul' if k % 3 else 'top'} @u{k % 7}",
                published_at=T0 + timedelta(days=day, hours=k % 24),
                author=AuthorRecord(handle=f"u{k % 29}", followers=k * 10),
                brands=[BrandMatch("Lumino"), *([BrandMatch("Vega")] if k % 5 == 0 else [])],
            )
        )  # fmt: skip
    MentionStore(engine).store(posts)
    labels = [
        LabelRecord(mention_id=i, task=task, value=value)
        for i in range(1, len(posts) + 1)
        if i % 4
        for task, value in (("sentiment", "negative"), ("topic", "service_client"))
    ]
    with engine.begin() as conn:
        save_labels(conn, labels)


@pytest.mark.parametrize(("days", "scan"), [(2, False), (30, True), (DAYS + 1, True)])
def test_both_reads_find_the_same_rows(sqlite_engine: Engine, days: int, scan: bool) -> None:
    _store(sqlite_engine)
    end = T0 + timedelta(days=days)
    with sqlite_engine.connect() as conn:
        assert authors._scan_window(conn, T0, end) is scan  # 3 %, 47 %, all of them
        reads = []
        for by_id in (False, True):
            q = authors._window_query(T0, end, scan=by_id)
            rows = [r for part in authors._raw_rows(conn, q, 100) for r in part]
            ids = [r[0] for r in rows]
            assert ids == sorted(ids) if by_id else ids != sorted(ids)
            reads.append(sorted(rows))
        assert reads[0] == reads[1]
        assert len(reads[0]) == 4 * min(days, DAYS)


def test_the_window_is_the_same_whichever_way_it_is_read(
    sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    _store(sqlite_engine)
    end = T0 + timedelta(days=40)
    windows = []
    for scan in (False, True):
        monkeypatch.setattr(authors, "_scan_window", lambda *_, scan=scan: scan)
        with sqlite_engine.connect() as conn:
            windows.append(load_window(conn, T0, end))
    pd.testing.assert_frame_equal(windows[0].mentions, windows[1].mentions)
    pd.testing.assert_frame_equal(windows[0].brands, windows[1].brands)


def test_profiles_of_authors_gone_from_the_window_are_dropped(engine: Engine) -> None:
    """An author whose posts all left the window loses the profile; the others keep theirs
    (both backends: PostgreSQL must not check each profile against every post)."""
    from storage.models import AuthorProfile

    _store(engine)
    with engine.connect() as conn:
        ids = conn.execute(select(Mention.author_id, Mention.published_at)).all()
    start, end = T0 + timedelta(days=10), T0 + timedelta(days=12)
    inside = {a for a, at in ids if start <= _utc(at) <= end}
    everyone = sorted({a for a, _ in ids})
    assert inside and len(inside) < len(everyone)
    row = {"profile": "autre", "profile_score": 0.5, "reasons": [], "influence": 0.0,
           "influence_parts": {}, "tier": "t", "flags": [], "suspicious": False, "posts": 1,
           "features": {}, "window_start": start, "window_end": end, "computed_at": end,
           "version": "v"}  # fmt: skip
    with engine.begin() as conn:
        authors.save_profiles(conn, [{**row, "author_id": a} for a in everyone])
        dropped = authors.drop_profiles_outside(conn, start, end)
        kept = set(conn.execute(select(AuthorProfile.author_id)).scalars())
    assert kept == inside and dropped == len(everyone) - len(inside)


def _utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)
