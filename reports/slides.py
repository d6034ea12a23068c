"""The report as slides (`veille report --format pptx`): what the marketing team puts in front
of its management, from the same figures and words as the HTML report — one slide for the
title and the alerts, one for the summary and the scorecard, one for what moved the volume
(the drivers: what changed, what people praise, what they complain about), one per chart of
the report's sections (its title is the chart's message), and the posts: the most engaging,
the negative ones still waiting for an answer.

Collected text is hostile here too: characters XML cannot hold are dropped, each author and
excerpt is isolated from the text around it (FSI … PDI, as in the e-mails), and nothing in it
is ever read as a link; the deck carries no macro and no external reference."""

from __future__ import annotations

import base64
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC
from pathlib import Path
from typing import Any

from pptx import Presentation
from pptx.presentation import Presentation as Deck
from pptx.slide import Slide
from pptx.util import Emu, Inches, Pt

from reports import charts
from reports.bidi import isolate
from reports.build import ReportContent
from reports.html import SHORT, Chart, excerpt, helpers, period_line
from reports.i18n import Translator
from reports.sections import SECTIONS
from reports.sections.drivers import Drivers
from reports.sections.posts import Posts
from reports.summary import banners, sentences

WIDE, HIGH = Inches(13.333), Inches(7.5)  # 16:9
MARGIN = Inches(0.5)
ACROSS = Emu(WIDE - 2 * MARGIN)  # the width between the margins
# What XML 1.0 cannot hold (a deck with one is refused by every reader).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
TITLE_ONLY, TITLE = 5, 0  # the default template's layouts


def text_of(value: Any) -> str:
    """Any value as text a slide can hold."""
    return _NOT_XML.sub("", "" if value is None else str(value))


def write_pptx(c: ReportContent, t: Translator, path: Path) -> None:
    """The brand's report as a 16:9 deck at `path` (the same figures as its HTML)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    footer = text_of(f"{c.brand} · {period_line(c, t)}")
    _title(deck, c, t)
    _summary(deck, c, t, footer)
    _drivers(deck, c, t, footer)
    with charts.as_png():
        for chart in _charts(c, t):
            _chart(deck, chart, footer)
    _posts(deck, c, t, footer)
    _stamp(deck, c, t)
    made = io.BytesIO()
    deck.save(made)
    _settled(made, path)


def _settled(made: io.BytesIO, path: Path) -> None:
    """The deck's zip written again with its entries dated 1980-01-01 (python-pptx dates
    them now): the same report is the same file, byte for byte."""
    with zipfile.ZipFile(made) as source, zipfile.ZipFile(path, "w") as target:
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))


def _title(deck: Deck, c: ReportContent, t: Translator) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE])
    _across(slide)
    slide.shapes.title.text = text_of(t("report.title", brand=c.brand))
    lines = [period_line(c, t), *(b.text for _, b in banners(c, t))]
    body = slide.placeholders[1].text_frame
    body.text = text_of(lines[0])
    for line in lines[1:]:
        body.add_paragraph().text = text_of(f"⚠ {line}")


def _summary(deck: Deck, c: ReportContent, t: Translator, footer: str) -> None:
    slide = _slide(deck, t("section.summary"), footer)
    box = slide.shapes.add_textbox(MARGIN, Inches(1.3), Inches(6.6), Inches(5.4)).text_frame
    box.word_wrap = True
    for i, sentence in enumerate(sentences(c, t)):
        paragraph = box.paragraphs[0] if i == 0 else box.add_paragraph()
        paragraph.text = text_of(f"• {sentence.text}")
        paragraph.font.size = Pt(15)
        paragraph.space_after = Pt(8)
    h = helpers(t, c)
    figures = c.headline.figures
    rows, cols = len(figures) + 1, 4
    table = slide.shapes.add_table(
        rows, cols, Inches(7.4), Inches(1.3), Inches(5.4), Inches(0.4 * rows)
    ).table
    head = (t("col.measure"), t("col.current"), t("col.change"), t("col.previous"))
    for j, word in enumerate(head):
        table.cell(0, j).text = text_of(word)
    for i, f in enumerate(figures, 1):
        change = h["change"](f) if f.change is not None else "–"
        cells = (t(f"card.{f.key}"), h["value"](f, f.current), change, h["value"](f, f.previous))
        for j, word in enumerate(cells):
            table.cell(i, j).text = text_of(word)
            table.cell(i, j).text_frame.paragraphs[0].font.size = Pt(13)


def _drivers(deck: Deck, c: ReportContent, t: Translator, footer: str) -> None:
    """What moved the volume, what people praise, what they complain about: the drivers
    section's lists (its examples left to the report), side by side."""
    slide = _slide(deck, t("section.drivers"), footer)
    lists = Drivers().variables(c, t)["lists"]
    width = Emu(int((ACROSS - Inches(0.4) * (len(lists) - 1)) / len(lists)))
    for n, (key, items) in enumerate(lists):
        left = Emu(MARGIN + n * (width + Inches(0.4)))
        head = slide.shapes.add_textbox(left, Inches(1.3), width, Inches(0.4)).text_frame
        head.text = text_of(t(f"drivers.{key}"))
        head.paragraphs[0].font.size, head.paragraphs[0].font.bold = Pt(15), True
        if not items:
            note = slide.shapes.add_textbox(left, Inches(1.8), width, Inches(1.0)).text_frame
            note.word_wrap = True
            note.text = text_of(t(f"drivers.none_{key}"))
            note.paragraphs[0].font.size = Pt(12)
            continue
        table = slide.shapes.add_table(
            len(items) + 1, 3, left, Inches(1.8), width, Inches(0.45 * (len(items) + 1))
        ).table
        for j, word in enumerate((t("col.driver"), t("col.mentions"), t("col.change"))):
            table.cell(0, j).text = text_of(word)
        for i, r in enumerate(items, 1):
            d = r["d"]
            cells = (isolate(r["label"]), t.num(d.mentions), t.signed(d.change))
            for j, word in enumerate(cells):
                table.cell(i, j).text = text_of(word)
                table.cell(i, j).text_frame.paragraphs[0].font.size = Pt(12)


