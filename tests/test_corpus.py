"""The labelled corpus: seeded sample, checked annotator files, κ, frozen split, rebuild."""

from __future__ import annotations

import json
import math
import random
import shutil
from pathlib import Path

import numpy as np
import pytest

from nlp.calibration import macro_f1
from nlp.corpus import agreement, build, collect, items, sample, split
from nlp.corpus.gold import gold
from nlp.corpus.paths import ITEMS, SPLIT
from nlp.corpus.sources import Text
from nlp.corpus.textkey import pseudonymise, text_key


def _texts(n: int) -> list[Text]:
    return [
        Text("src", text_key(f"t{i}"), "fr", "review", "ctx", f"t{i}", stratum=str(i % 5 + 1))
        for i in range(n)
    ]


# --- sample ---------------------------------------------------------------------------------


def test_allocate_spreads_evenly_caps_small_strata_and_follows_shares() -> None:
    assert sample.allocate({"a": 100, "b": 3, "c": 100}, 60) == {"a": 29, "b": 3, "c": 28}
    assert sample.allocate({"0": 500, "1": 500}, 200, {"1": 0.4, "0": 0.6}) == {"0": 120, "1": 80}
    # a share that cannot be met is filled from the other strata
    assert sample.allocate({"0": 500, "1": 10}, 100, {"1": 0.4, "0": 0.6}) == {"0": 90, "1": 10}
    assert sample.allocate({"a": 2, "b": 1}, 10) == {"a": 2, "b": 1}


def test_draw_is_seeded_and_blind_to_file_order() -> None:
    texts = _texts(200)
    quota = sample.Quota("src", "fr", 50, by=("stratum",))
    first = sample.draw(texts, quota, random.Random("s"))
    shuffled = texts[:]
    random.Random(3).shuffle(shuffled)
    again = sample.draw(shuffled, quota, random.Random("s"))
    assert [t.key for t in first] == [t.key for t in again]
    assert len(first) == 50
    assert {t.stratum for t in first} == {"1", "2", "3", "4", "5"}  # every star level present
    other = sample.draw(texts, quota, random.Random("another seed"))
    assert [t.key for t in other] != [t.key for t in first]


def test_the_committed_item_list_is_what_the_sampler_draws(corpus_sources: Path) -> None:
    drawn = sample.sample(corpus_sources)
    assert drawn == items.of_round(items.read_items(ITEMS), 1)  # later rounds: nlp.corpus.extend
    langs = [i["lang"] for i in drawn]
    assert langs.count("fr") >= 3000 and langs.count("en") >= 1000
    assert not any(i["source"] == "umsab_french" and i["lang"] != "fr" for i in drawn)


def test_items_hold_no_text() -> None:
    header = ITEMS.read_text(encoding="utf-8").splitlines()[0]
    assert header == "id,source,key,lang,kind,round"


def test_an_item_list_without_rounds_reads_as_round_1(tmp_path: Path) -> None:
    path = tmp_path / "items.csv"
    path.write_text("id,source,key,lang,kind\nfr-0001,src,k,fr,review\n", encoding="utf-8")
    assert items.read_items(path)[0]["round"] == "1"
    items.write_items(items.read_items(path), path, force=True)
    assert path.read_text(encoding="utf-8").splitlines()[1] == "fr-0001,src,k,fr,review,1"


def test_pseudonymise_keeps_brand_accounts_only() -> None:
    import re

    keep = re.compile(r"@engie\w*", re.IGNORECASE)
    text = "@jean_dupont @ENGIEpartSAV toujours rien https://t.co/x cc @dgccrf"
    assert pseudonymise(text, keep) == "@user @ENGIEpartSAV toujours rien http cc @user"


# --- collect --------------------------------------------------------------------------------


def _records(tmp_path: Path, ids: list[str]) -> Path:
    records = tmp_path / "records"
    records.mkdir()
    rows = [{"id": i, "source": "src", "key": f"k{i}", "lang": "fr", "kind": "review"} for i in ids]
    items.write_items(rows, records / "items.csv")
    return records


