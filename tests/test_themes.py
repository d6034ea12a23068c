"""The brand team's themes (`themes` in veille.yaml): the report's section, its contents
entry, what a theme's configuration mistake says. The figures themselves are recomputed from
the export in tests/test_reports_json.py, on SQLite and PostgreSQL."""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path
from typing import Any

import pytest
import reports_fixture as F
import yaml

from config.settings import Settings
from pipeline.cli import main
from reports.build import ReportContent, build_report
from reports.html import render_html
from reports.i18n import Translator
from reports.periods import parse_period
from reports.summary import sentences
from storage.engine import make_engine
from storage.schema import upgrade

HOSTILE = '<img src=x onerror="alert(1)">Prix'
THEMES = [
    {"name": "Livraison", "query": "livraison OR commande"},
    {"name": "Remboursement", "query": "rembours*"},
    {"name": HOSTILE, "query": "prix"},
    {"name": "Rivéo seulement", "query": "lumino", "brands": ["Rivéo"]},
]


def _report(tmp: Path, themes: list[dict[str, Any]]) -> ReportContent:
    engine = make_engine(f"sqlite:///{tmp / 'veille.db'}")
    upgrade(engine)
    F.load(engine)
    settings = Settings.model_validate({**F.config(tmp), "themes": themes})
    content = build_report(engine, settings, "Lumino", parse_period(F.PERIOD), F.NOW)
    engine.dispose()
    return content


def _text(page: str) -> str:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", page))


def test_the_report_breaks_the_brand_down_by_its_themes(tmp_path: Path) -> None:
    content = _report(tmp_path, THEMES)
    assert content.themes is not None
    table = content.themes.table.set_index("theme")
    assert list(table.index) == ["Livraison", "Remboursement", HOSTILE]  # not Rivéo's
    # The bad buzz's 12 refunds, all negative; 28 deliveries and 2 orders, none before.
    assert table.loc["Remboursement", "mentions"] == 12 == table.loc["Remboursement", "negative"]
    assert (table.loc["Livraison", "mentions"], table.loc["Livraison", "previous"]) == (30, 0)
    page = render_html(content, Translator("fr"))
    assert '<li><a href="#themes">Thèmes suivis</a></li>' in page
    assert page.index('id="topics"') < page.index('id="themes"') < page.index('id="contributors"')
    section = page[page.index('<section id="themes">') :]
    section = section[: section.index("</section>")]
    text = " ".join(_text(section).split())
    # The chart's title: the theme that moved most.
    assert "Livraison : 30 mentions, aucune sur la période précédente" in text
    assert "Remboursement — rembours*" in text
    assert "ne relèvent d'aucun" in text
    # A theme's name is the team's text: shown, never run.
    assert "<img src=x" not in page and "&lt;img src=x onerror=" in section
    english = " ".join(_text(render_html(content, Translator("en"))).split())
    assert "Tracked themes" in english and "none in the previous period" in english
    # Page 1 names the theme that moved beyond chance (30 against 0), before the top voice.
    said = {s.key: s.text for s in sentences(content, Translator("fr"))}
    assert (
        "Thème « \u2068Livraison\u2069 » : 30 mentions, contre aucune les 7 jours"
        in said["summary.theme_new"]
    )


def test_page_one_leaves_a_theme_that_moved_by_chance_alone(tmp_path: Path) -> None:
    """2 orders against none did not move beyond chance (2 < 2 × √2): no sentence."""
    themes = [{"name": "Commandes", "query": "commande"}]
    content = _report(tmp_path, themes)
    assert content.themes is not None
    assert content.themes.table.loc[0, ["mentions", "previous"]].tolist() == [2, 0]
    keys = [s.key for s in sentences(content, Translator("fr"))]
    assert not any(k.startswith("summary.theme") for k in keys)


def test_no_theme_no_section(tmp_path: Path) -> None:
    content = _report(tmp_path, [{"name": "Ailleurs", "query": "x", "brands": ["Rivéo"]}])
    assert content.themes is None
    page = render_html(content, Translator("fr"))
    assert 'id="themes"' not in page and "#themes" not in page