def _charts(c: ReportContent, t: Translator) -> Iterator[Chart]:
    """Every chart of the sections this report has, in their order."""
    for cls in SECTIONS.values():
        section = cls()
        if section.shown(c):
            yield from _found(section.variables(c, t).values())


def _found(values: Iterable[Any]) -> Iterator[Chart]:
    for value in values:
        if isinstance(value, Chart):
            yield value
        elif isinstance(value, list | tuple):
            yield from _found(value)
        elif isinstance(value, dict):
            yield from _found(value.values())


def _chart(deck: Deck, chart: Chart, footer: str) -> None:
    slide = _slide(deck, chart.title, footer)
    media, _, data = chart.uri.partition(";base64,")
    if media != "data:image/png":  # a plugin's chart drawn otherwise: its title stays
        return
    image = io.BytesIO(base64.b64decode(data))
    picture = slide.shapes.add_picture(image, MARGIN, Inches(1.3))
    room_w, room_h = ACROSS, HIGH - Inches(2.0)
    scale = min(room_w / picture.width, room_h / picture.height)
    picture.width = Emu(int(picture.width * scale))
    picture.height = Emu(int(picture.height * scale))
    picture.left = Emu(int((WIDE - picture.width) / 2))


def _posts(deck: Deck, c: ReportContent, t: Translator, footer: str) -> None:
    shown = Posts().variables(c, t)
    for key, rows, empty in (
        ("posts.engaging", shown["engaging"], "posts.none_engaging"),
        ("posts.needing_answer", shown["needing"], "posts.none_needing"),
    ):
        slide = _slide(deck, t(key), footer)
        box = slide.shapes.add_textbox(MARGIN, Inches(1.3), ACROSS, Inches(5.6))
        frame = box.text_frame
        frame.word_wrap = True
        if not rows:
            frame.text = text_of(t(empty))
            continue
        for i, p in enumerate(rows):
            meta = [t.moment(p["published_at"]), p["source_name"],
                    isolate(p.get("author")) or t("posts.anonymous")]  # fmt: skip
            if p.get("sentiment"):
                meta.append(t.label("sentiment", p["sentiment"]))
            if key == "posts.engaging":
                meta.append(t.count(p.get("engagement") or 0, "unit.interaction"))
            head = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            head.text = text_of(" · ".join(str(m) for m in meta))
            head.font.size, head.font.bold = Pt(12), True
            said = frame.add_paragraph()
            said.text = text_of(isolate(excerpt(p.get("excerpt") or p.get("text"), SHORT)))
            said.font.size = Pt(13)
            said.space_after = Pt(10)


def _slide(deck: Deck, title: str, footer: str) -> Slide:
    slide = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
    _across(slide)
    title_shape = slide.shapes.title
    title_shape.top, title_shape.height = Inches(0.3), Inches(0.9)
    slide.shapes.title.text = text_of(title)
    slide.shapes.title.text_frame.paragraphs[0].font.size = Pt(26)
    note = slide.shapes.add_textbox(MARGIN, Emu(HIGH - Inches(0.5)), ACROSS, Inches(0.3))
    note.text_frame.text = footer
    note.text_frame.paragraphs[0].font.size = Pt(10)
    return slide


def _across(slide: Slide) -> None:
    """The layout's placeholders (drawn for 4:3) across the 16:9 slide."""
    for shape in slide.placeholders:
        shape.left, shape.width = MARGIN, ACROSS


def _stamp(deck: Deck, c: ReportContent, t: Translator) -> None:
    """The deck's properties: the report's own, never the wall clock's (same figures, same
    file)."""
    props = deck.core_properties
    props.title = text_of(t("report.title", brand=c.brand))
    props.author = props.last_modified_by = "Veille"
    made = c.generated_at.astimezone(UTC).replace(tzinfo=None)
    props.created = props.modified = made
    props.revision = 1
