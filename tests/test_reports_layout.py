"""The report's layout in headless Chromium: 1280 px and 390 px wide, nothing wider than the
screen; screenshots of both (the `chromium` fixture fails under CI=true when it is missing).

Headless Chromium keeps windows at least 500 px wide, so the page is shown in an iframe of the
width under test (media queries follow the iframe's viewport, as on a phone).
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
from pathlib import Path

import pytest
import reports_fixture as F

from reports.build import build_report
from reports.html import render_html
from reports.i18n import Translator
from reports.periods import parse_period
from storage.engine import make_engine
from storage.schema import upgrade

WIDTHS = (1280, 390)
# Measures the page once laid out, and says it in the title (the report itself runs no script:
# this copy drops its Content-Security-Policy to be measured).
PROBE = """<script>
window.addEventListener("load", () => {
  const root = document.documentElement;
  const wide = [...document.querySelectorAll("body *")]
    .filter(e => e.getBoundingClientRect().right > root.clientWidth + 1
                 && !e.closest(".table-wrap"))
    .slice(0, 5).map(e => e.tagName + "." + e.className);
  const found = JSON.stringify({scroll: root.scrollWidth, width: root.clientWidth, wide});
  parent.postMessage(found, "*");
});
</script>"""


def _frame(inner: Path, width: int, height: int) -> str:
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>pending</title></head>'
        '<body style="margin:0">'
        f'<iframe src="{inner.as_uri()}" style="border:0;display:block;width:{width}px;'
        f'height:{height}px"></iframe>'
        '<script>addEventListener("message", e => { document.title = e.data; });</script>'
        "</body></html>"
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("layout")
    engine = make_engine(f"sqlite:///{tmp / 'veille.db'}")
    upgrade(engine)
    F.load(engine)
    c = build_report(engine, F.settings(tmp), "Lumino", parse_period(F.PERIOD), F.NOW)
    engine.dispose()
    path = tmp / "report.html"
    path.write_text(render_html(c, Translator("fr")), encoding="utf-8")
    return path


def _chromium(chromium: str, *args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", "--hide-scrollbars", f"--user-data-dir={profile}",
         *args],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.parametrize("width", WIDTHS)
def test_nothing_is_wider_than_the_screen(
    page: Path, width: int, tmp_path: Path, chromium: str
) -> None:
    html = page.read_text(encoding="utf-8")
    probe = tmp_path / "probe.html"
    probe.write_text(
        re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html).replace(
            "</body>", PROBE + "</body>"
        ),
        encoding="utf-8",
    )
    frame = tmp_path / "frame.html"
    frame.write_text(_frame(probe, width, 1000), encoding="utf-8")
    proc = _chromium(
        chromium, f"--window-size={max(width, 1300)},1000", "--virtual-time-budget=5000",
        "--allow-file-access-from-files", "--dump-dom", frame.as_uri(),
        profile=tmp_path / "profile",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    title = re.search(r"<title>(.*?)</title>", proc.stdout, re.S)
    assert title, proc.stdout[:500]
    measured = json.loads(title.group(1).replace("&quot;", '"'))
    assert measured["width"] <= width and measured["width"] > width - 30
    assert measured["scroll"] <= measured["width"], measured
    assert measured["wide"] == [], measured


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_of_the_report(page: Path, width: int, tmp_path: Path, chromium: str) -> None:
    shot = screenshot(chromium, page, width, 1800, tmp_path / f"report-{width}.png", tmp_path)
    png_width, _ = struct.unpack(">II", shot.read_bytes()[16:24])
    assert png_width == width
    assert shot.stat().st_size > 20_000  # a page, not a blank


def screenshot(chromium: str, page: Path, width: int, height: int, out: Path, tmp: Path) -> Path:
    """A PNG of the report `width` px wide (cropped from a wider window when needed)."""
    from PIL import Image

    frame = tmp / f"frame-{width}.html"
    frame.write_text(_frame(page, width, height), encoding="utf-8")
    window = max(width, 500)
    raw = tmp / f"raw-{width}.png"
    proc = _chromium(
        chromium, f"--window-size={window},{height}", f"--screenshot={raw}", "--virtual-time-budget=3000",
        "--allow-file-access-from-files", frame.as_uri(), profile=tmp / f"profile-{width}",
    )  # fmt: skip
    assert proc.returncode == 0 and raw.exists(), proc.stderr[-2000:]
    with Image.open(raw) as image:
        image.crop((0, 0, width, height)).save(out)
    return out


def test_emoji_come_from_the_colour_emoji_font_and_digits_do_not(
    tmp_path: Path, pdftotext: str
) -> None:
    """fonts-noto-color-emoji (Makefile) draws the emoji of posts in the PDF; the digits and
    "#" stay in the text font (naming the emoji font in the CSS would make them emoji)."""
    engine = make_engine(f"sqlite:///{tmp_path / 'veille.db'}")
    upgrade(engine)
    items = F.specs()
    items.append(
        F.Spec(
            "Lumino",
            "twitter-inbox",
            "emoji",
            items[0].day,
            "positive",
            "prescription",
            author="fan1",
            likes=900,
            text="Lumino 😍🔥 top #Nova10 👍",
        )
    )
    F.load(engine, items)
    c = build_report(engine, F.settings(tmp_path), "Lumino", parse_period(F.PERIOD), F.NOW)
    engine.dispose()
    from reports.pdf import write_pdf

    pdf = tmp_path / "report.pdf"
    write_pdf(render_html(c, Translator("fr")), pdf)
    fonts = subprocess.run(
        [str(Path(pdftotext).with_name("pdffonts")), str(pdf)],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Noto-Color-Emoji" in fonts or "NotoColorEmoji" in fonts, fonts
    text = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True).stdout
    assert "#Nova10" in text  # not spaced out as emoji keycaps


def test_date_axes_carry_at_most_eight_short_labels() -> None:
    import base64

    import pandas as pd

    from reports.charts import volume_chart

    days = pd.date_range("2026-10-01", periods=30, freq="D", tz="Europe/Paris")
    series = pd.DataFrame(
        {"negative": 1, "neutral": 1, "positive": 2, "unlabelled": 0, "total": 4, "spike": False},
        index=days,
    )
    svg = base64.b64decode(
        volume_chart(series, [], "t", Translator("fr"), hourly=False).split(",", 1)[1]
    ).decode()
    ticks = re.findall(r'<g id="xtick_\d+">', svg)
    assert 4 <= len(ticks) <= 8
    assert "1 oct." in svg and "octobre" not in svg
