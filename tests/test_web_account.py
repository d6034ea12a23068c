"""A person's own account (`/account`): a new password after the current one (throttled,
audited; the other browsers signed out, this one kept), their e-mail, in French too; an API
token has none."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient
from web_workspace import PASSWORD, login, seed, settings

from storage.audit import entries
from storage.users import get_user
from web.app import create_app

NEW = "a new horse battery staple"


@pytest.fixture
def app(engine: Engine) -> object:
    seed(engine)
    return create_app(engine, settings(), secret="a" * 32)


def test_a_person_changes_their_password(app: object, engine: Engine) -> None:
    here, there = TestClient(app), TestClient(app)  # two browsers of the same viewer
    csrf = login(here, "viewer")
    login(there, "viewer")
    page = here.get("/account").text
    assert 'id="account-link"' in page and "viewer, viewer." in page

    def change(**form: str) -> object:
        return here.post("/account/password", data={"csrf": csrf, **form},
                         follow_redirects=False)  # fmt: skip

    wrong = change(current="not it", new=NEW, confirm=NEW)
    assert wrong.status_code == 400 and "The current password is wrong." in wrong.text
    assert change(current=PASSWORD, new=NEW, confirm=NEW + "!").status_code == 400
    short = change(current=PASSWORD, new="short", confirm="short")
    assert short.status_code == 400 and "10 characters at least" in short.text
    done = change(current=PASSWORD, new=NEW, confirm=NEW)
    assert done.status_code == 303 and done.headers["location"] == "/account?changed=1"
    assert "Password changed." in here.get("/account?changed=1").text  # this browser goes on
    assert here.get("/inbox", follow_redirects=False).status_code == 200
    assert there.get("/inbox", follow_redirects=False).status_code == 303  # the other: signed out
    fresh = TestClient(app)
    login(fresh, "viewer", NEW)
    actions = [e["action"] for e in entries(engine, "user:viewer")]
    assert actions[:3] == ["login", "password", "password_failed"]  # newest first


def test_wrong_current_passwords_are_throttled(app: object) -> None:
    client = TestClient(app)
    csrf = login(client, "analyst")
    codes = [
        client.post(
            "/account/password",
            data={"csrf": csrf, "current": f"guess {i}", "new": NEW, "confirm": NEW},
        ).status_code
        for i in range(6)
    ]
    assert codes == [400] * 5 + [429]
    # even the right one waits now
    right = client.post("/account/password", data={"csrf": csrf, "current": PASSWORD,
                                                   "new": NEW, "confirm": NEW})  # fmt: skip
    assert right.status_code == 429
    # in seconds, as the words say (the failures' 15-minute window), not minutes
    waited = int(re.search(r"try again in (\d+)", right.text).group(1))  # type: ignore[union-attr]
    assert 890 <= waited <= 901


def test_a_person_sets_their_email_and_reads_the_page_in_french(
    app: object, engine: Engine
) -> None:
    from storage.users import set_language

    set_language(engine, "analyst", "fr")
    client = TestClient(app)
    csrf = login(client, "analyst")
    assert "Mon compte" in client.get("/account").text
    bad = client.post("/account/email", data={"csrf": csrf, "email": "pas une adresse"})
    assert bad.status_code == 400 and "n'est pas une adresse e-mail" in bad.text.replace(
        "&#39;", "'"
    )
    ok = client.post("/account/email", data={"csrf": csrf, "email": "ana@acme.example"},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and get_user(engine, "analyst").email == "ana@acme.example"


def test_an_api_token_has_no_account(app: object, engine: Engine) -> None:
    from datetime import timedelta

    from storage.clock import utcnow
    from storage.tokens import issue

    _, token = issue(engine, "bi", timedelta(days=1), "admin", utcnow())
    page = TestClient(app).get("/account", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 200 and "An API token has no account" in page.text
    assert 'name="current"' not in page.text


def test_an_admin_gives_a_person_a_new_password(app: object, engine: Engine) -> None:
    admin, viewer = TestClient(app), TestClient(app)
    csrf = login(admin, "admin")
    login(viewer, "viewer")
    short = admin.post("/admin/users/password", data={"csrf": csrf, "name": "viewer",
                                                      "password": "short"})  # fmt: skip
    assert short.status_code == 400 and "10 characters at least" in short.text
    done = admin.post("/admin/users/password", data={"csrf": csrf, "name": "viewer",
                                                     "password": NEW}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    assert viewer.get("/inbox", follow_redirects=False).status_code == 303  # signed out
    login(TestClient(app), "viewer", NEW)
    assert [e["action"] for e in entries(engine, "user:viewer")][1] == "user_passwd"


def test_an_admin_changes_a_persons_role(app: object, engine: Engine) -> None:
    admin, viewer = TestClient(app), TestClient(app)
    csrf = login(admin, "admin")
    mine = login(viewer, "viewer")
    page = admin.get("/admin/users").text
    assert 'action="/admin/users/role"' in page and 'aria-label="role of viewer"' in page
    note = {"csrf": mine, "note": "seen"}
    assert viewer.post("/mentions/3/notes", data=note).status_code == 403
    done = admin.post("/admin/users/role", data={"csrf": csrf, "name": "viewer",
                                                 "role": "analyst"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    user = get_user(engine, "viewer")
    assert user is not None and user.role == "analyst"
    # from the person's next page, without signing in again
    assert "viewer, analyst." in viewer.get("/account").text
    assert viewer.post("/mentions/3/notes", data=note, follow_redirects=False).status_code == 303
    [entry] = [e for e in entries(engine, "user:viewer") if e["action"] == "user_role"]
    assert entry["actor"] == "admin" and entry["detail"] == {"role": "analyst", "was": "viewer"}
    bad = admin.post("/admin/users/role", data={"csrf": csrf, "name": "viewer", "role": "boss"})
    assert bad.status_code == 400 and "role &#39;boss&#39; is not one of" in bad.text
    nobody = admin.post("/admin/users/role", data={"csrf": csrf, "name": "x", "role": "viewer"})
    assert nobody.status_code == 400
    # the last admin keeps the role
    last = admin.post("/admin/users/role", data={"csrf": csrf, "name": "admin", "role": "viewer"})
    assert last.status_code == 400 and "the last admin" in last.text
    assert admin.get("/admin/users").status_code == 200
