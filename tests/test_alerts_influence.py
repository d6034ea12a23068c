"""The alert rule's influence: the contributor analytics' score where computed, else followers."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine, insert, select

from reports.alerts.influence import influence_of
from storage.models import Author, AuthorProfile
from storage.records import AuthorRecord, MentionRecord
from storage.upsert import MentionStore

T = datetime(2026, 5, 1, tzinfo=UTC)


def test_profiled_influence_wins_and_followers_fill_the_gaps(engine: Engine) -> None:
    MentionStore(engine).store(
        MentionRecord(
            source="tw",
            source_kind="twitter_export",
            external_id=str(i),
            text="Lumino",
            published_at=T,
            author=AuthorRecord(handle=h, followers=f),
        )
        for i, (h, f) in enumerate([("expert", 10), ("star", 1_000_000), ("nobody", None)])
    )
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Author.handle, Author.id)).tuples().all())
        conn.execute(
            insert(AuthorProfile).values(
                author_id=ids["expert"],
                profile="expert",
                profile_score=0.9,
                reasons=[],
                influence=95.0,
                influence_parts={},
                tier="regular",
                flags=[],
                posts=40,
                window_start=T,
                window_end=T,
                version="test",
            )
        )
    with engine.connect() as conn:
        found = influence_of(conn, list(ids.values()))
    assert found[ids["expert"]] == 95.0  # a forum expert with few followers is influential
    assert 80 < found[ids["star"]] < 90  # no profile yet: 1 M followers, log-scaled
    assert ids["nobody"] not in found  # nothing known: no influence claimed
