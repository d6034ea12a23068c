"""A mention assigned to a person in the workspace: they get an e-mail (their address, set by
an admin or `veille users email`), one per assignment action, with the mention's card and
links to its page; nobody hears of what they assign themselves, nor a person without an
address; an address gone by the time it is sent keeps the message owed, saying what to do."""

from __future__ import annotations

from pathlib import Path

from outbox_support import outbox_mails, plain_text
from sqlalchemy import Engine, select
from starlette.testclient import TestClient
from web_workspace import PASSWORD, XSS, login, seed, settings

from storage.models import Delivery
from storage.users import add_user, set_email, set_language
from web.app import create_app
from web.security import hash_password


def test_an_assigned_mention_reaches_its_assignee_by_email(engine: Engine, tmp_path: Path) -> None:
    ids = seed(engine, users=False)
    for name, address in (("claire", None), ("marc", None), ("lea", None)):
        add_user(engine, name, "analyst", hash_password(PASSWORD), address)
    conf = settings()
    conf.alerts.outbox_dir = str(tmp_path / "outbox")
    conf.web.url = "https://veille.lumino.example"
    outbox = tmp_path / "outbox"
    # An admin gives marc his address on the Admin page (a bad one is refused, saying why).
    add_user(engine, "root", "admin", hash_password(PASSWORD))
    admin = TestClient(create_app(engine, conf, secret="a" * 32))
    token = login(admin, "root")
    bad = admin.post("/admin/users/email", data={"csrf": token, "name": "marc", "email": "marc"})
    assert bad.status_code == 400 and "&#39;marc&#39; is not an e-mail address" in bad.text
    admin.post("/admin/users/email",
               data={"csrf": token, "name": "marc", "email": " marc@lumino.example "})  # fmt: skip
    assert 'value="marc@lumino.example"' in admin.get("/admin/users").text
    client = TestClient(create_app(engine, conf, secret="a" * 32))
    csrf = login(client, "claire")

    def assign(mention_id: int, assignee: str) -> None:
        sent = client.post(f"/mentions/{mention_id}/triage",
                           data={"csrf": csrf, "assignee": assignee}, follow_redirects=False)  # fmt: skip
        assert sent.status_code == 303

    assign(3, "marc")  # it leaves once the page has answered
    [first] = outbox_mails(outbox)
    assert first["To"] == "marc@lumino.example"
    assert str(first["Subject"]).startswith("[Veille] claire vous a assigné une mention de ")
    text = plain_text(first)
    assert "claire vous a assigné cette mention dans Veille." in text
    assert "message numéro 3" in text and "https://veille.lumino.example/mentions/3" in text
    # Nobody hears of what they assign themselves, nor a person without an address.
    assign(4, "me")
    assign(5, "lea")
    assert len(outbox_mails(outbox)) == 1
    # Several at once: one message, how many, the first of them, their inbox.
    bulk = client.post("/inbox/bulk", data={"csrf": csrf, "action": "assign", "assignee": "marc",
                                            "ids": ["6", "8", "9"]}, follow_redirects=False)  # fmt: skip
    assert bulk.status_code == 303
    second = outbox_mails(outbox)[1]
    assert str(second["Subject"]) == "[Veille] claire vous a assigné 3 mentions"
    text = plain_text(second)
    assert "message numéro 6" in text and "message numéro 9" in text
    assert "https://veille.lumino.example/inbox?assignee=marc&status=all&period=all" in text
    # Collected text is hostile: escaped in the HTML part, isolated everywhere.
    assign(ids["xss"], "marc")
    third = outbox_mails(outbox)[2]
    html = str(third.get_body(("html",)).get_content())  # type: ignore[union-attr]
    for payload in XSS.values():
        assert payload not in html
    # An address removed before the message went: it stays owed, saying what to do.
    set_email(engine, "marc", None)
    with engine.begin() as conn:  # as if the message were still to be sent
        conn.execute(Delivery.__table__.update().where(Delivery.kind == "assigned")
                     .values(status="pending", handed_at=None))  # fmt: skip
    from reports.alerts.delivery import deliver_pending
    from storage.clock import utcnow

    result = deliver_pending(engine, conf, utcnow())
    assert result.failed == 3 and len(outbox_mails(outbox)) == 3
    with engine.connect() as conn:
        errors = set(conn.execute(select(Delivery.error).where(Delivery.kind == "assigned"))
                     .scalars())  # fmt: skip
    assert errors == {
        "marc has no account or no e-mail address any more; `veille users email marc ADDRESS` "
        "sets one"
    }
    # Several at once, one of them gone since (erased): the others are shown.
    from reports.alerts.assignment import assigned_view
    from reports.i18n import Translator

    payload = {"by": "claire", "mentions": [6, 999, 9], "count": 3}
    view = assigned_view(engine, conf, "marc", payload, Translator(), str)
    assert [p.text.split(":")[0] for p in view.posts] == [
        "Globex message numéro 6", "Globex message numéro 9"
    ]  # fmt: skip
    # A removed account is owed nothing any more (no message retried for ever).
    from storage.users import remove_user

    assert remove_user(engine, "marc")
    with engine.connect() as conn:
        states = set(
            conn.execute(select(Delivery.status, Delivery.error).where(Delivery.kind == "assigned"))
        )
    assert states == {("cancelled", "the account was removed")}
    # A person who reads the workspace in English hears in English (the team's: French).
    set_email(engine, "lea", "lea@lumino.example")
    set_language(engine, "lea", "en")
    assign(7, "lea")
    [to_lea] = [m for m in outbox_mails(outbox) if m["To"] == "lea@lumino.example"]
    assert to_lea["Content-Language"] == "en"
    assert str(to_lea["Subject"]).startswith("[Veille] claire assigned you a mention by ")
    assert "claire assigned you this mention in Veille." in plain_text(to_lea)
