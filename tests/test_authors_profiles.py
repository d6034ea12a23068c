"""Contributor profiles from written histories, stored and recomputed incrementally."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
from authors_histories import NOW, expected_profiles, load
from sqlalchemy import Engine

from config.settings import AuthorsSettings
from nlp.authors.compute import recompute
from storage.authors import (
    list_profiles,
    profiles_for,
    set_profile_by_human,
    withdraw_person_profile,
)
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore


@pytest.fixture
def loaded(engine: Engine) -> dict[str, int]:
    ids = load(engine)
    recompute(engine, AuthorsSettings(), NOW)
    return ids


def test_each_history_gets_its_profile(engine: Engine, loaded: dict[str, int]) -> None:
    with engine.connect() as conn:
        stored = profiles_for(conn, loaded.values())
    got = {h: stored[i]["profile"] for h, i in loaded.items() if h in expected_profiles()}
    assert got == expected_profiles()
    # Every chosen profile carries a score and readable reasons.
    for handle, expect in expected_profiles().items():
        row = stored[loaded[handle]]
        assert row["reasons"], handle
        assert (row["profile_score"] > 0) == (expect != "inconnu"), handle


def test_reasons_count_posts_a_person_can_check(engine: Engine, loaded: dict[str, int]) -> None:
    with engine.connect() as conn:
        stored = profiles_for(conn, [loaded["marie_compare"], loaded["deux_messages"]])
    assert stored[loaded["marie_compare"]]["reasons"][0] == "asks questions in 8 of 9 posts"
    assert stored[loaded["deux_messages"]]["reasons"][0] == (
        "only 2 posts in the window (3 needed)"
    )
    marie = stored[loaded["marie_compare"]]
    assert marie["posts"] == 9 and marie["tier"] in ("regular", "occasional")
    assert 0 <= marie["influence"] <= 100
    assert set(marie["influence_parts"]) >= {"followers", "pagerank_ratio", "audience", "graph"}


def test_expert_is_central_in_the_reply_graph(engine: Engine, loaded: dict[str, int]) -> None:
    with engine.connect() as conn:
        stored = profiles_for(conn, loaded.values())
    # The asker is answered by the expert: the asker receives the replies, so ranks higher.
    asker = stored[loaded["curieux_01"]]["influence_parts"]
    loner = stored[loaded["bavard_du_forum"]]["influence_parts"]
    assert asker["pagerank_ratio"] > loner["pagerank_ratio"]
    assert stored[loaded["paul_bricole"]]["influence_parts"]["answered"] == 5


def test_recompute_is_incremental_and_a_persons_profile_wins(
    engine: Engine, loaded: dict[str, int]
) -> None:
    again = recompute(engine, AuthorsSettings(), NOW + timedelta(hours=1))
    assert again["skipped"] is True
    with engine.begin() as conn:
        assert set_profile_by_human(conn, loaded["deux_messages"], "chasseur_info")
    new = MentionRecord(
        source="forum-lumino", source_kind="forum", external_id="late-1",
        text="Bon plan : code promo LUMI20 sur la X300", published_at=NOW,
        author=AuthorRecord(handle="lea_bonsplans"), brands=[BrandMatch("Lumino")],
    )  # fmt: skip
    MentionStore(engine).store([new])
    counts = recompute(engine, AuthorsSettings(), NOW + timedelta(hours=2), full=True)
    assert counts["skipped"] is False
    with engine.connect() as conn:
        stored = profiles_for(conn, loaded.values())
        listed = list_profiles(conn, brand="Lumino", profile="chasseur_bons_plans", top=5)
    assert stored[loaded["lea_bonsplans"]]["posts"] == 8
    assert stored[loaded["deux_messages"]]["profile"] == "chasseur_info"
    assert stored[loaded["deux_messages"]]["by_human"] is True
    assert [r["handle"] for r in listed] == ["lea_bonsplans"]


def test_profiles_leave_with_the_window(engine: Engine, loaded: dict[str, int]) -> None:
    with engine.begin() as conn:  # a person's profile goes with the row, and comes back
        assert set_profile_by_human(conn, loaded["deux_messages"], "expert")
    later = NOW + timedelta(days=200)
    counts = recompute(engine, AuthorsSettings(), later)
    assert counts["authors"] == 0 and counts["profiles_dropped"] == len(loaded)
    with engine.connect() as conn:
        assert profiles_for(conn, loaded.values()) == {}
    back = MentionRecord(
        source="forum-lumino", source_kind="forum", external_id="back-1",
        text="Je reviens : la X300 tient toujours", published_at=later - timedelta(hours=1),
        author=AuthorRecord(handle="deux_messages"), brands=[BrandMatch("Lumino")],
    )  # fmt: skip
    MentionStore(engine).store([back])
    recompute(engine, AuthorsSettings(), later + timedelta(hours=1))
    with engine.connect() as conn:
        stored = profiles_for(conn, [loaded["deux_messages"]])[loaded["deux_messages"]]
    assert stored["posts"] == 1 and stored["profile"] == "expert" and stored["by_human"] is True
    assert stored["computed_profile"] == "inconnu"  # what the night found, beside it
    with engine.begin() as conn:  # withdrawn: the computed profile, now and the nights after
        assert withdraw_person_profile(conn, loaded["deux_messages"]) == "inconnu"
        assert withdraw_person_profile(conn, loaded["deux_messages"]) is None
    recompute(engine, AuthorsSettings(), later + timedelta(hours=2), full=True)
    with engine.connect() as conn:
        stored = profiles_for(conn, [loaded["deux_messages"]])[loaded["deux_messages"]]
    assert stored["profile"] == "inconnu" and stored["by_human"] is False


@contextmanager
def _upgraded_from(db_url: str, revision: str) -> Iterator[Engine]:
    """A database at `revision` holding three authors of a forum, the first two profiled
    `expert` (the first by a person), then upgraded to this version's schema."""
    from sqlalchemy import insert

    from storage.engine import make_engine
    from storage.models import Author, AuthorProfile, Source
    from storage.schema import upgrade

    engine = make_engine(db_url)
    try:
        upgrade(engine, revision)
        with engine.begin() as conn:
            conn.execute(insert(Source).values(id=1, name="forum", kind="forum"))
            conn.execute(insert(Author), [{"id": i, "source_id": 1, "handle": f"a{i}"}
                                          for i in (1, 2, 3)])  # fmt: skip
            conn.execute(insert(AuthorProfile.__table__), [{
                "author_id": i, "profile": "expert", "profile_score": 1.0, "reasons": [],
                "influence": 0.0, "influence_parts": {}, "tier": "one_off", "flags": [],
                "suspicious": False, "posts": 1, "by_human": i == 1, "window_start": NOW,
                "window_end": NOW, "version": "t",
            } for i in (1, 2)])  # fmt: skip
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()


def test_the_migration_keeps_the_profiles_people_chose_with_their_authors(db_url: str) -> None:
    from sqlalchemy import select

    from storage.models import Author

    with _upgraded_from(db_url, "0030") as engine, engine.connect() as conn:
        kept = dict(conn.execute(select(Author.id, Author.profile_by_person)).all())
    assert kept == {1: "expert", 2: None, 3: None}


def test_the_migration_keeps_the_computed_profiles_beside_the_persons(db_url: str) -> None:
    from sqlalchemy import select

    from storage.models import AuthorProfile

    with _upgraded_from(db_url, "0033") as engine, engine.connect() as conn:
        rows = conn.execute(select(AuthorProfile.author_id, AuthorProfile.computed_profile))
        computed = dict(rows.all())
    assert computed == {1: None, 2: "expert"}  # a person's row: from the next night
