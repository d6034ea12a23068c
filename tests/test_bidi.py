"""Bidi isolation: a right-to-left override in a collected string cannot reorder the text
around it, in the alert e-mail's text part (laid out by Pango through WeasyPrint) and HTML
part (headless Chromium), both made by the real templates."""

from __future__ import annotations

import subprocess
from datetime import UTC, datetime
from email.message import EmailMessage
from html import escape
from pathlib import Path

import pytest

from reports.alerts.compose import compose
from reports.alerts.content import AlertContent, Post, safe_url
from reports.bidi import FSI, PDF, PDI, balanced, bdi, isolate
from reports.html import environment
from reports.i18n import Translator
from storage.alerts import AlertRecord

RLO, RLI, LRE = "\u202e", "\u2067", "\u202a"
# The worst name: a stray PDI (would close an isolate around it) then an override.
SPOOF = f"Eve{PDI}{RLO}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain", "plain"),
        (f"a{RLO}b", f"a{RLO}b{PDF}"),
        (f"a{PDI}{RLO}b", f"a{RLO}b{PDF}"),  # the stray PDI goes, the override is closed
        (f"a{PDF}b", "ab"),
        (f"x{RLI}y{PDF}z", f"x{RLI}yz{PDI}"),  # a PDF cannot close an isolate
        (f"a{RLI}b{RLO}c{PDI}d", f"a{RLI}b{RLO}c{PDF}{PDI}d"),
        (f"one{RLO}\ntwo{LRE}", f"one{RLO}{PDF}\ntwo{LRE}{PDF}"),  # closed per paragraph
    ],
)
def test_balanced_closes_what_it_opens_and_nothing_else(raw: str, expected: str) -> None:
    assert balanced(raw) == expected


def test_isolate_and_bdi_wrap_every_paragraph() -> None:
    assert isolate(None) == "" and isolate("") == ""
    assert isolate(SPOOF) == f"{FSI}Eve{RLO}{PDF}{PDI}"
    assert isolate("a\nb") == f"{FSI}a{PDI}\n{FSI}b{PDI}"
    assert str(bdi("<b>x</b>")) == f"<bdi>{FSI}&lt;b&gt;x&lt;/b&gt;{PDI}</bdi>"
    assert environment().from_string("{{ n | bdi }}").render(n=SPOOF) == str(bdi(SPOOF))


def test_links_carry_no_bidi_control() -> None:
    assert safe_url(f"https://x.example/{RLO}gpj.exe") == "https://x.example/%E2%80%AEgpj.exe"


def _alert() -> tuple[EmailMessage, str, str]:
    opened = datetime(2026, 3, 9, 14, 0, tzinfo=UTC)
    alert = AlertRecord(
        id=7, brand="Lumino", severity="high", opened_at=opened, negative_count=40,
        expected_count=4.0,
        details={"opening": {"negative_last_hour": 40, "expected_last_hour": 4.0,
                             "influencers": [{"author": SPOOF, "influence": 91.0,
                                              "source": "demo-twitter", "url": None}]}},
    )  # fmt: skip
    post = Post(
        text=f"colis perdu {RLI}{PDI}{RLO}arnaque", url=safe_url(f"https://x.example/{RLO}1"),
        source="demo-twitter", author=SPOOF, published_at=opened, engagement=1234,
        influence=12.0,
    )  # fmt: skip
    content = AlertContent(engaging=[post], influential=[post], terms=[(f"spam{RLO}", 3)])
    msg = compose(alert, "opened", content, None, "veille@x.example", ["a@x.example"],
                  t=Translator("fr"))  # fmt: skip
    text_part, html_part = (p for p in msg.walk() if p.get_content_maintype() == "text")
    return msg, text_part.get_content(), html_part.get_content()


def _pdf_text(pdftotext: str, pdf: Path) -> str:
    out = subprocess.run([pdftotext, str(pdf), "-"], capture_output=True, text=True, check=True)
    # Chromium's PDF keeps the controls as text; only the order of the letters matters here.
    return "".join(
        ch
        for ch in out.stdout
        if ch not in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )


def _chromium_pdf(tools: tuple[str, str], html: str, tmp_path: Path) -> str:
    chromium, pdftotext = tools
    page, pdf = tmp_path / "page.html", tmp_path / "page.pdf"
    page.write_text(html, encoding="utf-8")
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
        capture_output=True, check=True, timeout=90,
    )  # fmt: skip
    return _pdf_text(pdftotext, pdf)


def test_the_alert_text_part_isolates_names_texts_and_terms(tmp_path: Path, pdftotext: str) -> None:
    _, text, _ = _alert()
    assert f"{FSI}Eve{RLO}{PDF}{PDI} (abonnés inconnus, 1\u202f234 interactions)" in text
    assert f"{FSI}colis perdu {RLI}{PDI}{RLO}arnaque{PDF}{PDI}" in text
    assert f"{FSI}spam{RLO}{PDF}{PDI} (3)" in text
    assert "https://x.example/%E2%80%AE1" in text
    # Laid out by a real bidi engine (Pango): what follows the name reads in order.
    from weasyprint import HTML

    pdf = tmp_path / "text.pdf"
    HTML(string=f"<pre>{escape(text)}</pre>").write_pdf(pdf)
    shown = _pdf_text(pdftotext, pdf)
    assert "interactions)" in shown and "snoitcaretni" not in shown
    # The same text without isolation does get reversed: the test can see a spoof.
    HTML(string=f"<pre>{escape(text.replace(FSI, '').replace(PDI, '').replace(PDF, ''))}</pre>"
         ).write_pdf(pdf)  # fmt: skip
    assert "snoitcaretni" in _pdf_text(pdftotext, pdf)


def test_the_alert_html_part_isolates_names_in_chromium(
    tmp_path: Path, chromium: str, pdftotext: str
) -> None:
    _, _, html = _alert()
    assert f"<bdi>{FSI}Eve{RLO}{PDF}{PDI}</bdi>" in html
    shown = _chromium_pdf((chromium, pdftotext), html, tmp_path)
    assert "interactions" in shown and "snoitcaretni" not in shown
    bare = html.replace("<bdi>", "").replace(FSI, "").replace(PDI, "").replace(PDF, "")
    assert "snoitcaretni" in _chromium_pdf((chromium, pdftotext), bare, tmp_path)
