"""The brand's answers in a report (SQLite and PostgreSQL): a negative customer-service post
that one of the brand's own accounts answered (a reply to it in its source, by the report's
time) leaves the list of posts to handle and counts, with its delay, in the answers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import reports_fixture as F
from sqlalchemy import Engine

from config.settings import Settings
from reports.build import build_report
from reports.html import render_html
from reports.i18n import Translator
from reports.jsonreport import report_dict
from reports.periods import parse_period
from storage.records import AuthorRecord, MentionRecord
from storage.upsert import MentionStore


def _reply(
    parent: dict[str, object], handle: str, after: timedelta, n: int, to: str | None = None
) -> MentionRecord:
    return MentionRecord(
        source=str(parent["source"]), source_kind="twitter_export",
        external_id=f"reply-{n}", text="Bonjour, écrivez-nous en DM, nous regardons.",
        url=None, lang="fr", published_at=parent["published_at"] + after,  # type: ignore[operator]
        parent_id=to or str(parent["external_id"]), author=AuthorRecord(handle=handle),
    )  # fmt: skip


def test_answered_complaints_leave_the_list_and_count_with_their_delay(
    engine: Engine, tmp_path: Path
) -> None:
    forum = F.Spec("Lumino", "forum-conso", "sav-1", F.NOW - timedelta(days=2), "negative",
                   "service_client", author="claire", text="Lumino : SAV injoignable")  # fmt: skip
    F.load(engine, [*F.specs(), forum])
    config = F.config(tmp_path)
    config["brands"][0]["own_accounts"] = ["@lumino_aide"]
    settings = Settings.model_validate(config)
    period = parse_period(F.PERIOD)
    before = build_report(engine, settings, "Lumino", period, F.NOW)
    asked = before.answers.asked
    assert asked >= 3 and before.answers.answered == 0 and before.answers.median_minutes is None
    none = render_html(before, Translator("fr"))
    assert f"répondu à aucune des {asked} mentions (aucune réponse de ses comptes" in none
    on_x = before.needing_answer[before.needing_answer["source"] == "twitter-inbox"]
    first, second = (on_x.iloc[i].to_dict() for i in (0, 1))
    MentionStore(engine).store([
        _reply(first, "lumino_aide", timedelta(minutes=30), 1),
        _reply(first, "lumino_aide", timedelta(minutes=50), 2),  # the first answer counts
        _reply(second, "lumino_aide", timedelta(hours=2, minutes=10), 3),
        _reply(second, "someone_else", timedelta(minutes=5), 4, to=None),  # not the brand
        # the brand, but to another post's id, and one after the report's time
        _reply(first, "lumino_aide", timedelta(minutes=1), 5, to="no-such-post"),
    ])  # fmt: skip
    late = dict(first, external_id="x", published_at=F.NOW)
    MentionStore(engine).store([_reply(late, "lumino_aide", timedelta(hours=1), 6,
                                       to=str(on_x.iloc[2]["external_id"]))])  # fmt: skip
    after = build_report(engine, settings, "Lumino", period, F.NOW)
    assert (after.answers.asked, after.answers.answered) == (asked, 2)
    assert after.answers.median_minutes == 80.0  # 30 min and 2 h 10
    shown = set(after.needing_answer["external_id"])
    assert str(first["external_id"]) not in shown and str(second["external_id"]) not in shown
    assert str(on_x.iloc[2]["external_id"]) in shown
    data = report_dict(after, Translator("fr"))
    by_source = data["answers"].pop("by_source")
    assert data["answers"] == {"asked": asked, "answered": 2, "median_minutes": 80.0}
    # Each source's: both answers on X, none on the forum.
    on_x_asked = int((before.needing_answer["source"] == "twitter-inbox").sum())
    assert {r["source"]: (r["asked"], r["answered"]) for r in by_source}["twitter-inbox"][1] == 2
    assert sum(r["asked"] for r in by_source) == asked and on_x_asked >= 3
    html = render_html(after, Translator("fr"))
    assert "La marque a répondu à 2 sur" in html and "délai médian\u00a0: 1\u00a0h\u00a020" in html
    # With complaints on two sources or more, each source's count follows, most asked first.
    assert [(r["source"], r["answered"]) for r in by_source] == [
        ("twitter-inbox", 2), ("forum-conso", 0)
    ]  # fmt: skip
    listed = " · ".join(f"{r['source_name']} {r['answered']} sur {r['asked']}" for r in by_source)
    assert f"Par source\u00a0: {listed}." in html
    # Page 1's action counts every complaint still unanswered, not the ten listed.
    unanswered = asked - 2
    assert unanswered > len(after.needing_answer) == 10
    assert f"traiter les messages négatifs du service client ({unanswered} messages)" in html
    english = render_html(after, Translator("en"))
    assert "The brand answered 2 of" in english and "median delay: 1 h 20 min" in english
