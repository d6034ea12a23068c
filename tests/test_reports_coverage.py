"""Honest coverage and words: late sources, silent sources, no share of voice without talk,
exports shown as collected, the rule behind "the most negative source" stated."""

from __future__ import annotations

import html as html_module
from datetime import UTC, datetime
from pathlib import Path

import reports_fixture as F
from sqlalchemy import Engine, delete, insert

from reports.build import build_report
from reports.html import render_html
from reports.i18n import Translator
from reports.jsonreport import report_dict
from reports.periods import parse_period
from reports.summary import sentences
from storage.models import ImportedFile, Run


def _spaces(text: str) -> str:
    return html_module.unescape(text).replace("\u202f", " ").replace("\u00a0", " ")


def test_a_source_started_inside_the_comparison_period_gives_no_percentage(
    engine: Engine, tmp_path: Path
) -> None:
    """X only collected since 1 March: the previous week is short, say so, no +575 %."""
    items = [s for s in F.specs() if not (s.source == "twitter-inbox" and s.day.month == 2)]
    F.load(engine, items)
    c = build_report(engine, F.settings(tmp_path), "Lumino", parse_period(F.PERIOD), F.NOW)
    assert not c.coverage.comparable
    assert [s.source for s in c.coverage.late] == ["twitter-inbox"]
    volume = c.headline["volume"]
    assert volume.previous and volume.current and volume.change is None
    assert c.headline["net_sentiment"].change is not None  # shares still compare
    fr = Translator("fr")
    html = _spaces(render_html(c, fr))
    assert (
        "Comparaison incomplète : X (Twitter) n'est collectée que depuis le 1er mars 2026" in html
    )
    first = sentences(c, fr)[0].text
    assert "pas de comparaison : X (Twitter) n'est collectée que depuis le 1er mars 2026" in first
    data = report_dict(c, Translator("en"))
    assert data["comparison"]["complete"] is False
    assert data["kpis"]["volume"]["change"] is None


def test_an_empty_report_says_which_sources_are_silent_since_when(
    engine: Engine, tmp_path: Path
) -> None:
    F.load(engine)
    period = parse_period("2026-03-20..2026-03-20")  # after every stored mention
    c = build_report(engine, F.settings(tmp_path), "Lumino", period, F.NOW)
    assert c.empty
    en = Translator("en")
    said = [s.text for s in sentences(c, en)]
    assert said[0] == "No mention of Lumino on 20 Mar."
    assert said[1].startswith("Sources with nothing new: ") and "since 7 March 2026" in said[1]
    assert 3 <= len(said) <= 5
    html = render_html(c, en)
    assert "run `veille" not in html and "veille analyze" not in html
    # No conversation about any of the brands: no share of voice, no "leads with 0 %".
    assert c.headline["share_of_voice"].current is None
    assert "leads the conversation" not in html and "No talk about these brands" not in html
    # A past period the sources spoke after: « nothing in the period », not "silent since" a
    # later day.
    past = build_report(
        engine, F.settings(tmp_path), "Lumino", parse_period("2026-01-10..2026-01-10"), F.NOW
    )
    said = [s.text for s in sentences(past, Translator("fr"))]
    assert (
        "depuis" not in said[1] and "Forum" in said[1] and " ; " in said[1].replace("\u202f", " ")
    )
    page = render_html(past, Translator("fr"))
    assert "pas encore collectée à cette date" in page and "silencieuse" not in page
    assert "n'a pas tourné" not in page  # nothing to label is not labelling that did not run
    # X spoke before 24 February and after it, not that day: « rien sur la période ».
    quiet = build_report(
        engine, F.settings(tmp_path), "Lumino", parse_period("2026-02-24..2026-02-24"), F.NOW
    )
    assert "rien sur la période" in render_html(quiet, Translator("fr"))


def test_export_inboxes_show_their_last_import(engine: Engine, tmp_path: Path) -> None:
    """An inbox imported in the same run is not "never collected" (kind 3)."""
    F.load(engine)
    at = datetime(2026, 3, 8, 5, 30, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(delete(Run).where(Run.source == "twitter-inbox"))
        conn.execute(
            insert(ImportedFile).values(
                path="inbox/twitter/tweets.js", sha256="0" * 64, size=10, format="x_archive",
                source="twitter-inbox", status="done", committed=10, started_at=at,
                finished_at=at,
            )
        )  # fmt: skip
    c = build_report(engine, F.settings(tmp_path), "Lumino", parse_period(F.PERIOD), F.NOW)
    twitter = next(s for s in c.coverage.sources if s.source == "twitter-inbox")
    assert twitter.status == "ok" and twitter.last_collection == at
    html = _spaces(render_html(c, Translator("fr")))
    method = html.split('id="method"')[1]
    assert "jamais collectée" not in method.split("Blog")[0]
    assert "8 mars 2026 à 6 h 30" in method


def test_the_most_negative_source_states_its_rule(engine: Engine, tmp_path: Path) -> None:
    """A tiny source that is all negative does not win silently: the title says the minimum
    (kind 5), and its own row still shows its figures."""
    items = F.specs()
    items.append(
        F.Spec(
            "Lumino",
            "blog-news",
            "tiny",
            F.specs()[0].day,
            "negative",
            "service_client",
            author="grumpy",
            text="Lumino déçu",
        )
    )
    F.load(engine, items)
    c = build_report(engine, F.settings(tmp_path), "Lumino", parse_period(F.PERIOD), F.NOW)
    from reports.titles import sources_title

    en = sources_title(c, Translator("en"))
    assert en.startswith("X (Twitter): the most negative of the sources with 5 mentions or more")
    assert "blog-news" in set(c.sources["source"])


def test_an_alert_raised_after_the_period_is_on_page_one(engine: Engine, tmp_path: Path) -> None:
    """The bad buzz of this morning is on yesterday's report: a banner with the same ratio as
    the e-mail (138 against fewer than 1 expected is ×138, not ×986), and the action."""
    from storage.models import Alert

    F.load(engine)
    opened = datetime(2026, 3, 8, 5, 40, tzinfo=UTC)
    with engine.begin() as conn:
        conn.execute(
            insert(Alert).values(
                brand="Lumino", severity="critical", status="open", opened_at=opened,
                negative_count=138, expected_count=0.14,
            )
        )  # fmt: skip
    c = build_report(engine, F.settings(tmp_path), "Lumino", parse_period(F.PERIOD), F.NOW)
    assert list(c.banner_alerts["negative_count"]) == [138]
    fr = Translator("fr")
    html = _spaces(render_html(c, fr))
    page1 = html.split('id="summary"')[1].split("</section>")[0]
    assert 'class="banner critical" role="alert"' in page1
    assert (
        "Alerte critique en cours depuis le 8 mars 2026 à 6 h 40 : 138 mentions négatives en "
        "1 h, là où on en attend moins de 1 (×138)." in page1
    )
    assert "À faire : répondre publiquement à l'incident en cours" in page1
    data = report_dict(c, Translator("en"))
    banner = [a for a in data["alerts"] if a["banner"]]
    assert banner[0]["ratio"] == 138 and not banner[0]["in_period"]
