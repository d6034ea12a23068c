"""The mention page's previous and next within the inbox view it was opened from, an alert
episode's posts (alert page, mention page, inbox filter), and server-side session revocation
(signing out, a new password, removal)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient
from web_workspace import PASSWORD, analyst_client, login, row_ids, seed, settings

from web.app import create_app
from web.security import SESSION_COOKIE


@pytest.fixture
def seeded(engine: Engine) -> tuple[TestClient, str, dict[str, Any]]:
    return analyst_client(engine)


def _nav(html: str) -> tuple[int | None, int | None, str]:
    """(previous id, next id, the back link) of a mention page."""
    prev = re.search(r'id="prev-mention" rel="prev" href="/mentions/(\d+)\?([^"]*)"', html)
    nxt = re.search(r'id="next-mention" rel="next" href="/mentions/(\d+)\?([^"]*)"', html)
    back = re.search(r'id="back-to-inbox" href="([^"]+)"', html)
    assert back
    return (int(prev.group(1)) if prev else None, int(nxt.group(1)) if nxt else None,
            back.group(1))  # fmt: skip


@pytest.mark.parametrize("view", ["period=all&brand=Acme", "period=all&status=all&q=num%C3%A9ro"])
def test_previous_and_next_follow_the_inbox_view(
    seeded: tuple[TestClient, str, dict[str, Any]], view: str
) -> None:
    client, csrf, _ = seeded
    inbox = client.get(f"/inbox?{view}").text
    rows = row_ids(inbox)
    assert len(rows) >= 3
    # the inbox's links carry the view; the mention page links within it
    assert f'href="/mentions/{rows[0]}?' in inbox
    for at, mention_id in enumerate(rows):
        prev, nxt, back = _nav(client.get(f"/mentions/{mention_id}?{view}").text)
        assert prev == (rows[at - 1] if at else None), (at, mention_id)
        assert nxt == (rows[at + 1] if at + 1 < len(rows) else None), (at, mention_id)
        assert back.startswith("/inbox?") and ("brand=Acme" in back or "q=" in back)
    # an action on the page comes back to it in the same view
    done = client.post(f"/mentions/{rows[1]}/notes?{view}", data={"csrf": csrf, "note": "vu"},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == f"/mentions/{rows[1]}?{view}"
    # closing a mention of the open-only view: its neighbours still link past it
    client.post(f"/mentions/{rows[1]}/triage", data={"csrf": csrf, "status": "closed"})
    open_view = "period=all&brand=Acme"
    open_rows = row_ids(client.get(f"/inbox?{open_view}").text)
    prev, nxt, _ = _nav(client.get(f"/mentions/{rows[1]}?{open_view}").text)
    if rows[1] not in open_rows and prev is not None and nxt is not None:
        assert open_rows.index(nxt) == open_rows.index(prev) + 1


def test_keyboard_shortcuts_are_those_of_the_inbox(
    seeded: tuple[TestClient, str, dict[str, Any]],
) -> None:
    from pathlib import Path

    client, _, _ = seeded
    page = client.get("/mentions/2").text
    assert "<kbd>j</kbd> next, <kbd>k</kbd> previous, <kbd>u</kbd> inbox" in page
    script = (Path(__file__).parents[1] / "web" / "static" / "app.js").read_text()
    assert 'follow("next-mention")' in script and 'follow("prev-mention")' in script


def test_an_alert_episode_s_posts(seeded: tuple[TestClient, str, dict[str, Any]]) -> None:
    client, _, ids = seeded
    a = ids["alert"]
    # Acme's mentions from an hour before the alert opened (30 h ago): every 2 h, ids 1-15
    members = {i for i in range(1, 16) if i % 3}
    assert set(row_ids(client.get(f"/inbox?alert={a}&status=all&period=all").text)) == members
    page = client.get(f"/alerts/{a}").text
    assert f"Posts of the episode ({len(members)})" in page
    assert set(int(i) for i in re.findall(r'href="/mentions/(\d+)"', page)) == members
    assert f'href="/inbox?alert={a}&amp;status=all&amp;period=all"' in page
    inside = client.get("/mentions/1").text
    assert f'Part of alert <a href="/alerts/{a}">#{a}</a>' in inside
    assert "Part of alert" not in client.get("/mentions/3").text  # Globex
    assert "Part of alert" not in client.get("/mentions/20").text  # Acme, 40 h ago
    # the filter shows in the inbox's form, and keeps with the others
    assert 'id="alert-filter"' in client.get(f"/inbox?alert={a}").text
    assert row_ids(client.get(f"/inbox?alert={a}&status=all&period=all&source=reviews").text) == []
    assert row_ids(client.get("/inbox?alert=999&status=all&period=all").text) == []


def test_signing_out_voids_the_cookie_on_the_server(engine: Engine) -> None:
    from storage.users import add_user, remove_user
    from web.security import hash_password

    seed(engine, users=False)
    for name in ("temp", "gone"):
        add_user(engine, name, "viewer", hash_password(PASSWORD))
    app = create_app(engine, settings(), secret="w" * 32)
    client = TestClient(app)
    csrf = login(client, "temp")
    old = client.cookies[SESSION_COOKIE]
    elsewhere = TestClient(app)  # the same person on another device
    login(elsewhere, "temp")
    assert client.post("/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = TestClient(app)
    replay.cookies[SESSION_COOKIE] = old
    answer = replay.get("/inbox", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
    assert replay.post("/inbox/bulk", data={"csrf": csrf}).status_code == 401
    assert elsewhere.get("/inbox", follow_redirects=False).status_code == 303
    # signing in again works, with a new cookie
    login(client, "temp")
    assert client.get("/inbox", follow_redirects=False).status_code == 200
    # a removed account's cookie stops working, even if the name is given again
    gone = TestClient(app)
    login(gone, "gone")
    remove_user(engine, "gone")
    assert gone.get("/inbox", follow_redirects=False).status_code == 303
    add_user(engine, "gone", "admin", hash_password(PASSWORD))
    assert gone.get("/inbox", follow_redirects=False).status_code == 303


def test_a_new_password_bumps_the_session_generation(engine: Engine) -> None:
    """`veille users passwd` and the admin page call set_password."""
    from storage.users import add_user, get_user, set_password
    from web.security import hash_password

    seed(engine, users=False)
    add_user(engine, "temp", "viewer", hash_password(PASSWORD))
    before = get_user(engine, "temp")
    client = TestClient(create_app(engine, settings(), secret="x" * 32))
    login(client, "temp")
    set_password(engine, "temp", hash_password("another long password"))  # `users passwd`
    after = get_user(engine, "temp")
    assert before and after and after.session_generation == before.session_generation + 1
    assert client.get("/inbox", follow_redirects=False).status_code == 303
