"""`veille demo` end to end: the nightly run over the bundled demo sources, reports and alert."""

from __future__ import annotations

import email
import email.policy
import json
import sqlite3
import subprocess
from collections import defaultdict
from datetime import UTC
from pathlib import Path

import pandas as pd
import pytest
from demo_support import DemoRun
from report_recompute import assert_report_matches
from sqlalchemy import func, select

from config.settings import PIPELINE_STAGES
from pipeline.cli import main
from storage.engine import make_engine
from storage.models import Author, Label, Mention, Run, Source
from veille_demo.generate import BRANDS, generate
from veille_demo.history import DEMO_NOW


def test_demo_is_the_nightly_run_ending_with_reports_and_the_alert(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    pdftotext: str,
    demo_on_sqlite: DemoRun,
) -> None:
    # `veille demo ws` in the session's demo folder (test_demo_backends reads its figures).
    out, ws = demo_on_sqlite.out, demo_on_sqlite.folder / "ws"
    assert demo_on_sqlite.code == 0, out
    monkeypatch.chdir(demo_on_sqlite.folder)

    engine = make_engine(f"sqlite:///{ws / 'var/veille.db'}")
    with engine.connect() as conn:
        stages = dict(
            conn.execute(select(Run.stage, Run.status).where(Run.job == "nightly")).tuples().all()
        )
        per_source = dict(
            conn.execute(
                select(Source.name, func.count(Mention.id))
                .join(Mention, Mention.source_id == Source.id)
                .group_by(Source.name)
            )
            .tuples()
            .all()
        )
        labelled = conn.execute(
            select(func.count()).select_from(Label).where(Label.task == "sentiment")
        ).scalar_one()
        collected = set(conn.execute(select(Mention.collected_at).distinct()).scalars())
        stored: dict[str, set[str]] = defaultdict(set)
        for kind, text in conn.execute(
            select(Source.kind, Mention.text).join(Mention, Mention.source_id == Source.id)
        ).tuples():
            stored[kind].add(text)
        started = set(conn.execute(select(Run.started_at).distinct()).scalars())
        # The care account's forum answers are stored with the post they quote as parent.
        care = conn.execute(
            select(Mention.parent_id)
            .join(Source, Source.id == Mention.source_id)
            .join(Author, Author.id == Mention.author_id)
            .where(Source.name == "demo-forum", Author.handle == "lumino_aide")
        ).scalars().all()  # fmt: skip
    # The Sources page's health (`veille status`): the crawled sites and the imported exports
    # alike were collected well at the run's time (an export's import says so per source).
    from config.loading import load_settings
    from storage.health import source_health

    settings = load_settings(ws / "veille.yaml", env_file=None)
    health = source_health(
        engine, [(s.name, s.kind.value, s.kind.is_export) for s in settings.sources if s.enabled], 3
    )
    engine.dispose()
    assert {h.name: (h.last_state, h.observations) for h in health} == {
        s.name: ("ok", 1) for s in settings.sources if s.enabled
    }
    assert {h.last_ok_at.replace(tzinfo=UTC) for h in health if h.last_ok_at} == {DEMO_NOW}
    assert care and all(care)
    # One clock for the whole run (the demo's `--now`), in the child crawl process too.
    assert {c.replace(tzinfo=UTC) for c in collected} == {DEMO_NOW}
    assert {s.replace(tzinfo=UTC) for s in started} == {DEMO_NOW}
    assert {k: v for k, v in stages.items() if k} == dict.fromkeys(PIPELINE_STAGES, "ok")
    # The night ends with a backup of the whole database, named after the demo's day in Paris.
    backup = ws / "var" / "backups" / "veille-2026-11-22.db"
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT count(*) FROM mentions").fetchone()[0] == labelled
    # Every bundled source was collected: the served sites and the dropped exports.
    for source in ("demo-forum", "demo-blog", "demo-avis", "avis-lumino", "avis-riveo",
                   "avis-maxishop", "twitter-inbox", "facebook-inbox"):  # fmt: skip
        assert per_source.get(source, 0) > 0, per_source
    assert labelled == sum(per_source.values())
    # Each generated mention is stored from the channel it was drawn for: the forum, feed and
    # review pages crawled, the X and Facebook exports imported (a note of the feed that names
    # no brand is not kept: a site's text is kept for the brands it names).
    for row in generate():
        kind, text = str(row["source_kind"]), str(row["text"])
        if kind != "rss" or any(brand.casefold() in text.casefold() for brand in BRANDS):
            assert text in stored[kind], (kind, text)

    reports = ws / "var/reports"
    pdf = next(reports.glob("lumino_2026-11-21_2026-11-21_fr.pdf"))
    html = pdf.with_suffix(".html")
    assert f"Report: {html}" in out and f"Report: {pdf}" in out
    assert f"Report: {pdf.with_suffix('.json')}" in out
    assert f"Report: {pdf.with_suffix('.pptx')}" in out  # the slides to present it
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Lumino" in text and "Rivéo" in text
    assert "généré le 22 novembre 2026 à 9 h" in text.replace("\u00a0", " ").lower()
    # A daily report of about five A4 pages whose first page says what matters: the open bad
    # buzz, what changed, the drivers, the action, the scorecard.
    pages = text.count("\f")
    assert 4 <= pages <= 6, pages
    first = " ".join(text.split("\f")[0].replace("\u00a0", " ").split())
    for words in ("En bref", "Alerte critique en cours depuis le 22 nov. 2026 à 9 h",
                  "Lumino : ", "mentions le 21 novembre", "À faire", "Sentiment net",
                  "Part de voix"):  # fmt: skip
        assert words in first, words
    # +6 mentions on 93 is within chance: page 1 names the main complaint and praise, not
    # "drivers" of a change, and no share of it.
    summary = first.split("En bref")[1].split("À faire")[0]
    drivers = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))["drivers"]
    complaint, praise = drivers["complaints"][0], drivers["praise"][0]
    assert f"Principal reproche : « {complaint['label']} »" in summary
    assert f"Principal motif de satisfaction : « {praise['label']} »" in summary
    # Each said in its own tone every time, where the day's mentions are of every tone: not a
    # phrase as frequent in any tone (the demo's « acheté pour mon fils »).
    assert complaint["sentiment"]["negative"] == complaint["mentions"] >= 3
    assert praise["sentiment"]["positive"] == praise["mentions"] >= 3
    assert "de la variation" not in summary
    # The alert opened after the period: the period had none, and the report says where it is.
    assert "l'alerte en haut de page a été ouverte après" in " ".join(text.split())
    # The JSON report matches a recomputation from `veille export`.
    report = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    export = tmp_path / "export.jsonl"
    with pytest.raises(SystemExit) as exported:
        main(["--config", str(ws / "veille.yaml"), "export", "--format", "jsonl",
              "--out", str(export)])  # fmt: skip
    assert exported.value.code == 0
    rows = pd.DataFrame([json.loads(x) for x in export.read_text(encoding="utf-8").splitlines()])
    assert_report_matches(report, rows, own=["@lumino", "@lumino_aide"])
    # The care account's answers that name no brand count in what the brand published.
    assert report["own_activity"]["posts"] > report["own_accounts_posts"]["period"] > 0
    assert report["suspicious"]["period"] > 0 and report["alerts"][0]["banner"]
    # The care account answered some of the day's complaints on X (`veille_demo.history`).
    assert 0 < report["answers"]["answered"] < report["answers"]["asked"]

    outbox = ws / "var/outbox"
    assert f"Outbox: {outbox}" in out
    mails = [
        email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        for p in sorted(outbox.glob("*.eml"))
    ]
    subjects = [str(m["Subject"]) for m in mails]
    assert [p.name[:13] for p in sorted(outbox.glob("*.eml"))] == ["20261122-0800"] * len(mails)
    assert any(s.startswith("[Veille] Lumino : ") for s in subjects), subjects

    # Run again in the same workspace (`make demo` twice): the demo sites come up on another
    # port, so the forum's stored last pages name a site that is gone; the crawl reads the
    # threads from the listing's links instead, and nothing is stored twice.
    with pytest.raises(SystemExit) as again:
        main(["demo", "ws"])
    assert again.value.code == 0, capsys.readouterr().out
    engine = make_engine(f"sqlite:///{ws / 'var/veille.db'}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Mention)).scalar_one() == sum(
            per_source.values()
        )
    engine.dispose()
