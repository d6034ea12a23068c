"""Events on a brand's timeline (`veille events`): marked by the team, shown on the report's
volume chart where they fell and listed under it in time order (the brand's and every
brand's, those of the period only; the label escaped), in the JSON report; refused with what
to do; removed."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import reports_fixture as F
import yaml
from cli_support import veille
from sqlalchemy import Engine

from config.settings import Settings
from reports import charts, titles
from reports.build import build_report
from reports.i18n import Translator
from reports.output import write_reports
from reports.periods import parse_period
from reports.summary import sentences
from storage.engine import make_engine
from storage.schema import upgrade


def _workspace(tmp_path: Path) -> tuple[Engine, dict[str, Any], Path]:
    """The reports' fixture workspace on SQLite: its engine, config and config file."""
    db = tmp_path / "veille.db"
    engine = make_engine(f"sqlite:///{db}", create=True)
    upgrade(engine)
    F.load(engine)
    conf = F.config(tmp_path, db=db)
    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
    return engine, conf, config


def test_events_are_marked_reported_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    engine, conf, config = _workspace(tmp_path)
    for args in (("Lumino", "2026-03-05T19:00", "Spot TV <b>prime</b>"),
                 ("*", "2026-03-02T08:00", "Grève des transports"),
                 ("Rivéo", "2026-03-03T10:00", "Rivéo promo"),  # another brand's
                 ("Lumino", "2026-02-20T10:00", "too early")):  # fmt: skip
        code, out = veille(config, "events", "add", *args)
        assert code == 0 and out.startswith("Event ")
    for args, message in ((("Nope", "2026-03-05T19:00", "x"), "'Nope' is not a configured"),
                          (("Lumino", "tomorrow", "x"), "is not an ISO date-time"),
                          (("Lumino", "2026-03-05T19:00", "  "), "say what happened")):  # fmt: skip
        assert veille(config, "events", "add", *args)[0] == 2
        assert message in capsys.readouterr().err
    listed = json.loads(veille(config, "events", "list", "--brand", "Lumino", "--json")[1])
    assert [e["label"] for e in listed["events"]] == [
        "too early", "Grève des transports", "Spot TV <b>prime</b>",
    ]  # fmt: skip

    settings = Settings.model_validate(conf)
    period = parse_period(F.PERIOD)
    _, written = write_reports(engine, settings, tmp_path / "out", "Lumino", period, ["fr"],
                               ["html", "json"], now=F.NOW)  # fmt: skip
    files = {w.format: w.path for w in written}
    page = files["html"].read_text(encoding="utf-8")
    listing = page.split('<p class="note events">')[1].split("</p>")[0]
    assert listing.index("Grève des transports") < listing.index("Spot TV &lt;b&gt;prime")
    assert "2 mars 2026 à 9\u00a0h" in listing  # local time, Paris
    assert "Rivéo promo" not in page and "too early" not in page and "<b>prime" not in page
    report = json.loads(files["json"].read_text(encoding="utf-8"))
    assert [e["label"] for e in report["events"]] == ["Grève des transports",
                                                      "Spot TV <b>prime</b>"]  # fmt: skip
    # The chart marks them (the image differs from the one without events).
    content = build_report(engine, settings, "Lumino", period, F.NOW)
    # The section's title names the event of its peak's day, or of the day before (the
    # strike of 2 March, before the negative peak of 3 March).
    title = titles.volume_title(content, Translator("fr", period.tz))
    assert "le 3 mars — événement\u00a0: \u2068Grève des transports\u2069" in title, title
    # Page 1 says it too, right after what changed (collected text isolated, escaped).
    t_fr = Translator("fr", period.tz)
    said = sentences(content, t_fr)
    assert said[1].key == "summary.event"
    assert said[1].text == (
        "Le pic de mentions négatives le 3 mars (13 mentions négatives) coïncide avec un "
        "événement noté par l'équipe : \u2068Grève des transports\u2069."
    )
    assert "<bdi>\u2068Grève des transports\u2069</bdi>." in said[1].html
    # The busiest day is named only when it stands out (a spike by the chart's rule).
    from dataclasses import replace

    flat = content.series.copy()
    flat["negative"] = 1
    flat["total"] = 10
    assert "summary.event" not in [x.key for x in sentences(replace(content, series=flat), t_fr)]
    flat.loc[flat.index[2], "total"] = 40  # 3 March, the day after the strike
    said = sentences(replace(content, series=flat), t_fr)
    assert said[1].text.startswith("Le pic de mentions le 3 mars (40 mentions) coïncide")
    english = sentences(content, Translator("en", period.tz))[1].text
    assert english.startswith("The peak of negative mentions on 3 Mar (13 negative mentions) "
                              "coincides with an event the team marked: ")  # fmt: skip
    t = Translator("fr", period.tz)
    spans = [(e.at, e.ends_at) for e in content.events]
    marked = charts.volume_chart(content.series, [], "v", t, False, spans)
    assert marked != charts.volume_chart(content.series, [], "v", t, False)

    first = listed["events"][0]["id"]
    assert veille(config, "events", "remove", str(first))[0] == 0
    assert veille(config, "events", "remove", str(first))[0] == 2
    assert "no event" in capsys.readouterr().err
    assert len(json.loads(veille(config, "events", "list", "--json")[1])["events"]) == 3


