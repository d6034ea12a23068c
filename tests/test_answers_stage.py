"""The `answers` stage (SQLite and PostgreSQL): a mention the brand answered in its source leaves
the workspace's open mentions (`answered`), the brand's own posts too (`closed`); a person's
choice made after the answer stands, and a run again changes nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

import reports_fixture as F
import yaml
from sqlalchemy import Engine, select

from pipeline.context import AppState
from pipeline.stages import StageContext, load_stage
from storage.attention import drift
from storage.audit import entries
from storage.inbox import InboxFilter, count, set_triage
from storage.models import Mention, MentionBrand, MentionTriage, Source
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.reporting import first_replies, own_account_ids
from storage.upsert import MentionStore


class Post(NamedTuple):
    external_id: str
    published_at: datetime


def _reply(
    parent: Post, handle: str, after: timedelta, n: int, to: str | None = None
) -> MentionRecord:
    return MentionRecord(
        source="twitter-inbox", source_kind="twitter_export", external_id=f"reply-{n}",
        text="Bonjour, écrivez-nous en DM, nous regardons.", url=None, lang="fr",
        published_at=parent.published_at + after, parent_id=to or parent.external_id,
        author=AuthorRecord(handle=handle),
    )  # fmt: skip


def _stage(engine: Engine, tmp_path: Path) -> dict[str, Any]:
    config = F.config(tmp_path)
    config["brands"][0]["own_accounts"] = ["@Lumino_Aide"]  # any case, with or without @
    config["brands"][1]["own_accounts"] = ["riveo_care"]
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump(config), encoding="utf-8")
    state = AppState(config_path=path, _engine=engine)
    counts: dict[str, Any] = load_stage("answers")(StageContext(state, now=F.NOW)).counts
    return counts


def _status(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(
            select(Mention.external_id, MentionTriage.status).join(
                MentionTriage, MentionTriage.mention_id == Mention.id
            )
        )
        return {str(e): str(s) for e, s in rows}


def test_answered_mentions_and_own_posts_leave_the_open_ones(
    engine: Engine, tmp_path: Path
) -> None:
    ids = F.load(engine)
    with engine.connect() as conn:
        on_x = conn.execute(
            select(Mention.external_id, Mention.published_at).join(Source, Source.id == Mention.source_id)
            .join(MentionBrand, MentionBrand.mention_id == Mention.id)
            .where(Source.name == "twitter-inbox", MentionBrand.brand == "Lumino")
            .order_by(Mention.published_at, Mention.id).limit(6)
        ).tuples().all()  # fmt: skip
    a, b, c, d, e, f = (Post(*row) for row in on_x)
    opened = count(engine, InboxFilter())
    MentionStore(engine).store([
        _reply(a, "lumino_aide", timedelta(minutes=30), 1),
        _reply(a, "lumino_aide", timedelta(minutes=50), 2),  # a second answer: one change
        _reply(b, "someone_else", timedelta(minutes=5), 3),  # not the brand
        _reply(c, "lumino_aide", timedelta(minutes=1), 4, to="no-such-post"),  # another post
        _reply(d, "riveo_care", timedelta(minutes=9), 5),  # a brand the post is not about
    ])  # fmt: skip
    # answered after the run's time: not yet
    MentionStore(engine).store(
        [_reply(e, "lumino_aide", F.NOW - e.published_at + timedelta(hours=1), 6)]
    )
    # Someone reopened f after its answer: it stays open.
    MentionStore(engine).store([_reply(f, "lumino_aide", timedelta(minutes=20), 7)])
    with engine.begin() as conn:
        set_triage(conn, [ids[f.external_id]], "ana", status="in_progress")

    counts = _stage(engine, tmp_path)

    status = _status(engine)
    assert status[a.external_id] == "answered"
    assert {b.external_id, c.external_id, d.external_id, e.external_id} & set(status) == set()
    assert status[f.external_id] == "in_progress"
    # The brands' own posts (the replies) are closed: nothing there waits for an answer.
    # (Not the one published after the run's time, nor someone else's.)
    for n in (1, 2, 4, 5, 7):
        assert status[f"reply-{n}"] == "closed", n
    assert "reply-3" not in status and "reply-6" not in status
    assert counts == {"answered": 1, "own_posts_closed": 5}
    # The open mentions: the answered one and the closed replies left; the stored scores too.
    assert count(engine, InboxFilter()) == opened + 7 - 1 - 5
    assert count(engine, InboxFilter(status="answered")) == 1
    with engine.connect() as conn:
        assert drift(conn) == []
    history = entries(engine, f"mention:{ids[a.external_id]}")
    assert [(h["actor"], h["action"], h["detail"]) for h in history] == [
        ("veille", "triage", {"status": "answered", "reply_by": "lumino_aide"})
    ]

    # Run again: nothing more to do. Then a person reopens the answered one: it stays open.
    assert _stage(engine, tmp_path) == {"answered": 0, "own_posts_closed": 0}
    with engine.begin() as conn:
        set_triage(conn, [ids[a.external_id]], "ana", status="new")
    assert _stage(engine, tmp_path) == {"answered": 0, "own_posts_closed": 0}
    assert _status(engine)[a.external_id] == "new"
    # A new answer after the person's choice marks it again.
    with engine.begin() as conn:
        conn.execute(
            MentionTriage.__table__.update()
            .where(MentionTriage.mention_id == ids[a.external_id])
            .values(updated_at=F.NOW - timedelta(hours=1))
        )
    MentionStore(engine).store(
        [_reply(a, "lumino_aide", F.NOW - a.published_at - timedelta(minutes=5), 8)]
    )
    assert _stage(engine, tmp_path) == {"answered": 1, "own_posts_closed": 1}
    assert _status(engine)[a.external_id] == "answered"


def _post(n: int, author: str, at: datetime, parent: str | None = None) -> MentionRecord:
    return MentionRecord(
        source="forum-conso", source_kind="forum", external_id=f"f{n}", thread_id="t9",
        text=f"Lumino, message {n} du fil", url=None, lang="fr", published_at=at,
        parent_id=parent, author=AuthorRecord(handle=author), brands=[BrandMatch("Lumino")],
    )  # fmt: skip


def test_a_forum_reply_answers_the_post_it_quotes_else_the_thread_s_opening_post(
    engine: Engine, tmp_path: Path
) -> None:
    start = F.NOW - timedelta(days=2)
    MentionStore(engine).store([
        _post(2, "marc75", start + timedelta(hours=1)),
        _post(1, "sophie", start),  # the opening post: the first dated one
        _post(3, "karim", start + timedelta(hours=2)),
        _post(4, "lumino_aide", start + timedelta(hours=5)),  # quotes nothing: the opener
        _post(5, "lumino_aide", start + timedelta(hours=6), parent="f3"),  # quotes karim
    ])  # fmt: skip
    counts = _stage(engine, tmp_path)
    status = _status(engine)
    assert {k: status.get(k) for k in ("f1", "f2", "f3", "f4", "f5")} == {
        "f1": "answered", "f2": None, "f3": "answered", "f4": "closed", "f5": "closed",
    }  # fmt: skip
    assert counts == {"answered": 2, "own_posts_closed": 2}
    # The report reads the same answers: delays 5 h (the opener) and 4 h (the quoted post).
    with engine.connect() as conn:
        ids = dict(conn.execute(select(Mention.external_id, Mention.id)).tuples().all())
        own = own_account_ids(conn, ["@lumino_aide"])
        found = first_replies(conn, [ids["f1"], ids["f2"], ids["f3"]], own, F.NOW)
    delays = {m: (first - at).total_seconds() / 3600 for m, at, first in found}
    assert delays == {ids["f1"]: 5.0, ids["f3"]: 4.0}
