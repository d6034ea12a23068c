"""Posts alike in the inbox (storage/alike.py), on SQLite and PostgreSQL: a complaint copied by
three accounts within hours is one group once the nightly `authors` stage has run — each of its
rows says "×3 alike", one click shows the three (and keeps them in the exports), a mention's
page links to them; a post alike no other says nothing."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from starlette.testclient import TestClient
from web_workspace import analyst_client, row_ids

from nlp.authors.compute import recompute
from storage.clock import utcnow
from storage.database_copy import follow_rows
from storage.models import Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

COPIED = "Acme coupe encore le réseau dans tout le quartier depuis ce matin, rendez-nous la fibre"


@pytest.fixture
def alike(engine: Engine) -> tuple[TestClient, list[int], dict[str, Any]]:
    client, _, ids = analyst_client(engine)
    with engine.begin() as conn:  # the seed wrote its own ids: the next ones after them
        follow_rows(conn)
    now = utcnow()
    copies = [
        MentionRecord(
            source="forum-acme",
            source_kind="forum",
            external_id=f"copy-{i}",
            text=f"{COPIED} {tail}",
            published_at=now - timedelta(hours=3 - i),
            author=AuthorRecord(handle=f"voisin{i}"),
            brands=[BrandMatch("Acme")],
        )
        for i, tail in enumerate(("!", "!!", "#colère"))
    ]
    MentionStore(engine).store(copies)
    recompute(engine, now=now + timedelta(minutes=1))  # the nightly stage, for real
    with engine.connect() as conn:
        found = conn.execute(
            select(Mention.id).where(Mention.external_id.like("copy-%")).order_by(Mention.id)
        )
        copied = [int(i) for i in found.scalars()]
    return client, copied, ids


def test_the_inbox_groups_posts_alike(
    alike: tuple[TestClient, list[int], dict[str, Any]],
) -> None:
    client, copied, ids = alike
    page = client.get("/inbox?status=all&period=all").text
    rows = {int(r.split('"', 1)[0]): r for r in page.split('class="mention-row" data-id="')[1:]}
    for mention_id in copied:
        assert f'href="/inbox?alike={mention_id}&amp;status=all&amp;period=all"' in rows[mention_id]
        assert "×\u00a03 alike" in rows[mention_id]
    assert "alike" not in rows[ids["negative"]]  # a post alike no other
    # one click: the three, whatever other filter the inbox had
    group = client.get(f"/inbox?alike={copied[1]}&status=all&period=all")
    assert sorted(row_ids(group.text)) == copied and 'id="alike-filter"' in group.text
    exported = client.get(f"/inbox/export.csv?alike={copied[1]}&status=all&period=all")
    lines = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert sorted(int(r["id"]) for r in lines) == copied
    # a post alike no other: itself only
    alone = client.get(f"/inbox?alike={ids['negative']}&status=all&period=all").text
    assert row_ids(alone) == [ids["negative"]]
    # the mention's page links to the group
    mention = client.get(f"/mentions/{copied[0]}").text
    assert 'id="alike"' in mention and "3 posts alike" in mention
    assert 'id="alike"' not in client.get(f"/mentions/{ids['negative']}").text
    # a bad value is no filter at all
    assert len(row_ids(client.get("/inbox?alike=x&status=all&period=all").text)) > 3
