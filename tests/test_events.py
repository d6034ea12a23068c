"""Events on a brand's timeline (`veille events`): marked by the team, shown on the report's
volume chart where they fell and listed under it in time order (the brand's and every
brand's, those of the period only; the label escaped), in the JSON report; refused with what
to do; removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import reports_fixture as F
import yaml
from cli_support import veille

from config.settings import Settings
from reports import charts, titles
from reports.build import build_report
from reports.i18n import Translator
from reports.output import write_reports
from reports.periods import parse_period
from reports.summary import sentences
from storage.engine import make_engine
from storage.schema import upgrade


def test_events_are_marked_reported_and_removed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "veille.db"
    engine = make_engine(f"sqlite:///{db}", create=True)
    upgrade(engine)
    F.load(engine)
    conf = F.config(tmp_path, db=db)
    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump(conf, allow_unicode=True), encoding="utf-8")
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
    marked = charts.volume_chart(content.series, [], "v", t, False, [e.at for e in content.events])
    assert marked != charts.volume_chart(content.series, [], "v", t, False)

    first = listed["events"][0]["id"]
    assert veille(config, "events", "remove", str(first))[0] == 0
    assert veille(config, "events", "remove", str(first))[0] == 2
    assert "no event" in capsys.readouterr().err
    assert len(json.loads(veille(config, "events", "list", "--json")[1])["events"]) == 3


def test_an_alert_names_the_events_of_the_hours_before_it(tmp_path: Path) -> None:
    """A bad buzz 40 minutes after the brand's TV spot: its e-mail names the spot (escaped in
    HTML); another brand's event and one of the day before are not named."""
    from datetime import UTC, datetime, timedelta

    from test_alerts_escalation import Workspace

    from veille_demo.bad_buzz import plant_bad_buzz

    at = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
    ws = Workspace(tmp_path, {"recipients": {"Lumino": ["crisis@lumino.example"]}})
    plant_bad_buzz(ws.engine, "Lumino", at)
    for brand, when, label in (("Lumino", at - timedelta(minutes=40), "Spot TV <b>20 h</b>"),
                               ("Rivéo", at - timedelta(minutes=30), "Rivéo promo"),
                               ("Lumino", at - timedelta(days=1), "the day before")):  # fmt: skip
        assert ws.veille(at, "events", "add", brand, when.isoformat(), label)[0] == 0
    ws.veille(at, "alerts", "check")
    [mail] = ws.mails()
    text = " ".join(mail.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert (
        "Événement noté par l'équipe : \u2068Spot TV <b>20 h</b>\u2069 (9 mars 2026 à 15 h 20)."
        in text.replace("\u00a0", " ")
    )
    assert "Rivéo promo" not in text and "the day before" not in text
    html = mail.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "Spot TV &lt;b&gt;20 h&lt;/b&gt;" in html and "<b>20 h</b>" not in html
