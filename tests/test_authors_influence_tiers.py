"""Influence is monotonic in each input; tiers on a generated population; participation split."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from nlp.authors.influence import influence_parts, influence_score, pagerank_ratio
from nlp.authors.tiers import assign_tiers, participation, participation_frame
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore
from storage.vocab import TIER_STUDY_SHARES

INPUTS = ("followers", "interactions", "pagerank_ratio", "posts", "answered")
value = st.floats(min_value=0, max_value=1e9, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(
    base=st.fixed_dictionaries({k: value for k in INPUTS}),
    which=st.sampled_from(INPUTS),
    more=st.floats(min_value=0, max_value=1e9, allow_nan=False),
)
def test_influence_never_drops_when_an_input_grows(
    base: dict[str, float], which: str, more: float
) -> None:
    grown = {**base, which: base[which] + more}
    low, high = influence_score(**base), influence_score(**grown)
    assert 0 <= low <= high <= 100


def test_influence_parts_grow_strictly_below_their_caps() -> None:
    zero = dict.fromkeys(INPUTS, 0.0)
    assert influence_score(**zero) == 0
    for name, part, x in (
        ("followers", "audience", 1000), ("interactions", "engagement", 50),
        ("pagerank_ratio", "graph", 5.0), ("posts", "standing", 40), ("answered", "standing", 7),
    ):  # fmt: skip
        a = influence_parts(**{**zero, name: x})[part]
        b = influence_parts(**{**zero, name: 2 * x})[part]
        assert 0 < a < b <= 1, name
    top = influence_score(1e6, 1e4, 51.0, 500, 100)
    assert top == 100


def test_pagerank_favours_the_author_everyone_answers() -> None:
    edges = pd.DataFrame({"src": [2, 3, 4, 5, 1, 6], "dst": [1, 1, 1, 1, 2, 7]})
    ratio = pagerank_ratio(edges, pd.Index([1, 2, 3, 4, 5, 6, 7, 8]))
    assert ratio.idxmax() == 1
    assert ratio[8] < 1 < ratio[1]
    assert abs(ratio.mean() - 1) < 1e-6


def test_pagerank_settles_on_a_small_team_answering_each_other() -> None:
    # two of three authors answer each other (the web tests' seeded forum thread): the power
    # iteration's error falls as 0.85^k, and networkx's 100 steps did not reach 3·1e-8
    edges = pd.DataFrame({"src": [3, 2, 1, 3, 2], "dst": [2, 2, 2, 2, 3]})
    ratio = pagerank_ratio(edges, pd.Index([1, 2, 3]))
    assert ratio[2] > ratio[3] > ratio[1] and abs(ratio.sum() - 3.0) < 1e-6


def test_tiers_on_a_generated_population() -> None:
    rng = np.random.default_rng(6)
    posts = pd.Series(rng.zipf(2.2, size=20_000).clip(max=5_000), index=np.arange(20_000))
    tiers = assign_tiers(posts)
    counts = tiers.value_counts()
    assert counts["regular"] == 200  # the top 1 % of 20,000, all with several posts
    assert counts["one_off"] == int((posts == 1).sum())
    assert counts["occasional"] == 20_000 - 200 - counts["one_off"]
    regular_min = posts[tiers == "regular"].min()
    assert regular_min >= posts[tiers == "occasional"].max()
    # Ties at the boundary are broken by author id, so the result is stable.
    assert assign_tiers(posts.sample(frac=1, random_state=1)).sort_index().equals(tiers)


def test_ties_at_the_edge_follow_a_natural_key_not_the_ids() -> None:
    # 100 authors, the top 1 % is one author, and two tie with 9 posts: "b/ann" wins by its
    # key whatever ids another database gave them.
    for ids in ([1, 2], [2, 1]):
        posts = pd.Series([9, 9] + [1] * 98, index=ids + list(range(3, 101)))
        keys = pd.Series(["b/zoe", "b/ann"] + [f"a/{i}" for i in range(3, 101)], index=posts.index)
        tiers = assign_tiers(posts, ties=keys)
        assert tiers[posts.index[1]] == "regular" and tiers[posts.index[0]] == "occasional"


def test_tiers_edge_cases() -> None:
    assert set(assign_tiers(pd.Series([1, 1, 1], index=[1, 2, 3]))) == {"one_off"}
    assert assign_tiers(pd.Series([5, 1], index=[1, 2])).to_dict() == {1: "regular", 2: "one_off"}
    assert assign_tiers(pd.Series([], dtype="int64")).empty


def test_participation_split_from_a_frame() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    rng = np.random.default_rng(3)
    n = 3_000
    counts = rng.zipf(2.0, size=n).clip(max=300)
    authors = np.repeat(np.arange(n), counts)
    minutes = rng.integers(0, 60 * 24 * 20, len(authors))
    frame = pd.DataFrame({
        "mention_id": np.arange(len(authors)), "author_id": authors,
        "published_at": [t0 + timedelta(minutes=int(i)) for i in minutes],
        "brand": "Lumino",
    })  # fmt: skip
    split = participation(frame, "Lumino")
    assert split["authors"] == n and split["posts"] == len(authors)
    assert sum(split["counts"].values()) == n
    assert abs(sum(split["shares"].values()) - 1) < 1e-9
    assert split["counts"]["regular"] == 30
    assert split["expected"] == TIER_STUDY_SHARES
    assert split["post_shares"]["regular"] > split["shares"]["regular"]
    assert participation(frame, "Other")["authors"] == 0


def test_participation_from_the_database_matches_the_frame(engine: Engine) -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    plan = {"a": 40, "b": 6, "c": 3, "d": 1, "e": 1, "f": 1}
    recs = [
        MentionRecord(
            source="forum",
            source_kind="forum",
            external_id=f"{h}{i}",
            text="Lumino",
            published_at=t0 + timedelta(hours=i),
            author=AuthorRecord(handle=h),
            brands=[BrandMatch("Lumino")] if h != "f" else [BrandMatch("Other")],
        )
        for h, n in plan.items()
        for i in range(n)
    ]
    MentionStore(engine).store(recs)
    end = t0 + timedelta(days=30)
    with engine.connect() as conn:
        split = participation(conn, "Lumino", t0, end)
        frame = participation_frame(conn, "Lumino", t0, end)
    assert split["counts"] == {"regular": 1, "occasional": 2, "one_off": 2}
    assert frame["posts"].tolist() == [40, 6, 3, 1, 1]
    assert participation(engine, None, t0, end)["authors"] == 6
    assert participation(engine, "Lumino", t0 + timedelta(hours=39), end)["authors"] == 1
