"""Two-step sign-in (web/two_factor.py), on SQLite and PostgreSQL, with the codes an
authenticator app computes (pyotp, as the app would from the QR code): set up from the
account page, then the password and a code; a code good once; wrong codes throttled; the
code step tied to the password and to its five minutes; off with a code, or by an admin for a
lost phone (the Admin page, `veille users two-factor-off`); `web.two_factor: required`."""

from __future__ import annotations

import base64
import re
import time
from typing import Any

import pyotp
import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient
from web_workspace import PASSWORD, csrf_of, login, seed, settings

from storage.audit import entries
from storage.users import get_user, set_password
from web.app import create_app
from web.security import hash_password
from web.two_factor import STEP, setup_link


def _app(engine: Engine, **web: Any) -> Any:
    seed(engine)
    chosen = settings()
    chosen = chosen.model_copy(update={"web": chosen.web.model_copy(update=web)})
    return create_app(engine, chosen, secret="a" * 32)


def _code(secret: str, steps_ahead: int = 0) -> str:
    return pyotp.TOTP(secret, interval=STEP).at((int(time.time() // STEP) + steps_ahead) * STEP)


def _turn_on(client: TestClient, csrf: str) -> str:
    """Set two-step sign-in up as a person does: start, read the key, type the first code."""
    assert client.post("/account/two-factor/start", data={"csrf": csrf}).status_code == 200
    page = client.get("/account").text
    shown = re.search(r'<code id="two-factor-secret">([A-Z2-7 ]+)</code>', page)
    assert shown, "no key on the page"
    secret = shown.group(1).replace(" ", "")
    qr = re.search(r'<img id="two-factor-qr" src="data:image/svg\+xml;base64,([^"]+)"', page)
    assert qr and b'xmlns="http://www.w3.org/2000/svg"' in base64.b64decode(qr.group(1))
    done = client.post("/account/two-factor/confirm", data={"csrf": csrf, "code": _code(secret)},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/account#two-factor"
    return secret


def _password_step(client: TestClient, name: str, password: str = PASSWORD) -> str:
    """The password; the code form comes back (no session yet): its page."""
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"username": name, "password": password,
                                         "csrf": token, "next": "/alerts"})  # fmt: skip
    assert answer.status_code == 200 and 'id="login-code"' in answer.text
    return answer.text


def _code_step(client: TestClient, page: str, code: str) -> Any:
    form = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    return client.post("/login/code", data={**form, "code": code}, follow_redirects=False)


def test_a_person_turns_it_on_and_signs_in_with_a_code(engine: Engine) -> None:
    app = _app(engine)
    here = TestClient(app)
    csrf = login(here, "analyst")
    assert "Two-step sign-in" in here.get("/account").text and 'id="two-factor-on"' not in (
        here.get("/account").text)  # fmt: skip
    # a wrong first code leaves it off
    here.post("/account/two-factor/start", data={"csrf": csrf})
    wrong = here.post("/account/two-factor/confirm", data={"csrf": csrf, "code": "000000"})
    assert "That code is wrong" in wrong.text and get_user(engine, "analyst").totp_secret is None  # type: ignore[union-attr]
    secret = _turn_on(here, csrf)
    user = get_user(engine, "analyst")
    assert user is not None and user.totp_secret == secret and user.totp_pending is None
    assert 'id="two-factor-on"' in here.get("/account").text
    assert [e["action"] for e in entries(engine, "user:analyst")][:2] == [
        "two_factor_on", "two_factor_failed"]  # fmt: skip
    # signing in: the password alone opens nothing
    there = TestClient(app)
    page = _password_step(there, "analyst")
    assert there.get("/inbox", follow_redirects=False).status_code == 303  # to /login
    bad = _code_step(there, page, "123 456")
    assert bad.status_code == 401 and "Wrong code, or used already." in bad.text
    code = _code(secret, 1)  # the next step's code (the first one was used to confirm)
    good = _code_step(there, page, code)
    assert good.status_code == 303 and good.headers["location"] == "/alerts"
    assert there.get("/inbox", follow_redirects=False).status_code == 200
    actions = [e["action"] for e in entries(engine, "user:analyst")]
    assert actions[:3] == ["login", "login_code_failed", "login_password"]
    # a code is good once: the same one, or an older one, in a third browser
    third = TestClient(app)
    page = _password_step(third, "analyst")
    assert _code_step(third, page, code).status_code == 401
    assert _code_step(third, page, _code(secret)).status_code == 401
    # the link an app reads names the workspace's account and Veille
    link = setup_link(secret, "analyst", "veille.acme.example")
    assert link.startswith("otpauth://totp/Veille:veille.acme.example%3Aanalyst?secret=" + secret)


def test_wrong_codes_are_throttled_and_the_code_step_is_tied_to_the_password(
    engine: Engine,
) -> None:
    app = _app(engine)
    browser = TestClient(app)
    secret = _turn_on(browser, login(browser, "viewer"))
    attacker = TestClient(app)
    page = _password_step(attacker, "viewer")
    codes = [_code_step(attacker, page, f"{i:06d}").status_code for i in range(6)]
    assert codes == [401] * 5 + [429]
    assert _code_step(attacker, page, _code(secret, 1)).status_code == 429  # even the right one
    # a code form forged, or from before a new password, is refused
    fresh = create_app(engine, settings(), secret="a" * 32)  # another start: a new throttle
    client = TestClient(fresh)
    page = _password_step(client, "viewer")
    forged = page.replace('name="second" value="', 'name="second" value="x')
    assert _code_step(client, forged, _code(secret, 1)).status_code == 403
    set_password(engine, "viewer", hash_password("another long password"))
    stale = _code_step(client, page, _code(secret, 1))
    assert stale.status_code == 403 and "sign in again" in stale.text


def test_off_with_a_code_or_by_an_admin_for_a_lost_phone(
    engine: Engine, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = _app(engine)
    viewer = TestClient(app)
    csrf = login(viewer, "viewer")
    secret = _turn_on(viewer, csrf)
    wrong = viewer.post("/account/two-factor/off", data={"csrf": csrf, "code": "000000"})
    assert "That code is wrong" in wrong.text and get_user(engine, "viewer").totp_secret  # type: ignore[union-attr]
    viewer.post("/account/two-factor/off", data={"csrf": csrf, "code": _code(secret, 1)})
    assert get_user(engine, "viewer").totp_secret is None  # type: ignore[union-attr]
    assert "two_factor_off" in [e["action"] for e in entries(engine, "user:viewer")]
    # a lost phone: an admin turns it off on the Admin page
    secret = _turn_on(viewer, csrf)
    admin = TestClient(app)
    admin_csrf = login(admin, "admin")
    page = admin.get("/admin/users").text
    assert 'action="/admin/users/two-factor/off"' in page
    admin.post("/admin/users/two-factor/off", data={"csrf": admin_csrf, "name": "viewer"})
    assert get_user(engine, "viewer").totp_secret is None  # type: ignore[union-attr]
    [reset] = [e for e in entries(engine, "user:viewer") if e["action"] == "two_factor_reset"]
    assert reset["actor"] == "admin"
    login(TestClient(app), "viewer")  # the password alone, until set up again


def test_the_command_line_turns_it_off(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    import yaml
    from cli_support import veille

    from storage.engine import make_engine
    from storage.users import confirm_totp, set_totp_pending

    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump({"database": {"url": f"sqlite:///{tmp_path / 'v.db'}"}}))
    assert veille(config, "db", "upgrade")[0] == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'v.db'}")
    try:
        seed(engine)
        set_totp_pending(engine, "analyst", "JBSWY3DPEHPK3PXP")
        assert confirm_totp(engine, "analyst", "JBSWY3DPEHPK3PXP", 1)
        _, out = veille(config, "users", "list")
        assert "analyst  analyst  two-step sign-in" in out
        assert veille(config, "users", "two-factor-off", "analyst") == (
            0, "analyst: two-step sign-in off.\n")  # fmt: skip
        assert get_user(engine, "analyst").totp_secret is None  # type: ignore[union-attr]
        assert veille(config, "users", "two-factor-off", "nobody")[0] == 1
        assert entries(engine, "user:analyst")[0]["action"] == "two_factor_reset"
    finally:
        engine.dispose()


def test_a_team_that_requires_it(engine: Engine) -> None:
    app = _app(engine, two_factor="required")
    client = TestClient(app)
    csrf = login(client, "analyst")  # the password still signs in…
    first = client.get("/inbox", follow_redirects=False)  # …but leads to the account page
    assert first.status_code == 303 and first.headers["location"] == "/account#two-factor"
    page = client.get("/account").text
    assert 'id="two-factor-required"' in page and "Your team requires two-step sign-in" in page
    note = client.post("/mentions/3/notes", data={"csrf": csrf, "note": "x"})
    assert note.status_code == 403 and "requires two-step sign-in" in note.text
    _turn_on(client, csrf)
    assert client.get("/inbox", follow_redirects=False).status_code == 200


def test_the_code_page_in_french(engine: Engine) -> None:
    app = _app(engine, language="fr")
    browser = TestClient(app)
    _turn_on(browser, login(browser, "analyst"))
    page = _password_step(TestClient(app), "analyst")
    assert "Saisissez le code à six chiffres" in page and 'lang="fr"' in page
