"""Round 2 of the corpus: a seeded extension that favours rare topics and uncertain texts,
new items in train only (the test split frozen from round 1), and collect/agreement per round."""

from __future__ import annotations

import hashlib
import json
import random
from collections import Counter
from pathlib import Path

import pytest
from corpus_rounds import assert_round_holds_no_copy

from nlp.corpus import agreement, collect, extend, items, split
from nlp.corpus.batches import shown_text, write_batches
from nlp.corpus.extend import Extension, Scores, candidates, choose, near_copy
from nlp.corpus.paths import ITEMS, RECORDS, SPLIT
from nlp.corpus.sources import Text
from nlp.corpus.textkey import fold, text_key

# The frozen test split as committed at 5245616 (round 1): its ids, and the file's bytes.
TEST_IDS = 896
TEST_IDS_SHA1 = "0c7a7593f5410d6094dd70c074b60bd180f17468"
ROUND1_SPLIT_BYTES = 61833
ROUND1_SPLIT_SHA1 = "f6654f0cc0ee60de4124a987f01545406c21c8fd"


def _text(i: int, body: str | None = None, lang: str = "en") -> Text:
    body = body or f"text number {i} about the product"
    return Text("umsab_english", text_key(body), lang, "review", "ctx", body)


def _scores(text: Text) -> Scores:
    """A fake model: a topic and scores that follow the text's hash (stable, spread)."""
    h = int(hashlib.sha1(text.key.encode()).hexdigest(), 16)
    topics = ("service_client", "information", "communaute", "autre", "prescription")
    return Scores(topics[h % 5], (h % 97) / 100, "neutral", (h % 89) / 100)


def fake_scorer(texts: list[Text]) -> list[Scores]:
    return [_scores(t) for t in texts]


# --- drawing --------------------------------------------------------------------------------


def test_fold_makes_near_copies_equal() -> None:
    assert fold("RT @jean: Hello, World!! 😀 https://t.co/x") == fold("hello world")
    assert fold("@AirlineX my bag is lost") == fold("my BAG is lost.")
    assert fold("my bag is lost") != fold("my bag is found")
    long_test = fold("the whole flight was delayed by three hours and nobody told us")
    assert near_copy(fold("RT so true: The whole flight was delayed by three hours and nobody "
                          "told us!!"), [long_test])  # fmt: skip
    assert not near_copy(fold("delayed by three hours"), [long_test])  # too short to tell


def test_candidates_leave_out_items_test_texts_and_duplicates() -> None:
    texts = [_text(i) for i in range(40)]
    texts += [_text(100, "TEXT number 3 about the product!!")]  # near copy of an item
    texts += [_text(101, "text number 5 about the product")]  # same as a candidate
    test_text = "a test text long enough to be recognised inside a retweet"
    texts += [_text(102, f"RT @x: {test_text} http://t.co")]
    taken_keys = {texts[0].key}
    taken_folds = {fold("text number 3 about the product")}
    quota = Extension("umsab_english", "en", 10)
    pool = candidates(texts, quota, taken_keys, taken_folds, [fold(test_text)], random.Random(1))
    keys = {t.key for t in pool}
    assert texts[0].key not in keys and texts[3].key not in keys and texts[1].key in keys
    assert texts[40].key not in keys  # the near copy of an item
    assert sum(fold(shown_text(t)) == fold("text number 5 about the product") for t in pool) == 1
    assert not any("test text" in t.text for t in pool)
    shuffled = texts[:]
    random.Random(5).shuffle(shuffled)
    again = candidates(shuffled, quota, taken_keys, taken_folds, [fold(test_text)],
                       random.Random(1))  # fmt: skip
    assert [t.key for t in again] == [t.key for t in pool]
    assert not candidates(
        texts, Extension("umsab_english", "fr", 10), set(), set(), [], random.Random(1)
    )


def test_choose_is_seeded_and_favours_rare_topics_and_uncertain_texts() -> None:
    pool = sorted((_text(i) for i in range(600)), key=lambda t: t.key)
    scores = fake_scorer(pool)
    rare = ("information", "communaute")
    first = choose(pool, scores, 90, rare, random.Random("s"))
    assert [d.text.key for d in first] == [
        d.text.key for d in choose(pool, scores, 90, rare, random.Random("s"))
    ]
    assert [d.text.key for d in choose(pool, scores, 90, rare, random.Random("t"))] != [
        d.text.key for d in first
    ]
    assert len({d.text.key for d in first}) == 90
    by = Counter(d.criterion for d in first)
    assert by == {"random": 30, "rare": 30, "uncertain": 30}
    rare_picks = Counter(d.scores.topic for d in first if d.criterion == "rare")
    assert rare_picks == {"information": 15, "communaute": 15}
    certainty = sorted(s.certainty for s in scores)
    unsure = [d.scores.certainty for d in first if d.criterion == "uncertain"]
    assert max(unsure) <= certainty[3 * 30]  # drawn among the 3 × n least sure
    # a rare topic the model never predicts leaves its share to the uncertain texts
    few = choose(pool, scores, 90, ("crowdsourcing",), random.Random("s"))
    assert Counter(d.criterion for d in few) == {"random": 30, "uncertain": 60}


