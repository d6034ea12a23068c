"""Round 7 of the corpus: English product reviews (a public-domain data set; committed), the
kind the English part lacked, drawn at random evenly over the stars with a test part of its
own (`test7`); no copy of an earlier item, no near copy of a test text."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

from corpus_rounds import assert_round_holds_no_copy

from nlp.corpus import build, extend, items, split
from nlp.corpus.paths import ITEMS, SPLIT
from nlp.corpus.sample import allocate
from nlp.corpus.sources import Text, usable

SOURCE = "en_clothing_reviews"


def _round7() -> list[dict[str, str]]:
    return items.of_round(items.read_items(ITEMS), 7)


def test_reviews_are_committed_and_read_as_a_corpus_source(tmp_path: Path) -> None:
    reviews = usable(SOURCE, tmp_path)  # committed: no ../shared needed
    assert len(reviews) == 958
    assert {t.kind for t in reviews} == {"review"} and {t.lang for t in reviews} == {"en"}
    assert {t.stratum for t in reviews} == {"1", "2", "3", "4", "5"}
    assert all("review of a women's clothing item" in t.context for t in reviews)
    titled = next(t for t in reviews if t.key == "clothing:00002")
    assert titled.text.startswith("Some major design flaws\nI had such high hopes")


def test_round_7_is_drawn_evenly_over_the_stars() -> None:
    round7 = _round7()
    assert Counter(i["source"] for i in round7) == {SOURCE: 400}
    pool = {t.key: t.stratum for t in usable(SOURCE, Path("."))}
    drawn = Counter(pool[i["key"]] for i in round7)
    # Every one- and two-star review (25 and 72), the rest spread over three to five stars.
    assert drawn == allocate(Counter(pool.values()), 400) == {
        "1": 25, "2": 72, "3": 101, "4": 101, "5": 101}  # fmt: skip
    draw = extend.read_draw(extend.draw_file(7))
    assert [d["id"] for d in draw] == [i["id"] for i in round7]
    assert {d["criterion"] for d in draw} == {"random"}


def test_drawing_by_stratum_is_seeded_and_fills_from_the_larger_strata() -> None:
    pool = [Text("s", f"k{i}", "en", "review", "", f"text {i}", stratum=str(i % 3 or i % 2))
            for i in range(60)]  # fmt: skip
    scores = [extend.Scores("autre", 0.5, "neutral", 0.5)] * len(pool)
    first = extend.by_stratum(pool, scores, 30, random.Random("seed"))
    again = extend.by_stratum(pool, scores, 30, random.Random("seed"))
    assert [d.text.key for d in first] == [d.text.key for d in again]
    sizes = Counter(t.stratum for t in pool)
    assert Counter(d.text.stratum for d in first) == allocate(sizes, 30)
    assert len({d.text.key for d in first}) == 30


def test_round_7_has_its_own_test_part_held_out_of_training() -> None:
    assignment = split.read_split(SPLIT)
    round7 = _round7()
    assert Counter(assignment[i["id"]] for i in round7) == {"train": 320, "test7": 80}
    assert 7 in split.REVIEW_ROUNDS and 7 in split.OWN_TEST_PART
    assert "test7" not in split.FORUM_TEST_PARTS
    held = build.excluded_keys()
    assert {i["key"] for i in round7 if assignment[i["id"]] == "test7"} <= held
    assert not {i["key"] for i in round7 if assignment[i["id"]] == "train"} & held


def test_round_7_holds_no_copy_of_a_corpus_text(item_folds: dict[str, str]) -> None:
    assert_round_holds_no_copy(7, item_folds)


def test_the_review_file_is_written_from_the_data_set_s_own_columns(tmp_path: Path) -> None:
    from nlp.corpus import reviews

    clone = tmp_path / "clone"
    clone.mkdir()
    (clone / reviews.ORIGINS[SOURCE][1]).write_text(
        ",Clothing ID,Age,Title,Review Text,Rating,Recommended IND,Positive Feedback Count,"
        "Division Name,Department Name,Class Name\n"
        '0,767,33,,"Soft  and   warm",4,1,0,Initmates,Intimate,Intimates\n'
        "1,1080,34,Only a title,,2,0,0,General,Dresses,Dresses\n"
        '12,1077,60,Great fit,"Love it, i bought two.",5,1,3,General,Tops,Knits\n',
        encoding="utf-8",
    )
    rows = reviews.clothing(clone)
    assert rows == [
        {"key": "clothing:00000", "rating": "4", "group": "Intimate", "title": "",
         "text": "Soft and warm"},
        {"key": "clothing:00012", "rating": "5", "group": "Tops", "title": "Great fit",
         "text": "Love it, i bought two."},
    ]  # fmt: skip
    written = reviews.write(SOURCE, rows, tmp_path / "out")
    assert list(reviews.read_reviews(SOURCE, tmp_path / "out")) == rows
    assert "Age" not in written.read_text(encoding="utf-8")
