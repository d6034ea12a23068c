"""`bench/topic_parts.py`: the topic model's out-of-fold figures by part of its train rows
(train part only), and the corpus frame's round column it reads."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_scripts import bench_script


def test_the_corpus_frame_says_which_round_drew_each_item(corpus_sources: Path) -> None:
    """`load_corpus` carries each item's round (from the committed item list), and `rounds`
    keeps rounds 1 to N by it."""
    from nlp.corpus.build import load_corpus
    from nlp.corpus.items import read_items
    from nlp.corpus.paths import ITEMS

    frame = load_corpus(corpus_sources)
    listed = {i["id"]: int(i["round"]) for i in read_items(ITEMS)}
    assert all(listed[i] == r for i, r in zip(frame["id"], frame["round"], strict=True))
    assert set(frame["round"]) == set(listed.values())
    early = load_corpus(corpus_sources, rounds=3)
    assert set(early["round"]) == {1, 2, 3}
    assert len(early) == int((frame["round"] <= 3).sum())


@pytest.mark.slow
def test_the_test_split_sources_and_each_round_get_their_own_figures(
    corpus_sources: Path,
) -> None:
    """The corpus through round 1, profile `fast`: the test split's sources are round 1 alone,
    so both parts hold the same rows and figures; every round-1 train item is scored once, in
    its language; the rule sentences are in no part."""
    from nlp.corpus.build import load_corpus

    figures = bench_script("topic_parts").parts(1, corpus_sources, None, ("fast",))["fast"]
    assert list(figures) == ["test split's sources", "round 1"]
    assert figures["test split's sources"] == figures["round 1"]
    frame = load_corpus(corpus_sources, rounds=1)
    train = frame[frame["split"] == "train"]
    for lang in ("fr", "en"):
        part = figures["round 1"][lang]
        assert part["n"] == int((train["lang"] == lang).sum())
        assert 0.4 < part["macro_f1"] < 0.95
        assert 0 < part["ece_calibrated_bound"] < 0.1
        assert sum(map(sum, part["confusion"])) == part["n"]