@pytest.mark.slow
def test_extend_on_the_sources_is_deterministic_and_continues_the_ids(
    corpus_sources: Path,
) -> None:
    listed = items.read_items(ITEMS)
    round1 = items.of_round(listed, 1)
    quotas = (Extension("fr_trustpilot_bank", "fr", 20, ("company_reply",)),
              Extension("umsab_english", "en", 30))  # fmt: skip
    new, drawn = extend.extend(corpus_sources, round1, 2, fake_scorer, quotas)
    again, _ = extend.extend(corpus_sources, round1, 2, fake_scorer, quotas)
    assert new == again
    assert Counter(i["lang"] for i in new) == {"fr": 20, "en": 30}
    assert sorted(i["id"] for i in new if i["lang"] == "en")[0] == "en-1201"
    assert sorted(i["id"] for i in new if i["lang"] == "fr")[-1] == "fr-3300"
    assert {i["round"] for i in new} == {"2"}
    assert not {i["key"] for i in new} & {i["key"] for i in round1}
    assert [d.text.key for d in drawn] == [i["key"] for i in new]


# --- the committed round 2 ------------------------------------------------------------------


def test_the_committed_item_list_keeps_round_1_and_adds_round_2() -> None:
    listed = items.read_items(ITEMS)
    header = ITEMS.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,source,key,lang,kind,round"
    round1, round2 = items.of_round(listed, 1), items.of_round(listed, 2)
    later = [i for i in listed if int(i["round"]) > 2]
    assert len(round1) == 4480 and len(listed) == len(round1) + len(round2) + len(later)
    assert Counter(i["lang"] for i in round2) == {"en": 1800, "fr": 1500}
    for lang, first in (("en", 1201), ("fr", 3281)):
        numbers = sorted(int(i["id"][3:]) for i in round2 if i["lang"] == lang)
        assert numbers == list(range(first, first + len(numbers)))
    assert not {(i["source"], i["key"]) for i in round2} & {(i["source"], i["key"]) for i in round1}
    draw = extend.read_draw(extend.draw_file(2))
    assert [(d["id"], d["source"]) for d in draw] == [(i["id"], i["source"]) for i in round2]
    per_source = Counter(i["source"] for i in round2)
    randoms = Counter(d["source"] for d in draw if d["criterion"] == "random")
    for source, n in per_source.items():
        assert randoms[source] == pytest.approx(n / 3, abs=1)  # a third drawn at random


def test_round_2_holds_no_copy_of_a_corpus_text(item_folds: dict[str, str]) -> None:
    assert_round_holds_no_copy(2, item_folds)


def test_the_test_split_is_frozen_from_round_1() -> None:
    assignment = split.read_split(SPLIT)
    listed = items.read_items(ITEMS)
    assert set(assignment) == {i["id"] for i in listed}
    test = sorted(i for i, s in assignment.items() if s == "test")
    assert len(test) == TEST_IDS
    assert hashlib.sha1(",".join(test).encode()).hexdigest() == TEST_IDS_SHA1
    head = SPLIT.read_bytes()[:ROUND1_SPLIT_BYTES]
    assert hashlib.sha1(head).hexdigest() == ROUND1_SPLIT_SHA1  # round-1 rows byte for byte
    assert all(assignment[i["id"]] == "train" for i in items.of_round(listed, 2))
    share = len(test) / len(listed)
    assert share < 0.2


def test_extend_split_appends_train_rows_and_keeps_the_rest(tmp_path: Path) -> None:
    rows = [{"id": f"fr-{i:04d}", "source": "s", "key": str(i), "lang": "fr", "kind": "review"}
            for i in range(1, 51)]  # fmt: skip
    path = tmp_path / "split.csv"
    split.write_split(split.split(rows), path)
    before = path.read_bytes()
    later = [{**r, "id": f"fr-{int(r['id'][3:]) + 50:04d}", "round": "2"} for r in rows[:7]]
    added = split.extend_split(rows + later, path)
    assert added == {r["id"]: "train" for r in later}
    assert path.read_bytes().startswith(before)
    assert split.extend_split(rows + later, path) == {}
    with pytest.raises(ValueError, match="not in the item list"):
        split.extend_split(rows[:10], path)


# --- batches, collect and agreement per round -----------------------------------------------


