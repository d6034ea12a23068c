"""The report as slides (`veille report --format pptx`, reports/slides.py) on the reports'
fixture, read back with python-pptx: the title and the alerts, the summary's sentences and the
scorecard as the JSON report words and counts them, one picture per chart, the posts with
hostile text kept as text; the same report twice is the same file."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
import reports_fixture as F
import yaml
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from pipeline.cli import main
from reports.bidi import FSI
from reports.slides import text_of
from storage.engine import make_engine
from storage.schema import upgrade


def _report(tmp: Path, capsys: pytest.CaptureFixture[str], lang: str) -> dict[str, Path]:
    db = tmp / "veille.db"
    if not db.exists():
        engine = make_engine(f"sqlite:///{db}")
        upgrade(engine)
        F.load(engine)
        engine.dispose()
    path = tmp / "veille.yaml"
    path.write_text(yaml.safe_dump(F.config(tmp, db=db), allow_unicode=True), encoding="utf-8")
    with pytest.raises(SystemExit) as done:
        main(["--config", str(path), "--now", "2026-03-08T06:00", "report", "--brand", "Lumino",
              "--period", F.PERIOD, "--format", "pptx,json", "--lang", lang, "--json"])  # fmt: skip
    out = capsys.readouterr()
    assert done.value.code == 0, out.err
    files = [Path(p) for p in json.loads(out.out.strip().splitlines()[-1])["reports"]]
    return {p.suffix: p for p in files}


def _texts(slide: Any) -> list[str]:
    return [s.text_frame.text for s in slide.shapes if s.has_text_frame]


def test_the_deck_holds_the_reports_words_and_figures(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = _report(tmp_path, capsys, "fr")
    report = json.loads(files[".json"].read_text(encoding="utf-8"))
    deck = Presentation(str(files[".pptx"]))
    slides = list(deck.slides)
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, abs=0.01)
    # the title slide: the brand, the period, the alert banners
    assert "Lumino" in slides[0].shapes.title.text
    # the summary: the JSON's sentences, in order, and the scorecard
    summary = slides[1]
    said = [p.text for s in summary.shapes if s.has_text_frame for p in s.text_frame.paragraphs]
    bullets = [line[2:] for line in said if line.startswith("• ")]
    assert bullets == report["summary"] and len(bullets) >= 3
    [table] = [s.table for s in summary.shapes if s.has_table]
    rows = {table.cell(i, 0).text: table.cell(i, 1).text for i in range(1, len(table.rows))}
    assert table.cell(0, 2).text == "Évolution" and len(rows) == len(report["kpis"])
    volume = report["kpis"]["volume"]["period"]
    assert rows["Mentions"].replace("\u202f", " ") == f"{volume:,}".replace(",", " ")
    share = report["kpis"]["share_of_voice"]["period"]
    shown = f"{100 * share:.1f}".replace(".", ",")
    assert rows["Part de voix"].replace("\xa0", " ") == f"{shown} %"  # as the HTML shows it
    # what drove the period: the drivers the JSON lists, in its order, with their counts
    drivers = slides[2]
    assert drivers.shapes.title.text == "Ce qui explique la période"
    tables = [s.table for s in drivers.shapes if s.has_table]
    assert tables and report["drivers"]["change"]
    shown = [(tables[0].cell(i, 0).text, tables[0].cell(i, 1).text)
             for i in range(1, len(tables[0].rows))]  # fmt: skip
    expected = report["drivers"]["change"][: len(shown)]
    assert [int(n.replace("\u202f", "")) for _, n in shown] == [d["mentions"] for d in expected]
    assert all(FSI in label for label, _ in shown)  # collected words isolated
    # one picture per chart, each a PNG under the chart's message
    pictures = [
        (slide.shapes.title.text, shape.image)
        for slide in slides
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert len(pictures) >= 4
    assert all(image.content_type == "image/png" and title for title, image in pictures)
    # the posts: hostile text is text, isolated; every slide carries the footer
    posts = "\n".join(t for slide in slides[-2:] for t in _texts(slide))
    assert "<script>" in posts and FSI in posts
    assert all(any("Lumino · " in t for t in _texts(slide)) for slide in slides[1:])
    assert deck.core_properties.author == "Veille"


def test_the_same_report_is_the_same_file_in_english_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _report(tmp_path, capsys, "en")[".pptx"].read_bytes()
    second = _report(tmp_path, capsys, "en")[".pptx"].read_bytes()
    assert first == second
    deck = Presentation(str(_report(tmp_path, capsys, "en")[".pptx"]))
    titles = [s.shapes.title.text for s in deck.slides if s.shapes.title is not None]
    assert "Most engaging posts" in " ".join(titles) or "engaging" in " ".join(titles).lower()
    with zipfile.ZipFile(tmp_path / "reports" / next(
        p.name for p in (tmp_path / "reports").iterdir() if p.suffix == ".pptx")) as z:  # fmt: skip
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert not [n for n in z.namelist() if "vbaProject" in n or "externalLink" in n]


def test_characters_a_slide_cannot_hold_are_dropped() -> None:
    assert text_of("ok\x00\x07\x1b\ufffe fin") == "ok fin"
    assert text_of(None) == "" and text_of(3) == "3"