def test_collect_names_file_line_and_what_is_allowed(tmp_path: Path) -> None:
    records = _records(tmp_path, ["fr-0001", "fr-0002", "fr-0003", "fr-0004", "fr-0005"])
    out = tmp_path / "annot" / "ann_a" / "fr"
    out.mkdir(parents=True)
    batch = out / "batch_001.jsonl"
    batch.write_text(
        "\n".join(
            [
                '{"id": "fr-0001", "topic": "service_client", "sentiment": "negative", "note": "sarcasm"}',
                '{"id": "fr-0002", "topic": "promo", "sentiment": "positive"}',
                '{"id": "fr-0003", "topic": "autre", "sentiment": "angry"}',
                '{"id": "fr-0004", "skip": "not_fr"}',
                '{"id": "fr-0009", "topic": "autre", "sentiment": "neutral"}',
                "not json",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    result = collect.collect("ann_a", tmp_path / "annot", records / "items.csv")
    assert [a.id for a in result.annotations] == ["fr-0001", "fr-0004"]
    assert result.annotations[1].skip == "not_fr"
    messages = "\n".join(result.problems)
    assert f"{batch}:2: fr-0002: topic 'promo' is not one of prescription" in messages
    assert f"{batch}:3: fr-0003: sentiment 'angry' is not one of negative, neutral" in messages
    assert f"{batch}:5: id 'fr-0009' is not an item of this batch" in messages
    assert f"{batch}:6: not a JSON object" in messages
    assert "3 items without a line, e.g. fr-0002, fr-0003, fr-0005" in messages
    target = records / "annotations_ann_a.csv"
    collect.write_annotations(result.annotations, target)
    assert collect.read_annotations(target)["fr-0001"].note == "sarcasm"


def test_collect_refuses_both_skip_and_labels(tmp_path: Path) -> None:
    records = _records(tmp_path, ["fr-0001"])
    out = tmp_path / "annot" / "b" / "fr"
    out.mkdir(parents=True)
    (out / "batch_001.jsonl").write_text(
        '{"id": "fr-0001", "skip": "x", "topic": "autre", "sentiment": "neutral"}\n'
    )
    result = collect.collect("b", tmp_path / "annot", records / "items.csv")
    assert result.annotations == []
    assert "give either skip or topic and sentiment, not both" in result.problems[0]
    with pytest.raises(ValueError, match="letters, digits"):
        collect.collect("../x", tmp_path / "annot", records / "items.csv")


# --- agreement ------------------------------------------------------------------------------


def test_kappa_matches_a_hand_computed_example() -> None:
    # 10 items, 2 classes: both "p" on 4, both "n" on 3, (p, n) on 2, (n, p) on 1.
    # po = 7/10; first rater p=6 n=4, second p=5 n=5; pe = (6*5 + 4*5)/100 = 0.5; κ = 0.4
    pairs = [("p", "p")] * 4 + [("n", "n")] * 3 + [("p", "n")] * 2 + [("n", "p")]
    assert agreement.kappa(pairs) == pytest.approx(0.4)
    assert agreement.kappa([("a", "a"), ("b", "b")]) == pytest.approx(1.0)
    assert math.isnan(agreement.kappa([("a", "a")] * 3))
    table = agreement.confusion(pairs)
    assert table.loc["p", "n"] == 2 and table.loc["n", "p"] == 1
    # F1 of p: 2*4 / (6 + 5) = 8/11; of n: 2*3 / (4 + 5) = 2/3; the same either way round,
    # and as the models' macro-F1 with one reading as gold.
    assert agreement.macro_f1_between(pairs) == pytest.approx((8 / 11 + 2 / 3) / 2)
    swapped = [(b, a) for a, b in pairs]
    assert agreement.macro_f1_between(swapped) == pytest.approx((8 / 11 + 2 / 3) / 2)
    codes = {"p": 0, "n": 1}
    gold, predicted = (np.array([codes[x[i]] for x in pairs]) for i in (0, 1))
    assert agreement.macro_f1_between(pairs) == pytest.approx(macro_f1(gold, predicted, 2))


def test_gold_takes_agreement_then_the_third_reading() -> None:
    a = collect.Annotation("x", "service_client", "negative")
    b = collect.Annotation("x", "information", "negative")
    assert gold([a, a], None).status == "agreed"
    assert gold([a, b], None).status == "pending"
    settled = gold([a, b], {"topic": "service_client", "sentiment": "positive"})
    # the third reading settles the topic; both readings agreed on the sentiment, which stays
    assert (settled.topic, settled.sentiment, settled.status) == (
        "service_client",
        "negative",
        "adjudicated",
    )
    s = collect.Annotation("x", skip="not_fr")
    assert gold([s, s], None).status == "skipped"
    assert gold([a, s], {"skip": "not_fr"}).status == "skipped"
    assert gold([a, s], {"topic": "autre", "sentiment": "neutral"}).topic == "autre"


# --- split ----------------------------------------------------------------------------------


def test_split_is_stratified_seeded_and_written_once(tmp_path: Path) -> None:
    rows = [
        {"id": f"fr-{i:04d}", "source": "s1" if i % 3 else "s2", "key": str(i), "lang": "fr",
         "kind": "review" if i % 2 else "tweet_to_brand"}
        for i in range(1, 401)
    ]  # fmt: skip
    assignment = split.split(rows)
    assert assignment == split.split(list(reversed(rows)))
    for kind in ("review", "tweet_to_brand"):
        for source in ("s1", "s2"):
            ids = [r["id"] for r in rows if r["kind"] == kind and r["source"] == source]
            test = sum(assignment[i] == "test" for i in ids)
            assert test == round(len(ids) * 0.2)
    path = tmp_path / "split.csv"
    split.write_split(assignment, path)
    with pytest.raises(FileExistsError, match="frozen"):
        split.write_split(split.split(rows, seed=1), path)
    assert split.read_split(path) == assignment
    split.write_split(split.split(rows, seed=1), path, force=True)
    assert split.read_split(path) != assignment


def test_the_committed_split_is_20_percent_of_each_language_and_kind_of_round_1() -> None:
    assignment = split.read_split(SPLIT)
    listed = items.of_round(items.read_items(ITEMS), 1)  # later rounds are train only
    assert set(assignment) >= {i["id"] for i in listed}
    for lang in ("fr", "en"):
        ids = [i["id"] for i in listed if i["lang"] == lang]
        share = sum(assignment[i] == "test" for i in ids) / len(ids)
        assert share == pytest.approx(0.2, abs=0.005)


# --- build ----------------------------------------------------------------------------------


def test_build_joins_texts_labels_and_split(corpus_sources: Path, tmp_path: Path) -> None:
    records = tmp_path / "records"
    records.mkdir()
    listed = items.read_items(ITEMS)
    engie = [i for i in listed if i["source"] == "fr_engie_tweets"][:3]
    sxsw = [i for i in listed if i["source"] == "en_sxsw_brand_tweets"][:2]
    chosen = engie + sxsw
    items.write_items(chosen, records / "items.csv")
    shutil.copy(SPLIT, records / "split.csv")
    first = [collect.Annotation(i["id"], "service_client", "negative") for i in chosen]
    second = [collect.Annotation(i["id"], "service_client", "negative") for i in engie[:2]]
    second.append(collect.Annotation(engie[2]["id"], "information", "neutral"))
    second.append(collect.Annotation(sxsw[0]["id"], skip="not_en"))
    collect.write_annotations(first, records / "annotations_a.csv")
    collect.write_annotations(second, records / "annotations_b.csv")

    frame = build.load_corpus(corpus_sources, records)
    assert list(frame["id"]) == [i["id"] for i in engie[:2]]
    assert (frame["status"] == "agreed").all()
    assert all("@ENGIE" in t or "@" not in t.replace("@user", "") for t in frame["text"])
    full = build.load_corpus(corpus_sources, records, include_unlabelled=True).set_index("id")
    assert full.loc[engie[2]["id"], "status"] == "pending"
    assert full.loc[sxsw[1]["id"], "status"] == "pending"  # read once only
    assert set(full["split"]) <= {"train", "test"}
    assert full.loc[engie[0]["id"], "key"] == text_key_of(corpus_sources, engie[0])

    (records / "adjudication.csv").write_text(
        f"id,topic,sentiment,skip,reason\n{engie[2]['id']},service_client,negative,,R1\n"
    )
    settled = build.load_corpus(corpus_sources, records).set_index("id")
    assert settled.loc[engie[2]["id"], "status"] == "adjudicated"


def text_key_of(data: Path, item: dict[str, str]) -> str:
    from nlp.corpus.batches import resolve

    return resolve(data, [item])[item["id"]].key


def test_excluded_keys_are_the_test_items_of_a_source() -> None:
    assignment = split.read_split(SPLIT)
    listed = items.read_items(ITEMS)
    keys = build.excluded_keys("umsab_french")
    expected = {
        i["key"] for i in listed if i["source"] == "umsab_french" and assignment[i["id"]] == "test"
    }
    assert keys == expected and 80 <= len(keys) <= 100


def test_excluded_keys_match_umsab_train_lines(corpus_sources: Path) -> None:
    from nlp.train.data import umsab

    texts, _ = umsab(corpus_sources, "french", "train")
    keys = build.excluded_keys("umsab_french")
    assert sum(text_key(t) in keys for t in texts) == len(keys)


def test_batches_mix_sources_and_hide_the_sources_labels(
    corpus_sources: Path, tmp_path: Path
) -> None:
    from nlp.corpus.batches import write_batches

    counts = write_batches(corpus_sources, tmp_path)  # round 1
    assert counts == {"fr": 33, "en": 12}
    lines = [json.loads(x) for x in (tmp_path / "batches" / "fr" / "batch_001.jsonl").open()]
    assert len(lines) == 100
    assert set(lines[0]) == {"id", "lang", "kind", "context", "text"}
    assert len({line["kind"] for line in lines}) >= 4
    # The annotators' procedure travels with the batches (the guide points to it).
    readme = (tmp_path / "README.md").read_text(encoding="utf-8")
    assert "Work alone" in readme and "collect <annotator> --round <round> --check" in readme
    guide = Path(__file__).resolve().parents[1] / "docs" / "annotation-guide.md"
    assert "nlp/corpus/annotators.md" in guide.read_text(encoding="utf-8")


def test_disagreements_go_to_a_third_reading_and_come_back(
    corpus_sources: Path, tmp_path: Path
) -> None:
    listed = [i for i in items.read_items(ITEMS) if i["lang"] == "fr"][:3]
    first = {i["id"]: collect.Annotation(i["id"], "service_client", "negative") for i in listed}
    second = dict(first)
    second[listed[1]["id"]] = collect.Annotation(listed[1]["id"], "prescription", "negative")
    pairs = {i: [first[i], second[i]] for i in first}
    annot = tmp_path / "annot"
    assert agreement.write_todo(annot, corpus_sources, listed, pairs) == {"fr": 1}
    todo = [json.loads(x) for x in (annot / "adjudication" / "todo_fr.jsonl").open()]
    assert todo[0]["id"] == listed[1]["id"] and todo[0]["text"]
    assert [r["topic"] for r in todo[0]["readings"]] == ["service_client", "prescription"]
    answers = annot / "adjudication" / "fr"
    answers.mkdir()
    (answers / "a.jsonl").write_text(
        json.dumps({"id": listed[1]["id"], "topic": "service_client", "sentiment": "negative",
                    "reason": "R5: a specific delivery problem"}) + "\n"
        + '{"id": "fr-0001", "topic": "nope", "sentiment": "negative", "reason": ""}\n'
    )  # fmt: skip
    out = tmp_path / "adjudication.csv"
    kept, problems = agreement.gather_adjudication(annot, listed, out)
    assert kept == 1 and "a.jsonl:2: fr-0001: topic 'nope'" in problems[0]
    assert "R5" in out.read_text()
    text = agreement.report(pairs, {i["id"]: "fr" for i in listed})
    assert "| fr | topic | 3 | 0.667 |" in text