def _config_error(tmp: Path, themes: list[dict[str, Any]], capsys: Any) -> str:
    config = F.config(tmp)
    config["themes"] = themes
    path = tmp / "veille.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(SystemExit) as exit_:
        main(["--config", str(path), "status"])
    assert exit_.value.code == 2
    return capsys.readouterr().err


def test_a_bad_theme_is_named_with_its_key_and_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _config_error(
        tmp_path, [{"name": "A", "query": "a"}, {"name": "B", "query": "colis NEAR/ perdu"}], capsys
    )
    assert "themes[1].query: NEAR/ needs a number at column 7" in err
    assert re.search(r"\(line \d+\)", err)
    err = _config_error(tmp_path, [{"name": "A", "query": "a", "brands": ["Nobodyy"]}], capsys)
    assert "themes[0].brands: 'Nobodyy' is not a configured brand" in err
    err = _config_error(
        tmp_path, [{"name": "A", "query": "a"}, {"name": "a", "query": "b"}], capsys
    )
    assert "theme name 'a' appears twice" in err
    err = _config_error(tmp_path, [{"name": "A", "query": "  "}], capsys)
    assert "themes.0.query" in err or "themes[0].query" in err


def test_kept_matches_are_read_and_remade_when_stale(engine: Any, tmp_path: Path) -> None:
    """The report stage keeps each mention's themes; a report reads them while the mention's
    content and the themes' queries are those they were matched with, else matches again;
    an erased mention takes them with it. The figures are the same either way."""
    from sqlalchemy import func, select, update

    from nlp.themes import fingerprint, store_between
    from reports.output import write_configured_reports
    from storage.models import Mention, MentionThemes
    from storage.privacy import delete_mentions

    upgrade(engine)
    F.load(engine)
    settings = Settings.model_validate({**F.config(tmp_path), "themes": THEMES[:3]})
    period = parse_period(F.PERIOD)
    fresh = build_report(engine, settings, "Lumino", period, F.NOW).themes
    assert fresh is not None
    start, end = period.previous().start, period.end
    # The report stage keeps them, once, before its reports are written.
    settings.reports.formats = ["json"]
    settings.reports.periods = ["last-7-days"]
    write_configured_reports(engine, settings, F.NOW)
    with engine.begin() as conn:
        n = conn.execute(select(func.count()).select_from(MentionThemes)).scalar_one()
        assert n > 40
        assert store_between(conn, settings.themes, start, end) == 0  # nothing stale
    kept = build_report(engine, settings, "Lumino", period, F.NOW).themes
    assert kept is not None and kept.table.equals(fresh.table)
    # A report reads the kept matches: one altered by hand shows (it is never altered but by
    # the stage: this shows where the figure comes from).
    with engine.begin() as conn:
        refunds = (
            conn.execute(
                select(Mention.id).where(Mention.text.like("%remboursement%")).order_by(Mention.id)
            )
            .scalars()
            .first()
        )
        conn.execute(
            update(MentionThemes).where(MentionThemes.mention_id == refunds).values(themes="[]")
        )
    read = build_report(engine, settings, "Lumino", period, F.NOW).themes
    assert read is not None
    assert read.table.set_index("theme").loc["Remboursement", "mentions"] == 11
    # A mention whose content changed is matched again (its content hash differs).
    with engine.begin() as conn:
        conn.execute(update(Mention).where(Mention.id == refunds).values(content_hash="new"))
        assert store_between(conn, settings.themes, start, end) == 1
    again = build_report(engine, settings, "Lumino", period, F.NOW).themes
    assert again is not None and again.table.equals(fresh.table)
    # New themes: every kept match is stale.
    changed = [*THEMES[:2], {"name": "Lampe", "query": "lampe"}]
    other = Settings.model_validate({**F.config(tmp_path), "themes": changed}).themes
    assert fingerprint(other) != fingerprint(settings.themes)
    with engine.begin() as conn:
        assert store_between(conn, other, start, end) == n
        delete_mentions(conn, [refunds], dry_run=False)
        left = conn.execute(
            select(func.count())
            .select_from(MentionThemes)
            .where(MentionThemes.mention_id == refunds)
        ).scalar_one()
    assert left == 0
