"""Load the author histories of tests/fixtures/authors into a database (shared by tests)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine, select

from storage.labels import LabelRecord, save_labels
from storage.models import Author, Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

FIXTURE = Path(__file__).parent / "fixtures" / "authors" / "histories.yaml"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
START = NOW - timedelta(days=80)


def histories() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
    return data


def expected_profiles() -> dict[str, str]:
    return {a["handle"]: a["expect"] for a in histories()["authors"]}


def records() -> tuple[list[MentionRecord], dict[str, str]]:
    """Mention records of every author, and the sentiment label per external id."""
    out: list[MentionRecord] = []
    sentiments: dict[str, str] = {}
    data = histories()
    for a in [*data["askers"], *data["authors"]]:
        posts = [p if isinstance(p, dict) else {"text": p} for p in a["posts"]]
        n = a.get("repeat", len(posts))
        days = a.get("days", n)
        threads = a.get("threads")
        for i in range(n):
            post = posts[i % len(posts)]
            ext = post.get("id", f"{a['handle']}-{i}")
            thread = f"{a['handle']}-t{i % threads}" if threads else f"t-{ext}"
            parent = post.get("reply_to")
            if parent:
                thread = f"t-{parent}"
            out.append(
                MentionRecord(
                    source="forum-lumino",
                    source_kind="forum",
                    external_id=ext,
                    text=post["text"],
                    thread_id=thread,
                    parent_id=parent,
                    lang="fr",
                    published_at=START + timedelta(days=i * days / n, hours=len(out) % 24),
                    author=AuthorRecord(handle=a["handle"]),
                    brands=[BrandMatch("Lumino")],
                )
            )
            if "sentiment" in post:
                sentiments[ext] = post["sentiment"]
    return out, sentiments


def load(engine: Engine) -> dict[str, int]:
    """Store every history; returns author id per handle."""
    recs, sentiments = records()
    MentionStore(engine).store(recs)
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Mention.external_id, Mention.id)).tuples().all())
        save_labels(
            conn,
            [LabelRecord(ids[e], "sentiment", v, model="test") for e, v in sentiments.items()],
        )
        return dict(conn.execute(select(Author.handle, Author.id)).tuples().all())
