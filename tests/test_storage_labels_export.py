"""Labels (a person wins over a model), stats and the export formats, on both backends."""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
from sqlalchemy import Engine, insert, select

from reports.export import write_export
from storage.labels import LabelRecord, save_labels
from storage.models import Label, Mention, MentionFlag
from storage.queries import stats
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def _load(engine: Engine) -> dict[str, int]:
    records = [
        MentionRecord(
            source="tw" if i % 2 else "forum",
            source_kind="twitter_export" if i % 2 else "forum",
            external_id=f"m{i}",
            text=f'Lumino ; « guillemets », virgule, "quote" n°{i}\nligne 2',
            lang="fr" if i < 4 else "en",
            published_at=T0 + timedelta(days=i),
            author=AuthorRecord(handle=f"a{i}"),
            likes=i,
            brands=[BrandMatch("Lumino")] + ([BrandMatch("Rivéo")] if i % 3 == 0 else []),
        )
        for i in range(6)
    ]
    MentionStore(engine).store(records)
    with engine.connect() as conn:
        return {e: i for e, i in conn.execute(select(Mention.external_id, Mention.id)).tuples()}


def test_a_persons_label_wins_over_a_models(engine: Engine) -> None:
    ids = _load(engine)
    m = ids["m1"]
    with engine.begin() as conn:
        save_labels(conn, [LabelRecord(m, "sentiment", "positive", 0.9, model="clf", version="1")])
        save_labels(conn, [LabelRecord(m, "sentiment", "negative")], by_human=True)
        # A later model run must not overwrite the person's label…
        save_labels(conn, [LabelRecord(m, "sentiment", "neutral", 0.8, model="clf", version="2")])
        # …but a person may correct themselves.
        save_labels(conn, [LabelRecord(m, "topic", "autre", model="clf", version="1")])
        save_labels(conn, [LabelRecord(m, "topic", "service_client")], by_human=True)
        save_labels(conn, [LabelRecord(m, "topic", "information")], by_human=True)
    with engine.connect() as conn:
        q = select(Label.task, Label.value, Label.by_human).where(Label.mention_id == m)
        rows = {r.task: r for r in conn.execute(q)}
    assert (rows["sentiment"].value, rows["sentiment"].by_human) == ("negative", True)
    assert rows["topic"].value == "information"


def test_stats_counts_per_source_brand_language_and_label(engine: Engine) -> None:
    ids = _load(engine)
    with engine.begin() as conn:
        save_labels(
            conn,
            [LabelRecord(ids[f"m{i}"], "sentiment", "negative" if i < 2 else "neutral",
                         model="clf") for i in range(6)],
        )  # fmt: skip
    s = stats(engine)
    assert s["mentions"] == 6 and s["authors"] == 6
    assert {x["source"]: x["mentions"] for x in s["sources"]} == {"forum": 3, "tw": 3}
    assert s["brands"] == {"Lumino": 6, "Rivéo": 2}
    assert s["languages"] == {"fr": 4, "en": 2}
    assert s["labels"] == {"sentiment": {"neutral": 4, "negative": 2}}


def test_exports_round_trip(engine: Engine, tmp_path: Path) -> None:
    ids = _load(engine)
    with engine.begin() as conn:
        save_labels(conn, [LabelRecord(ids["m3"], "sentiment", "negative")], by_human=True)
        conn.execute(
            insert(MentionFlag).values(
                mention_id=ids["m3"], kind="near_duplicate", reason="same text, 3 accounts",
                group_key="dup-1", flagged_at=T0,
            )
        )  # fmt: skip
    assert write_export(engine, "jsonl", tmp_path / "a.jsonl") == 6
    lines = [json.loads(x) for x in (tmp_path / "a.jsonl").read_text().splitlines()]
    first = next(x for x in lines if x["external_id"] == "m3")
    for key in ("source", "external_id", "url", "author", "published_at", "text", "lang", "brands"):
        assert key in first
    assert first["brands"] == ["Lumino", "Rivéo"]
    assert first["sentiment"] == "negative" and first["sentiment_by_human"] is True
    assert first["labels"]["sentiment"]["value"] == "negative"
    assert first["text"].endswith("n°3\nligne 2")
    # Each mention says whether it is suspicious and why, so a report can be recomputed.
    assert first["suspicious"] is True
    assert first["suspicious_reasons"] == ["near_duplicate: same text, 3 accounts"]
    assert [x["suspicious"] for x in lines].count(True) == 1

    assert write_export(engine, "csv", tmp_path / "a.csv", brand="Rivéo") == 2
    with (tmp_path / "a.csv").open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["external_id"] for r in rows] == ["m0", "m3"]
    assert rows[1]["brands"] == "Lumino|Rivéo" and '"quote"' in rows[1]["text"]
    assert rows[1]["suspicious"] == "True" and rows[0]["suspicious_reasons"] == ""

    since = T0 + timedelta(days=4)
    assert write_export(engine, "parquet", tmp_path / "a.parquet", since=since) == 2
    frame = pd.read_parquet(tmp_path / "a.parquet")
    assert list(frame["external_id"]) == ["m4", "m5"]
    assert list(frame["likes"]) == [4, 5]
    assert list(frame["brands"].iloc[0]) == ["Lumino"]
    assert list(frame["suspicious"]) == [False, False]


def test_empty_export_still_writes_a_valid_file(engine: Engine, tmp_path: Path) -> None:
    assert write_export(engine, "parquet", tmp_path / "e.parquet") == 0
    assert len(pd.read_parquet(tmp_path / "e.parquet")) == 0
    assert write_export(engine, "csv", tmp_path / "e.csv") == 0
    assert (tmp_path / "e.csv").read_text(encoding="utf-8-sig").startswith("source,")


def test_people_s_labels_come_with_their_mention_s_source_kind(engine: Engine) -> None:
    """`veille train` reads a person's label with where its mention was written: the topic
    model's medium flags (`nlp.media`) learn from it."""
    from nlp.retrain import human_rows
    from storage.labelling import iter_human_labels

    ids = _load(engine)
    with engine.begin() as conn:
        for name in ("m0", "m1", "m2", "m3"):
            save_labels(conn, [LabelRecord(ids[name], "topic", "prescription")], by_human=True)
    kinds = {r["external_id"]: r["source_kind"] for r in iter_human_labels(engine)}
    assert kinds == {"m0": "forum", "m1": "twitter_export", "m2": "forum", "m3": "twitter_export"}
    train, held = human_rows(engine, "topic")
    rows = {t: k for t, k in zip(train.texts + held.texts, train.source_kinds + held.source_kinds,
                                  strict=True)}  # fmt: skip
    assert sorted(rows.values()) == ["forum", "forum", "twitter_export", "twitter_export"]
