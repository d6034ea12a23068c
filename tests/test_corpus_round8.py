"""Round 8 of the corpus: English reviews of a company's service (one London hotel's guests on a
booking site; a public-domain data set, committed), drawn at random evenly over the guests'
scores with a test part of its own (`test8`); no copy of an earlier item, no near copy of a
test text."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from corpus_rounds import assert_round_holds_no_copy

from nlp.corpus import build, extend, items, reviews, split
from nlp.corpus.paths import ITEMS, SPLIT
from nlp.corpus.sample import allocate
from nlp.corpus.sources import usable

SOURCE = "en_hotel_reviews"


def _round8() -> list[dict[str, str]]:
    return items.of_round(items.read_items(ITEMS), 8)


def test_hotel_reviews_are_committed_and_read_as_a_corpus_source(tmp_path: Path) -> None:
    texts = usable(SOURCE, tmp_path)  # committed: no ../shared needed
    assert len(texts) > 4700
    assert {t.kind for t in texts} == {"review"} and {t.lang for t in texts} == {"en"}
    assert {t.stratum for t in texts} == {str(n) for n in range(2, 11)}
    assert all(t.text.startswith(("Liked: ", "Disliked: ")) for t in texts)
    assert all("London hotel" in t.context for t in texts)


def test_the_hotel_file_shows_the_site_s_two_fields_and_drops_empty_ones(tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    clone.mkdir()
    header = ("Hotel_Address,Hotel_Name,Reviewer_Nationality,Negative_Review,Positive_Review,"
              "Reviewer_Score,Tags\n")  # fmt: skip
    (clone / reviews.ORIGINS[SOURCE][1]).write_text(
        header
        + "1 Road,Hotel Z, United Kingdom , Room was  cold ,Great staff,7.9,[]\n"
        + "1 Road,Hotel Z, France ,No Negative, Lovely view ,10.0,[]\n"
        + "1 Road,Hotel Z, Italy , No Negative ,No Positive,5.0,[]\n"
        + "1 Road,Hotel Z, Spain ,Noisy,No Positive,2.5,[]\n",
        encoding="utf-8",
    )
    assert reviews.hotel(clone) == [
        {"key": "booking:00000", "rating": "7", "group": "Hotel Z", "title": "",
         "text": "Liked: Great staff\nDisliked: Room was cold"},
        {"key": "booking:00001", "rating": "10", "group": "Hotel Z", "title": "",
         "text": "Liked: Lovely view"},
        {"key": "booking:00003", "rating": "2", "group": "Hotel Z", "title": "",
         "text": "Disliked: Noisy"},
    ]  # fmt: skip


def test_round_8_is_drawn_evenly_over_the_guests_scores() -> None:
    round8 = _round8()
    assert Counter(i["source"] for i in round8) == {SOURCE: 400}
    pool = {t.key: t.stratum for t in usable(SOURCE, Path("."))}
    drawn = Counter(pool[i["key"]] for i in round8)
    assert drawn == allocate(Counter(pool.values()), 400)
    assert set(drawn.values()) == {44, 45}
    draw = extend.read_draw(extend.draw_file(8))
    assert [d["id"] for d in draw] == [i["id"] for i in round8]
    assert {d["criterion"] for d in draw} == {"random"}


def test_round_8_has_its_own_test_part_held_out_of_training() -> None:
    assignment = split.read_split(SPLIT)
    round8 = _round8()
    assert Counter(assignment[i["id"]] for i in round8) == {"train": 320, "test8": 80}
    assert 8 in split.REVIEW_ROUNDS and 8 in split.OWN_TEST_PART
    held = build.excluded_keys()
    assert {i["key"] for i in round8 if assignment[i["id"]] == "test8"} <= held
    assert not {i["key"] for i in round8 if assignment[i["id"]] == "train"} & held


def test_round_8_holds_no_copy_of_a_corpus_text(item_folds: dict[str, str]) -> None:
    assert_round_holds_no_copy(8, item_folds)
