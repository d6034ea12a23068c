"""Each morning, each person's open mentions (reports/alerts/reminders.py), on SQLite and
PostgreSQL, through the real delivery queue into the outbox: nothing before `web.reminder_at`,
one message per person with an address and an open queue after it — how many, how many
negative, the most urgent as cards, a link to them —, never twice a day, again the next day;
nobody hears of an empty queue; in the person's language."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from outbox_support import outbox_mails, plain_text
from sqlalchemy import Engine
from web_workspace import PASSWORD, seed, settings

from config.settings import Settings
from reports.alerts.delivery import deliver_pending
from storage.inbox import set_triage
from storage.users import add_user, set_language
from web.security import hash_password


def _conf(tmp_path: Path) -> Settings:
    conf = settings()
    conf.alerts.outbox_dir = str(tmp_path / "outbox")
    conf.web.url = "https://veille.lumino.example"
    conf.web.reminder_at = "08:30"
    conf.schedules.timezone = "Europe/Paris"
    return conf


def test_each_person_hears_of_their_open_mentions_each_morning(
    engine: Engine, tmp_path: Path
) -> None:
    ids = seed(engine, users=False)
    add_user(engine, "marc", "analyst", hash_password(PASSWORD), "marc@lumino.example")
    add_user(engine, "lea", "analyst", hash_password(PASSWORD), "lea@lumino.example")
    add_user(engine, "sans", "analyst", hash_password(PASSWORD))  # no address
    with engine.begin() as conn:
        set_triage(conn, [ids["negative"], 3, 4], "claire", assignee="marc")
        set_triage(conn, [4], "claire", status="closed")  # closed: not in the queue
        set_triage(conn, [5], "claire", assignee="sans")
    conf, outbox = _conf(tmp_path), tmp_path / "outbox"
    # 08:00 in Paris: too early
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-07T07:00:00+00:00"))
    assert outbox_mails(outbox) == []
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-07T07:31:00+00:00"))
    [mail] = outbox_mails(outbox)
    assert mail["To"] == "marc@lumino.example"  # lea has nothing open, sans has no address
    assert mail["Subject"] == "[Veille] 2 mentions vous attendent, dont 1 mention négative"
    body = plain_text(mail)
    assert "2 mentions qui vous sont assignées sont encore ouvertes" in body
    assert "colis a disparu" in body  # the negative one, the most urgent
    assert "https://veille.lumino.example/inbox?assignee=marc&status=open&period=all" in body
    # never twice a day; a queue filled in the afternoon is told the next morning
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-07T09:00:00+00:00"))
    assert len(outbox_mails(outbox)) == 1
    with engine.begin() as conn:
        set_triage(conn, [6], "claire", assignee="lea")
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-07T15:00:00+00:00"))
    assert len(outbox_mails(outbox)) == 1
    # the next day again, in the language he now reads; lea too
    set_language(engine, "marc", "en")
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-08T08:00:00+00:00"))
    mails = outbox_mails(outbox)
    assert sorted(m["To"] for m in mails) == [
        "lea@lumino.example", "marc@lumino.example", "marc@lumino.example"]  # fmt: skip
    [english] = [m for m in mails if m["Content-Language"] == "en"]
    assert english["Subject"] == "[Veille] 2 mentions wait for you, 1 negative mention among them"
    # an empty queue: nothing
    with engine.begin() as conn:
        set_triage(conn, [ids["negative"], 3], "marc", status="answered")
        set_triage(conn, [6], "lea", status="closed")
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-09T08:00:00+00:00"))
    assert len(outbox_mails(outbox)) == 3


def test_no_reminder_unless_the_team_sets_a_time(engine: Engine, tmp_path: Path) -> None:
    ids = seed(engine, users=False)
    add_user(engine, "marc", "analyst", hash_password(PASSWORD), "marc@lumino.example")
    with engine.begin() as conn:
        set_triage(conn, [ids["negative"]], "claire", assignee="marc")
    conf = _conf(tmp_path)
    conf.web.reminder_at = None
    deliver_pending(engine, conf, datetime.fromisoformat("2026-12-07T12:00:00+00:00"))
    assert outbox_mails(tmp_path / "outbox") == []
    with pytest.raises(ValueError, match="is not a time of day"):
        Settings.model_validate({"web": {"reminder_at": "8h30"}})