def test_an_event_that_lasts_is_on_every_report_it_overlaps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A sale from 25 February to 3 March (its last day), marked with --until: the report of
    1–7 March, which it began before, lists it with its days, draws it as a band over the
    days it covers, and page 1 names it at the negative peak of 3 March it lasts over; the
    end must come after the start; the web dashboard marks one the same way."""
    engine, conf, config = _workspace(tmp_path)
    code, out = veille(config, "events", "add", "Lumino", "2026-02-24T23:00", "Soldes <i>hiver</i>",
                       "--until", "2026-03-03T23:00")  # fmt: skip
    assert code == 0, out
    assert "2026-02-24 23:00 → 2026-03-03 23:00 UTC" in " ".join(out.split())
    for until, message in (("2026-02-24T22:00", "must come after its start"),
                           ("2028-01-01T00:00", "lasts over 366 days")):  # fmt: skip
        args = ("Lumino", "2026-02-24T23:00", "x", "--until", until)
        assert veille(config, "events", "add", *args)[0] == 2
        assert message in capsys.readouterr().err
    [listed] = json.loads(veille(config, "events", "list", "--json")[1])["events"]
    assert listed["ends_at"].startswith("2026-03-03T23:00")

    settings = Settings.model_validate(conf)
    period = parse_period(F.PERIOD)
    _, written = write_reports(engine, settings, tmp_path / "out", "Lumino", period, ["fr", "en"],
                               ["html", "json"], now=F.NOW)  # fmt: skip
    pages = {(w.lang, w.format): w.path for w in written}
    fr = pages["fr", "html"].read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "du 25 févr. 2026 au 3 mars 2026" in fr and "Soldes &lt;i&gt;hiver" in fr
    en = pages["en", "html"].read_text(encoding="utf-8").replace("\u00a0", " ")
    assert "from 25 Feb 2026 to 3 Mar 2026" in en
    report = json.loads(pages["fr", "json"].read_text(encoding="utf-8"))
    assert [(e["label"], e["ends_at"][:16]) for e in report["events"]] == [
        ("Soldes <i>hiver</i>", "2026-03-03T23:00")
    ]
    content = build_report(engine, settings, "Lumino", period, F.NOW)
    said = sentences(content, Translator("fr", period.tz))
    assert said[1].key == "summary.event" and "Soldes <i>hiver</i>" in said[1].text
    # A band over 1–3 March (the days of the period it covers), behind the bars.
    t = Translator("fr", period.tz)
    band = charts.volume_chart(
        content.series, [], "v", t, False, [(datetime.fromisoformat(listed["at"]), None)]
    )
    spans = [(e.at, e.ends_at) for e in content.events]
    assert charts.volume_chart(content.series, [], "v", t, False, spans) != band
    # Read from a calendar: a day's event lasts its days, DTEND or DURATION give the end.
    from reports.calendars import read

    ics = "\r\n".join([
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//t//EN", "X-WR-TIMEZONE:Europe/Paris",
        "BEGIN:VEVENT", "UID:a", "DTSTART;VALUE=DATE:20260301", "DTEND;VALUE=DATE:20260304",
        "SUMMARY:Soldes", "END:VEVENT",
        "BEGIN:VEVENT", "UID:b", "DTSTART:20260305T180000Z", "DURATION:PT2H", "SUMMARY:Live",
        "END:VEVENT",
        "BEGIN:VEVENT", "UID:c", "DTSTART;VALUE=DATE:20260306", "SUMMARY:Salon", "END:VEVENT",
        "BEGIN:VEVENT", "UID:d", "DTSTART:20260306T100000Z", "SUMMARY:Spot", "END:VEVENT",
        "BEGIN:VEVENT", "UID:e", "DTSTART;VALUE=DATE:20260101", "DTEND;VALUE=DATE:20270301",
        "SUMMARY:Toute l'année", "END:VEVENT", "END:VCALENDAR", "",
    ]).encode()  # fmt: skip
    found = read(ics, "UTC", F.NOW)
    assert [(e.label, e.at, e.ends_at) for e in found.events] == [
        ("Soldes", datetime(2026, 2, 28, 23, tzinfo=UTC), datetime(2026, 3, 3, 23, tzinfo=UTC)),
        ("Live", datetime(2026, 3, 5, 18, tzinfo=UTC), datetime(2026, 3, 5, 20, tzinfo=UTC)),
        ("Salon", datetime(2026, 3, 5, 23, tzinfo=UTC), datetime(2026, 3, 6, 23, tzinfo=UTC)),
        ("Spot", datetime(2026, 3, 6, 10, tzinfo=UTC), None),
    ]
    assert [a.reason[:22] for a in found.set_aside] == ["it lasts over 366 days"]
    t_fr = Translator("fr", "Europe/Paris")
    assert [t_fr.span(e.at, e.ends_at).replace("\u00a0", " ") for e in found.events] == [
        "du 1er mars 2026 au 3 mars 2026", "5 mars 2026 de 19 h à 21 h", "6 mars 2026",
        "6 mars 2026 à 11 h",
    ]  # fmt: skip


def test_an_alert_names_the_events_of_the_hours_before_it(tmp_path: Path) -> None:
    """A bad buzz 40 minutes after the brand's TV spot: its e-mail names the spot (escaped in
    HTML); another brand's event and one of the day before are not named."""
    from datetime import timedelta

    from test_alerts_escalation import Workspace

    from veille_demo.bad_buzz import plant_bad_buzz

    at = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    ws = Workspace(tmp_path, {"recipients": {"Lumino": ["crisis@lumino.example"]}})
    plant_bad_buzz(ws.engine, "Lumino", at)
    for brand, when, label in (("Lumino", at - timedelta(minutes=40), "Spot TV <b>20 h</b>"),
                               ("Rivéo", at - timedelta(minutes=30), "Rivéo promo"),
                               ("Lumino", at - timedelta(days=1), "the day before")):  # fmt: skip
        assert ws.veille(at, "events", "add", brand, when.isoformat(), label)[0] == 0
    # A sale begun three days before and lasting over the alert: named with its span.
    sale = ("Lumino", (at - timedelta(days=3)).isoformat(), "Soldes", "--until",
            (at + timedelta(days=2)).isoformat())  # fmt: skip
    assert ws.veille(at, "events", "add", *sale)[0] == 0
    ws.veille(at, "alerts", "check")
    [mail] = ws.mails()
    text = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert (
        "Événement noté par l'équipe : \u2068Spot TV <b>20 h</b>\u2069 (9 mars 2026 à 15 h 20)."
        in text.replace("\u00a0", " ")
    )
    assert (
        "Événement noté par l'équipe : \u2068Soldes\u2069 (du 6 mars 2026 à 16 h au 11 mars 2026 "
        "à 16 h)." in text.replace("\u00a0", " ")
    )
    assert "Rivéo promo" not in text and "the day before" not in text
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Spot TV &lt;b&gt;20 h&lt;/b&gt;" in html and "<b>20 h</b>" not in html
