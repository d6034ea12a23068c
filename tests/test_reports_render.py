"""Reports end to end on SQLite: `veille report`, the HTML in headless Chromium, the PDF's text."""

from __future__ import annotations

import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import reports_fixture as F
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from pipeline.cli import app, main
from pipeline.context import AppState
from pipeline.stages import StageContext, load_stage
from reports.i18n import Translator
from storage.engine import make_engine
from storage.models import Report
from storage.schema import upgrade


def _spaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A fixture database, its config, and the reports `veille report` wrote from it."""
    tmp = tmp_path_factory.mktemp("reports")
    db = tmp / "veille.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    F.load(engine)
    engine.dispose()
    config = F.config(tmp, db=db)
    path = tmp / "veille.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    runner = CliRunner()
    reports: list[str] = []
    for fmt, lang in (("html,pdf", "fr"), ("html", "en")):  # an English PDF would only add time
        args = [
            "--config",
            str(path),
            "--now",
            "2026-03-08T06:00",
            "report",
            "--brand",
            "Lumino",
            "--period",
            F.PERIOD,
            "--format",
            fmt,
            "--lang",
            lang,
            "--json",
        ]
        result = runner.invoke(app, args, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        out = json.loads(result.stdout.strip().splitlines()[-1])
        reports += out["reports"]
    empty = runner.invoke(
        app,
        [
            "--config",
            str(path),
            "--now",
            "2026-03-08T06:00",
            "report",
            "--brand",
            "nobody",
            "--period",
            F.PERIOD,
            "--json",
        ],
        catch_exceptions=False,
    )
    assert empty.exit_code == 0, empty.output
    return {
        "tmp": tmp,
        "config": path,
        "db": db,
        "files": [Path(p) for p in reports],
        "index": Path(out["index"]),
        "empty": [Path(p) for p in json.loads(empty.stdout.strip().splitlines()[-1])["reports"]],
    }


def _file(ws: dict[str, object], suffix: str, key: str = "files") -> Path:
    files: list[Path] = ws[key]  # type: ignore[assignment]
    return next(p for p in files if p.name.endswith(suffix))


def test_report_files_are_recorded_and_indexed(workspace: dict[str, object]) -> None:
    files: list[Path] = workspace["files"]  # type: ignore[assignment]
    assert sorted(p.name for p in files) == [
        f"lumino_2026-03-01_2026-03-07_{suffix}" for suffix in ("en.html", "fr.html", "fr.pdf")
    ]
    assert all(p.stat().st_size > 10_000 for p in files)
    engine = make_engine(f"sqlite:///{workspace['db']}")
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Report)).scalar_one() == 5
        langs = set(conn.execute(select(Report.lang).where(Report.brand == "Lumino")).scalars())
    engine.dispose()
    assert langs == {"fr", "en"}
    index = Path(workspace["index"]).read_text(encoding="utf-8")  # type: ignore[arg-type]
    for p in files:
        assert f'href="{p.name}"' in index


def test_html_shows_the_figures_computed_by_hand(workspace: dict[str, object]) -> None:
    items = F.specs()
    cur, prev = F.current(items), F.previous(items)
    riveo = F.current(items, "Rivéo")
    pos = sum(s.sentiment == "positive" for s in cur)
    neg = sum(s.sentiment == "negative" for s in cur)
    for lang in ("fr", "en"):
        t = Translator(lang)
        html = _spaces(_file(workspace, f"_{lang}.html").read_text(encoding="utf-8"))

        def card(key: str, html: str = html) -> str:
            return html.split(f'id="kpi-{key}"')[1].split("</div>")[0]

        assert f">{len(cur)}<" in card("volume") and f">{len(prev)}<" in card("volume")
        assert _spaces(t.pct((len(cur) - len(prev)) / len(prev), 1, signed=True)) in card("volume")
        assert _spaces(t.pct((pos - neg) / (pos + neg), 0, signed=True)) in card("net_sentiment")
        assert _spaces(t.pct(len(cur) / (len(cur) + len(riveo)))) in card("share_of_voice")
        assert _spaces(t.num(sum(s.engagement for s in cur))) in card("engagement")
        assert t.day(F.specs()[0].day.date()) in html  # "1er mars 2026" / "1 March 2026"
    fr = _spaces(_file(workspace, "_fr.html").read_text(encoding="utf-8"))
    assert "Mentions négatives multipliées par" in fr and "le 3 mars" in fr
    assert "Profils des contributeurs pas encore calculés" in fr
    assert "en échec — <bdi>\u2068TimeoutError: feed took 30 s\u2069</bdi>" in fr
    # Sources by their names, never their configuration ids, in the business text.
    summary = fr.split('id="summary"')[1].split("</section>")[0]
    assert "twitter-inbox" not in summary and "veille " not in summary
    assert "X (Twitter)" in fr


class _Dom(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _chromium(chromium: str, page: Path, profile: Path) -> tuple[str, str]:
    proc = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--enable-logging=stderr",
            "--v=0",
            "--virtual-time-budget=2000",
            "--dump-dom",
            page.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, proc.stderr


@pytest.mark.parametrize("which", ["files", "empty"])
def test_chromium_renders_without_errors_and_runs_nothing(
    workspace: dict[str, object], which: str, tmp_path: Path, chromium: str
) -> None:
    page = _file(workspace, "_fr.html", which)
    dom, log = _chromium(chromium, page, tmp_path / "profile")
    console = [line for line in log.splitlines() if ":CONSOLE" in line]
    assert console == [], console  # no script error, no CSP violation
    parsed = _Dom()
    parsed.feed(dom)
    assert "PWNED" not in parsed.title and parsed.title.startswith(
        "Lumino" if which == "files" else "Nobody"
    )
    tags = parsed.tags
    assert not [a for tag, a in tags if tag == "script"]
    assert [tag for tag, _ in tags].count("style") == 1
    body = next(a for tag, a in tags if tag == "body")
    assert body == {}  # the payload would have set data-pwned
    assert all(
        (a.get("src") or "").startswith("data:image/svg+xml;base64,")
        for tag, a in tags
        if tag == "img"
    )
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    for tag, a in tags:
        if tag == "a" and not (a.get("href") or "").startswith("#"):
            assert (a.get("href") or "").startswith(("https://", "http://")), a
            assert a.get("rel") == "noopener noreferrer"
    if which == "files":
        assert "&lt;script&gt;document.title='PWNED'" in dom
        assert "&lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;" in dom


BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def _mallory_line(text: str) -> str:
    """The line of the posts that starts with the hostile author (bidi controls left out)."""
    text = text.translate(BIDI)
    return next(line for line in text.splitlines() if "Mallory</b>" in line and "·" in line)


def test_a_right_to_left_override_in_a_name_cannot_reorder_the_report(
    workspace: dict[str, object], tmp_path: Path, chromium: str, pdftotext: str
) -> None:
    html = _file(workspace, "_fr.html").read_text(encoding="utf-8")
    assert (
        "<bdi>\u2068&lt;b onmouseover=alert(1)&gt;Mallory&lt;/b&gt;\u202e\u202c\u2069</bdi>" in html
    )
    pdf = tmp_path / "chromium.pdf"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
         "--no-pdf-header-footer", f"--print-to-pdf={pdf}", _file(workspace, "_fr.html").as_uri()],
        capture_output=True, check=True, timeout=90,
    )  # fmt: skip
    for shown in (
        _pdf_text(pdftotext, pdf),
        _pdf_text(pdftotext, _file(workspace, "_fr.pdf")),
    ):  # Chromium, WeasyPrint
        line = _mallory_line(shown)
        assert "négatif" in line, line  # reversed ("iftagén") when the name leaks


def _pdf_text(pdftotext: str, pdf: Path) -> str:
    out = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return _spaces(out.stdout)


def test_pdf_holds_every_section_and_the_figures(
    workspace: dict[str, object], pdftotext: str
) -> None:
    text = _pdf_text(pdftotext, _file(workspace, "_fr.pdf"))
    items = F.specs()
    cur = F.current(items)
    first_page = text.split("\f")[0]
    assert "En bref" in first_page and "Lumino : 43 mentions du 1er mars au 7 mars" in " ".join(
        first_page.split()
    )
    assert "À faire" in first_page or "Rien d'urgent" in first_page
    for title in (
        "En bref",
        "Volume dans le temps",
        "Ce qui explique la période",
        "Sentiment par source",
        "Thématiques",
        "Contributeurs",
        "Publications",
        "Concurrents",
        "Méthode",
    ):
        assert title in text, title
    assert "Du 1er mars 2026 au 7 mars 2026 (7 jours)" in text
    assert f"{len(cur)}" in first_page
    t = Translator("fr")
    assert _spaces(t.num(sum(s.views or 0 for s in cur))) in text
    pages = text.count("\f")
    assert 3 <= pages <= 6 and re.search(rf"\b{pages}\s*/\s*{pages}\b", text)
    assert "Mentions négatives" in text  # a chart's title


def test_english_report_translates_every_label(workspace: dict[str, object]) -> None:
    en = _spaces(_file(workspace, "_en.html").read_text(encoding="utf-8"))
    for words in (
        "At a glance",
        "Negative mentions rose",
        "Customer service",
        "Contributor profiles not computed yet",
        "From 1 March 2026 to 7 March 2026",
    ):
        assert words in en, words
    for french in ("En bref", "négatif", "Sommaire", "mars", "inconnu", "jamais collectée"):
        assert french not in en, french


def test_a_brand_with_no_mentions_gets_a_report_that_says_so(
    workspace: dict[str, object], pdftotext: str
) -> None:
    html = _file(workspace, "_fr.html", "empty").read_text(encoding="utf-8")
    assert "Aucune mention de Nobody sur cette période" in html
    text = _pdf_text(pdftotext, _file(workspace, "_fr.pdf", "empty"))
    assert "Aucune mention de Nobody" in text and "Méthode" in text


def test_the_report_stage_writes_what_the_config_asks(
    workspace: dict[str, object], tmp_path: Path
) -> None:
    state = AppState(config_path=Path(workspace["config"]))  # type: ignore[arg-type]
    settings = state.settings
    settings.reports.output_dir = str(tmp_path / "nightly")
    settings.reports.languages = ["en"]
    settings.reports.formats = ["html"]
    result = load_stage("report")(StageContext(state, now=F.NOW))
    assert result.errors == 0 and result.items == 1
    assert [Path(p).name for p in result.outputs] == [
        "lumino_2026-03-01_2026-03-07_en.html",
        "index.html",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--period", "last-week"], "is not one of yesterday"),
        (["--format", "docx"], "docx is not one of html, pdf"),
        (["--lang", "de"], "de is not one of fr, en"),
        (["--brand", "Nope"], "unknown brand 'Nope'"),
    ],
)
def test_bad_options_say_what_is_allowed(
    workspace: dict[str, object], args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["--config", str(workspace["config"]), "report", "--brand", "Lumino"]
    with pytest.raises(SystemExit) as exit_:
        main(base + args)
    assert exit_.value.code == 2
    assert message in capsys.readouterr().err
