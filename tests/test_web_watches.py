"""Hearing of a saved view's new mentions (web/watches.py), on SQLite and PostgreSQL, through
the real delivery queue into the outbox: a person asks from the inbox; each alerts check
e-mails them the mentions that arrived since and that the view holds (its filters and its
query, whatever its period), once; nothing when nothing new; another's private view cannot be
watched; without an address, the page says what to do; the stage does it too."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from outbox_support import outbox_mails, plain_text
from sqlalchemy import Engine
from starlette.testclient import TestClient
from web_workspace import PASSWORD, login, seed, settings

from reports.alerts.delivery import deliver_pending
from reports.alerts.watch_mail import owe_new_matches
from storage.clock import utcnow
from storage.database_copy import follow_rows
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.saved_views import save_view
from storage.upsert import MentionStore
from storage.users import add_user
from web.app import create_app
from web.security import hash_password


def _post(n: int, text: str, brand: str = "Acme") -> MentionRecord:
    return MentionRecord(
        source="forum-acme", source_kind="forum", external_id=f"new-{n}", text=text,
        published_at=utcnow() - timedelta(days=40),  # older than the view's period: still new
        author=AuthorRecord(handle=f"client{n}"), brands=[BrandMatch(brand)],
    )  # fmt: skip


def test_a_person_hears_of_the_new_mentions_of_a_view(engine: Engine, tmp_path: Path) -> None:
    seed(engine, users=False)
    with engine.begin() as conn:  # the seed wrote its own ids: the next ones after them
        follow_rows(conn)
    add_user(engine, "marc", "viewer", hash_password(PASSWORD), "marc@lumino.example")
    add_user(engine, "lea", "viewer", hash_password(PASSWORD))  # no address
    conf = settings()
    conf.alerts.outbox_dir = str(tmp_path / "outbox")
    conf.web.url = "https://veille.lumino.example"
    outbox = tmp_path / "outbox"
    view = save_view(engine, "Colis Acme", {"brand": "Acme", "q": "colis", "period": "7"},
                     "admin", utcnow())  # fmt: skip
    theirs = save_view(engine, "À moi", {"brand": "Acme"}, "lea", utcnow(), owner="lea")
    app = create_app(engine, conf, secret="a" * 32)
    marc = TestClient(app)
    csrf = login(marc, "marc")
    page = marc.get("/inbox").text
    assert f'action="/inbox/views/{view.id}/watch"' in page
    done = marc.post(f"/inbox/views/{view.id}/watch",
                     data={"csrf": csrf, "back": "/inbox?brand=Acme"}, follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/inbox?brand=Acme"
    assert f'action="/inbox/views/{view.id}/unwatch"' in marc.get("/inbox").text
    assert marc.post(f"/inbox/views/{theirs.id}/watch", data={"csrf": csrf}).status_code == 404
    lea = TestClient(app)
    refused = lea.post(f"/inbox/views/{view.id}/watch", data={"csrf": login(lea, "lea")})
    assert refused.status_code == 400 and "My account" in refused.text
    # nothing new: nothing sent
    owe_new_matches(engine, conf, utcnow())
    deliver_pending(engine, conf, utcnow())
    assert outbox_mails(outbox) == []
    # two new mentions the view holds, one it does not (another word), one of another brand
    MentionStore(engine).store([
        _post(1, "Acme : mon colis est perdu"), _post(2, "Acme : colis arrivé cassé"),
        _post(3, "Acme : livraison rapide"), _post(4, "Globex : colis perdu", "Globex"),
    ])  # fmt: skip
    assert owe_new_matches(engine, conf, utcnow()) == 1
    deliver_pending(engine, conf, utcnow())
    [mail] = outbox_mails(outbox)
    assert mail["To"] == "marc@lumino.example"
    assert mail["Subject"] == "[Veille] « Colis Acme » : 2 mentions de plus"
    body = plain_text(mail)
    assert "colis est perdu" in body and "colis arrivé cassé" in body
    assert "livraison rapide" not in body and "Globex" not in body
    assert "https://veille.lumino.example/inbox?brand=Acme&period=7&q=colis" in body
    # once: the next check finds nothing new
    assert owe_new_matches(engine, conf, utcnow()) == 0
    # stopped from My account, which lists the views one hears of: nothing more
    account = marc.get("/account").text
    assert 'id="watched"' in account and "Colis Acme" in account
    stop = marc.post(f"/inbox/views/{view.id}/unwatch",
                     data={"csrf": csrf, "back": "/account#watched"}, follow_redirects=False)  # fmt: skip
    assert stop.headers["location"] == "/account#watched"
    assert "Colis Acme" not in marc.get("/account").text
    MentionStore(engine).store([_post(5, "Acme : encore un colis perdu")])
    assert owe_new_matches(engine, conf, utcnow()) == 0


def test_the_alerts_stage_sends_them(engine: Engine, tmp_path: Path) -> None:
    from pipeline.stages import StageContext, load_stage
    from storage.users import get_user
    from storage.view_watches import watch

    seed(engine, users=False)
    with engine.begin() as conn:
        follow_rows(conn)
    add_user(engine, "marc", "viewer", hash_password(PASSWORD), "marc@lumino.example")
    conf = settings()
    conf.alerts.outbox_dir = str(tmp_path / "outbox")
    view = save_view(engine, "Acme", {"brand": "Acme"}, "admin", utcnow())
    marc = get_user(engine, "marc")
    assert marc is not None and watch(engine, view.id, marc.id, utcnow())
    MentionStore(engine).store([_post(1, "Acme : une nouvelle mention")])

    class State:
        settings = conf

        def engine(self, **_: Any) -> Engine:
            return engine

    result = load_stage("alerts")(StageContext(state=State(), now=utcnow()))  # type: ignore[arg-type]
    assert result.counts["sent"] == 1
    assert "une nouvelle mention" in plain_text(outbox_mails(tmp_path / "outbox")[0])
    # two checks at once take the same new mentions once: the second finds them taken
    from storage.view_watches import advance, every_watch

    [w] = every_watch(engine)
    with engine.begin() as conn:
        assert advance(conn, w.id, w.last_mention_id, w.last_mention_id + 5)
        assert not advance(conn, w.id, w.last_mention_id, w.last_mention_id + 9)
