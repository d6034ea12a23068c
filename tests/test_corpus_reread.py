"""The second reading of suspected label errors: the finder (confident learning), the readers'
files, and the gold that follows — a train item takes the value both fresh readers give, a
test item never changes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlp.corpus import build, collect, items, reread
from nlp.corpus.gold import Gold
from nlp.corpus.paths import ITEMS, SPLIT
from nlp.corpus.split import read_split
from nlp.train import suspects


def test_confident_errors_flag_a_label_the_probabilities_contradict() -> None:
    labels = np.array([0, 0, 0, 1, 1, 1, 0])
    probs = np.array([
        [0.9, 0.1], [0.8, 0.2], [0.7, 0.3],   # class 0, read as 0
        [0.2, 0.8], [0.1, 0.9], [0.3, 0.7],   # class 1, read as 1
        [0.05, 0.95],                          # labelled 0, read confidently as 1
    ])  # fmt: skip
    found = suspects.confident_errors(probs, labels)
    assert [(s.row, s.label, s.guess) for s in found] == [(6, 0, 1)]
    assert found[0].label_p == pytest.approx(0.05)


def test_confident_errors_rank_the_most_contradicted_first_and_skip_the_unsure() -> None:
    labels = np.array([0, 0, 1, 1, 0, 0])
    probs = np.array([
        [0.9, 0.1], [0.9, 0.1], [0.1, 0.9], [0.2, 0.8],
        [0.3, 0.7],  # labelled 0, under class 1's threshold (0.85) and class 0's: unsure
        [0.02, 0.98],  # labelled 0, over class 1's threshold: suspect
    ])  # fmt: skip
    found = suspects.confident_errors(probs, labels)
    assert [s.row for s in found] == [5]
    three = np.array([0, 1, 2, 2, 0, 1])
    p3 = np.array([
        [0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8], [0.6, 0.1, 0.3],
        [0.1, 0.1, 0.8], [0.1, 0.1, 0.8],
    ])  # fmt: skip
    ranked = suspects.confident_errors(p3, three)
    # rows 4 and 5 (their label at 0.1, class 2 at 0.8) before row 3 (label 2 at 0.3, class 0
    # at 0.6): the most contradicted first, ties in row order
    assert [s.row for s in ranked] == [4, 5, 3]


def test_find_queues_at_most_the_asked_number_per_task() -> None:
    rng = np.random.default_rng(0)
    n = 60
    topics = ["service_client", "prescription", "autre"] * (n // 3)
    sentiments = ["negative", "neutral", "positive"] * (n // 3)
    texts = [f"{t} texte numéro {i}" for i, t in enumerate(topics)]
    vectors = rng.normal(size=(n, 8)).astype(np.float32)
    vectors[:, 0] += np.array(
        [["service_client", "prescription", "autre"].index(t) for t in topics]
    )
    ids = [f"fr-{i:04d}" for i in range(n)]
    rows = suspects.find(ids, texts, {"topic": topics, "sentiment": sentiments}, vectors, 4)
    by_task = {task: [r for r in rows if r["task"] == task] for task in suspects.TASKS}
    assert all(len(v) <= 4 for v in by_task.values())
    assert all(r["id"] in ids and r["label"] != r["guess"] for r in rows)


def _queue(records: Path, ids: list[str]) -> Path:
    path = records / "suspects.csv"
    suspects.write_queue(
        [{"id": i, "task": "topic", "label": "autre", "guess": "information", "label_p": "0.1",
          "guess_p": "0.9"} for i in ids],
        path,
    )  # fmt: skip
    return path


def test_reread_batches_hold_texts_only_and_collect_names_file_and_line(
    tmp_path: Path,
) -> None:
    records = tmp_path / "records"
    records.mkdir()
    rows = [
        {"id": f"{lang}-000{n}", "source": "s", "key": f"k{lang}{n}", "lang": lang, "kind": "review"}
        for lang in ("en", "fr") for n in (1, 2)
    ]  # fmt: skip
    items.write_items(rows, records / "items.csv")
    queue = _queue(records, ["fr-0001", "fr-0002", "en-0002"])
    cut = reread.reread_batches(queue, records / "items.csv")
    assert {k: [r["id"] for r in v] for k, v in cut.items()} == {
        ("fr", "batch_001.jsonl"): ["fr-0001", "fr-0002"],
        ("en", "batch_001.jsonl"): ["en-0002"],
    }
    annot = tmp_path / "annot"
    out = annot / "r1" / "reread_fr"
    out.mkdir(parents=True)
    (out / "batch_001.jsonl").write_text(
        json.dumps({"id": "fr-0001", "topic": "information", "sentiment": "neutral"})
        + "\n"
        + json.dumps({"id": "fr-0002", "topic": "nope", "sentiment": "neutral"})
        + "\n",
        encoding="utf-8",
    )
    found, problems = reread.collect("r1", annot, queue, records / "items.csv")
    assert [a.id for a in found] == ["fr-0001"]  # English not read by r1: not asked for
    assert any("batch_001.jsonl:2" in p and "topic 'nope'" in p for p in problems)
    assert any("1 items without a line" in p for p in problems)
    none, problem = reread.collect("r2", annot, queue, records / "items.csv")
    assert none == [] and "no such folder" in problem[0]


def test_regold_takes_the_readers_value_on_train_items_only() -> None:
    stored = Gold("fr-0001", "prescription", "positive", "agreed")
    both = collect.Annotation("fr-0001", "communication", "")
    assert reread.regold(stored, both, "train") == Gold(
        "fr-0001", "communication", "positive", "agreed"
    )
    assert reread.regold(stored, both, "test") == stored
    assert reread.regold(stored, both, "test7") == stored
    assert reread.regold(stored, None, "train") == stored
    pending = Gold("fr-0001", "", "", "pending")
    assert reread.regold(pending, both, "train") == pending
    skip = collect.Annotation("fr-0001", skip="not_fr")
    assert reread.regold(stored, skip, "train").status == "skipped"


def test_agreed_rereadings_keep_a_task_only_where_both_readers_agree(tmp_path: Path) -> None:
    a = [
        collect.Annotation("fr-0001", "communication", "positive"),
        collect.Annotation("fr-0002", "autre", "neutral"),
        collect.Annotation("fr-0003", skip="not_fr"),
        collect.Annotation("fr-0004", skip="not_fr"),
    ]
    b = [
        collect.Annotation("fr-0001", "communication", "neutral"),
        collect.Annotation("fr-0002", "information", "negative"),
        collect.Annotation("fr-0003", skip="unintelligible"),
        collect.Annotation("fr-0004", "autre", "neutral"),
    ]
    collect.write_annotations(a, tmp_path / "reread_a.csv")
    collect.write_annotations(b, tmp_path / "reread_b.csv")
    agreed = reread.agreed_rereadings(tmp_path)
    assert agreed == {
        "fr-0001": collect.Annotation("fr-0001", "communication", ""),
        "fr-0003": collect.Annotation("fr-0003", skip="not_fr"),
    }


def test_the_corpus_gold_follows_the_second_reading_and_test_labels_stay(tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    assignment = read_split(SPLIT)
    listed = items.read_items(ITEMS)
    train = [i for i in listed if assignment.get(i["id"]) == "train"][:2]
    test = [i for i in listed if assignment.get(i["id"]) == "test"][:1]
    chosen = train + test
    items.write_items(chosen, records / "items.csv")
    shutil.copy(SPLIT, records / "split.csv")
    first = [collect.Annotation(i["id"], "service_client", "negative") for i in chosen]
    collect.write_annotations(first, records / "annotations_a.csv")
    collect.write_annotations(first, records / "annotations_b.csv")
    again = [collect.Annotation(i["id"], "information", "negative") for i in chosen]
    collect.write_annotations(again, records / "reread_c.csv")
    collect.write_annotations(
        [*again[:1], collect.Annotation(train[1]["id"], "autre", "neutral"), *again[2:]],
        records / "reread_d.csv",
    )
    frame = build.labels(records).set_index("id")
    assert frame.loc[train[0]["id"], "topic"] == "information"  # both readers: information
    assert frame.loc[train[1]["id"], "topic"] == "service_client"  # they differ: stored stays
    assert frame.loc[test[0]["id"], "topic"] == "service_client"  # frozen
    before = build.labels(records, reread=False).set_index("id")
    assert (before["topic"] == "service_client").all()


def test_the_committed_second_reading_is_of_train_items_each_read_twice() -> None:
    from nlp.corpus.gold import readings
    from nlp.corpus.paths import RECORDS, REREAD_QUEUE
    from nlp.corpus.reread_report import report

    assignment = read_split(SPLIT)
    queued = reread.queued(REREAD_QUEUE)
    assert queued and all(assignment[i] == "train" for i in queued)
    with REREAD_QUEUE.open(encoding="utf-8") as fh:
        tasks = [line.split(",")[1] for line in fh.read().splitlines()[1:]]
    assert {t: tasks.count(t) for t in set(tasks)} == {"topic": 250, "sentiment": 250}
    pairs = readings(reread.read_rereadings(RECORDS))
    assert sorted(pairs) == queued and all(len(p) == 2 for p in pairs.values())
    assert (RECORDS / "reread.md").read_text(encoding="utf-8") == report()
    after, before = build.labels(), build.labels(reread=False)
    changed = after["topic"].ne(before["topic"]) | after["sentiment"].ne(before["sentiment"])
    assert set(after.loc[changed, "id"]) <= set(queued)
    assert not (after.loc[changed, "split"] != "train").any()


def test_the_finder_keeps_a_queue_that_was_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    queue = _queue(tmp_path, ["fr-0001"])
    before = queue.read_bytes()
    assert suspects.main(["--out", str(queue)]) == 1
    assert queue.read_bytes() == before
    assert "exists" in capsys.readouterr().err
