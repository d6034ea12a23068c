"""A check every later annotation round of the corpus must pass (the round tests call it)."""

from __future__ import annotations

from nlp.corpus import items, split
from nlp.corpus.extend import near_copy
from nlp.corpus.paths import ITEMS, SPLIT


def assert_round_holds_no_copy(round_no: int, item_folds: dict[str, str]) -> None:
    """No two of the round's items alike, none alike an earlier round's item, none holding a
    test text or held in one (`item_folds`: the conftest fixture)."""
    listed = items.read_items(ITEMS)
    earlier = {item_folds[i["id"]] for i in listed if int(i["round"]) < round_no}
    test = [item_folds[i] for i, s in split.read_split(SPLIT).items() if s == "test"]
    drawn = [item_folds[i["id"]] for i in items.of_round(listed, round_no)]
    assert drawn
    assert len(set(drawn)) == len(drawn)
    assert not set(drawn) & earlier
    assert not any(near_copy(f, test) for f in drawn)
