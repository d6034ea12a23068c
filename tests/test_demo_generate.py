"""The demo's generated mentions read as people write: French agrees with the product, no word
is doubled, a sentence goes on after an opening, a detail about a product follows a product
the writer has, a question's dressing goes with a question, and each kind of talk is said on a
channel where people say it."""

from __future__ import annotations

import random
import re
from html import unescape

import pytest

from veille_demo.generate import (
    ASKING,
    ASKING_BACK,
    BRANDS,
    DRESS_EN,
    DRESS_FR,
    PRODUCTS,
    SOURCES,
    SYNONYMS,
    TEMPLATES_FR,
    dress,
    generate,
    written,
)


@pytest.fixture(scope="module")
def rows() -> list[dict[str, object]]:
    return generate()


def test_no_word_is_written_twice_in_a_row(rows: list[dict[str, object]]) -> None:
    doubled = re.compile(r"\b(\w+) \1\b", re.IGNORECASE)
    found = [m.group(0) for r in rows for m in doubled.finditer(str(r["text"]))]
    # "Voilà voilà." is how some people end a message: an ending, written twice on purpose.
    assert {w.lower() for w in found} == {"voilà voilà"}


def test_french_participles_agree_with_a_feminine_product(rows: list[dict[str, object]]) -> None:
    feminine = [french for french, _, gender in PRODUCTS if gender == "f"]
    masculine = re.compile(
        "(" + "|".join(map(re.escape, feminine)) + r")( \([^)]*\))?,? "
        r"(est )?(arrivé|tombé|échangé|commandé|acheté|défectueux)\b"
    )
    in_brackets = re.compile(
        "(" + "|".join(map(re.escape, feminine)) + r") \((acheté|vu|livré|payé|pris|retiré|"
        r"commandé|reçu) "
    )
    french = [str(r["text"]) for r in rows if r["lang"] == "fr"]
    assert not [t for t in french if masculine.search(t) or in_brackets.search(t)]
    # and the feminine forms are there: the check reads the texts it means to.
    assert sum("est arrivée nickel" in t for t in french) > 20


def test_a_sentence_goes_on_after_an_opening(rows: list[dict[str, object]]) -> None:
    openings = [o for o in (*DRESS_FR[0], *DRESS_EN[0]) if o]
    opened = [str(r["text"]) for r in rows for o in openings if str(r["text"]).startswith(o)]
    assert len(opened) > 1000
    assert not [t for t in opened for o in openings
                if t.startswith(o) and t[len(o)].isupper()]  # fmt: skip
    # A name keeps its capital.
    rng = random.Random(1)
    dressed = [dress(rng, "Rivéo ou Lumino pour la TV Ambra 55 ?") for _ in range(50)]
    assert all("Rivéo ou Lumino" in t for t in dressed)
    assert any(not t.startswith("Rivéo") for t in dressed)  # some were opened


def test_a_detail_follows_a_product_the_writer_has() -> None:
    """A detail ("(payée en 3 fois)") is added only where a template marks it: never to a
    contest, a sale or a suggestion."""
    rng = random.Random(3)
    for _ in range(2000):
        _, text = written(rng, "Lumino", rng.choice(["communication", "crowdsourcing"]), False)
        assert "(" not in text, text
    marked = [t for kind in TEMPLATES_FR.values() for t in kind if "{d}" in t]
    assert all(re.search(r"\{p\}\{d\}|\{b\}\{d\}", t) for t in marked)


def test_french_synonyms_are_french() -> None:
    """The French words people swap are swapped for French ones ("merci" never becomes
    "thanks" in a French text)."""
    english = {"welcome", "thanks", "thank you"}
    french_keys = [k for k in SYNONYMS if k in " ".join(str(t) for v in TEMPLATES_FR.values()
                                                        for t in v).lower()]  # fmt: skip
    assert "merci" in french_keys and "bienvenue" in french_keys
    assert not [k for k in french_keys if english & set(SYNONYMS[k])]


def test_a_questions_dressing_goes_with_a_question(rows: list[dict[str, object]]) -> None:
    """« Question bête : » and « Merci d'avance » with a question only, an ending that asks
    back after a statement only (not « Question bête : merci au SAV… », nor two questions), and
    no greeting before a greeting (« Hello, bonjour Lumino »)."""
    texts = [str(r["text"]) for r in rows]
    asking = [t for t in texts if any(a.strip() in t for a in ASKING)]
    assert len(asking) > 100 and all("?" in t for t in asking)
    assert sum(any(t.endswith(a) for a in ASKING_BACK) for t in texts) > 100
    assert not [t for t in texts if t.count("?") > 1]
    greeted = re.compile(r"^(Hello|Bonjour à tous|Hey), (bonjour|hello|hi|salut)\b", re.IGNORECASE)
    assert not [t for t in texts if greeted.search(t)]


def test_each_kind_of_talk_is_said_where_people_say_it(rows: list[dict[str, object]]) -> None:
    """Company reviews hold verdicts, complaints and ideas, not questions, welcomes, contests or
    a note awaiting the product; the French forum and feed are in French; every channel of the
    demo has its talk."""
    said: dict[str, set[tuple[str, str]]] = {kind: set() for _, kind, _ in SOURCES}
    for r in rows:
        truth = r["demo_truth"]
        assert isinstance(truth, dict)
        said[str(r["source_kind"])].add((str(truth["topic"]), str(truth["sentiment"])))
        if r["lang"] == "en":
            assert r["source_kind"] not in ("forum", "rss"), r
    assert {topic for topic, _ in said["reviews"]} == {
        "prescription", "service_client", "crowdsourcing"
    }  # fmt: skip
    assert ("prescription", "neutral") not in said["reviews"]
    assert {topic for topic, _ in said["rss"]} >= {"communication", "prescription"}
    assert "communaute" not in {topic for topic, _ in said["rss"]}
    assert all(len(kinds) >= 5 for kinds in said.values()), said


def test_the_demos_review_sources_are_the_pages_the_sites_write() -> None:
    """Each merchant's review source in the demo's configuration starts at the page
    `veille_demo.make_sites` writes for it, and names the merchant it is about."""
    import yaml

    from veille_demo.make_sites import review_page
    from veille_demo.workspace import CONFIG

    sources = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))["sources"]
    merchants = {
        s["options"]["brand"]: s["url"] for s in sources if s.get("options", {}).get("brand")
    }
    assert set(merchants) == set(BRANDS)
    assert all(url == "{base_url}/" + review_page(b) for b, url in merchants.items())


def test_the_care_account_answers_forum_complaints_quoting_them(
    rows: list[dict[str, object]],
) -> None:
    """On the demo's forum the care account answers some of Lumino's complaints in their
    thread, later, quoting them (the quote names the post, as phpBB 3.2+ writes it)."""
    from veille_demo.history import CARE, DEMO_NOW
    from veille_demo.make_sites import generated_forum

    forum = generated_forum([r for r in rows if r["source_kind"] == "forum"])
    answers = 0
    for thread in forum.threads:
        by_id = {p.id: p for p in thread.posts}
        for post in thread.posts:
            if post.author != CARE["handle"]:
                assert post.quote_id is None
                continue
            answers += 1
            quoted = by_id[post.quote_id]  # type: ignore[index]
            assert quoted.at < post.at <= DEMO_NOW and "Lumino" in thread.title
            assert post.quote == (quoted.author, unescape(quoted.body[3:-4]))
    assert 10 <= answers < 100