def test_round_2_batches_are_their_own(corpus_sources: Path, tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    listed = items.read_items(ITEMS)
    round2 = items.of_round(listed, 2)
    chosen = [i for i in listed if i["lang"] == "fr"][:5] + round2[:150] + round2[-30:]
    items.write_items(chosen, records / "items.csv")
    counts = write_batches(corpus_sources, tmp_path, records / "items.csv", round_no=2)
    assert counts == {"en": 2, "fr": 1}  # 150 English items, 30 French
    batch = tmp_path / "batches2"
    ids = [json.loads(x)["id"] for f in sorted(batch.glob("*/*.jsonl")) for x in f.open()]
    assert sorted(ids) == sorted(i["id"] for i in items.of_round(chosen, 2))
    assert not (tmp_path / "batches").exists()


def _write(path: Path, lines: list[dict[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")


def test_collect_and_agreement_keep_rounds_apart(corpus_sources: Path, tmp_path: Path) -> None:
    listed = items.read_items(ITEMS)
    one = [i for i in items.of_round(listed, 1) if i["lang"] == "fr"][:2]
    two = [i for i in items.of_round(listed, 2) if i["lang"] == "fr"][:3]
    records = tmp_path / "records"
    records.mkdir()
    items.write_items(one + two, records / "items.csv")
    annot = tmp_path / "annot"

    def label(i: dict[str, str], topic: str = "service_client") -> dict[str, str]:
        return {"id": i["id"], "topic": topic, "sentiment": "negative"}

    for name in ("ann_a", "ann_b"):
        _write(annot / name / "fr" / "batch_001.jsonl", [label(i) for i in one])
    _write(annot / "ann_a" / "fr2" / "batch_001.jsonl", [label(i) for i in two])
    _write(annot / "ann_b" / "fr2" / "batch_001.jsonl",
           [label(two[0]), label(two[1], "information"), label(two[2])])  # fmt: skip

    first = collect.collect("ann_a", annot, records / "items.csv")
    assert [a.id for a in first.annotations] == [i["id"] for i in one] and not first.problems
    second = collect.collect("ann_a", annot, records / "items.csv", round_no=2)
    assert [a.id for a in second.annotations] == [i["id"] for i in two] and not second.problems
    # the annotator's CSV gathers both rounds; re-collecting one round keeps the other
    for name in ("ann_a", "ann_b"):
        out = records / f"annotations_{name}.csv"
        for rnd, ids in ((1, one), (2, two)):
            got = collect.collect(name, annot, records / "items.csv", rnd).annotations
            collect.write_annotations(
                collect.merge_annotations(got, out, {i["id"] for i in ids}), out
            )
        assert set(collect.read_annotations(out)) == {i["id"] for i in one + two}
    missing = collect.collect("ann_b", annot, records / "items.csv", round_no=3)
    assert missing.files == 0

    from nlp.corpus.gold import read_all_annotations, readings

    pairs = readings(read_all_annotations(records))
    lang_of = {i["id"]: "fr" for i in one + two}
    round_of = {i["id"]: i["round"] for i in one + two}
    text = agreement.report(pairs, lang_of, round_of)
    assert "| 1 | fr | topic | 2 | 1.000 |" in text
    assert "| 2 | fr | topic | 3 | 0.667 |" in text
    assert "| all | fr | topic | 5 | 0.800 |" in text
    assert agreement.write_todo(annot, corpus_sources, one + two, pairs, 2) == {"fr": 1}
    todo = [json.loads(x) for x in (annot / "adjudication" / "todo2_fr.jsonl").open()]
    assert [t["id"] for t in todo] == [two[1]["id"]] and todo[0]["text"]
    assert not (annot / "adjudication" / "todo_fr.jsonl").exists()
    _write(annot / "adjudication" / "fr2" / "answers.jsonl",
           [{**label(two[1]), "reason": "R2"}])  # fmt: skip
    _write(annot / "adjudication" / "fr" / "answers.jsonl",
           [{**label(two[0]), "reason": "a round-2 id in round 1's folder"}])  # fmt: skip
    kept, problems = agreement.gather_adjudication(annot, one + two, tmp_path / "adj.csv")
    assert kept == 1 and "is not an item of this batch" in problems[0]
    assert two[1]["id"] in (tmp_path / "adj.csv").read_text()
    # A later session's folder holds only round 3's answers: the committed rows stay.
    for path in (annot / "adjudication").glob("*/answers.jsonl"):
        path.unlink()
    kept, problems = agreement.gather_adjudication(annot, one + two, tmp_path / "adj.csv")
    assert kept == 1 and not problems
    assert two[1]["id"] in (tmp_path / "adj.csv").read_text()


def test_records_load_with_round_2_read() -> None:
    """Round 2 was read twice and its disagreements settled: no item is pending, every one is
    training data, and round 1's adjudicated items kept their third reading."""
    from nlp.corpus.build import labels

    frame = labels(RECORDS).set_index("id")
    every = items.read_items(ITEMS)
    round1 = [i["id"] for i in items.of_round(every, 1)]
    round2 = [i["id"] for i in items.of_round(every, 2)]
    assert set(frame.loc[round2, "status"]) <= {"agreed", "adjudicated", "skipped"}
    assert (frame.loc[round2, "split"] == "train").all()
    assert (frame.loc[round1, "status"] == "adjudicated").sum() > 400
