"""Round 4 of the corpus: drawn as round 2 was (a third at random, a third towards the topics the
rounds 1–3 models read worst, the rest among their least sure texts), training only, from the
sources with fans' and members' chatter; no copy of an earlier item or of a test text."""

from __future__ import annotations

from collections import Counter

import pytest
from corpus_rounds import assert_round_holds_no_copy

from nlp.corpus import extend, items, split
from nlp.corpus.paths import ITEMS, SPLIT


def _round4() -> list[dict[str, str]]:
    return items.of_round(items.read_items(ITEMS), 4)


def test_round_4_draws_its_quotas_and_continues_the_ids() -> None:
    round4 = _round4()
    wanted = Counter({(q.source, q.lang): q.n for q in extend.ROUND4})
    assert Counter((i["source"], i["lang"]) for i in round4) == wanted
    listed = items.read_items(ITEMS)
    for lang in ("en", "fr"):
        earlier = max(int(i["id"][3:]) for i in listed if i["lang"] == lang and int(i["round"]) < 4)
        numbers = sorted(int(i["id"][3:]) for i in round4 if i["lang"] == lang)
        assert numbers == list(range(earlier + 1, earlier + 1 + len(numbers)))


def test_round_4_is_drawn_towards_its_rare_topics_and_a_third_at_random() -> None:
    round4 = _round4()
    draw = extend.read_draw(extend.draw_file(4))
    assert [(d["id"], d["source"]) for d in draw] == [(i["id"], i["source"]) for i in round4]
    lang = {i["id"]: i["lang"] for i in round4}
    for source, n in Counter(i["source"] for i in round4).items():
        randoms = sum(d["source"] == source and d["criterion"] == "random" for d in draw)
        assert randoms == pytest.approx(n / 3, abs=1)
    rare = [d for d in draw if d["criterion"] == "rare"]
    assert len(rare) > len(draw) / 4
    assert all(d["topic"] in extend.RARE[4][lang[d["id"]]] for d in rare)


def test_round_4_is_training_data_only() -> None:
    assignment = split.read_split(SPLIT)
    assert {assignment[i["id"]] for i in _round4()} == {"train"}
    assert 4 not in split.OWN_TEST_PART


def test_round_4_holds_no_copy_of_a_corpus_text(item_folds: dict[str, str]) -> None:
    assert_round_holds_no_copy(4, item_folds)
