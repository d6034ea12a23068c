"""Round 9 of the corpus: English tweets of the test split's English sources, drawn as round 4
(a third at random, a third towards the topics the English models read worst, the rest among
their least sure texts), training only; no copy of an earlier item or of a test text."""

from __future__ import annotations

from collections import Counter

import pytest
from corpus_rounds import assert_round_holds_no_copy

from nlp.corpus import extend, items, split
from nlp.corpus.paths import ITEMS, SPLIT


def _round9() -> list[dict[str, str]]:
    return items.of_round(items.read_items(ITEMS), 9)


def test_round_9_draws_its_english_quotas_and_continues_the_ids() -> None:
    round9 = _round9()
    wanted = Counter({(q.source, q.lang): q.n for q in extend.ROUND9})
    assert Counter((i["source"], i["lang"]) for i in round9) == wanted
    assert {i["lang"] for i in round9} == {"en"}
    earlier = max(int(i["id"][3:]) for i in items.read_items(ITEMS)
                  if i["lang"] == "en" and int(i["round"]) < 9)  # fmt: skip
    numbers = sorted(int(i["id"][3:]) for i in round9)
    assert numbers == list(range(earlier + 1, earlier + 501))


def test_round_9_is_drawn_towards_the_weak_english_topics_and_a_third_at_random() -> None:
    round9 = _round9()
    draw = extend.read_draw(extend.draw_file(9))
    assert [(d["id"], d["source"]) for d in draw] == [(i["id"], i["source"]) for i in round9]
    for source, n in Counter(i["source"] for i in round9).items():
        randoms = sum(d["source"] == source and d["criterion"] == "random" for d in draw)
        assert randoms == pytest.approx(n / 3, abs=1)
    rare = [d for d in draw if d["criterion"] == "rare"]
    assert len(rare) > len(draw) / 4
    assert {d["topic"] for d in rare} == set(extend.RARE[9]["en"])


def test_round_9_is_training_data_only() -> None:
    assignment = split.read_split(SPLIT)
    assert {assignment[i["id"]] for i in _round9()} == {"train"}
    assert 9 not in split.OWN_TEST_PART


def test_round_9_holds_no_copy_of_a_corpus_text(item_folds: dict[str, str]) -> None:
    assert_round_holds_no_copy(9, item_folds)
