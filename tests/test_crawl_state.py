"""Per-thread crawl state on both databases: upserted, and the last activity never goes back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Engine

from storage.crawl_state import ThreadState, load_threads, save_threads

T1 = datetime(2026, 3, 14, 11, 0, tzinfo=UTC)
T2 = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)


def test_thread_state_round_trip_and_upsert(engine: Engine) -> None:
    assert load_threads(engine, "forum") == {}
    save_threads(engine, [
        ThreadState("forum", "10", "http://f/t=10", "Lumino", "1025", T2, 3, "http://f/t=10&p=3"),
        ThreadState("forum", "11", "http://f/t=11", last_post_at=None),
        ThreadState("other", "10", "http://o/t=10", last_post_at=T1),
    ])  # fmt: skip
    states = load_threads(engine, "forum")
    assert set(states) == {"10", "11"}
    ten = states["10"]
    assert (ten.last_post_id, ten.last_post_at, ten.last_page) == ("1025", T2, 3)
    assert ten.last_post_at is not None and ten.last_post_at.tzinfo is not None
    assert states["11"].last_post_at is None and states["11"].last_seen_at is not None

    # A later crawl that saw older activity (a page served stale) never moves it back…
    save_threads(engine, [ThreadState("forum", "10", "http://f/t=10", "Lumino", "1030", T1, 4)])
    # …and a thread without a date gets one when it is known.
    save_threads(engine, [ThreadState("forum", "11", "http://f/t=11", last_post_at=T1)])
    states = load_threads(engine, "forum")
    assert (states["10"].last_post_at, states["10"].last_page) == (T2, 4)
    assert states["11"].last_post_at == T1
    assert load_threads(engine, "other")["10"].last_post_at == T1
