"""The analysts' workspace (`veille serve`): every route for every role, CSRF, sessions,
login throttling, escaping of hostile collected text, the inbox (order, filters, Veille's query
language, full text) and the mention page on SQLite and PostgreSQL, exports, alerts, reports,
and the `veille users` / `veille serve` commands. The browser test is test_web_e2e.py."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient
from web_workspace import (
    PASSWORD,
    ROLES,
    XSS,
    analyst_client,
    csrf_of,
    login,
    row_ids,
    seed,
    settings,
)

from storage.engine import make_engine
from storage.schema import upgrade
from web.app import create_app
from web.security import SESSION_COOKIE, Throttle


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict[str, Any]]]:
    folder = tmp_path_factory.mktemp("web")
    engine = make_engine(f"sqlite:///{folder / 'veille.db'}", create=True)
    upgrade(engine)
    ids = seed(engine)
    app = create_app(engine, settings(), secret="s" * 32)
    app.state.ws.reports_dir = folder / "reports"
    yield app, ids
    engine.dispose()


@pytest.fixture(scope="module")
def clients(workspace: tuple[Any, dict[str, Any]]) -> dict[str, tuple[TestClient, str]]:
    app, _ = workspace
    out = {}
    for role in ROLES:
        client = TestClient(app)
        out[role] = (client, login(client, role))
    return out


def routes(ids: dict[str, Any]) -> list[tuple[str, str, str, dict[str, Any]]]:
    """(method, path, the least role allowed, form) of every page and action."""
    a = ids["alert"]
    return [
        ("GET", "/inbox", "viewer", {}),
        ("GET", "/inbox?status=all&q=livraison", "viewer", {}),
        ("GET", "/inbox/export.csv", "viewer", {}),
        ("GET", "/inbox/export.jsonl", "viewer", {}),
        ("GET", "/mentions/1", "viewer", {}),
        ("GET", "/mentions/2?period=all&brand=Acme&q=livraison", "viewer", {}),
        ("GET", f"/inbox?alert={a}&status=all", "viewer", {}),
        ("GET", "/alerts", "viewer", {}),
        ("GET", f"/alerts/{a}", "viewer", {}),
        ("GET", "/reports", "viewer", {}),
        ("GET", "/dashboard?brand=Acme", "viewer", {}),
        ("GET", "/events", "viewer", {}),
        ("GET", "/events?brand=Acme&days=7", "viewer", {}),
        ("GET", "/sources", "viewer", {}),
        ("GET", "/queries", "viewer", {}),
        ("GET", "/queries?target=theme:Colis&days=7&q=colis%20-lente", "viewer", {}),
        ("GET", "/review", "viewer", {}),
        ("GET", "/review?brand=Acme&task=sentiment", "viewer", {}),
        ("GET", "/account", "viewer", {}),
        ("GET", "/authors", "viewer", {}),
        ("GET", "/authors?brand=Acme&flagged=1&order=posts&words=e", "viewer", {}),
        ("GET", "/authors/export.csv", "viewer", {}),
        ("GET", "/authors/2", "viewer", {}),
        ("GET", "/inbox?author=2&status=all&period=all", "viewer", {}),
        ("GET", "/admin/users", "admin", {}),
        ("GET", "/admin/audit", "admin", {}),
        ("GET", "/admin/audit/export.csv", "admin", {}),
        ("POST", "/mentions/3/label", "analyst", {"task": "sentiment", "value": "neutral"}),
        ("POST", "/mentions/3/triage", "analyst", {"status": "in_progress"}),
        ("POST", "/mentions/3/notes", "analyst", {"note": "seen"}),
        ("POST", "/mentions/3/handoff", "analyst", {"target": "nowhere"}),
        ("POST", "/mentions/3/off-topic", "analyst", {"brand": "Nobody"}),
        ("POST", "/mentions/3/on-topic", "analyst", {"brand": "Nobody"}),
        (
            "POST",
            "/inbox/bulk",
            "analyst",
            {"ids": ["5"], "action": "off_topic", "off_topic_brand": "Nobody"},
        ),
        ("POST", "/inbox/bulk", "analyst", {"ids": ["4"], "action": "answered"}),
        ("POST", f"/alerts/{a}/ack", "analyst", {"note": "on it"}),
        ("POST", f"/alerts/{a}/resolve", "analyst", {}),
        ("POST", "/alerts/mute", "analyst", {"brand": "Nope", "length": "1h", "reason": "x"}),
        ("POST", "/alerts/mutes/999/end", "analyst", {}),
        ("POST", "/events", "analyst", {"brand": "Nope", "at": "2026-01-01T00:00", "label": "x"}),
        ("POST", "/events/999/remove", "analyst", {}),
        ("POST", "/events/calendar", "analyst", {"brand": "Nope"}),
        ("POST", "/reports/generate", "analyst", {"brand": "Nobody"}),
        ("POST", "/admin/users", "admin", {"name": "", "role": "viewer", "password": "x"}),
        ("POST", "/admin/users/remove", "admin", {"name": "nobody-here"}),
        ("POST", "/admin/users/email", "admin", {"name": "nobody-here", "email": ""}),
        ("POST", "/admin/users/password", "admin", {"name": "nobody-here", "password": "x"}),
        ("POST", "/admin/users/role", "admin", {"name": "nobody-here", "role": "viewer"}),
        ("POST", "/admin/users/brands", "admin", {"name": "nobody-here"}),
        ("POST", "/language", "viewer", {"language": "en", "back": "/inbox"}),
        ("POST", "/inbox/views", "analyst", {"name": "Tout", "query": "status=all"}),
        ("POST", "/inbox/views/999/remove", "viewer", {}),
        ("POST", "/inbox/views/999/watch", "viewer", {}),
        ("POST", "/inbox/views/999/unwatch", "viewer", {}),
        ("POST", "/inbox/views", "viewer", {"name": "Moi", "query": "status=all", "private": "1"}),
        ("POST", "/authors/2/profile", "analyst", {"profile": "fan"}),
        ("POST", "/authors/2/profile/withdraw", "analyst", {}),
        ("POST", "/authors/2/tags", "analyst", {"tag": "vu"}),
        ("POST", "/account/password", "viewer", {"current": "nope", "new": "x", "confirm": "x"}),
        ("POST", "/account/email", "viewer", {"email": ""}),
        ("POST", "/account/two-factor/start", "viewer", {}),
        ("POST", "/account/two-factor/confirm", "viewer", {"code": "000000"}),
        ("POST", "/account/two-factor/off", "viewer", {"code": "000000"}),
        ("POST", "/admin/users/two-factor/off", "admin", {"name": "nobody-here"}),
        ("POST", "/authors/2/tags/remove", "analyst", {"tag": "vu"}),
    ]


def test_every_route_for_every_role(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    from web.security import allowed

    _, ids = workspace
    seen = []
    for method, path, needed, form in routes(ids):
        for role in ROLES:
            client, csrf = clients[role]
            if method == "GET":
                response = client.get(path, follow_redirects=False)
            else:
                response = client.post(path, data={**form, "csrf": csrf}, follow_redirects=False)
            expected_ok = allowed(role, needed)
            assert (response.status_code != 403) == expected_ok, (method, path, role,
                                                                  response.status_code)  # fmt: skip
            assert response.status_code not in (401, 500), (method, path, role)
            if not expected_ok:
                assert f"needs the {needed} role" in response.text
            seen.append(response.status_code)
    assert 403 in seen and 200 in seen and 303 in seen


def test_anonymous_visitors_are_sent_to_login(workspace: tuple[Any, dict[str, Any]]) -> None:
    app, ids = workspace
    client = TestClient(app)
    for method, path, _, form in routes(ids):
        response = (client.get(path, follow_redirects=False) if method == "GET"
                    else client.post(path, data=form, follow_redirects=False))  # fmt: skip
        if method == "GET":
            assert response.status_code == 303
            assert response.headers["location"].startswith("/login?next=")
        else:
            assert response.status_code == 401, path
    # static files and the login page are public, and carry the strict CSP too
    page = client.get("/login")
    assert page.status_code == 200 and 'name="username"' in page.text
    csp = page.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script>" not in page.text and " style=" not in page.text
    assert client.get("/static/htmx.min.js").status_code == 200


def test_every_post_needs_the_sessions_csrf_token(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    app, ids = workspace
    admin, admin_csrf = clients["admin"]
    for method, path, _, form in routes(ids):
        if method != "POST":
            continue
        assert admin.post(path, data=form, follow_redirects=False).status_code == 403, path
        # another session's token is no good either
        other = clients["analyst"][1]
        assert admin.post(path, data={**form, "csrf": other}).status_code == 403, path
    # the header form (htmx) is accepted
    response = admin.post("/mentions/5/triage", data={"status": "new"},
                          headers={"X-CSRF-Token": admin_csrf}, follow_redirects=False)  # fmt: skip
    assert response.status_code == 303
    # the login form carries a signed token as well
    fresh = TestClient(app)
    bad = fresh.post("/login", data={"username": "admin", "password": PASSWORD, "csrf": "x"})
    assert bad.status_code == 403


def test_session_cookie_is_signed_httponly_lax_and_secure_behind_https(
    workspace: tuple[Any, dict[str, Any]],
) -> None:
    app, _ = workspace
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    response = client.post("/login", data={"username": "viewer", "password": PASSWORD,
                                           "csrf": token}, follow_redirects=False)  # fmt: skip
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    # a forged cookie (another name, same shape) is refused
    value = client.cookies[SESSION_COOKIE]
    forged = TestClient(app)
    forged.cookies[SESSION_COOKIE] = value.replace("WyJ2aWV3ZXIi", "WyJhZG1pbiIi")
    assert forged.get("/admin/users", follow_redirects=False).status_code == 303
    secure_app = create_app(app.state.ws.engine, settings(), secret="t" * 32,
                            secure_cookies=True)  # fmt: skip
    secure = TestClient(secure_app, base_url="https://testserver")
    token = csrf_of(secure.get("/login").text)
    response = secure.post("/login", data={"username": "viewer", "password": PASSWORD,
                                           "csrf": token}, follow_redirects=False)  # fmt: skip
    assert "Secure" in response.headers["set-cookie"]


def test_a_new_password_ends_sessions_and_login_is_throttled(
    workspace: tuple[Any, dict[str, Any]],
) -> None:
    from storage.audit import entries
    from storage.users import add_user, set_password
    from web.security import hash_password

    app, _ = workspace
    engine = app.state.ws.engine
    add_user(engine, "temp", "viewer", hash_password(PASSWORD))
    client = TestClient(app)
    login(client, "temp")
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    set_password(engine, "temp", hash_password("another long one"))
    assert client.get("/inbox", follow_redirects=False).status_code == 303
    throttled = create_app(engine, settings(), secret="u" * 32, throttle=Throttle(limit=3))
    client = TestClient(throttled)
    for _ in range(3):
        token = csrf_of(client.get("/login").text)
        bad = client.post("/login", data={"username": "temp", "password": "wrong password!",
                                          "csrf": token})  # fmt: skip
        assert bad.status_code == 401 and "Wrong name or password" in bad.text
    token = csrf_of(client.get("/login").text)
    right = client.post("/login", data={"username": "temp", "password": "another long one",
                                        "csrf": token})  # fmt: skip
    assert right.status_code == 429 and "Too many failed attempts" in right.text
    actions = [e["action"] for e in entries(engine, target="user:temp")]
    assert actions.count("login_failed") == 3 and "login_throttled" in actions


def test_hostile_collected_text_is_escaped_everywhere(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    _, ids = workspace
    client, csrf = clients["admin"]
    client.post(f"/mentions/{ids['xss']}/notes", data={"note": XSS["note"], "csrf": csrf})
    pages = [
        "/inbox?status=all&period=all",
        f"/mentions/{ids['xss']}",
        "/dashboard?brand=Acme",
        f"/alerts/{ids['alert']}",
        "/admin/audit",
        "/inbox?q=" + XSS["title"],
        "/review",
        "/authors",
        "/authors/2",
        "/inbox?author=2&status=all&period=all",
        "/queries?target=theme:Colis&days=7&q=panne",  # the hostile mention among those added
    ]
    for path in pages:
        html = client.get(path).text
        for payload in XSS.values():
            assert payload not in html, (path, payload)
        assert "<script>window" not in html and "<svg onload" not in html
        assert not re.search(r"""href=["']?\s*javascript:""", html, re.I), path
        assert 'onerror="window' not in html
    mention = client.get(f"/mentions/{ids['xss']}").text
    assert "&lt;img src=x onerror=" in mention  # shown as text, isolated
    assert "<bdi>\u2068" in mention
    trial = client.get("/queries?target=theme:Colis&days=7&q=panne").text
    assert f'href="/mentions/{ids["xss"]}"' in trial and "&lt;img src=x onerror=" in trial
    # the audit log as CSV: every entry, oldest first, each detail as JSON text
    from storage.audit import entries

    log = client.get("/admin/audit/export.csv")
    rows = list(csv.DictReader(io.StringIO(log.text.lstrip("\ufeff"))))
    assert log.headers["content-type"].startswith("text/csv")
    assert len(rows) >= len(entries(client.app.state.ws.engine, limit=100_000)) - 1
    assert [int(r["id"]) for r in rows] == sorted(int(r["id"]) for r in rows)  # oldest first
    notes = [r for r in rows if r["action"] == "note"]
    assert notes and all(json.loads(r["detail"])["chars"] > 0 for r in notes)
    assert all(r["at"].endswith("+00:00") for r in rows)
    assert not [v for r in rows for v in r.values() if v[:1] in ("=", "+", "@")]  # no formula


