"""The inbox's stored needs-attention score (storage/attention.py, `mention_attention`) always
equals the formula: after mentions and authors are stored, model labels, a person's
corrections, triage, alert episodes opening and closing, and the migration's backfill; on
SQLite and PostgreSQL. Also: an alert episode's posts, as a filter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert, select

from storage.attention import ATTENTION, drift
from storage.clock import utcnow
from storage.models import Mention, MentionAttention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore


def _scores(engine: Engine) -> dict[int, tuple[int, bool]]:
    """(stored score, open) by external id (= mention id for the first eight)."""
    with engine.connect() as conn:
        rows = conn.execute(
            select(Mention.external_id, MentionAttention.score, MentionAttention.is_open).join(
                Mention, Mention.id == MentionAttention.mention_id
            )
        )
        return {int(ext): (score, bool(is_open)) for ext, score, is_open in rows}


def _no_drift(engine: Engine) -> None:
    with engine.connect() as conn:
        assert drift(conn) == []


def _record(i: int, hours: float, text: str, followers: int | None = None) -> MentionRecord:
    brand = "Acme" if i % 2 else "Globex"
    return MentionRecord(
        source="forum", source_kind="forum", external_id=str(i), text=f"{brand} {text}",
        published_at=utcnow() - timedelta(hours=hours),
        author=AuthorRecord(handle=f"a{i % 3}", followers=followers),
        brands=[BrandMatch(brand, brand.lower(), [brand.lower()])],
    )  # fmt: skip


def test_the_stored_score_follows_every_write(engine: Engine) -> None:
    from nlp.human_labels import record
    from storage.alerts import insert_alert, resolve, update_alert
    from storage.inbox import InboxFilter, inbox_page, set_triage
    from storage.labels import LabelRecord, save_labels

    store = MentionStore(engine)
    store.store(
        [_record(i, 5 * i, "livraison" + (" ?" if i % 4 == 0 else "")) for i in range(1, 9)]
    )
    _no_drift(engine)
    question = _scores(engine)[4][0]
    assert question == ATTENTION["question"]  # #4 asks, nobody far-reaching yet

    with engine.begin() as conn:  # the labeller
        save_labels(conn, [LabelRecord(1, "sentiment", "negative", 0.9, model="m"),
                           LabelRecord(1, "topic", "service_client", 0.8, model="m"),
                           LabelRecord(3, "sentiment", "positive", 0.5, model="m", review=True)])  # fmt: skip
    _no_drift(engine)
    assert _scores(engine)[1][0] == ATTENTION["negative"] + ATTENTION["service_client"]
    assert _scores(engine)[3][0] == ATTENTION["review"]

    record(engine, 1, [("sentiment", "positive")])  # a person's correction wins
    record(engine, 3, [("sentiment", "negative")])  # and clears the model's doubt
    _no_drift(engine)
    assert _scores(engine)[1][0] == ATTENTION["service_client"]
    assert _scores(engine)[3][0] == ATTENTION["negative"]
    with engine.begin() as conn:  # a model never overwrites a person, nor the score
        save_labels(conn, [LabelRecord(3, "sentiment", "neutral", 0.9, model="m")])
    _no_drift(engine)
    assert _scores(engine)[3][0] == ATTENTION["negative"]

    with engine.begin() as conn:  # triage: the open flag
        set_triage(conn, [1, 2], "ana", status="closed")
        set_triage(conn, [2], "ana", status="in_progress")
    _no_drift(engine)
    assert _scores(engine)[1][1] is False and _scores(engine)[2][1] is True

    # an author's followers cross the far-reaching line: their earlier posts follow
    store.store([_record(10, 1, "encore", followers=50_000)])  # author a1, like #1, #4, #7
    _no_drift(engine)
    assert _scores(engine)[4][0] == ATTENTION["question"] + ATTENTION["reach"]

    now = utcnow()
    with engine.begin() as conn:  # an Acme episode opens 12 hours ago
        alert_id = insert_alert(conn, brand="Acme", kind="bad_buzz", severity="high",
                                status="open", opened_at=now - timedelta(hours=12),
                                updated_at=now)  # fmt: skip
    _no_drift(engine)
    scores = _scores(engine)
    far = ATTENTION["reach"]  # #1's author now
    assert scores[1][0] == ATTENTION["service_client"] + far + ATTENTION["alert"]  # 5 h ago
    assert scores[3][0] == ATTENTION["negative"]  # Acme, but 15 h ago: before the episode
    assert scores[2][0] == 0  # Globex

    def episode() -> set[int]:
        with engine.connect() as conn:
            external = dict(conn.execute(select(Mention.id, Mention.external_id)).tuples().all())
        flt = InboxFilter(alert=alert_id, status=None)
        return {int(external[r["id"]]) for r in inbox_page(engine, flt)}

    assert episode() == {1}  # Acme's posts from an hour before it opened (#3 is older)
    store.store([_record(11, 0.5, "ça recommence")])  # a new post joins the open episode
    _no_drift(engine)
    assert _scores(engine)[11][0] == ATTENTION["alert"] and episode() == {1, 11}

    with engine.begin() as conn:
        closed = now - timedelta(minutes=15)
        update_alert(conn, alert_id, status="closed", closed_at=closed, updated_at=now)
    _no_drift(engine)
    assert _scores(engine)[1][0] == ATTENTION["service_client"] + far
    store.store([_record(13, 0.1, "après")])  # published after it closed: not part of it
    assert episode() == {1, 11}
    with engine.begin() as conn:
        other = insert_alert(conn, brand="Globex", kind="bad_buzz", severity="low",
                             status="open", opened_at=now - timedelta(hours=20),
                             updated_at=now)  # fmt: skip
    _no_drift(engine)
    assert _scores(engine)[2][0] == ATTENTION["alert"]
    with engine.begin() as conn:
        resolve(conn, other, "ana", None, now)
    _no_drift(engine)
    assert _scores(engine)[2][0] == 0

    # the inbox's order is the stored one: most urgent open mentions first, then the newest
    rows = inbox_page(engine, InboxFilter())
    keys = [(r["priority"], r["published_at"]) for r in rows]
    assert keys == sorted(keys, reverse=True) and 1 not in {r["id"] for r in rows}


def test_the_migration_backfills_the_score(db_url: str) -> None:
    from storage.engine import make_engine
    from storage.models import Author, Label, MentionBrand, Source
    from storage.schema import upgrade

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0015")
        now = utcnow()
        with engine.begin() as conn:
            conn.execute(insert(Source).values(id=1, name="s", kind="forum"))
            conn.execute(insert(Author).values(id=1, source_id=1, handle="x", followers=20_000))
            conn.execute(insert(Mention), [
                {"id": i, "source_id": 1, "external_id": str(i), "author_id": 1 if i == 2 else None,
                 "text": "ok ?" if i == 3 else "ok", "published_at": now - timedelta(hours=i),
                 "content_hash": str(i)} for i in (1, 2, 3)
            ])  # fmt: skip
            conn.execute(insert(MentionBrand).values(mention_id=1, brand="Acme"))
            conn.execute(insert(Label).values(mention_id=1, task="sentiment", value="negative",
                                              model="m", version="1"))  # fmt: skip
        upgrade(engine)
        _no_drift(engine)
        assert _scores(engine) == {
            1: (ATTENTION["negative"], True),
            2: (ATTENTION["reach"], True),
            3: (ATTENTION["question"], True),
        }
    finally:
        engine.dispose()


def test_full_text_walks_or_sorts_with_the_same_answer(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Few full-text matches are sorted, many make the inbox's order walked: same rows."""
    import storage.inbox
    from storage.inbox import InboxFilter, inbox_page

    store = MentionStore(engine)
    store.store([_record(i, i, "colis perdu" if i % 3 else "colis livré") for i in range(1, 13)])

    def found(words: str) -> list[int]:
        return [r["id"] for r in inbox_page(engine, InboxFilter(status=None, words=words))]

    sorted_ = (found("colis"), found("colis perdu"), found("rien"))
    assert len(sorted_[0]) == 12 and len(sorted_[1]) == 8 and sorted_[2] == []
    monkeypatch.setattr(storage.inbox, "FULLTEXT_SORT", 2)
    assert (found("colis"), found("colis perdu"), found("rien")) == sorted_


def test_the_default_inbox_page_is_read_in_index_order(sqlite_engine: Engine) -> None:
    """EXPLAIN QUERY PLAN: the first page walks a stored-score index, with no sort."""
    from datetime import timedelta

    from storage.inbox import InboxFilter, _base, _ordered

    MentionStore(sqlite_engine).store([_record(i, i, "texte") for i in range(1, 30)])
    for flt in (InboxFilter(since=utcnow() - timedelta(days=30)), InboxFilter(brand="Acme")):
        with sqlite_engine.connect() as conn:
            q, named = _base(conn, flt)
            sql = (
                _ordered(q, named, "attention")
                .limit(51)
                .compile(conn, compile_kwargs={"literal_binds": True})
            )
            plan = [r[-1] for r in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {sql}")]
        assert "ix_mention_attention" in plan[0], plan
        assert not any("TEMP B-TREE" in step for step in plan), plan
