"""A small seeded workspace for the web tests: two brands, a forum thread, labels, an open
alert, accounts of every role, and collected strings that try to run script (XSS)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, insert

from config.settings import Settings
from storage.attention import rescore_where
from storage.clock import utcnow
from storage.fulltext import index_new
from storage.models import Alert, Author, AuthorProfile, Label, Mention, MentionBrand, Source
from storage.users import add_user
from web.security import hash_password

PASSWORD = "correct horse battery"
ROLES = ("viewer", "analyst", "admin")
# Each would set window.__xss if the browser ran it.
XSS = {
    "text": 'Panne <img src=x onerror="window.__xss=1"> chez Acme ?',
    "title": "<script>window.__xss=2</script>Titre",
    "url": "javascript:window.__xss=3",
    "author": '"><svg onload="window.__xss=4">',
    "note": '<iframe srcdoc="<script>parent.__xss=5</script>"></iframe>',
    "reason": "<b onmouseover=window.__xss=6>x</b>",
}


def settings() -> Settings:
    return Settings.model_validate({
        "brands": [
            {"name": "Acme", "query": "acme", "competitors": ["Globex"]},
            {"name": "Globex", "query": "globex"},
        ],
        "sources": [{"name": "forum-acme", "kind": "forum", "url": "https://forum.example/"}],
        "alerts": {"targets": {"helpdesk": {"channel": "email", "to": ["sav@acme.example"]}}},
        "web": {"language": "en"},  # the tests read English; test_web_words reads French
        "themes": [
            {"name": "=SUM(1)", "query": "disparu"},  # a name a spreadsheet would run
            {"name": "Colis", "query": "colis OR disparu"},
            {"name": "<i>Lenteur</i>", "query": "lente"},
        ],
    })  # fmt: skip


def seed(engine: Engine, users: bool = True) -> dict[str, Any]:
    """30 mentions over the last days; ids: `xss` (the hostile one), `negative` (a calm
    negative far-reaching one), `thread` (its parent and replies), `alert` (open)."""
    now = utcnow()
    with engine.begin() as conn:
        conn.execute(insert(Source).values(id=1, name="forum-acme", kind="forum",
                                           url="https://forum.example/"))  # fmt: skip
        conn.execute(insert(Source).values(id=2, name="reviews", kind="reviews"))
        conn.execute(insert(Author).values(id=1, source_id=1, handle="bob", name="Bob",
                                           followers=50_000, profile_url="https://forum.example/u/bob"))  # fmt: skip
        conn.execute(insert(Author).values(id=2, source_id=1, handle="evil",
                                           name=XSS["author"], followers=10,
                                           profile_url="javascript:window.__xss=7"))  # fmt: skip
        conn.execute(insert(Author).values(id=3, source_id=2, handle="carla", name="Carla"))
        conn.execute(insert(AuthorProfile).values(
            author_id=2, profile="fan", profile_score=0.8, reasons=[XSS["reason"]],
            influence=0.1, influence_parts={}, tier="one_off", flags=[], suspicious=False,
            posts=3, window_start=now - timedelta(days=90), window_end=now, version="t"))  # fmt: skip
        rows = []
        for i in range(1, 31):
            brand = "Acme" if i % 3 else "Globex"
            rows.append({
                "id": i, "source_id": 1 if i <= 20 else 2, "external_id": f"p{i}",
                "url": f"https://forum.example/t/1#p{i}", "thread_id": "t1" if i <= 5 else None,
                "parent_id": "p1" if 1 < i <= 5 else None, "author_id": 1 + i % 3,
                "title": None, "text": f"{brand} message numéro {i}: la livraison est lente",
                "lang": "fr", "published_at": now - timedelta(hours=2 * i),
                "content_hash": f"h{i}", "thread_title": "Livraisons" if i <= 5 else None,
            })  # fmt: skip
        rows[6].update(text=XSS["text"], title=XSS["title"], url=XSS["url"], author_id=2)
        rows[9].update(text="Acme: mon colis a disparu, service client injoignable ?",
                       author_id=1)  # fmt: skip
        conn.execute(insert(Mention), rows)
        conn.execute(insert(MentionBrand), [  # as the brand queries linked them
            {"mention_id": r["id"], "brand": b, "query": b.lower(), "matched_terms": [b.lower()]}
            for r in rows
            for b in ["Acme" if r["id"] % 3 else "Globex"]
        ])  # fmt: skip
        labels = []
        for r in rows:
            i = r["id"]
            sentiment = "negative" if i in (7, 10) or i % 5 == 0 else (
                "positive" if i % 2 else "neutral")  # fmt: skip
            labels.append({"mention_id": i, "task": "sentiment", "value": sentiment,
                           "score": 0.55 if i == 7 else 0.9, "model": "veille.sentiment",
                           "version": "v3", "by_human": False, "review": i == 7})  # fmt: skip
            labels.append({"mention_id": i, "task": "topic",
                           "value": "service_client" if i == 10 else "prescription",
                           "score": 0.8, "model": "veille.topic", "version": "v2",
                           "by_human": False, "review": False})  # fmt: skip
        conn.execute(insert(Label), labels)
        alert_id = conn.execute(insert(Alert).values(
            brand="Acme", severity="high", status="open", opened_at=now - timedelta(hours=30),
            updated_at=now, score=4.2, negative_count=12, expected_count=2.5,
            details={"peak": {"triggers": ["volume"], "influencers": []}},
        )).inserted_primary_key[0]  # fmt: skip
        rescore_where(conn)  # rows written directly: the inbox's stored score follows
        index_new(conn)  # and SQLite's full-text index
    if users:
        for role in ROLES:
            add_user(engine, role, role, hash_password(PASSWORD))
    return {"xss": 7, "negative": 10, "thread": [1, 2, 3, 4, 5], "alert": int(alert_id)}


_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = _CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login(client: Any, name: str, password: str = PASSWORD) -> str:
    """Sign in with the login form; returns the session's CSRF token."""
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": name, "password": password,
                                           "csrf": token, "next": "/inbox"})  # fmt: skip
    assert response.status_code == 200, response.text[:300]
    return csrf_of(response.text)


def analyst_client(engine: Engine) -> tuple[Any, str, dict[str, Any]]:
    """The seeded workspace with one analyst signed in: the client, its CSRF token, the ids."""
    from starlette.testclient import TestClient

    from web.app import create_app

    ids = seed(engine, users=False)
    add_user(engine, "analyst", "analyst", hash_password(PASSWORD))
    client = TestClient(create_app(engine, settings(), secret="v" * 32))
    return client, login(client, "analyst"), ids


def row_ids(html: str) -> list[int]:
    """The mention ids of an inbox page, in order."""
    return [int(i) for i in re.findall(r'class="mention-row" data-id="(\d+)"', html)]
