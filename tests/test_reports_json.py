"""The JSON report against an independent recomputation from `veille export` (report_recompute),
on SQLite and PostgreSQL; both backends must give the same JSON, figure for figure."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
import reports_fixture as F
import yaml
from report_recompute import assert_report_matches

from pipeline.cli import main
from storage.engine import make_engine
from storage.schema import upgrade

TZ = "Europe/Paris"
FIRST, LAST = date(2026, 3, 1), date(2026, 3, 7)
FLAGGED = ["buzz0", "buzz1", "c2-3", "p23b"]
OWN = ["user3"]
RIVAL_OWN = ["rfan0"]  # a competitor's own account: its posts count in no brand's figures
THEMES = [
    {"name": "Livraison", "query": "livraison OR commande"},
    {"name": "Remboursement", "query": "rembours* OR #LuminoPanne"},
    {"name": "Lampe cassée", "query": "lampe NEAR/2 cass*"},
    {"name": "Lampe", "query": "lampe"},
    {"name": "<b>Prix</b> & «promo»", "query": "prix OR promo*"},
    {"name": "Dimanche", "query": "dimanche", "brands": ["Rivéo"]},  # not Lumino's
]


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    assert exit_.value.code == 0, out.err
    return out.out


def _workspace(
    url: str, tmp: Path, capsys: pytest.CaptureFixture[str], exclude_own: bool = True
) -> tuple[dict, pd.DataFrame]:
    engine = make_engine(url)
    upgrade(engine)
    ids = F.load(engine)
    F.add_contributor_tables(engine, ids, FLAGGED)
    engine.dispose()
    config = F.config(tmp)
    config["database"]["url"] = url
    config["brands"][0]["own_accounts"] = ["@" + h for h in OWN]
    config["brands"][1]["own_accounts"] = RIVAL_OWN
    config["reports"]["exclude_own_posts"] = exclude_own
    config["themes"] = THEMES
    path = tmp / "veille.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    base = ["--config", str(path), "--now", "2026-03-08T06:00"]
    out = _run([*base, "report", "--brand", "Lumino", "--period", F.PERIOD, "--format", "json",
                "--lang", "en", "--json"], capsys)  # fmt: skip
    report_path = Path(json.loads(out.strip().splitlines()[-1])["reports"][0])
    assert report_path.name == "lumino_2026-03-01_2026-03-07_en.json"
    _run([*base, "export", "--format", "jsonl", "--out", str(tmp / "all.jsonl")], capsys)
    rows = [json.loads(x) for x in (tmp / "all.jsonl").read_text(encoding="utf-8").splitlines()]
    return json.loads(report_path.read_text(encoding="utf-8")), pd.DataFrame(rows)


# --- the tests --------------------------------------------------------------------------------


@pytest.fixture
def both(
    tmp_path: Path, pg_url: str, capsys: pytest.CaptureFixture[str]
) -> dict[str, tuple[dict, pd.DataFrame]]:
    (tmp_path / "sqlite").mkdir()
    (tmp_path / "pg").mkdir()
    sqlite = _workspace(
        f"sqlite:///{tmp_path / 'sqlite' / 'veille.db'}", tmp_path / "sqlite", capsys
    )
    return {"sqlite": sqlite, "postgresql": _workspace(pg_url, tmp_path / "pg", capsys)}


def test_sqlite_and_postgresql_give_the_same_report(both: dict) -> None:
    sqlite, pg = both["sqlite"][0], both["postgresql"][0]
    assert sqlite == pg


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_every_figure_matches_a_recomputation_from_the_export(both: dict, backend: str) -> None:
    report, export = both[backend]
    assert export["suspicious"].sum() == len(FLAGGED)
    assert_report_matches(report, export, own=OWN, owned=OWN + RIVAL_OWN)
    assert report["own_accounts_posts"]["period"] > 0 and report["own_activity"]["posts"] > 0
    assert {r["author"] for r in report["own_accounts"]} == set(OWN)
    assert report["most_engaging"] and report["own_posts"] and report["needing_answer"]
    assert report["sentiment_previous"]["negative"] > 0 and report["suspicious"]["previous"]
    drivers = report["drivers"]
    assert {d["kind"] for d in drivers["change"]} >= {"hashtag", "bigram"}
    assert drivers["complaints"] and drivers["praise"]
    assert report["period"] == {"start": "2026-03-01", "end": "2026-03-07", "timezone": TZ,
                                "days": 7}  # fmt: skip
    assert report["previous"] == {"start": "2026-02-22", "end": "2026-02-28"}
    # The brand's themes, the largest first; a competitor's theme is not in its report.
    themes = {t["name"]: t for t in report["themes"]["themes"]}
    assert list(themes) == [  # none in the period: the larger previous first
        "Livraison",
        "Lampe",
        "Remboursement",
        "Lampe cassée",
        "<b>Prix</b> & «promo»",
    ]
    assert themes["Livraison"]["mentions"] > themes["Remboursement"]["mentions"] > 0
    assert themes["Lampe"]["previous"] > 0 and themes["Livraison"]["previous"] == 0
    assert themes["Remboursement"]["negative"] == themes["Remboursement"]["mentions"]
    assert themes["Lampe cassée"]["mentions"] == 0 and themes["Lampe cassée"]["previous"] > 0
    assert report["themes"]["none"]["period"] > 0


def test_the_brands_own_posts_counted_when_asked(
    both: dict, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """reports.exclude_own_posts: false puts the brands' own posts back in every figure."""
    (tmp_path / "with").mkdir()
    url = f"sqlite:///{tmp_path / 'with' / 'veille.db'}"
    counted, _ = _workspace(url, tmp_path / "with", capsys, exclude_own=False)
    left_out = both["sqlite"][0]
    own = left_out["own_accounts_posts"]
    assert counted["own_accounts_posts"] == {**own, "excluded": False}
    for side, key in (("period", "period"), ("previous", "previous")):
        assert counted["kpis"]["volume"][side] == left_out["kpis"]["volume"][side] + own[key]
    # A competitor's own posts are back in its volume and share of voice too.
    rival = {r["brand"]: r for r in counted["competitors"]}["Rivéo"]
    rival_out = {r["brand"]: r for r in left_out["competitors"]}["Rivéo"]
    assert rival["volume"] > rival_out["volume"]
    # The lists of the brand's own posts and accounts are the same either way.
    assert counted["own_posts"] == left_out["own_posts"]
    assert counted["own_accounts"] == left_out["own_accounts"]