def test_exports_are_csv_with_bom_and_json_lines(
    clients: dict[str, tuple[TestClient, str]],
) -> None:
    client, _ = clients["viewer"]
    response = client.get("/inbox/export.csv?status=all&period=all&brand=Acme")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 20 and all(r["brands"] == "Acme" for r in rows)
    assert all(not r["title"].startswith("=") for r in rows)
    # Each mention's themes (the workspace's queries it matches), as its brands are.
    assert {r["themes"] for r in rows if "lente" in r["text"]} == {"<i>Lenteur</i>"}
    others = {r["themes"] for r in rows if "lente" not in r["text"]}
    assert "'=SUM(1);Colis" in others and others <= {"", "'=SUM(1);Colis"}  # never run
    lines = client.get("/inbox/export.jsonl?status=all&period=all&sentiment=negative").text
    items = [json.loads(line) for line in lines.splitlines()]
    assert items and all(i["sentiment"] == "negative" for i in items)
    assert all(isinstance(i["themes"], list) for i in items)


@pytest.fixture
def seeded(engine: Engine) -> tuple[TestClient, str, dict[str, Any]]:
    return analyst_client(engine)


def test_a_full_text_count_stops_sooner(
    seeded: tuple[TestClient, str, dict[str, Any]], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full-text view counts up to FULLTEXT_COUNT_CAP, then says "N+"; the others count on."""
    import web.inbox

    client, _, _ = seeded

    def heading(path: str) -> str:
        found = re.search(
            r"<h1>Inbox <span class=\"muted\">\(([^)]*)\)</span>", client.get(path).text
        )
        assert found, path
        return found.group(1)

    every = heading("/inbox?period=all&status=all&words=livraison")
    assert every.isdigit() and int(every) > 5
    monkeypatch.setattr(web.inbox, "FULLTEXT_COUNT_CAP", 5)
    monkeypatch.setattr(web.inbox, "COUNT_CAP", 7)
    assert heading("/inbox?period=all&status=all&words=livraison") == "5+"
    assert heading("/inbox?period=all&status=all&words=disparu") == "1"
    assert heading("/inbox?period=all&status=all") == "7+"


def test_inbox_order_filters_query_and_full_text(
    seeded: tuple[TestClient, str, dict[str, Any]],
) -> None:
    client, csrf, ids = seeded
    rows = row_ids(client.get("/inbox?period=all").text)
    # negative + customer service + far-reaching + question first, then the unsure negative
    assert rows[0] == ids["negative"] and len(rows) == 30
    assert rows.index(ids["xss"]) < rows.index(5)
    assert set(row_ids(client.get("/inbox?period=all&brand=Globex").text)) == {
        3,
        6,
        9,
        12,
        15,
        18,
        21,
        24,
        27,
        30,
    }
    assert set(row_ids(client.get("/inbox?period=all&source=reviews").text)) == set(range(21, 31))
    assert set(row_ids(client.get("/inbox?period=all&topic=service_client").text)) == {10}
    fan = {i for i in range(1, 31) if i % 3 == 1} - {ids["negative"]}  # the author's
    assert set(row_ids(client.get("/inbox?period=all&profile=fan").text)) == fan
    assert len(row_ids(client.get("/inbox?period=1").text)) == 11
    # Veille's query language, the same parser as the brand queries
    found = row_ids(client.get('/inbox?period=all&q=colis+OR+"service+client"').text)
    assert found == [ids["negative"]]
    assert set(row_ids(client.get("/inbox?period=all&q=Globex+AND+NOT+numéro").text)) == set()
    bad = client.get("/inbox?period=all&q=colis+AND+(livraison").text
    assert "Query error at column" in bad and 'id="query-error"' in bad
    # A theme of the workspace is its query; with a typed query, both must match.
    page = client.get("/inbox?period=all&theme=Colis").text
    assert row_ids(page) == [ids["negative"]]
    assert "<option selected>Colis</option>" in page and "&lt;i&gt;Lenteur&lt;/i&gt;" in page
    slow = set(row_ids(client.get("/inbox?period=all&theme=%3Ci%3ELenteur%3C/i%3E").text))
    assert len(slow) == 28 and ids["negative"] not in slow
    assert row_ids(client.get("/inbox?period=all&theme=Colis&q=numéro").text) == []
    assert len(row_ids(client.get("/inbox?period=all&theme=Nope").text)) == 30  # unknown: ignored
    # A mention's page names its themes, each a link to the inbox filtered on it.
    themes = client.get(f"/mentions/{ids['negative']}").text.split('id="themes"')[1]
    assert 'href="/inbox?theme=Colis&amp;period=all&amp;status=all"' in themes.split("</p>")[0]
    assert 'id="themes"' not in client.get(f"/mentions/{ids['xss']}").text
    # full text: FTS5 on SQLite, to_tsvector on PostgreSQL
    assert row_ids(client.get("/inbox?period=all&words=colis+disparu").text) == [ids["negative"]]
    assert row_ids(client.get("/inbox?period=all&words=nothing-like-this").text) == []
    # assignee and status filters after a bulk assignment
    client.post("/inbox/bulk", data={"csrf": csrf, "ids": ["1", "2"], "action": "assign",
                                     "assignee": "analyst"})  # fmt: skip
    assert set(row_ids(client.get("/inbox?period=all&assignee=me").text)) == {1, 2}
    client.post("/inbox/bulk", data={"csrf": csrf, "ids": ["1"], "action": "done"})
    assert 1 not in row_ids(client.get("/inbox?period=all").text)
    assert row_ids(client.get("/inbox?period=all&status=closed").text) == [1]
    client.post("/inbox/bulk", data={"csrf": csrf, "ids": ["2", "3"], "action": "relabel",
                                     "label": "sentiment=negative"})  # fmt: skip
    assert {2, 3} <= set(row_ids(client.get("/inbox?period=all&sentiment=negative").text))
    # Each mention's history lists the bulk actions it was in (how many at once, not the ids).
    history = client.get("/mentions/2").text.split('id="history"')[1]
    assert "bulk_assign" in history and "bulk_label" in history and "bulk_status" not in history
    assert "mentions=2" in history and "ids=" not in history
    assert "bulk_status" in client.get("/mentions/1").text.split('id="history"')[1]


def test_mention_page_correction_wins_triage_notes_and_history(
    seeded: tuple[TestClient, str, dict[str, Any]], engine: Engine
) -> None:
    from storage.labels import LabelRecord, save_labels

    client, csrf, _ = seeded
    page = client.get("/mentions/2").text
    assert "In reply to" in page and 'class="current"' in page  # thread context
    assert "veille.sentiment · v3" in page and "0.90" in page
    assert "Open the original" in page and 'href="https://forum.example/t/1#p2"' in page
    client.post("/mentions/2/label", data={"csrf": csrf, "task": "sentiment",
                                           "value": "negative"})  # fmt: skip
    # a model run afterwards does not overwrite the person's label
    with engine.begin() as conn:
        save_labels(conn, [LabelRecord(2, "sentiment", "positive", 0.99, "veille.sentiment",
                                       "v3")])  # fmt: skip
    page = client.get("/mentions/2").text
    assert re.search(r'pill negative human">negative</span> <em>by a person', page)
    client.post("/mentions/2/triage", data={"csrf": csrf, "assignee": "me"})
    client.post("/mentions/2/triage", data={"csrf": csrf, "status": "answered"})
    client.post("/mentions/2/notes", data={"csrf": csrf, "note": "Répondu en privé."})
    page = client.get("/mentions/2").text
    assert 'id="status">answered' in page and ">analyst<" in page.replace("\u2068", "").replace(
        "\u2069", ""
    )
    assert "Répondu en privé." in page
    history = re.findall(r"· <bdi>\u2068analyst\u2069</bdi> · (\w+)", page)
    assert history == ["note", "triage", "triage", "label"]
    assert client.get("/mentions/999999").status_code == 404
    bad = client.post("/mentions/2/label", data={"csrf": csrf, "task": "sentiment",
                                                 "value": "furious"})  # fmt: skip
    assert bad.status_code == 400 and "is not one of" in bad.text


def _review_rows(html: str) -> list[tuple[int, str]]:
    return [(int(i), t) for i, t in
            re.findall(r'class="review-row" data-id="(\d+)" data-task="(\w+)"', html)]  # fmt: skip


def test_labels_to_review_widest_reach_first_and_corrected_in_one_click(
    seeded: tuple[TestClient, str, dict[str, Any]], engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import select, update

    from storage.models import Label

    client, csrf, ids = seeded
    unsure = {(3, "topic"): 0.45, (10, "topic"): 0.5, (4, "sentiment"): 0.4}
    with engine.begin() as conn:
        for (mention_id, task), score in unsure.items():
            conn.execute(update(Label).where(Label.mention_id == mention_id, Label.task == task)
                         .values(review=True, score=score))  # fmt: skip
    # Bob (50,000 followers) wrote 3 and 10, the hostile author (10) 4 and 7; then lowest score.
    everything = [(3, "topic"), (10, "topic"), (4, "sentiment"), (ids["xss"], "sentiment")]
    page = client.get("/review").text
    assert _review_rows(page) == everything
    assert 'Labels to review <span class="muted">(4)' in page and 'id="more"' not in page
    assert _review_rows(client.get("/review?brand=Acme").text) == everything[1:]  # 3 is Globex's
    assert _review_rows(client.get("/review?brand=Acme&task=sentiment").text) == everything[2:]
    assert _review_rows(client.get("/review?brand=Nobody&task=nothing").text) == everything
    # A page holds LIMIT of them; the title counts them all.
    monkeypatch.setattr("web.review.LIMIT", 2)
    first = client.get("/review?brand=Acme").text
    assert _review_rows(first) == everything[1:3]
    assert "(3)</span></h1>" in first and "The first 2 of 3" in first
    monkeypatch.undo()
    # A correction sent from the list goes back to it, filters kept, and leaves it.
    answer = client.post("/mentions/10/label?from=review&brand=Acme",
                         data={"csrf": csrf, "task": "topic", "value": "information"},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == "/review?brand=Acme"
    # Confirming the model's own label is a person's label too.
    model_value = re.search(r'data-id="4" data-task="sentiment">.*?pill (\w+)', page, re.S)
    assert model_value
    answer = client.post("/mentions/4/label?from=review&brand=https://evil.example/",
                         data={"csrf": csrf, "task": "sentiment", "value": model_value.group(1)},
                         follow_redirects=False)  # fmt: skip
    assert answer.headers["location"] == "/review"
    assert _review_rows(client.get("/review").text) == [(3, "topic"), (ids["xss"], "sentiment")]
    with engine.connect() as conn:
        people = conn.execute(select(Label.mention_id, Label.task, Label.value)
                              .where(Label.by_human)).all()  # fmt: skip
    assert sorted(people) == [(4, "sentiment", model_value.group(1)), (10, "topic", "information")]
    # From the mention page, a correction still goes back to the mention.
    answer = client.post("/mentions/3/label?period=all", data={"csrf": csrf, "task": "topic",
                         "value": "prescription"}, follow_redirects=False)  # fmt: skip
    assert answer.headers["location"] == "/mentions/3?period=all"


def test_alerts_are_acknowledged_and_resolved_as_with_the_cli(
    seeded: tuple[TestClient, str, dict[str, Any]], engine: Engine
) -> None:
    from storage.alerts import get_alert

    client, csrf, ids = seeded
    a = ids["alert"]
    page = client.get(f"/alerts/{a}").text
    assert "<svg" in page and "mentions per hour" in page and "Acknowledge" in page
    client.post(f"/alerts/{a}/ack", data={"csrf": csrf, "note": "on it"})
    record = get_alert(engine, a)
    assert record is not None and record.acknowledged_by == "analyst" and record.note == "on it"
    again = client.post(f"/alerts/{a}/ack", data={"csrf": csrf})
    assert again.status_code == 409 and "was acknowledged by analyst" in again.text
    client.post(f"/alerts/{a}/resolve", data={"csrf": csrf})
    record = get_alert(engine, a)
    assert record is not None and record.status != "open" and record.resolved_by == "analyst"


def test_each_alert_says_its_kind_and_what_happened(
    seeded: tuple[TestClient, str, dict[str, Any]], engine: Engine
) -> None:
    """The list and an alert's page say which kind fired and why, in the e-mails' words; a
    theme's alert opens the theme's posts of the episode in the inbox."""
    from datetime import UTC, datetime, timedelta

    from storage.models import Alert

    client, _, ids = seeded
    why = {"theme": "Colis", "share": 0.25, "total": 8, "authors": 2, "negative": 1,
           "usual_share": 0.0, "before": 0, "before_total": 20, "baseline_days": 7}  # fmt: skip
    opening = {"kind": "rising_theme", "window_minutes": 120, "why": why,
               "negative_last_hour": 2, "expected_last_hour": 0.1}  # fmt: skip
    with engine.begin() as conn:
        theme_alert = conn.execute(Alert.__table__.insert().values(
            brand="Acme", kind="rising_theme", severity="low", status="open",
            opened_at=datetime.now(UTC) - timedelta(hours=21), negative_count=2,
            expected_count=0.1,
            details={"opening": opening},
        )).inserted_primary_key[0]  # fmt: skip
    listed = client.get("/alerts").text
    assert (
        "<td>Rising theme</td><td>Acme: theme “\u2068Colis\u2069” rising fast, 2 mentions in"
        in (listed)
    )
    assert "<td>Bad buzz</td><td>Acme: 12 negative posts in 1 h" in listed
    page = client.get(f"/alerts/{theme_alert}").text
    assert "<strong>Rising theme</strong>: Acme: theme" in page
    assert "Why: the theme “\u2068Colis\u2069” is 25% of the brand&#39;s 8 mentions" in page
    link = re.search(r'id="theme-posts" href="([^"]+)"', page)
    assert link is not None
    posts = row_ids(client.get(html.unescape(link.group(1))).text)
    assert posts == [10]  # the theme's posts of the episode, not the others
    everything = row_ids(client.get(f"/inbox?alert={theme_alert}&status=all&period=all").text)
    assert len(everything) > 3 and 10 in everything
    assert 'id="theme-posts"' not in client.get(f"/alerts/{ids['alert']}").text


def test_reports_dashboard_and_sources(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    from reports.output import MEDIA_TYPES

    client, csrf = clients["analyst"]
    response = client.post("/reports/generate", data={"csrf": csrf, "brand": "Acme",
                                                      "period": "last-7-days", "format": "json",
                                                      "lang": "en"})  # fmt: skip
    assert response.status_code == 200 and 'href="/reports/0"' in response.text
    report = client.get("/reports/0")
    assert report.status_code == 200 and report.json()["brand"] == "Acme"
    assert "sandbox" in report.headers["content-security-policy"]
    assert client.get("/reports/99").status_code == 404
    # the slides too, offered and served as a presentation
    assert "<option>pptx</option>" in client.get("/reports").text
    client.post("/reports/generate", data={"csrf": csrf, "brand": "Acme", "period": "last-7-days",
                                           "format": "pptx", "lang": "en"})  # fmt: skip
    deck = client.get("/reports/0")
    assert deck.headers["content-type"] == MEDIA_TYPES["pptx"] and deck.content[:2] == b"PK"
    board = client.get("/dashboard?brand=Acme&days=7").text
    assert board.count("<svg") == 5 and "Share of voice" in board and "Globex" in board
    themes = board.split('id="themes"')[1].split("</table>")[0]
    # as the report counts them, the largest first; a hostile name escaped, links to the inbox
    assert re.findall(r"<tr><td><a [^>]+><bdi>\u2068([^<]+)\u2069</bdi></a></td><td>(\d+)</td>"
                      r"<td>(\d+)</td><td>([^<]+)</td><td>([^<]+)</td>", themes) == [
        ("&lt;i&gt;Lenteur&lt;/i&gt;", "18", "0", "90%", "+40%"),
        ("=SUM(1)", "1", "0", "5%", "−100%"), ("Colis", "1", "0", "5%", "−100%"),
    ]  # fmt: skip
    link = re.search(r'href="(/inbox\?brand=Acme&amp;theme=Colis[^"]*)"', themes)
    assert link is not None
    inbox = client.get(html.unescape(link.group(1))).text
    assert row_ids(inbox) == [10]
    sources = client.get("/sources").text
    assert "forum-acme" in sources and "never collected" in sources


def test_a_brand_muted_for_a_while_from_the_alerts_page(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """An analyst mutes a brand's alerts of one kind for 3 h with a reason (escaped on the
    page, audited), then ends it; a length not offered or an unknown brand is refused."""
    from storage.audit import entries

    app, ids = workspace
    client, csrf = clients["analyst"]
    form = {"csrf": csrf, "brand": "Acme", "kind": "campaign", "length": "3h",
            "reason": "<script>x</script> spot TV"}  # fmt: skip
    assert client.post("/alerts/mute", data=form, follow_redirects=False).status_code == 303
    page = client.get("/alerts").text
    muted = page.split('id="mutes"')[1].split("</div>")[0]
    assert "Acme" in muted and "Coordinated campaign" in muted
    assert "&lt;script&gt;x&lt;/script&gt; spot TV" in muted and "<script>x" not in page
    [mute_id] = re.findall(r'action="/alerts/mutes/(\d+)/end"', page)
    assert 'id="alert-muted"' not in client.get(f"/alerts/{ids['alert']}").text  # opened before
    viewer, _ = clients["viewer"]
    seen = viewer.get("/alerts").text
    assert "spot TV" in seen and "/end" not in seen and 'action="/alerts/mute"' not in seen
    bad = client.post("/alerts/mute", data={**form, "length": "99d"})
    assert (
        bad.status_code == 400 and "Not muted: &#39;99d&#39; is not one of the lengths" in bad.text
    )
    unknown = client.post("/alerts/mute", data={**form, "brand": "Nope"})
    assert unknown.status_code == 400 and "is not a configured brand" in unknown.text
    ended = client.post(f"/alerts/mutes/{mute_id}/end", data={"csrf": csrf},
                        follow_redirects=False)  # fmt: skip
    assert ended.status_code == 303
    assert "Nothing muted" in client.get("/alerts").text
    again = client.post(f"/alerts/mutes/{mute_id}/end", data={"csrf": csrf})
    assert again.status_code == 409 and "has ended already" in again.text
    actions = [e["action"] for e in entries(app.state.ws.engine, limit=20)]
    assert "alert_mute" in actions and "alert_unmute" in actions
    # An alert opened during a mute (long past) says so on its page.
    from datetime import timedelta

    from storage import alerts, mutes

    opened = alerts.get_alert(app.state.ws.engine, ids["alert"]).opened_at  # type: ignore[union-attr]
    mutes.add(app.state.ws.engine, "Acme", None, opened - timedelta(hours=1),
              opened + timedelta(hours=1), "Lancement <b>X</b>", "ana")  # fmt: skip
    held = client.get(f"/alerts/{ids['alert']}").text.split('id="alert-muted"')[1]
    assert (
        "Opened during a mute (<bdi>\u2068Lancement &lt;b&gt;X&lt;/b&gt;" in held.split("</p>")[0]
    )
    assert "Nothing muted" in client.get("/alerts").text  # a past mute is not listed


def test_events_marked_on_the_dashboard(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """An analyst marks an event in the days shown: listed (escaped) and drawn on the volume
    chart with its label as the mark's title; a bad time or label is refused; removed."""
    from datetime import timedelta

    from storage.audit import entries
    from storage.clock import utcnow

    app, _ = workspace
    client, csrf = clients["analyst"]
    at = (utcnow() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    form = {"csrf": csrf, "brand": "Acme", "at": at, "label": "Spot <i>TV</i>", "back": "dashboard"}
    assert client.post("/events", data=form, follow_redirects=False).status_code == 303
    board = client.get("/dashboard?brand=Acme&days=7").text
    listed = board.split('<ol class="events">')[1].split("</ol>")[0]
    assert "Spot &lt;i&gt;TV&lt;/i&gt;" in listed and "<i>TV" not in board
    assert '<g class="chart-event"><title>Spot &lt;i&gt;TV&lt;/i&gt;</title>' in board
    [event_id] = re.findall(r'action="/events/(\d+)/remove"', board)
    viewer, _ = clients["viewer"]
    seen = viewer.get("/dashboard?brand=Acme&days=7").text
    assert "Spot &lt;i&gt;TV" in seen and 'action="/events"' not in seen
    for bad in ({"at": "yesterday"}, {"label": " "}, {"brand": "Nope"}, {"until": at}):
        refused = client.post("/events", data={**form, **bad})
        assert refused.status_code == 400, bad
    removed = client.post(f"/events/{event_id}/remove", data={"csrf": csrf, "back": "dashboard"},
                          follow_redirects=False)  # fmt: skip
    assert removed.status_code == 303 and "#events" in removed.headers["location"]
    assert "No event marked" in client.get("/dashboard?brand=Acme&days=7").text
    # A campaign begun before the days shown, lasting into them: listed with its end, marked
    # on the first day shown.
    begun = (utcnow() - timedelta(days=20)).strftime("%Y-%m-%dT%H:%M")
    ends = (utcnow() - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    lasting = {**form, "at": begun, "until": ends, "label": "Soldes"}
    assert client.post("/events", data=lasting, follow_redirects=False).status_code == 303
    board = client.get("/dashboard?brand=Acme&days=7").text
    assert f"{begun.replace('T', ' ')} → {ends.replace('T', ' ')} · <bdi>" in board
    assert '<g class="chart-event"><title>Soldes</title>' in board
    assert board.count('<rect class="chart-event-span"') == 1  # a band to its last day
    [event_id] = re.findall(r'action="/events/(\d+)/remove"', board)
    client.post(f"/events/{event_id}/remove", data={"csrf": csrf})
    # A calendar's event says so and is deleted in the calendar, not here.
    from storage.events import listing, sync

    moment = utcnow() - timedelta(days=1)
    sync(app.state.ws.engine, "Acme", "marketing", [("k1", moment, None, "Lancement")],
         (moment - timedelta(days=1), moment + timedelta(days=1)), "calendar:marketing",
         utcnow())  # fmt: skip
    board = client.get("/dashboard?brand=Acme&days=7").text
    assert "Lancement" in board and "calendar <bdi>\u2068marketing\u2069</bdi>" in board
    assert not re.findall(r'action="/events/(\d+)/remove"', board)
    [kept] = listing(app.state.ws.engine, "Acme")
    refused = client.post(f"/events/{kept.id}/remove", data={"csrf": csrf})
    assert refused.status_code == 409 and "delete it there" in refused.text
    # A calendar's export uploaded: its events marked (the file's name names the calendar);
    # uploaded again, nothing twice; a file that is not a calendar says why.
    day = (utcnow() - timedelta(days=3)).strftime("%Y%m%d")
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:launch@acme\r\n"
           f"DTSTART;VALUE=DATE:{day}\r\nSUMMARY:Lancement <b>Acme 2</b>\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n").encode()  # fmt: skip
    for _ in range(2):
        sent = client.post("/events/calendar",
                           data={"csrf": csrf, "brand": "Acme", "back": "dashboard"},
                           files={"calendar": ("../Acme launches.ics", ics, "text/calendar")},
                           follow_redirects=False)  # fmt: skip
        assert sent.status_code == 303 and "#events" in sent.headers["location"]
    board = client.get("/dashboard?brand=Acme&days=7").text
    listed = board.split('<ol class="events">')[1].split("</ol>")[0]
    assert listed.count("Lancement &lt;b&gt;Acme 2&lt;/b&gt;") == 1 and "<b>Acme" not in board
    assert "calendar <bdi>\u2068Acme-launches\u2069</bdi>" in board
    bad = client.post("/events/calendar", data={"csrf": csrf, "brand": "Acme"},
                      files={"calendar": ("notes.ics", b"<html>", "text/calendar")})  # fmt: skip
    assert bad.status_code == 400 and "notes.ics: not an iCalendar file" in bad.text
    actions = [e["action"] for e in entries(app.state.ws.engine, limit=20)]
    assert "event_add" in actions and "event_remove" in actions


def _listed(page: str, part: str) -> list[str]:
    """The events of a part of the events page ("coming", "past"), each line's text."""
    found = re.search(rf'<ol class="events" id="{part}-events">(.*?)</ol>', page, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []


def test_events_page_lists_what_is_coming_and_what_was(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """The events page: in progress and coming first, in time order (a launch planned next
    week, a campaign under way), then the past days' latest first, by brand (every brand's
    with each) or for all; each past one links to the dashboard's days that show it; its
    forms answer back to it (never elsewhere); viewers read it only."""
    from datetime import timedelta

    from sqlalchemy import delete

    from storage.clock import utcnow
    from storage.models import BrandEvent

    app, _ = workspace
    with app.state.ws.engine.begin() as conn:
        conn.execute(delete(BrandEvent))  # the dashboard test's
    client, csrf = clients["analyst"]
    now = utcnow()

    def mark(brand: str, days: float, label: str, until: float | None = None) -> str:
        form = {"csrf": csrf, "brand": brand, "label": label, "back": "events",
                "at": (now + timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")}  # fmt: skip
        if until is not None:
            form["until"] = (now + timedelta(days=until)).strftime("%Y-%m-%dT%H:%M")
        sent = client.post("/events", data=form, follow_redirects=False)
        assert sent.status_code == 303, sent.text
        return str(sent.headers["location"])

    assert mark("Acme", 3, "Lancement <script>x</script>") == "/events?brand=Acme"
    assert mark("*", -2, "Soldes", until=5) == "/events?"
    mark("Acme", -10, "Spot TV")
    mark("Globex", -5, "Globex promo")
    mark("Acme", -60, "Ancien salon")
    page = client.get("/events?brand=Acme").text
    coming, past = _listed(page, "coming"), _listed(page, "past")
    assert [("in progress" in c, "Soldes" in c) for c in coming] == [(True, True), (False, False)]
    assert "coming" in coming[1] and "Lancement &lt;script&gt;" in coming[1]
    assert "<script>x" not in page
    assert len(past) == 1 and "Spot TV" in past[0] and "Globex" not in page.split("<h2")[2]
    assert 'href="/dashboard?brand=Acme&amp;days=30">chart' in past[0]
    assert "dashboard" not in coming[1]  # not begun: no chart shows it yet
    assert 'href="/dashboard?brand=Acme&amp;days=7">chart' in coming[0]
    older = _listed(client.get("/events?brand=Acme&days=90").text, "past")
    assert ["Spot TV" in older[0], "Ancien salon" in older[1]] == [True, True]
    every = client.get("/events?brand=Nobody&days=x").text  # read as every brand, 30 days
    assert "Globex promo" in every and "Ancien salon" not in every
    assert "Spot TV" in client.get("/dashboard?brand=Acme&days=30").text
    # Removing answers back to the page it was on; an unknown page is this one, never a URL.
    [spot] = re.findall(r'action="/events/(\d+)/remove"', past[0])
    removed = client.post(f"/events/{spot}/remove",
                          data={"csrf": csrf, "back": "https://evil.example/", "brand": "Acme"},
                          follow_redirects=False)  # fmt: skip
    assert removed.headers["location"] == "/events?brand=Acme"
    assert "Spot TV" not in client.get("/events?brand=Acme").text
    viewer, _ = clients["viewer"]
    seen = viewer.get("/events?brand=Acme").text
    assert "Soldes" in seen and 'method="post"' not in seen.split("</header>")[1]
    with app.state.ws.engine.begin() as conn:
        conn.execute(delete(BrandEvent))


def test_the_workspace_shows_and_reads_times_as_the_team_does(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """Times in schedules.timezone (Europe/Paris by default), as the reports and e-mails say
    them: a time typed in a form is the team's (winter and summer time), shown as typed; the
    dashboard's days are the team's days; the alert chart's hours are the team's hours."""
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from storage.events import listing, unmark
    from web.monitoring import days_shown, local_days

    app, ids = workspace
    client, csrf = clients["analyst"]
    for typed in ("2026-01-15T20:55", "2026-07-01T20:55"):
        form = {"csrf": csrf, "brand": "Acme", "at": typed, "label": f"Spot {typed}"}
        assert client.post("/events", data=form, follow_redirects=False).status_code == 303
    stored = {e.label: e.at.replace(tzinfo=UTC) for e in listing(app.state.ws.engine, "Acme")}
    assert stored["Spot 2026-01-15T20:55"] == datetime(2026, 1, 15, 19, 55, tzinfo=UTC)
    assert stored["Spot 2026-07-01T20:55"] == datetime(2026, 7, 1, 18, 55, tzinfo=UTC)
    page = client.get("/events?brand=Acme&days=365").text
    assert "times: Europe/Paris" in page and "Times are Europe/Paris time" in page
    assert "2026-01-15 20:55 · " in page or "2026-07-01 20:55 · " in page
    for e in listing(app.state.ws.engine, "Acme"):
        unmark(app.state.ws.engine, e.id)
    # The last night's 23:30 UTC is today in Paris; the day the clocks change has 23 hours.
    paris = ZoneInfo("Europe/Paris")
    start, keys = days_shown(datetime(2026, 3, 29, 12, tzinfo=UTC), 1, paris)
    assert (start, keys) == (datetime(2026, 3, 27, 23, tzinfo=UTC), ["2026-03-28", "2026-03-29"])
    rows = [("2026-03-28 22", "positive", 1), ("2026-03-28 23", "negative", 2),
            ("2026-03-29 00", None, 3)]  # fmt: skip
    assert local_days(rows, paris) == [
        ("2026-03-28", "positive", 1), ("2026-03-29", "negative", 2), ("2026-03-29", None, 3)
    ]  # fmt: skip
    # The alert chart's hours are named in the team's time (its first label here).
    page = client.get(f"/alerts/{ids['alert']}").text
    assert "mentions per hour (Europe/Paris)" in page
    from storage.alerts import get_alert

    record = get_alert(app.state.ws.engine, ids["alert"])
    assert record is not None
    first = (record.opened_at.replace(tzinfo=UTC) - timedelta(hours=24)).astimezone(paris)
    assert f">{first:%Y-%m-%d %H}:00<" in page


def test_the_alerts_list_is_narrowed_by_brand_kind_and_status(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """Years of alerts: the list narrows to a brand, a kind, the open ones or those nobody
    took on yet (anything else reads as all); each opened at the team's time."""
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import delete, insert

    from storage.models import Alert

    app, ids = workspace
    engine = app.state.ws.engine
    client, _ = clients["viewer"]
    opened = datetime(2026, 7, 14, 21, 30, tzinfo=UTC)  # 23:30 in Paris (summer time)
    with engine.begin() as conn:
        mine = [
            conn.execute(insert(Alert).values(
                brand=brand, kind=kind, severity="medium", status=status, opened_at=opened,
                updated_at=opened, score=1.0, negative_count=5, expected_count=1.0, details={},
            )).inserted_primary_key[0]
            for brand, kind, status in (("Globex", "campaign", "closed"),
                                        ("Acme", "bad_buzz", "open"))
        ]  # fmt: skip
    g, n, a = str(mine[0]), str(mine[1]), str(ids["alert"])

    def listed(query: str) -> list[str]:
        return re.findall(r'<tr><td><a href="/alerts/(\d+)">', client.get(f"/alerts?{query}").text)

    assert set(listed("")) == {g, n, a} == set(listed("brand=Nobody&state=x&kind=y"))
    assert listed("brand=Globex") == [g] == listed("kind=campaign")
    assert g in listed("state=closed") and n not in listed("state=closed")
    assert n in listed("state=unacknowledged") and n in listed("brand=Acme&state=open")
    # The top bar counts the open alerts nobody took on, on every page, and opens them.
    waiting = re.search(r'id="waiting-alerts" href="/alerts\?state=unacknowledged"[^>]*>(\d+)<',
                        client.get("/inbox").text)  # fmt: skip
    assert waiting and int(waiting.group(1)) == len(listed("state=unacknowledged"))
    assert g not in listed("state=open") and g not in listed("brand=Acme")
    page = client.get("/alerts?brand=Globex&kind=bad_buzz").text
    assert "No alert of this view." in page and listed("brand=Globex&kind=bad_buzz") == []
    paris = opened.astimezone(ZoneInfo("Europe/Paris"))
    assert f"<td>{paris:%Y-%m-%d %H:%M}</td>" in client.get("/alerts?brand=Globex").text
    with engine.begin() as conn:
        conn.execute(delete(Alert).where(Alert.id.in_(mine)))


def test_reports_page_groups_files_and_says_where_each_went(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """A report's files on one row, with its messages: sent, waiting for a target's quiet
    hours, failed with its reason (escaped)."""
    from datetime import timedelta
    from zoneinfo import ZoneInfo

    from storage import deliveries
    from storage.clock import utcnow
    from storage.runs import report_files

    app, _ = workspace
    client, csrf = clients["analyst"]
    for fmt in ("html", "json"):
        client.post("/reports/generate", data={"csrf": csrf, "brand": "Acme", "format": fmt,
                                               "period": "yesterday", "lang": "fr"})  # fmt: skip
    engine = app.state.ws.engine
    files = [f for f in report_files(engine) if f.brand == "Acme" and f.lang == "fr"]
    paths = {f.format: str(Path(f.path).resolve()) for f in files}
    assert set(paths) == {"html", "json"}
    now = utcnow()
    owed = []
    with engine.begin() as conn:
        for target, channel, due in (("recipients", "email", None),
                                     ("board-slack", "slack", now + timedelta(hours=5)),
                                     ("<b>ops</b>", "webhook", None)):  # fmt: skip
            owed.append(deliveries.owe(
                conn, f"report:Acme:x:fr:{channel}:{target}", kind="report", target=target,
                channel=channel, now=now, due_at=due,
                payload={"brand": "Acme", "lang": "fr", "files": paths},
            ))  # fmt: skip
    deliveries.mark_sent(engine, int(owed[0] or 0), now, "outbox")
    deliveries.mark_failed(engine, int(owed[2] or 0), "HTTP 500 <script>")
    page = client.get("/reports").text
    [row] = [r for r in page.split("<tr>") if "board-slack" in r]
    assert re.findall(r'href="/reports/\d+"[^>]*>(\w+)</a>', row) == ["json", "html"]
    yesterday = (now.astimezone(ZoneInfo("Europe/Paris")) - timedelta(days=1)).date()
    assert f"<td>{yesterday.isoformat()}</td>" in row  # the period's local day
    assert 'recipients <span class="muted">(email)</span> · <strong>sent</strong>' in row
    assert (
        'board-slack <span class="muted">(slack)</span> · <strong>waiting</strong> · until' in row
    )
    assert "&lt;b&gt;ops&lt;/b&gt;" in row and "HTTP 500 &lt;script&gt;" in row
    assert "<strong>failed</strong>" in row


def test_users_commands_and_serve_refusal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main
    from storage.audit import entries
    from storage.users import get_user
    from web.security import verify_password

    url = f"sqlite:///{tmp_path / 'v.db'}"
    engine = make_engine(url, create=True)
    upgrade(engine)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VEILLE_DATABASE__URL", url)
    monkeypatch.setenv("VEILLE_USER_PASSWORD", PASSWORD)

    def cli(*args: str) -> tuple[int, str]:
        try:
            main(list(args))
            code = 0
        except SystemExit as exc:
            code = int(exc.code or 0)
        out, err = capsys.readouterr()
        return code, out + err

    code, out = cli("serve", "--host", "0.0.0.0", "--port", "8999")
    assert code == 1 and "no admin account" in out
    assert cli("users", "add", "ana", "--role", "admin")[0] == 0
    code, out = cli("users", "add", "ana", "--role", "viewer")
    assert code == 1 and "already a user named 'ana'" in out
    code, out = cli("users", "add", "bo", "--role", "boss")
    assert code == 2 and "not one of" in out
    code, out = cli("users", "list", "--json")
    assert [u["name"] for u in json.loads(out)["users"]] == ["ana"]
    # Where a person hears of the mentions assigned to them: set, refused when no address,
    # cleared.
    assert cli("users", "add", "cy", "--email", " cy@lumino.example ")[0] == 0
    code, out = cli("users", "add", "dee", "--email", "nobody")
    assert code == 2 and "--email: 'nobody' is not an e-mail address" in out
    assert cli("users", "email", "ana", "ana@lumino.example")[0] == 0
    code, out = cli("users", "email", "ana", "ana at lumino")
    assert code == 2 and "is not an e-mail address" in out
    assert cli("users", "email", "nobody", "x@y.example")[0] == 1
    emails = {u["name"]: u["email"] for u in json.loads(cli("users", "list", "--json")[1])["users"]}
    assert emails == {"ana": "ana@lumino.example", "cy": "cy@lumino.example"}
    assert cli("users", "email", "cy")[0] == 0 and get_user(engine, "cy").email is None  # type: ignore[union-attr]
    # The language they read the workspace in (and hear of assigned mentions in).
    assert cli("users", "language", "ana", "en")[0] == 0
    code, out = cli("users", "language", "ana", "de")
    assert code == 2 and "'de' is not one of fr, en" in out
    assert json.loads(cli("users", "list", "--json")[1])["users"][0]["language"] == "en"
    assert cli("users", "language", "ana")[0] == 0 and get_user(engine, "ana").language is None  # type: ignore[union-attr]
    # Another role: the last admin keeps theirs.
    assert cli("users", "role", "cy", "viewer") == (0, "cy: viewer (was analyst).\n")
    assert get_user(engine, "cy").role == "viewer"  # type: ignore[union-attr]
    code, out = cli("users", "role", "ana", "viewer")
    assert code == 2 and "'ana' is the last admin: make someone else admin first" in out
    code, out = cli("users", "role", "cy", "boss")
    assert code == 2 and "not one of" in out
    assert cli("users", "role", "nobody", "viewer")[0] == 1
    assert [e["detail"] for e in entries(engine, "user:cy") if e["action"] == "user_role"] == [
        {"role": "viewer", "was": "analyst"}]  # fmt: skip
    assert cli("users", "remove", "cy")[0] == 0
    monkeypatch.setenv("VEILLE_USER_PASSWORD", "a brand new one")
    assert cli("users", "passwd", "ana")[0] == 0
    user = get_user(engine, "ana")
    assert user is not None and user.role == "admin"
    assert verify_password(user.password_hash, "a brand new one")
    assert user.password_hash.startswith("$argon2")
    assert cli("users", "remove", "ana")[0] == 0 and get_user(engine, "ana") is None
    assert cli("users", "remove", "ana")[0] == 1
    assert [e["action"] for e in entries(engine)][:3] == ["user_remove", "user_passwd",
                                                         "user_remove"]  # fmt: skip
    # a correction from the command line shows in the mention's history too
    seed(engine, users=False)
    assert cli("label", "3", "sentiment=negative")[0] == 0
    (entry,) = entries(engine, target="mention:3")
    assert entry["action"] == "label" and entry["actor"].startswith("cli:")
    assert entry["detail"] == {"task": "sentiment", "value": "negative"}
    engine.dispose()


def test_the_full_text_index_follows_stored_mentions(sqlite_engine: Engine) -> None:
    """FTS5 is kept by triggers: a mention stored again with a new text is found by its new
    words only, and a deleted one is gone (PostgreSQL indexes the expression itself)."""
    from sqlalchemy import delete

    from storage.inbox import InboxFilter, inbox_page
    from storage.models import Mention
    from storage.records import MentionRecord
    from storage.upsert import MentionStore

    store = MentionStore(sqlite_engine)
    record = MentionRecord(source="s", source_kind="forum", external_id="1",
                           text="Un colis perdu, déçu")  # fmt: skip
    store.store([record, MentionRecord(source="s", source_kind="forum", external_id="2",
                                       text="autre chose")])  # fmt: skip

    def found(words: str) -> list[int]:
        flt = InboxFilter(status=None, words=words)
        return [r["id"] for r in inbox_page(sqlite_engine, flt)]

    assert found("decu colis") == [1]  # accents folded
    record.text = "Remboursement reçu, merci"
    store.store([record])
    assert found("colis") == [] and found("remboursement") == [1]
    with sqlite_engine.begin() as conn:
        conn.execute(delete(Mention).where(Mention.id == 1))
    assert found("remboursement") == []

    def index_bytes() -> bytes:
        with sqlite_engine.connect() as conn:
            return b"".join(bytes(b) for (b,) in conn.exec_driver_sql(
                "SELECT block FROM mentions_fts_data"))  # fmt: skip

    # FTS5 keeps a deleted text's words (prefix-compressed) until its segments merge
    assert b"merci" in index_bytes() and b"mboursement" in index_bytes()
    from storage.fulltext import forget_deleted

    with sqlite_engine.begin() as conn:
        forget_deleted(conn)  # what an erasure or a retention run does
    left = index_bytes()
    assert b"merci" not in left and b"mboursement" not in left and b"chose" in left


def test_a_query_scan_stops_and_says_so(
    clients: dict[str, tuple[TestClient, str]], monkeypatch: pytest.MonkeyPatch
) -> None:
    import web.inbox

    client, _ = clients["viewer"]
    monkeypatch.setattr(web.inbox, "QUERY_SCAN", 5)
    page = client.get("/inbox?period=all&status=all&q=introuvable").text
    assert "matched against the 5 most urgent mentions" in page
    assert row_ids(page) == []
    # an export reads them all
    lines = client.get("/inbox/export.jsonl?period=all&status=all&q=livraison").text
    assert len(lines.splitlines()) == 28


def test_the_brand_choices_are_each_brand_once_in_order(engine: Engine) -> None:
    """The inbox's brand filter: the brands present, read by skipping through their index."""
    from storage.inbox import choices
    from storage.records import BrandMatch, MentionRecord
    from storage.upsert import MentionStore

    assert choices(engine)["brands"] == []
    brands = [["Zeta", "Acme"], ["Acme"], [], ["Mu"], ["Zeta"]]
    MentionStore(engine).store(
        MentionRecord(
            source="s",
            source_kind="forum",
            external_id=str(i),
            text=f"texte {i}",
            brands=[BrandMatch(b, b.lower(), [b.lower()]) for b in names],
        )
        for i, names in enumerate(brands)
    )
    assert choices(engine) == {"brands": ["Acme", "Mu", "Zeta"], "sources": ["s"]}


def test_a_mention_shows_the_brand_s_answers_to_it(engine: Engine) -> None:
    """The replies of the brand's own accounts that answer the mention (as the report counts
    them), each with its delay; none for a reply by someone else or another brand's account."""
    from datetime import timedelta

    from sqlalchemy import insert, select

    from storage.models import Author, Mention
    from storage.users import add_user
    from web.security import hash_password

    seed(engine, users=False)
    add_user(engine, "viewer", "viewer", hash_password(PASSWORD))
    conf = settings()
    conf.brands[0].own_accounts = ["@Acme_Care"]  # any case, with or without @
    conf.brands[1].own_accounts = ["carla"]  # Globex's
    with engine.begin() as conn:
        conn.execute(insert(Author).values(id=4, source_id=1, handle="acme_care"))
        asked = conn.execute(select(Mention.published_at).where(Mention.id == 10)).scalar_one()
        conn.execute(insert(Mention), [
            {"id": 31, "source_id": 1, "external_id": "p31", "parent_id": "p10", "author_id": 4,
             "text": "Bonjour, écrivez-nous en privé <b>svp</b>", "lang": "fr",
             "published_at": asked + timedelta(hours=1, minutes=21), "content_hash": "h31"},
            {"id": 32, "source_id": 1, "external_id": "p32", "parent_id": "p10", "author_id": 3,
             "text": "Globex répond aussi", "lang": "fr",
             "published_at": asked + timedelta(hours=2), "content_hash": "h32"},
        ])  # fmt: skip
    client = TestClient(create_app(engine, conf, secret="v" * 32))
    login(client, "viewer")
    page = client.get("/mentions/10").text
    assert "Answered by the brand" in page and 'href="/mentions/31"' in page
    assert "(1 h 21 min after)" in page and "&lt;b&gt;svp&lt;/b&gt;" in page
    assert 'href="/mentions/32"' not in page.split('id="brand-answers"')[1].split("</ol>")[0]
    assert "Answered by the brand" not in client.get("/mentions/9").text


def test_the_dashboard_leaves_the_brands_own_posts_out(engine: Engine) -> None:
    """As the reports count (reports.exclude_own_posts): the brand's own account is in no chart
    nor among the drivers; counted again when the setting is off."""
    from storage.users import add_user
    from web.security import hash_password

    seed(engine, users=False)
    add_user(engine, "viewer", "viewer", hash_password(PASSWORD))

    def board(conf: Any) -> str:
        client = TestClient(create_app(engine, conf, secret="v" * 32))
        login(client, "viewer")
        return client.get("/dashboard?brand=Acme&days=7").text

    def total(page: str) -> int:
        return int(re.search(r"\((\d+) mentions in 7 days\)", page).group(1))  # type: ignore[union-attr]

    def drivers(page: str) -> str:
        return page.split("Top drivers")[1]

    conf = settings()
    everyone = board(conf)
    conf.brands[0].own_accounts = ["@BOB"]  # any case, with or without @
    left_out = board(conf)
    assert "Bob" in drivers(everyone) and "Bob" not in drivers(left_out)
    rows = re.findall(r"<tr><td><bdi>\u2068([^<]*)\u2069</bdi>(.*?)</td><td><bdi>\u2068([^<]*)"
                      r"\u2069</bdi></td><td>([\d,]+)</td><td>([\d,]+)</td></tr>",
                      drivers(everyone))  # fmt: skip
    # Each with its source (one person's accounts on two networks are two authors), the most
    # negative first, then the farthest-reaching: the same rows on both backends.
    assert [(r[2], r[3], r[4]) for r in rows] == [
        ("forum-acme", "2", "10"),
        ("reviews", "2", "0"),
        ("forum-acme", "1", "50,000"),
    ]
    # The handle beside a name (many accounts may share a display name).
    assert [r[0] for r in rows][1:] == ["Carla", "Bob"]
    assert "carla\u2069</bdi>" in rows[1][1] and "bob\u2069</bdi>" in rows[2][1]
    assert total(left_out) < total(everyone)
    assert "own accounts are left out" in left_out and "own accounts" not in everyone
    conf.reports.exclude_own_posts = False
    counted = board(conf)
    assert total(counted) == total(everyone) and "Bob" in drivers(counted)


def _visible(page: str) -> str:
    """A page's text as read (tags dropped, entities read, spaces folded)."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_each_person_reads_the_workspace_in_their_language(
    workspace: tuple[Any, dict[str, Any]], clients: dict[str, tuple[TestClient, str]]
) -> None:
    """A person picks French in the top bar: every page comes in French for them (none of the
    workspace's English phrases left), the others' stay in the workspace's language."""
    from storage.users import add_user
    from web.security import hash_password
    from web.words import WORDS

    app, ids = workspace
    add_user(app.state.ws.engine, "amelie", "admin", hash_password(PASSWORD))
    add_user(app.state.ws.engine, "bruno", "viewer", hash_password(PASSWORD))  # chooses none
    client = TestClient(app)
    csrf = login(client, "amelie")
    chosen = client.post("/language", data={"language": "fr", "back": "/alerts?state=open",
                                            "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert chosen.status_code == 303 and chosen.headers["location"] == "/alerts?state=open"
    english = [e["en"] for e in WORDS.values()
               if e["en"] != e["fr"] and " " in e["en"] and "{" not in e["en"]
               and "<" not in e["en"]]  # fmt: skip
    pages = [path for method, path, _, _ in routes(ids)
             if method == "GET" and "/export." not in path]  # fmt: skip
    for path in [*pages, "/mentions/999999", "/alerts/999999"]:
        response = client.get(path)
        assert response.headers["content-language"] == "fr", path
        assert '<html lang="fr">' in response.text, path
        shown = _visible(response.text)
        left = [phrase for phrase in english if phrase in shown]
        assert left == [], (path, left)
    inbox = _visible(client.get("/inbox").text)
    assert "Boîte de réception" in inbox and "Se déconnecter" in inbox
    query = _visible(client.get("/inbox?q=livraison%20OR").text)  # the query's own words too
    assert "Erreur de requête à la colonne 11 : OR doit être suivi d'un terme" in query
    page = client.get("/admin/users").text
    accounts = _visible(page)  # who reads in which language, with which role
    roles = "lecteur analyste administrateur Enregistrer"
    brands = "\u2068Acme\u2069 \u2068Globex\u2069 Enregistrer toutes"  # he sees every brand
    assert f"amelie\u2069 {roles} toutes Enregistrer français" in accounts  # an admin's row
    assert f"bruno\u2069 {roles} {brands} Enregistrer celle de l'espace (anglais)" in accounts
    rows = {
        m[0]: m[1]
        for m in re.findall(
            r'name="name" value="(\w+)"><select name="role"'
            r'[^>]*>.*?<option value="(\w+)" selected>',
            page,
        )
    }
    assert rows["amelie"] == "admin" and rows["bruno"] == "viewer"
    # Not allowed in French too; the other people still read English.
    viewer, _ = clients["viewer"]
    assert "Boîte de réception" not in viewer.get("/inbox").text
    bad = client.post("/language", data={"language": "de", "csrf": csrf})
    assert bad.status_code == 400 and "n'est pas une langue de Veille" in html.unescape(bad.text)
    # the refusals of the code shared with the command line, in her language too
    said = [
        ("/admin/users", {"name": "amelie", "role": "viewer", "password": "x" * 12},
         "il existe déjà une personne nommée « amelie »"),
        ("/admin/users/email", {"name": "amelie", "email": "pas-une-adresse"},
         "« pas-une-adresse » n'est pas une adresse e-mail"),
        ("/alerts/mute", {"brand": "Acme", "length": "1h", "reason": " "},
         "dire pourquoi (--reason dans la commande) : l'équipe le lit"),
        ("/events", {"brand": "Acme", "at": "2026-01-01T00:00", "label": " "},
         "dire ce qui s'est passé en 1 à 200 caractères"),
    ]  # fmt: skip
    for path, form, words in said:
        refused = _visible(client.post(path, data={**form, "csrf": csrf}).text)
        assert words in refused, (path, refused[-400:])
    bad_file = client.post("/events/calendar", data={"csrf": csrf, "brand": "Acme"},
                           files={"calendar": ("notes.ics", b"<html>", "text/calendar")})  # fmt: skip
    assert "notes.ics : pas un fichier iCalendar" in _visible(bad_file.text).replace(
        "notes.ics:", "notes.ics :"
    )
    period = _visible(client.post("/reports/generate", data={
        "csrf": csrf, "brand": "Acme", "period": "2026-02-30..2026-03-01"}).text)  # fmt: skip
    assert "la période « 2026-02-30..2026-03-01 » contient une date impossible" in period
    client.post("/language", data={"language": "en", "back": "/inbox", "csrf": csrf})
    assert '<html lang="en">' in client.get("/inbox").text


def test_a_french_workspace_greets_in_french(engine: Engine) -> None:
    """Unset web.language: the first of reports.languages (French by default), from the
    sign-in page on; an API token reads it too."""
    conf = settings()
    conf.web.language = None
    client = TestClient(create_app(engine, conf, secret="f" * 32))
    page = client.get("/login")
    assert '<html lang="fr">' in page.text and page.headers["content-language"] == "fr"
    conf.reports.languages = ["en", "fr"]
    english = TestClient(create_app(engine, conf, secret="f" * 32)).get("/login")
    assert '<html lang="en">' in english.text


def test_the_team_saves_inbox_views_and_opens_them_in_a_click(engine: Engine) -> None:
    """An analyst names the inbox's filters; everyone sees the view above the inbox and opens
    it in a click (`assignee=me` is each person's own); the same name takes new filters; a
    view is removed for the whole team; a hostile name stays text."""
    from storage.saved_views import list_views
    from storage.users import add_user
    from web.security import hash_password

    client, csrf, _ = analyst_client(engine)
    filters = "q=livraison&sentiment=negative&period=all&status=all&assignee=me"
    name = '<img src=x onerror="window.__xss=9"> Négatifs'
    saved = client.post("/inbox/views", data={"csrf": csrf, "name": f"  {name} ",
                                              "query": filters}, follow_redirects=False)  # fmt: skip
    assert saved.status_code == 303
    assert saved.headers["location"] == (
        "/inbox?sentiment=negative&period=all&status=all&assignee=me&q=livraison"
    )
    [view] = list_views(engine)
    assert view.name == name and view.filters["assignee"] == "me" and view.created_by == "analyst"
    page = client.get("/inbox").text
    bar = page.split('id="saved-views"')[1].split("</div>")[0]
    assert "&lt;img src=x" in bar and "<img" not in bar
    link = html.unescape(re.search(r'<a href="(/inbox\?[^"]+)"', bar).group(1))  # type: ignore[union-attr]
    opened = client.get(link).text
    assert 'class="pill here"' in opened.split('id="saved-views"')[1].split("</div>")[0]
    assert row_ids(opened) == row_ids(client.get(saved.headers["location"]).text)
    # A viewer opens it, cannot save one for the team nor remove it.
    add_user(engine, "vera", "viewer", hash_password(PASSWORD))
    viewer = TestClient(create_app(engine, settings(), secret="v" * 32))
    vcsrf = login(viewer, "vera")
    assert name.split(">")[1].strip() in html.unescape(viewer.get("/inbox").text)
    assert 'name="private" value="1">' in viewer.get("/inbox").text  # her own views only
    refused = viewer.post("/inbox/views", data={"csrf": vcsrf, "name": "x", "query": ""})
    assert refused.status_code == 403
    assert viewer.post(f"/inbox/views/{view.id}/remove", data={"csrf": vcsrf}).status_code == 403
    # The same name: the new filters; a bad name or query: refused, saying why.
    client.post("/inbox/views", data={"csrf": csrf, "name": name, "query": "status=closed"})
    assert [(v.name, v.filters["status"]) for v in list_views(engine)] == [(name, "closed")]
    bad = client.post("/inbox/views", data={"csrf": csrf, "name": " ", "query": ""})
    assert bad.status_code == 400 and "1 to 80 printable characters" in bad.text
    broken = client.post("/inbox/views", data={"csrf": csrf, "name": "b", "query": "q=a%20OR"})
    assert broken.status_code == 400 and "query is invalid" in broken.text
    # Removed for the whole team, and audited.
    gone = client.post(f"/inbox/views/{view.id}/remove", data={"csrf": csrf},
                       follow_redirects=False)  # fmt: skip
    assert gone.status_code == 303 and list_views(engine) == []
    assert "none yet" in client.get("/inbox").text
    from storage.audit import entries

    assert [e["action"] for e in entries(engine) if e["action"].startswith("view_")] == [
        "view_remove", "view_save", "view_save"
    ]  # fmt: skip


def test_each_person_keeps_views_of_their_own(engine: Engine) -> None:
    """Anyone, a viewer too, saves views for themselves alone: they see them after the team's,
    others do not; two people may use the same name; only the owner removes one."""
    from storage.saved_views import list_views
    from storage.users import add_user
    from web.security import hash_password

    analyst, csrf, _ = analyst_client(engine)
    add_user(engine, "vera", "viewer", hash_password(PASSWORD))
    viewer = TestClient(create_app(engine, settings(), secret="v" * 32))
    vcsrf = login(viewer, "vera")
    for client, token, query in ((viewer, vcsrf, "sentiment=negative"),
                                 (analyst, csrf, "sentiment=positive")):  # fmt: skip
        done = client.post("/inbox/views", data={"csrf": token, "name": "Mes vues",
                                                 "query": query, "private": "1"},
                           follow_redirects=False)  # fmt: skip
        assert done.status_code == 303
    analyst.post("/inbox/views", data={"csrf": csrf, "name": "Équipe", "query": "status=all"})
    mine = {v.owner: v for v in list_views(engine, "vera") if v.private}
    assert list(mine) == ["vera"] and mine["vera"].filters["sentiment"] == "negative"
    assert [(v.name, v.owner) for v in list_views(engine, "analyst")] == [
        ("Équipe", ""), ("Mes vues", "analyst")]  # fmt: skip
    bar = viewer.get("/inbox").text.split('id="saved-views"')[1].split("</div>")[0]
    assert bar.index("Équipe") < bar.index("Mes vues") and "sentiment=positive" not in bar
    theirs = next(v for v in list_views(engine, "analyst") if v.private)
    assert viewer.post(f"/inbox/views/{theirs.id}/remove", data={"csrf": vcsrf}).status_code == 404
    own = viewer.post(f"/inbox/views/{mine['vera'].id}/remove", data={"csrf": vcsrf},
                      follow_redirects=False)  # fmt: skip
    assert own.status_code == 303 and [v.owner for v in list_views(engine, "vera")] == [""]


def test_the_views_saved_before_stay_the_teams(db_url: str) -> None:
    from sqlalchemy import JSON, column, insert, table

    from storage.clock import utcnow
    from storage.engine import make_engine
    from storage.models import UtcDateTime
    from storage.saved_views import list_views
    from storage.schema import upgrade

    engine = make_engine(db_url)
    try:
        upgrade(engine, "0032")
        before = table("saved_views", column("id"), column("name"), column("filters", JSON),
                       column("created_by"), column("created_at", UtcDateTime))  # fmt: skip
        with engine.begin() as conn:
            conn.execute(insert(before).values(
                id=1, name="Négatifs SAV", filters={"sentiment": "negative"}, created_by="ana",
                created_at=utcnow()))  # fmt: skip
        upgrade(engine)
        [view] = list_views(engine, "bob")
        assert (view.name, view.owner, view.filters) == (
            "Négatifs SAV",
            "",
            {"sentiment": "negative"},
        )
    finally:
        engine.dispose()
