"""Round 5 of the corpus: a second English support forum (DocuSign's developer boards, from an
MIT-licensed dump; committed, pseudonymised), drawn at random with a test part of its own
(`test5`), like round 3."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

from nlp.corpus import build, extend, forum_posts, items, split
from nlp.corpus.paths import ITEMS, SPLIT
from nlp.corpus.sources import usable

SOURCE = "en_docusign_community"


def _round5() -> list[dict[str, str]]:
    return items.of_round(items.read_items(ITEMS), 5)


def test_docusign_posts_are_committed_and_read_as_a_corpus_source(tmp_path: Path) -> None:
    posts = usable(SOURCE, tmp_path)  # committed: no ../shared needed
    assert len(posts) > 6000
    assert Counter(t.kind for t in posts).keys() == {"forum_post", "company_reply"}
    opening = next(t for t in posts if "." not in t.key.split(":")[2])
    assert "first post" in opening.context and "developer board of DocuSign" in opening.context
    staff = next(t for t in posts if t.kind == "company_reply")
    assert "DocuSign's staff" in staff.context
    assert {t.group.split(":")[0] for t in posts} == set(forum_posts.DOCUSIGN_BOARDS)


def test_docusign_posts_name_nobody() -> None:
    names = sorted(forum_posts.DOCUSIGN_STAFF | set(forum_posts.DOCUSIGN_SIGNATURES), key=len)
    person = re.compile(r"(?<![\w@])(" + "|".join(map(re.escape, names)) + r")(?!\w)")
    email = re.compile(r"[\w.+-]+@[\w-]+\.\w")
    for post in forum_posts.read_posts(SOURCE):
        for field in ("text", "title"):
            assert not person.search(post[field]), (post["key"], field)
            assert not email.search(post[field]), (post["key"], field)


def test_docusign_text_replaces_people_and_keeps_words() -> None:
    people = forum_posts._handles({"jsmith", "developer", "Al"})
    words = Counter({"all": 40, "again": 9, "testing": 12})
    raw = ("Hi Paul, jsmith asked the developer list; mail me at a.b@example.com.\n"
           "Hi All, thanks again @Gene77. Thanks Bob\nMy name is Dan Reid; Ergin Dervisoglu and"
           " jsmith Testing\n-Ergin")  # fmt: skip
    assert forum_posts.docusign_text(raw, people, words) == (
        "Hi @user, @user asked the developer list; mail me at @user.\n"
        "Hi All, thanks again @user. Thanks @user\nmy name is @user; @user @user and @user Testing"
        "\n-@user"
    )


def test_round_5_is_the_docusign_forum_drawn_at_random() -> None:
    round5 = _round5()
    assert Counter(i["kind"] for i in round5 if i["source"] == SOURCE) == {
        "forum_post": 200, "company_reply": 100}  # fmt: skip
    draw = extend.read_draw(extend.draw_file(5))
    assert [d["id"] for d in draw] == [i["id"] for i in round5]
    assert {d["criterion"] for d in draw} == {"random"}
    listed = items.read_items(ITEMS)
    earlier = max(int(i["id"][3:]) for i in listed if i["lang"] == "en" and int(i["round"]) < 5)
    numbers = sorted(int(i["id"][3:]) for i in round5)
    assert numbers == list(range(earlier + 1, earlier + 1 + len(numbers)))


def test_round_5_has_its_own_test_part_held_out_of_training() -> None:
    assignment = split.read_split(SPLIT)
    round5 = _round5()
    values = Counter(assignment[i["id"]] for i in round5)
    assert values == {"train": 240, "test5": 60}  # 20 % of each kind
    assert split.test_part(5) in split.FORUM_TEST_PARTS and 5 in split.OWN_TEST_PART
    held = build.excluded_keys()
    assert {i["key"] for i in round5 if assignment[i["id"]] == "test5"} <= held
    assert not {i["key"] for i in round5 if assignment[i["id"]] == "train"} & held
