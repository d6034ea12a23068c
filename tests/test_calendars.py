"""The team's calendars (iCalendar) as events on a brand's timeline: `veille events import`
and the `calendars` stage — times placed in the right zone, recurring events expanded with
their moved and cancelled occurrences, a second reading that updates and removes, bad events
kept aside with their reason, a calendar that cannot be read refused without touching the
others, and a subscription address (a secret) never repeated."""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from cli_support import veille
from pydantic import ValidationError
from sqlalchemy import Engine

from config.settings import Settings
from reports.calendars import CalendarError, fetch, mark, read
from storage.events import listing
from storage.runs import rejected

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)


def _ics(*events: str, zone: str | None = "Europe/Paris") -> bytes:
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Veille tests//EN"]
    if zone:
        head.append(f"X-WR-TIMEZONE:{zone}")
    body = [line.strip() for e in events for line in e.strip().splitlines()]
    return ("\r\n".join([*head, *body, "END:VCALENDAR"]) + "\r\n").encode()


SPOT = """BEGIN:VEVENT
UID:spot@lumino.example
DTSTART:20261121T203000
SUMMARY:Spot TV <b>prime</b>
END:VEVENT"""
WEEKLY = """BEGIN:VEVENT
UID:weekly@lumino.example
DTSTART;TZID=Europe/Paris:20261102T200000
RRULE:FREQ=WEEKLY;COUNT=4
SUMMARY:Émission sponsorisée
END:VEVENT"""
MOVED = """BEGIN:VEVENT
UID:weekly@lumino.example
RECURRENCE-ID;TZID=Europe/Paris:20261109T200000
DTSTART;TZID=Europe/Paris:20261110T210000
SUMMARY:Émission sponsorisée (décalée)
END:VEVENT"""
LAUNCH = """BEGIN:VEVENT
UID:launch@lumino.example
DTSTART;VALUE=DATE:20261125
SUMMARY:Lancement   Pulse 2
END:VEVENT"""
CANCELLED = """BEGIN:VEVENT
UID:cancelled@lumino.example
DTSTART:20261122T100000Z
STATUS:CANCELLED
SUMMARY:Salon annulé
END:VEVENT"""
NO_START = """BEGIN:VEVENT
UID:nostart@lumino.example
SUMMARY:Sans date
END:VEVENT"""
OLD = """BEGIN:VEVENT
UID:old@lumino.example
DTSTART:20240110T100000Z
SUMMARY:Il y a longtemps
END:VEVENT"""


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_a_calendar_is_read_in_its_zone_with_its_recurrences() -> None:
    found = read(_ics(SPOT, WEEKLY, MOVED, LAUNCH, CANCELLED, NO_START), "UTC", NOW)
    assert [(e.at, e.label) for e in found.events] == [
        (_at("2026-11-02T19:00"), "Émission sponsorisée"),  # 20:00 Paris (winter)
        (_at("2026-11-10T20:00"), "Émission sponsorisée (décalée)"),  # the moved one
        (_at("2026-11-16T19:00"), "Émission sponsorisée"),
        (_at("2026-11-21T19:30"), "Spot TV <b>prime</b>"),  # floating: the calendar's zone
        (_at("2026-11-23T19:00"), "Émission sponsorisée"),
        (_at("2026-11-24T23:00"), "Lancement Pulse 2"),  # a day's event: local midnight
    ]  # the cancelled one is not an event
    assert [(b.location, b.reason.split(" (")[0]) for b in found.set_aside] == [
        ("event 6 (UID nostart@lumino.example)", "no start")
    ]
    assert "SUMMARY:Sans date" in found.set_aside[0].record
    assert len({e.key for e in found.events}) == 6
    # Without the calendar's zone, floating times are in the zone given.
    (spot,) = read(_ics(SPOT, zone=None), "America/Montreal", NOW).events
    assert spot.at == _at("2026-11-22T01:30")
    # Occurrences far from the clock are not read; a moved occurrence keeps its key.
    assert read(_ics(WEEKLY), "UTC", NOW + timedelta(days=800)).events == []
    keys = {e.label: e.key for e in read(_ics(WEEKLY, MOVED), "UTC", NOW).events}
    plain = read(_ics(WEEKLY), "UTC", NOW).events
    assert keys["Émission sponsorisée (décalée)"] == plain[1].key
    # A rule repeating more than once a day is set aside; too many events refuse the calendar.
    storm = WEEKLY.replace("weekly@", "storm@").replace("FREQ=WEEKLY;COUNT=4", "FREQ=SECONDLY")
    found = read(_ics(SPOT, storm), "UTC", NOW)
    assert [e.label for e in found.events] == ["Spot TV <b>prime</b>"]
    assert found.set_aside[0].reason.startswith("it repeats more than once a day")
    daily = [WEEKLY.replace("weekly@", f"d{i}@").replace("WEEKLY;COUNT=4", "DAILY")
             for i in range(16)]  # fmt: skip
    with pytest.raises(CalendarError, match="over 5,000 events within 400 days of now"):
        read(_ics(*daily), "UTC", NOW)
    # A zone nobody knows is the default one; a time nobody can read refuses the calendar.
    (spot,) = read(_ics(SPOT, zone="Mars/Olympus"), "America/Montreal", NOW).events
    assert spot.at == _at("2026-11-22T01:30")
    for data, message in ((b"not a calendar", "not an iCalendar file"),
                          (_ics(SPOT.replace("20261121T203000", "2026-11-21 ??")),
                           "cannot be read"),
                          (b"BEGIN:VEVENT\r\nEND:VEVENT\r\n", "not an iCalendar file")):  # fmt: skip
        with pytest.raises(CalendarError, match=message):
            read(data, "UTC", NOW)


