"""Round 6 of the corpus: English texts of the test split's own English sources, drawn at random
with a test part of its own (`test6`) — a second measure of English beside the frozen test
split's 236 English items; no copy of an earlier item, no near copy of a test text."""

from __future__ import annotations

from collections import Counter

from corpus_rounds import assert_round_holds_no_copy

from nlp.corpus import build, extend, items, split
from nlp.corpus.paths import ITEMS, SPLIT


def _round6() -> list[dict[str, str]]:
    return items.of_round(items.read_items(ITEMS), split.ENGLISH_TEST_ROUND)


def test_round_6_is_the_english_sources_drawn_at_random() -> None:
    round6 = _round6()
    assert Counter(i["source"] for i in round6) == {q.source: q.n for q in extend.ROUND6}
    assert {i["lang"] for i in round6} == {"en"}
    draw = extend.read_draw(extend.draw_file(6))
    assert [d["id"] for d in draw] == [i["id"] for i in round6]
    assert {d["criterion"] for d in draw} == {"random"}
    assignment = split.read_split(SPLIT)  # read once, not once per item
    test_sources = {i["source"] for i in items.read_items(ITEMS) if i["lang"] == "en"
                    and assignment[i["id"]] == "test"}  # fmt: skip
    assert set(Counter(i["source"] for i in round6)) == test_sources


def test_round_6_has_its_own_test_part_held_out_of_training() -> None:
    assignment = split.read_split(SPLIT)
    round6 = _round6()
    values = Counter(assignment[i["id"]] for i in round6)
    assert values == {"train": 800, "test6": 200}  # 20 % of each source
    assert 6 in split.OWN_TEST_PART and "test6" not in split.FORUM_TEST_PARTS
    held = build.excluded_keys()
    assert {i["key"] for i in round6 if assignment[i["id"]] == "test6"} <= held
    assert not {i["key"] for i in round6 if assignment[i["id"]] == "train"} & held


def test_round_6_holds_no_copy_of_a_corpus_text(item_folds: dict[str, str]) -> None:
    assert_round_holds_no_copy(6, item_folds)
