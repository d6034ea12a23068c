"""Suspicious prescription: a planted campaign is caught, genuine talk is left alone."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import numpy as np
import pandas as pd
from authors_population import T0, campaign, genuine
from sqlalchemy import Engine, func, select

from config.settings import AuthorsSettings
from nlp.authors.compute import analyse, recompute
from nlp.authors.data import prepare
from nlp.authors.suspicion import near_duplicates, same_day_reviews
from storage.authors import flagged_mention_ids, flagged_mentions_query, flags_of, profiles_for
from storage.models import Author, Mention, MentionBrand
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore


def test_planted_campaign_among_10000_genuine_mentions_is_caught() -> None:
    real = genuine(10_000)
    fake = campaign(30)
    frame = pd.concat([real, fake], ignore_index=True)
    brands = pd.DataFrame({"mention_id": frame["mention_id"], "brand": "Lumino"})
    result = analyse(frame, brands, AuthorsSettings())
    flagged = set(result.flags["mention_id"])
    dup = result.flags[result.flags["kind"] == "near_duplicate"]
    assert set(fake["mention_id"]) <= set(dup["mention_id"])
    assert dup[dup["mention_id"].isin(fake["mention_id"])]["group_key"].nunique() == 1
    false_alarms = flagged & set(real["mention_id"])
    assert len(false_alarms) <= 0.01 * len(real), sorted(false_alarms)[:20]
    reason = dup.loc[dup["mention_id"] == fake["mention_id"].iloc[0], "reason"].iloc[0]
    assert reason.startswith("near-duplicate text posted by 30 different accounts within")
    # The campaign's accounts are suspicious, with the reason; genuine authors are not.
    profiles = result.profiles
    assert profiles.loc[fake["author_id"], "suspicious"].all()
    kinds = {f["kind"] for f in profiles.loc[fake["author_id"][0], "flags"]}
    assert kinds == {"near_duplicate", "burst_new_accounts"}  # fresh accounts, too
    assert profiles.loc[profiles.index.isin(real["author_id"]), "suspicious"].mean() < 0.01


def test_copies_far_apart_in_time_or_by_one_author_are_not_a_campaign() -> None:
    fake = campaign(6)
    spread = fake.assign(published_at=[T0 + timedelta(days=3 * i) for i in range(6)])
    assert near_duplicates(prepare(spread), hours=48).empty
    one_author = fake.assign(author_id=1)
    assert near_duplicates(prepare(one_author)).empty
    assert len(near_duplicates(prepare(fake))) == 6


def test_bursts_of_new_accounts_are_flagged_with_their_reason() -> None:
    rng = np.random.default_rng(4)
    rows = []
    for day in range(20):  # established accounts, ten posts a day
        for _ in range(10):
            rows.append({"author_id": int(rng.integers(1, 300)), "day": day, "created": 400})
    for k in range(12):  # day 15: twelve accounts created three days before posting
        rows.append({"author_id": 1_000 + k, "day": 15, "created": 3})
    for k in range(2):  # day 5: two new accounts, normal life
        rows.append({"author_id": 2_000 + k, "day": 5, "created": 3})
    frame = pd.DataFrame(rows)
    hours = rng.integers(0, 23, len(frame))
    when = [
        T0 + timedelta(days=int(d), hours=int(h)) for d, h in zip(frame["day"], hours, strict=True)
    ]
    created = [w - timedelta(days=int(c)) for w, c in zip(when, frame["created"], strict=True)]
    frame = pd.DataFrame({
        "mention_id": np.arange(len(frame)), "source_id": 1,
        "external_id": [f"m{i}" for i in range(len(frame))], "author_id": frame["author_id"],
        "text": [f"avis numéro {i} sur lumino" for i in range(len(frame))],
        "published_at": when,
        "account_created_at": created,
    })  # fmt: skip
    brands = pd.DataFrame({"mention_id": frame["mention_id"], "brand": "Lumino"})
    flags = analyse(frame, brands, AuthorsSettings()).flags
    burst = flags[flags["kind"] == "burst_new_accounts"]
    assert set(burst["mention_id"]) == set(
        frame.loc[frame["author_id"].between(1_000, 1_011), "mention_id"]
    )
    assert burst["reason"].iloc[0].startswith("one of 12 posts about Lumino on 2026-03-16")
    assert burst["reason"].iloc[0].endswith("this account: new")


def test_review_pages_with_many_same_day_five_stars() -> None:
    rows = []
    for day in range(20):
        rows.append(("page-a", day, 3.0 + day % 3))  # one review a day, mixed
        rows += [("page-b", day, 5.0)] * 8  # a popular page, always many five-stars
    rows += [("page-a", 12, 5.0)] * 9  # a same-day wave on the quiet page
    frame = prepare(pd.DataFrame({
        "mention_id": np.arange(len(rows)), "source_id": 3,
        "external_id": [f"r{i}" for i in range(len(rows))], "author_id": np.arange(len(rows)),
        "thread_id": [r[0] for r in rows], "rating": [r[2] for r in rows], "text": "avis",
        "published_at": [T0 + timedelta(days=r[1], hours=i % 20) for i, r in enumerate(rows)],
    }))  # fmt: skip
    flags = same_day_reviews(frame, min_same_day=5)
    assert len(flags) == 9  # the wave; that day's own three-star review is not flagged
    assert set(frame.set_index("mention_id").loc[flags["mention_id"], "thread_id"]) == {"page-a"}
    assert "five-star reviews posted on 2026-03-13 on page 3:page-a" in flags["reason"].iloc[0]


def test_flags_are_stored_and_kpis_can_exclude_them(engine: Engine) -> None:
    fake = campaign(5)
    recs = [
        MentionRecord(
            source="twitter",
            source_kind="twitter_export",
            external_id=r.external_id,
            text=r.text,
            published_at=r.published_at.to_pydatetime(),
            author=AuthorRecord(handle=r.handle, created_at=r.account_created_at.to_pydatetime()),
            brands=[BrandMatch("Lumino")],
        )
        for r in fake.itertuples()
    ]
    recs += [
        MentionRecord(
            source="twitter",
            source_kind="twitter_export",
            external_id=f"g{i}",
            text=f"Ma Lumino numéro {i} marche bien depuis {i} mois, rien à signaler de spécial",
            published_at=T0 + timedelta(days=12, hours=i),
            author=AuthorRecord(handle=f"g{i % 4}"),
            brands=[BrandMatch("Lumino")],
        )
        for i in range(12)
    ]
    MentionStore(engine).store(recs)
    now = T0 + timedelta(days=20)
    recompute(engine, AuthorsSettings(), now)
    recompute(engine, AuthorsSettings(), now, full=True)  # idempotent: flags replaced, not added
    with engine.connect() as conn:
        fake_ids = set(
            conn.execute(select(Mention.id).where(Mention.external_id.like("c%"))).scalars()
        )
        assert flagged_mention_ids(conn, brand="Lumino") == fake_ids
        assert flagged_mention_ids(conn, brand="Other") == set()
        assert flagged_mention_ids(conn, start=now) == set()
        assert flagged_mention_ids(conn, kinds=["review_same_day"]) == set()
        kept = conn.execute(
            select(func.count())
            .select_from(MentionBrand)
            .where(MentionBrand.brand == "Lumino")
            .where(MentionBrand.mention_id.not_in(flagged_mentions_query(brand="Lumino")))
        ).scalar_one()
        assert kept == 12
        flags = flags_of(conn, fake_ids)
        assert all(len(f) == 1 and f[0]["kind"] == "near_duplicate" for f in flags.values())
        handles = dict(conn.execute(select(Author.id, Author.handle)).tuples().all())
        profiles = profiles_for(conn, handles)
    suspicious = {handles[a] for a, p in profiles.items() if p["suspicious"]}
    assert suspicious == {f"promo_fan_{i}" for i in range(5)}


def _mixed_frame() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Genuine talk, a fast campaign, a slow one dripping over six days (three accounts a day,
    the same minute for some), and texts near the similarity threshold, with reviews."""
    real = genuine(3_000)
    fast = campaign(30)
    slow = campaign(18, first_id=2_000_000, seed=5).assign(
        author_id=np.arange(600_000, 600_018),
        handle=[f"drip_{i}" for i in range(18)],
        external_id=[f"s{i}" for i in range(18)],
        published_at=[T0 + timedelta(days=3 + i // 3, hours=10) for i in range(18)],
    )
    frame = pd.concat([real, fast, slow], ignore_index=True)
    frame["source"] = "twitter-inbox"
    brands = pd.DataFrame({"mention_id": frame["mention_id"], "brand": "Lumino"})
    other = frame["mention_id"].iloc[::7]
    brands = pd.concat([brands, pd.DataFrame({"mention_id": other, "brand": "Rivéo"})])
    return frame, brands


def _by_natural_key(frame: pd.DataFrame, result: Any) -> tuple[set[Any], dict[str, Any]]:
    key = frame.set_index("mention_id")["external_id"]
    flags = {
        (key[m], k, r, g)
        for m, k, r, g in result.flags[["mention_id", "kind", "reason", "group_key"]].itertuples(
            index=False
        )
    }
    handle = frame.drop_duplicates("author_id").set_index("author_id")["handle"]
    p = result.profiles
    profiles = {
        handle[a]: (r.tier, r.influence, r.profile, r.suspicious)
        for a, r in p[["tier", "influence", "profile", "suspicious"]].iterrows()
    }
    return flags, profiles


def test_flags_tiers_and_influence_do_not_depend_on_row_order_or_ids() -> None:
    frame, brands = _mixed_frame()
    settings = AuthorsSettings()
    expected = _by_natural_key(frame, analyse(frame, brands, settings))
    assert len(expected[0]) > 40
    rng = np.random.default_rng(11)
    for k in range(3):
        shuffled = frame.sample(frac=1, random_state=k)
        brands_shuffled = brands.sample(frac=1, random_state=k)
        if k:  # another database: other ids for the same mentions and authors
            mention_ids = dict(
                zip(frame["mention_id"], rng.permutation(len(frame)) + 1, strict=True)
            )
            authors = frame["author_id"].unique()
            author_ids = dict(zip(authors, rng.permutation(len(authors)) + 1, strict=True))
            shuffled = shuffled.assign(
                mention_id=shuffled["mention_id"].map(mention_ids),
                author_id=shuffled["author_id"].map(author_ids),
            )
            brands_shuffled = brands_shuffled.assign(
                mention_id=brands_shuffled["mention_id"].map(mention_ids)
            )
        got = _by_natural_key(shuffled, analyse(shuffled, brands_shuffled, settings))
        assert got[0] == expected[0]
        assert got[1] == expected[1]


def test_a_slow_campaign_is_told_in_episodes_no_longer_than_the_window() -> None:
    frame, _ = _mixed_frame()
    flags = near_duplicates(prepare(frame), hours=48)
    slow = flags[flags["mention_id"] >= 2_000_000]
    assert len(slow) == 18  # three accounts a day: every post is in a 48 h crowd
    spans = slow["reason"].str.extract(r"within (\d+) h")[0].astype(int)
    assert set(spans) == {48}, slow["reason"].unique()  # not the 120 h of the whole drip
    # Days 0-2 are told by the window from day 0, day 3 by the one from day 1, and so on.
    assert slow["group_key"].nunique() == 1 and slow["reason"].nunique() == 4