def test_reading_again_updates_moves_and_removes(engine: Engine, tmp_path: Path) -> None:
    from storage.events import add

    ics = tmp_path / "marketing.ics"
    ics.write_bytes(_ics(OLD))  # read in early 2024
    mark(
        engine, "marketing", "Lumino", fetch(str(ics)), "UTC", "calendar:x", _at("2024-02-01T00:00")
    )
    # Read now, without the old event (outside the window of reading now: it stays).
    ics.write_bytes(_ics(SPOT, WEEKLY, LAUNCH, NO_START))
    counts = mark(engine, "marketing", "Lumino", fetch(str(ics)), "Europe/Paris", "calendar:x", NOW)
    assert counts == {"new": 6, "updated": 0, "unchanged": 0, "removed": 0, "set_aside": 1}
    # The same calendar for every brand, and a person's own event: apart.
    mark(engine, "marketing", None, fetch(str(ics)), "Europe/Paris", "calendar:x", NOW)
    add(engine, "Lumino", _at("2026-11-21T19:30"), "Spot TV <b>prime</b>", "ana", NOW)
    assert len(listing(engine)) == 14
    # The calendar changes: one occurrence moved, the spot renamed, the launch deleted, a
    # cancelled event.
    ics.write_bytes(_ics(SPOT.replace("Spot TV <b>prime</b>", "Spot TV"), WEEKLY, MOVED,
                         CANCELLED))  # fmt: skip
    counts = mark(engine, "marketing", "Lumino", fetch(str(ics)), "Europe/Paris", "calendar:x", NOW)
    assert counts == {"new": 0, "updated": 2, "unchanged": 3, "removed": 1, "set_aside": 0}
    mine = [(e.label, e.at, e.calendar) for e in listing(engine) if e.brand == "Lumino"]
    assert mine == [
        ("Il y a longtemps", _at("2024-01-10T10:00"), "marketing"),  # kept
        ("Émission sponsorisée", _at("2026-11-02T19:00"), "marketing"),
        ("Émission sponsorisée (décalée)", _at("2026-11-10T20:00"), "marketing"),
        ("Émission sponsorisée", _at("2026-11-16T19:00"), "marketing"),
        ("Spot TV", _at("2026-11-21T19:30"), "marketing"),
        ("Spot TV <b>prime</b>", _at("2026-11-21T19:30"), None),  # the person's
        ("Émission sponsorisée", _at("2026-11-23T19:00"), "marketing"),
    ]
    assert len(listing(engine)) == 14 - 1  # every brand's copy untouched
    assert [r["reason"][:8] for r in rejected(engine, "calendars")] == ["no start"]
    # A calendar that cannot be read changes nothing.
    ics.write_text("<html>login</html>", encoding="utf-8")
    with pytest.raises(CalendarError):
        mark(engine, "marketing", "Lumino", fetch(str(ics)), "Europe/Paris", "calendar:x", NOW)
    assert len(listing(engine)) == 13


