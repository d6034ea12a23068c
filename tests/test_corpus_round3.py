"""Round 3 of the corpus: forum posts from two openly licensed forum dumps (committed,
pseudonymised), drawn at random, with a test part of their own (`test3`) that training never
sees and the frozen test split of round 1 left as it was."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from nlp.corpus import build, extend, forum_posts, items, split
from nlp.corpus.paths import ITEMS, SPLIT
from nlp.corpus.sources import SOURCES, usable

FORUMS = ("en_dwolla_discuss", "fr_forumconstruire")  # round 3's


def test_forum_posts_are_committed_and_read_as_corpus_sources(tmp_path: Path) -> None:
    # they live in the repository (their licences allow it), so no ../shared is needed
    fr = usable("fr_forumconstruire", tmp_path)
    en = usable("en_dwolla_discuss", tmp_path)
    assert len(fr) > 200 and len(en) > 400
    assert {t.kind for t in fr} == {"forum_post"}
    assert {t.kind for t in en} == {"forum_post", "company_reply"}
    opening = next(t for t in en if "." not in t.key.split(":")[1])
    assert opening.text.split("\n")[0] and "first post" in opening.context
    staff = next(t for t in en if t.kind == "company_reply")
    assert "staff" in staff.context
    assert all(t.source in SOURCES for t in fr + en)


def test_forum_posts_name_nobody() -> None:
    staff = re.compile(r"(?<![\w@])(" + "|".join(map(re.escape, forum_posts.STAFF)) + r")(?!\w)")
    for name in FORUMS:
        for post in forum_posts.read_posts(name):
            assert not staff.search(post["text"]), (name, post["key"])
            assert not re.search(r"\w a écrit\s*:", post["text"].replace("@user a écrit", ""))


def test_people_and_scraper_trailers_are_removed() -> None:
    people = forum_posts._people(["Gordon Zheng (gordon)", "Joe (joe)", "Al (al)"])
    said = "Hey gordon, Gordon Zheng said Joe should ask; algebra and joey stay."
    assert people.sub("@user", said) == (
        "Hey @user, @user said @user should ask; algebra and joey stay."
    )
    reply = "Mettez une natte de désolidarisation 2 1"
    assert forum_posts._clean_reply(reply) == "Mettez une natte de désolidarisation"
    edited = "Précisez la matière Edité 1 fois, la dernière fois il y a +1 mois."
    assert forum_posts._clean_reply(edited) == "Précisez la matière"
    assert forum_posts._clean_reply("pataya a écrit: Merci") == "@user a écrit : Merci"


def test_round_3_is_every_forum_source_drawn_at_random() -> None:
    listed = items.read_items(ITEMS)
    round3 = items.of_round(listed, 3)
    assert Counter(i["source"] for i in round3) == {"fr_forumconstruire": 252,
                                                     "en_dwolla_discuss": 300}  # fmt: skip
    assert Counter(i["kind"] for i in round3 if i["lang"] == "en") == {
        "forum_post": 200, "company_reply": 100}  # fmt: skip
    draw = extend.read_draw(extend.draw_file(3))
    assert [d["id"] for d in draw] == [i["id"] for i in round3]
    assert {d["criterion"] for d in draw} == {"random"}
    for lang, first in (("en", 3001), ("fr", 4781)):
        numbers = sorted(int(i["id"][3:]) for i in round3 if i["lang"] == lang)
        assert numbers == list(range(first, first + len(numbers)))


def test_round_3_has_its_own_test_part_and_the_test_split_is_unchanged() -> None:
    assignment = split.read_split(SPLIT)
    listed = items.read_items(ITEMS)
    round3 = items.of_round(listed, 3)
    values = Counter(assignment[i["id"]] for i in round3)
    assert set(values) == {"train", "test3"}
    assert values["test3"] == sum(
        round(n * split.TEST_SHARE)
        for n in Counter((i["lang"], i["kind"], i["source"]) for i in round3).values()
    )
    assert not any(assignment[i["id"]] == "test3" for i in listed if i["round"] != "3")
    held = build.excluded_keys()
    assert {i["key"] for i in round3 if assignment[i["id"]] == "test3"} <= held
    assert not {i["key"] for i in round3 if assignment[i["id"]] == "train"} & held


def test_extend_split_draws_the_own_test_part_of_a_random_round(tmp_path: Path) -> None:
    rows = [{"id": f"fr-{i:04d}", "source": "s", "key": str(i), "lang": "fr", "kind": "review",
             "round": "1"} for i in range(1, 51)]  # fmt: skip
    path = tmp_path / "split.csv"
    split.write_split(split.split(rows), path)
    before = path.read_bytes()
    third = [{**r, "id": f"fr-{int(r['id'][3:]) + 100:04d}", "source": "forum", "round": "3"}
             for r in rows[:30]]  # fmt: skip
    second = [{**r, "id": f"fr-{int(r['id'][3:]) + 200:04d}", "round": "2"} for r in rows[:10]]
    added = split.extend_split(rows + second + third, path)
    assert path.read_bytes().startswith(before)
    assert {added[r["id"]] for r in second} == {"train"}
    assert Counter(added[r["id"]] for r in third) == {"train": 24, "test3": 6}
    assert list(added) == sorted(added)
    assert split.held_out("test3") and split.held_out("test") and not split.held_out("train")
