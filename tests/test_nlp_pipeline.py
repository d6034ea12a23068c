"""`veille analyze`, `veille label` and `veille classify` end to end, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from pipeline.cli import app
from pipeline.errors import CommandError, UsageError
from storage.models import Label, Mention, Rejected
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

TEXTS = [
    ("t1", "Toujours pas reçu ma commande, le SAV est injoignable 😡", "client1"),
    ("t2", "Super produit, je recommande vivement !", "client2"),
    ("t3", "JEU CONCOURS : RT pour gagner une trottinette 🎁", "Lumio_FR"),
    ("t4", "I love my new Lumio headphones, great sound", "client3"),
    ("t5", "", "client4"),
]


def _config(tmp_path: Path, url: str) -> Path:
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump({
        "database": {"url": url},
        "brands": [{"name": "Lumio", "query": ["lumio"], "own_accounts": ["Lumio_FR"]}],
        "nlp": {"profile": "fast", "batch_size": 2},
    }))  # fmt: skip
    return path


def _store(engine: Engine) -> dict[str, int]:
    MentionStore(engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=ext, text=text,
                      author=AuthorRecord(handle=author), brands=[BrandMatch("Lumio")])
        for ext, text, author in TEXTS
    )  # fmt: skip
    with engine.connect() as conn:
        return {ext: mid for mid, ext in conn.execute(select(Mention.id, Mention.external_id))}


def _labels(engine: Engine) -> dict[tuple[int, str], tuple[str, str, bool]]:
    with engine.connect() as conn:
        return {
            (r.mention_id, r.task): (r.value, r.version, r.by_human)
            for r in conn.execute(select(Label))
        }


def _veille(config: Path, *args: str, stdin: str | None = None) -> str:
    result = CliRunner().invoke(app, ["--config", str(config), *args], input=stdin)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_analyze_is_incremental_and_people_win(engine: Engine, db_url: str, tmp_path: Path) -> None:
    ids = _store(engine)
    config = _config(tmp_path, db_url)
    out = json.loads(_veille(config, "--quiet", "analyze", "--json"))
    assert out["labelled"] == 15 and out["sentiment"] == 5
    labels = _labels(engine)
    assert labels[(ids["t1"], "sentiment")][0] == "negative"
    assert labels[(ids["t1"], "topic")][0] == "service_client"
    assert labels[(ids["t3"], "topic")][0] == "communication"
    assert labels[(ids["t4"], "language")][0] == "en"
    assert labels[(ids["t5"], "sentiment")][0] == "neutral"
    assert labels[(ids["t5"], "topic")][0] == "autre"
    assert labels[(ids["t1"], "sentiment")][1] == "veille.sentiment.v4"
    with engine.connect() as conn:
        langs = dict(conn.execute(select(Mention.external_id, Mention.lang)).all())
    assert langs["t1"] == "fr" and langs["t4"] == "en" and langs["t5"] == "und"
    # Nothing new: nothing to do.
    assert json.loads(_veille(config, "--quiet", "analyze", "--json"))["labelled"] == 0
    # A person corrects; a relabel redoes the models' labels but never the person's.
    _veille(config, "label", str(ids["t2"]), "sentiment=negative", "topic=service_client",
            "language=fr")  # fmt: skip
    out = json.loads(_veille(config, "--quiet", "analyze", "--relabel", "--json"))
    assert out["sentiment"] == 4 and out["topic"] == 4 and out["language"] == 4
    labels = _labels(engine)
    assert labels[(ids["t2"], "sentiment")] == ("negative", "human", True)
    assert labels[(ids["t2"], "topic")] == ("service_client", "human", True)
    # A new mention alone is labelled next time.
    MentionStore(engine).store(
        [
            MentionRecord(
                source="tw",
                source_kind="twitter_export",
                external_id="t6",
                text="Bonne soirée la team !",
            )
        ]
    )
    assert json.loads(_veille(config, "--quiet", "analyze", "--json"))["labelled"] == 3


def test_label_import_keeps_bad_lines_aside_and_export_round_trips(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    ids = _store(engine)
    config = _config(tmp_path, db_url)
    corrections = tmp_path / "corrections.csv"
    corrections.write_text(
        "mention_id,task,value\n"
        f"{ids['t1']},sentiment,negative\n"
        f"{ids['t2']},topic,prescription\n"
        f"{ids['t3']},sentiment,furious\n"
        f"abc,topic,autre\n"
        f"999999,topic,autre\n"
        f"{ids['t4']},mood,happy\n"
        f"{ids['t4']},language,EN\n",
        encoding="utf-8",
    )
    out = _veille(config, "label", "--import", str(corrections)).replace("\n", "")
    assert "Recorded 3 labels" in out
    assert "corrections.csv:4" in out and "furious" in out
    assert "there is no mention 999999" in out
    with engine.connect() as conn:
        rejected = conn.execute(select(Rejected.location, Rejected.reason)).all()
    assert {loc for loc, _ in rejected} == {"line 4", "line 5", "line 6", "line 7"}
    export = tmp_path / "human.csv"
    _veille(config, "label", "--export", str(export))
    rows = list(csv.DictReader(export.open(encoding="utf-8")))
    assert {(r["task"], r["value"]) for r in rows} == {
        ("sentiment", "negative"),
        ("topic", "prescription"),
        ("language", "en"),
    }
    assert all(r["text"] for r in rows)
    from nlp.train.data import human_labels

    assert human_labels(export, "sentiment") == ([TEXTS[0][1]], ["negative"])


def test_label_refuses_unknown_values_and_mentions(sqlite_engine: Engine, tmp_path: Path) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    runner = CliRunner()
    bad = runner.invoke(app, ["--config", str(config), "label", "1", "sentiment=furious"])
    assert isinstance(bad.exception, UsageError)  # exit code 2 through `main`
    assert "negative, neutral, positive" in str(bad.exception)
    missing = runner.invoke(app, ["--config", str(config), "label", "42", "topic=autre"])
    assert type(missing.exception) is CommandError and "no mention 42" in str(missing.exception)


@pytest.mark.parametrize(
    ("task", "expected"),
    [
        ("sentiment", ["negative", "positive", "neutral", "neutral"]),
        ("topic", ["service_client", "prescription", "autre", "autre"]),
        ("language", ["fr", "fr", "und", "und"]),
    ],
)
def test_classify_without_a_database(tmp_path: Path, task: str, expected: list[str]) -> None:
    config = _config(tmp_path, "sqlite:///" + str(tmp_path / "never-created.db"))
    lines = "Toujours pas reçu mon colis, SAV injoignable, c'est honteux\n" \
            "Super produit, je le recommande à tous, génial\n\n😀😀\n"  # fmt: skip
    out = _veille(config, "classify", task, stdin=lines)
    assert out.splitlines() == expected
    scored = [json.loads(x) for x in _veille(config, "classify", task, "--scores",
                                             stdin=lines).splitlines()]  # fmt: skip
    assert [s["label"] for s in scored] == expected
    assert not (tmp_path / "never-created.db").exists()