def test_two_readings_at_once_mark_each_event_once(engine: Engine, tmp_path: Path) -> None:
    """A person imports the calendar (`events import`, the web) while the stage reads it: the
    second reading finds the events added by the first one after it looked, and brings them
    up to date rather than marking them twice (the last note's known gap)."""
    from sqlalchemy import event

    from storage.engine import make_engine

    ics = tmp_path / "marketing.ics"
    ics.write_bytes(_ics(SPOT, LAUNCH))
    by_hand = make_engine(engine.url.render_as_string(hide_password=False))
    renamed = _ics(SPOT.replace("Spot TV <b>prime</b>", "Spot TV"), LAUNCH)
    meanwhile: list[dict[str, int]] = []

    def _person_imports(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if not meanwhile and statement.lstrip().upper().startswith("INSERT INTO BRAND_EVENTS"):
            meanwhile.append(mark(by_hand, "marketing", "Lumino", renamed, "Europe/Paris",
                                  "ana", NOW))  # fmt: skip

    event.listen(engine, "before_cursor_execute", _person_imports)
    try:
        counts = mark(engine, "marketing", "Lumino", fetch(str(ics)), "Europe/Paris",
                      "calendar:marketing", NOW)  # fmt: skip
    finally:
        event.remove(engine, "before_cursor_execute", _person_imports)
        by_hand.dispose()
    assert meanwhile == [{"new": 2, "updated": 0, "unchanged": 0, "removed": 0, "set_aside": 0}]
    # The stage looked before the person's rows were there; it updates them in place.
    assert counts == {"new": 0, "updated": 1, "unchanged": 1, "removed": 0, "set_aside": 0}
    assert sorted((e.label, e.calendar) for e in listing(engine)) == [
        ("Lancement Pulse 2", "marketing"), ("Spot TV <b>prime</b>", "marketing"),
    ]  # fmt: skip
    # Every brand's copy of the same calendar is apart from Lumino's, once too.
    for _ in range(2):
        mark(engine, "marketing", None, fetch(str(ics)), "Europe/Paris", "ana", NOW)
    assert len(listing(engine)) == 4


def test_the_migration_keeps_the_oldest_copy_of_an_event_marked_twice(db_url: str) -> None:
    """Databases where the gap above marked a calendar's event twice: migration 0027 keeps its
    oldest copy, and a person's events (no calendar), alike or not, all stay."""
    from sqlalchemy import insert

    from storage.engine import make_engine
    from storage.models import BrandEvent
    from storage.schema import upgrade

    eng = make_engine(db_url)
    try:
        upgrade(eng, "0026")
        row = {"at": NOW, "label": "Spot", "created_by": "ana", "created_at": NOW}
        rows = [
            {**row, "brand": "Lumino", "calendar": "marketing", "calendar_key": "k1"},
            {**row, "brand": "Lumino", "calendar": "marketing", "calendar_key": "k1",
             "label": "Spot (copy)"},
            {**row, "brand": None, "calendar": "marketing", "calendar_key": "k1"},
            {**row, "brand": None, "calendar": "marketing", "calendar_key": "k1"},
            {**row, "brand": "Lumino", "calendar": None, "calendar_key": None},
            {**row, "brand": "Lumino", "calendar": None, "calendar_key": None},
        ]  # fmt: skip
        with eng.begin() as conn:
            conn.execute(insert(BrandEvent.__table__), rows)
        upgrade(eng)
        kept = [(e.id, e.brand, e.calendar, e.label) for e in listing(eng)]
        assert sorted(kept) == [(1, "Lumino", "marketing", "Spot"), (3, None, "marketing", "Spot"),
                                (5, "Lumino", None, "Spot"), (6, "Lumino", None, "Spot")]  # fmt: skip
    finally:
        eng.dispose()


def _veille(config: Path, *args: str, now: str = "2026-11-20T12:00") -> tuple[int, str]:
    return veille(config, *args, now=now)


def _config(tmp_path: Path, **extra: object) -> Path:
    conf = {
        "database": {"url": f"sqlite:///{tmp_path / 'veille.db'}"},
        "brands": [{"name": "Lumino", "query": ["lumino"]}],
        **extra,
    }
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    return path


def test_veille_events_import(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = _config(tmp_path)
    assert _veille(config, "db", "upgrade")[0] == 0
    ics = tmp_path / "Marketing 2026.ics"
    ics.write_bytes(_ics(SPOT, LAUNCH, NO_START))
    code, out = _veille(config, "events", "import", str(ics), "--brand", "Lumino")
    assert code == 0, out
    assert "Calendar Marketing-2026 for Lumino: 2 new, 0 updated, 0 unchanged, 0 removed" in out
    assert "1 event(s) set aside" in out
    code, out = _veille(config, "events", "import", str(ics), "--brand", "Lumino", "--json")
    assert json.loads(out) == {"calendar": "Marketing-2026", "brand": "Lumino", "new": 0,
                               "updated": 0, "unchanged": 2, "removed": 0, "set_aside": 1}  # fmt: skip
    listed = json.loads(_veille(config, "events", "list", "--json")[1])["events"]
    assert [(e["label"], e["calendar"]) for e in listed] == [
        ("Spot TV <b>prime</b>", "Marketing-2026"), ("Lancement Pulse 2", "Marketing-2026"),
    ]  # fmt: skip
    errors = json.loads(_veille(config, "events", "errors", "--json")[1])["errors"]
    assert [(e["file"], e["location"]) for e in errors] == [
        ("Marketing-2026", "event 3 (UID nostart@lumino.example)")
    ]  # kept aside once, however often the calendar is read
    # A calendar's event is deleted in the calendar, not here (it would come back).
    assert _veille(config, "events", "remove", str(listed[0]["id"]))[0] == 2
    assert "comes from the calendar 'Marketing-2026': delete it there" in capsys.readouterr().err
    for args, message in (
        (("--brand", "Nope"), "'Nope' is not a configured brand"),
        (("--brand", "Lumino", "--calendar", "x"), "no such file"),
    ):
        where = str(ics) if "Nope" in args else str(tmp_path / "missing.ics")
        assert _veille(config, "events", "import", where, *args)[0] == 2
        assert message in capsys.readouterr().err


@contextlib.contextmanager
def _serving(body: bytes) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/calendar")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/private/s3cr3t-token/basic.ics"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_calendars_stage_reads_each_calendar_on_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "brand.ics").write_bytes(_ics(SPOT))
    calendars = [
        {"name": "brand", "brand": "Lumino", "path": "brand.ics"},  # relative to the config
        {"name": "shared", "url_env": "TEAM_CALENDAR_URL"},  # every brand
        {"name": "missing", "url_env": "NOT_EXPORTED_URL"},
    ]
    config = _config(tmp_path, events={"calendars": calendars})
    assert _veille(config, "db", "upgrade")[0] == 0
    monkeypatch.delenv("NOT_EXPORTED_URL", raising=False)
    with _serving(_ics(LAUNCH)) as url:
        monkeypatch.setenv("TEAM_CALENDAR_URL", url)
        code, out = _veille(config, "run", "--stages", "calendars", "--json")
    assert code == 1  # a calendar failed
    (stage,) = json.loads(out)["stages"]
    assert stage["failed_sources"] == ["missing"]
    listed = json.loads(_veille(config, "events", "list", "--json")[1])["events"]
    assert [(e["brand"], e["label"], e["created_by"]) for e in listed] == [
        ("Lumino", "Spot TV <b>prime</b>", "calendar:brand"),
        (None, "Lancement Pulse 2", "calendar:shared"),
    ]
    assert "NOT_EXPORTED_URL" in caplog.text and "s3cr3t" not in caplog.text + out
    # An address that does not answer is a failure that does not repeat it.
    monkeypatch.setenv("TEAM_CALENDAR_URL", "http://127.0.0.1:9/private/s3cr3t-token.ics")
    code, out = _veille(config, "run", "--stages", "calendars", "--json", now="2026-11-20T13:00")
    (stage,) = json.loads(out)["stages"]
    assert stage["failed_sources"] == ["shared", "missing"]
    assert "s3cr3t" not in caplog.text + out + json.dumps(stage)
    assert len(json.loads(_veille(config, "events", "list", "--json")[1])["events"]) == 2
    assert os.environ["TEAM_CALENDAR_URL"].endswith(".ics")
    # `veille status` and the web Sources page say how each calendar was last read.
    status = json.loads(_veille(config, "status", "--json")[1])
    said = {c["calendar"]: c for c in status["calendars"]}
    assert [said[n]["status"] for n in ("brand", "shared", "missing")] == ["ok"] + ["failed"] * 2
    assert said["brand"]["unchanged"] == 1 and said["brand"]["last_ok_at"] == said["brand"]["at"]
    assert said["shared"]["last_ok_at"] < said["shared"]["at"]  # read well the run before
    assert "could not be read" in said["shared"]["error"] and "s3cr3t" not in json.dumps(status)
    assert said["missing"]["last_ok_at"] is None and "NOT_EXPORTED_URL" in said["missing"]["error"]
    assert status["healthy"] is False
    from starlette.testclient import TestClient
    from web_workspace import PASSWORD, login

    from config.loading import load_settings
    from storage.engine import make_engine
    from storage.users import add_user
    from web.app import create_app
    from web.security import hash_password

    engine = make_engine(f"sqlite:///{tmp_path / 'veille.db'}")
    add_user(engine, "viewer", "viewer", hash_password(PASSWORD))
    client = TestClient(create_app(engine, load_settings(config), secret="c" * 32))
    login(client, "viewer")
    page = client.get("/sources").text.split('id="calendars"')[1]
    assert page.count('class="bad"') == 2 and "NOT_EXPORTED_URL" in page and "s3cr3t" not in page
    # The team's language (no web.language: the first of reports.languages, French).
    assert "nouveaux : 0, mis à jour : 0, supprimés : 0, mis de côté : 0" in page
    engine.dispose()


def test_calendars_in_the_config_are_checked() -> None:
    base = {"brands": [{"name": "Lumino", "query": ["lumino"]}]}
    for calendars, message in (
        ([{"name": "a", "brand": "Nope", "path": "a.ics"}], "'Nope' is not a configured brand"),
        ([{"name": "a", "path": "a.ics", "url_env": "A_URL"}], "either `path`"),
        ([{"name": "a"}], "either `path`"),
        ([{"name": "a", "path": "a.ics"}, {"name": "a", "path": "b.ics"}], "given twice"),
    ):
        with pytest.raises(ValidationError, match=message):
            Settings.model_validate({**base, "events": {"calendars": calendars}})
