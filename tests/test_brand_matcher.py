"""BrandMatcher: brand queries from the configuration, matched through the term index."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from config.loading import load_settings
from config.settings import BrandSettings, Settings
from crawlers.pipelines import MatchBrandsPipeline
from nlp.brands import BrandMatcher
from nlp.query import MatchDoc, QueryIndex, compile_query, prepare
from storage.records import AuthorRecord, BrandMatch, MentionRecord

EXAMPLE = Path(__file__).resolve().parents[1] / "config" / "veille.example.yaml"


def brands(**queries: str | list[str]) -> list[BrandSettings]:
    return [BrandSettings(name=name, query=query) for name, query in queries.items()]


def test_example_configuration_matches_with_terms() -> None:
    matcher = BrandMatcher.from_brands(load_settings(EXAMPLE).brands)
    found = matcher.match(MatchDoc("Commande passée sur Lumino.fr, bien mieux que chez @riveo"))
    assert [m.brand for m in found] == ["Lumino", "Rivéo"]
    assert found[0] == BrandMatch(
        "Lumino", 'lumino OR @lumino OR #lumino OR "lumino.fr"', ["lumino", '"lumino.fr"']
    )
    assert '"@riveo"' in (found[1].matched_terms or [])
    assert matcher.match(MatchDoc("Rien à voir, des lampes lumineuses")) == []


def test_keyword_list_is_an_or_of_phrases() -> None:
    matcher = BrandMatcher.from_brands(brands(Lumino=["service client", "lumino", "#lumi"]))
    assert matcher.match(MatchDoc("Le Service-Client répond"))[0].matched_terms == [
        '"service client"'
    ]
    assert matcher.match(MatchDoc("client service")) == []
    assert matcher.match(MatchDoc("#lumi")) and not matcher.match(MatchDoc("lumi"))
    assert matcher.brands[0].query.text == '"service client" OR "lumino" OR "#lumi"'


def test_queries_without_positive_terms_are_still_evaluated() -> None:
    matcher = BrandMatcher.from_brands(
        brands(
            Calme="NOT (arnaque OR scandale)",
            Francais="lang:fr",
            Forum="source:forum -spam",
            Site="site:lumino.fr",
            Lumino="lumino",
        )
    )
    doc = MatchDoc(
        "Rien de spécial", lang="fr-FR", source_kind="discourse", url="https://aide.lumino.fr/x"
    )
    assert [m.brand for m in matcher.match(doc)] == ["Calme", "Francais", "Forum", "Site"]
    assert [m.brand for m in matcher.match(MatchDoc("quelle arnaque, lumino"))] == ["Lumino"]


def test_index_evaluates_only_candidates() -> None:
    texts = ["fnac", '"service client" darty', "livr* -spam", '"service lumino"']
    index = QueryIndex([compile_query(q) for q in texts])
    assert index.candidates(prepare("rien à voir ici")) == []
    assert index.candidates(prepare("Fnac")) == [0]
    # "service" is in two queries: each is indexed under a word of its own instead
    assert index.candidates(prepare("le service")) == []
    assert index.candidates(prepare("le service de lumino")) == [3]
    assert index.candidates(prepare("#Livraison")) == [2]
    assert index.matching(prepare("fnac darty service client livraison")) == [0, 1, 2]


QUERY_SHAPES = [
    "fnac",
    "#fnac",
    "@fnac",
    "fna*",
    "#sol*",
    '"service client"',
    '"colis fnac"~3',
    "fnac NEAR/2 nul",
    "nul ONEAR/3 colis",
    "fnac -nul",
    "NOT colis",
    "(fnac OR darty) colis",
    "lang:fr",
    "lang:fr fnac",
    "source:twitter OR darty",
    "site:fnac.com",
    "author:fnac",
    "author:fn* colis",
    "title:fnac",
    "title:serv* OR -darty",
]
WORDS = ["fnac", "Fnac", "darty", "#fnac", "@fnac", "#soldes", "service", "client", "colis", "nul"]
docs = st.builds(
    MatchDoc,
    text=st.lists(st.sampled_from(WORDS), max_size=8).map(" ".join),
    title=st.none() | st.lists(st.sampled_from(WORDS), max_size=3).map(" ".join),
    author=st.none() | st.sampled_from(["@Fnac", "fnacfan", "darty"]),
    url=st.none()
    | st.sampled_from(["https://www.fnac.com/a", "https://m.fnac.com", "http://x.org"]),
    lang=st.none() | st.sampled_from(["fr", "en-GB"]),
    source_kind=st.none() | st.sampled_from(["twitter_export", "forum", "rss"]),
)


@settings(max_examples=300, deadline=None)
@given(docs)
def test_index_finds_exactly_what_evaluating_every_query_finds(doc: MatchDoc) -> None:
    matcher = _matcher()
    expected = [b.brand for b in matcher.brands if b.query.matches(doc)]
    assert [m.brand for m in matcher.match(doc)] == expected


_MATCHER: list[BrandMatcher] = []


def _matcher() -> BrandMatcher:
    if not _MATCHER:
        _MATCHER.append(
            BrandMatcher.from_brands(
                BrandSettings(name=f"B{i}", query=q) for i, q in enumerate(QUERY_SHAPES)
            )
        )
    return _MATCHER[0]


def test_the_brands_own_accounts_are_known_whatever_their_posts_say() -> None:
    """A care account's answer names no brand (« envoyez-nous votre numéro en privé »): it is
    about no brand, and the crawl keeps it all the same as the brand's (its answer)."""
    matcher = BrandMatcher.from_brands([
        BrandSettings(name="Lumino", query=["lumino"], own_accounts=["@Lumino_Aide"]),
        BrandSettings(name="Rivéo", query=["riveo"], own_accounts=["riveo_care"]),
    ])  # fmt: skip
    answer = "Bonjour, envoyez-nous votre numéro de commande en privé, nous regardons."
    for handle in ("lumino_aide", "@LUMINO_AIDE", " Lumino_Aide ", "Riveo_Care"):
        doc = MatchDoc(text=answer, author=handle)
        assert matcher.is_own(doc) and matcher.match(doc) == []
    assert not matcher.is_own(MatchDoc(text=answer, author="someone"))
    assert not matcher.is_own(MatchDoc(text=answer))


def test_a_crawl_keeps_an_own_account_s_post_that_names_no_brand() -> None:
    """The crawl's brand stage drops a post about no brand, but keeps the brand's own account's
    (about no brand): its answer to a post that the report and the workspace count."""
    settings = Settings.model_validate(
        {"brands": [{"name": "Lumino", "query": ["lumino"], "own_accounts": ["@lumino_aide"]}]}
    )
    stage = MatchBrandsPipeline(get_crawler(settings_dict={"VEILLE_SETTINGS": settings}))

    def post(author: str) -> MentionRecord:
        return MentionRecord(
            source="forum", source_kind="forum", external_id=author, url=None,
            text="Bonjour, envoyez-nous votre numéro de commande en privé.",
            author=AuthorRecord(handle=author), parent_id="p1",
        )  # fmt: skip

    kept = stage.process_item(post("Lumino_Aide"))
    assert kept.external_id == "Lumino_Aide" and kept.brands == []
    with pytest.raises(DropItem, match="no brand"):
        stage.process_item(post("someone"))
