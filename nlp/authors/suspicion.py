"""Suspicious prescription: near-duplicate campaigns, bursts of new accounts, same-day reviews.

Each detector returns one row per flagged mention with its kind, a reason a person can check
and a group key naming the campaign, burst or page-day it belongs to.
"""

from __future__ import annotations

import re
import zlib

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHashLSH

from nlp.authors.lexicons import normalise

FLAG_COLUMNS = ["mention_id", "kind", "reason", "group_key"]
NUM_PERM = 64
MIN_WORDS = 6  # shorter texts ("merci !", "top") say too little to call them copies
_STRIP = re.compile(r"https?://\S+|www\.\S+|(?<![\w.])@\w+")
_WORD = re.compile(r"\w+")


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "mention_id" else object)
                         for c in FLAG_COLUMNS})  # fmt: skip


def _shingles(text: str) -> list[str]:
    words = _WORD.findall(_STRIP.sub(" ", normalise(text)))
    if len(words) < MIN_WORDS:
        return []
    return list({" ".join(words[i : i + 3]) for i in range(len(words) - 2)})


_PRIME = np.uint64((1 << 61) - 1)
_MAX32 = np.uint64(0xFFFFFFFF)


def signatures(shingles: list[list[str]], num_perm: int = NUM_PERM, seed: int = 7) -> np.ndarray:
    """MinHash signatures (docs × num_perm, uint64) of non-empty shingle lists, vectorised.

    Shingles are hashed with CRC-32 and permuted by (a·h + b) mod (2⁶¹ − 1), as datasketch
    does; the minimum per document is taken with one reduceat per block of documents.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 32, size=num_perm, dtype=np.uint64)
    b = rng.integers(0, 1 << 32, size=num_perm, dtype=np.uint64)
    out = np.empty((len(shingles), num_perm), dtype=np.uint64)
    block = 20_000
    for lo in range(0, len(shingles), block):
        docs = shingles[lo : lo + block]
        sizes = np.fromiter((len(d) for d in docs), dtype=np.int64, count=len(docs))
        hashes = np.fromiter(
            (zlib.crc32(s.encode()) for d in docs for s in d), dtype=np.uint64, count=sizes.sum()
        )
        offsets = np.concatenate(([0], np.cumsum(sizes)[:-1]))
        for p in range(0, num_perm, 16):
            pa, pb = a[p : p + 16], b[p : p + 16]
            values = ((hashes[:, None] * pa + pb) % _PRIME) & _MAX32
            out[lo : lo + len(docs), p : p + 16] = np.minimum.reduceat(values, offsets, axis=0)
    return out


class _Clusters:
    def __init__(self, n: int) -> None:
        self.parent = list(range(n))

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def near_duplicates(
    m: pd.DataFrame, threshold: float = 0.7, hours: float = 48.0, min_authors: int = 3
) -> pd.DataFrame:
    """Texts nearly alike (MinHash LSH on word 3-grams) by >= min_authors accounts close in time.

    Retweets ("RT @…") are shares, not copies, and are left out.
    """
    text = m["text"]
    keep = ~text.str.lstrip().str.lower().str.startswith("rt @")
    texts = text.to_numpy()
    rows_all = np.flatnonzero(keep.to_numpy())
    shingles = [_shingles(texts[r]) for r in rows_all]
    has = np.fromiter((bool(s) for s in shingles), dtype=bool, count=len(shingles))
    rows = rows_all[has]
    if not len(rows):
        return _empty()
    sig = signatures([s for s in shingles if s])
    # Candidates come from a looser LSH band setting than the final check, for recall.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.15), num_perm=NUM_PERM)
    sketches = [LeanMinHash(seed=7, hashvalues=h) for h in sig]
    with lsh.insertion_session() as session:
        for k, mh in enumerate(sketches):
            session.insert(k, mh, check_duplication=False)
    when = m["published_at"].to_numpy()
    author = m["author_id"].to_numpy()
    span = np.timedelta64(int(hours * 3600), "s")
    clusters = _Clusters(len(m))
    paired: set[int] = set()
    for k, mh in enumerate(sketches):
        r = int(rows[k])
        for j in lsh.query(mh):
            other = int(rows[j])
            if other <= r or author[other] == author[r]:
                continue
            if abs(when[other] - when[r]) > span:
                continue
            if np.mean(sig[k] == sig[j]) < threshold:
                continue
            clusters.union(r, other)
            paired.update((r, other))
    if not paired:
        return _empty()
    members = pd.DataFrame({"row": sorted(paired)})
    members["root"] = [clusters.find(r) for r in members["row"]]
    members["author"] = author[members["row"]]
    members["when"] = when[members["row"]]
    stats = members.groupby("root").agg(
        authors=("author", "nunique"), posts=("row", "size"), first=("when", "min"),
        last=("when", "max"),
    )  # fmt: skip
    good = stats[stats["authors"] >= min_authors]
    members = members[members["root"].isin(good.index)]
    if members.empty:
        return _empty()
    ids = m["mention_id"].to_numpy()
    out = []
    for root, g in members.groupby("root"):
        s = good.loc[root]
        key = f"dup-{int(ids[root])}"
        hours_span = (s["last"] - s["first"]) / np.timedelta64(1, "h")
        reason = (
            f"near-duplicate text posted by {int(s['authors'])} different accounts within "
            f"{hours_span:.0f} h ({int(s['posts'])} posts, campaign {key})"
        )
        out.append(pd.DataFrame({"mention_id": ids[g["row"].to_numpy()], "kind": "near_duplicate",
                                 "reason": reason, "group_key": key}))  # fmt: skip
    return pd.concat(out, ignore_index=True)[FLAG_COLUMNS]


def suspect_accounts(
    m: pd.DataFrame, brands: pd.DataFrame, polarity: pd.Series, new_account_days: int = 30
) -> pd.Series:
    """Why each mention's account is suspect ('new', 'single-purpose' or '') per row.

    New: created less than new_account_days before the post. Single-purpose: two posts or more
    in the window, all about one brand and all with the same (non-neutral) polarity.
    """
    age = m["published_at"] - m["account_created_at"]
    new = (age.notna() & (age <= pd.Timedelta(days=new_account_days))).to_numpy()
    per = brands.merge(m[["mention_id", "author_id"]], on="mention_id")
    n_brands = per.groupby("author_id")["brand"].nunique()
    p = pd.DataFrame({"author_id": m["author_id"], "pol": polarity.to_numpy()})
    by = p.groupby("author_id")["pol"].agg(["size", "min", "max"])
    single = by[(by["size"] >= 2) & (by["min"] == by["max"]) & (by["min"] != 0)].index
    single = single[n_brands.reindex(single).fillna(0).to_numpy() == 1]
    is_single = m["author_id"].isin(single).to_numpy()
    return pd.Series(np.where(new, "new", np.where(is_single, "single-purpose", "")), m.index)


def bursts(
    m: pd.DataFrame,
    brands: pd.DataFrame,
    suspect: pd.Series,
    min_posts: int = 8,
) -> pd.DataFrame:
    """Brand-days with many posts from new or single-purpose accounts, far above the usual."""
    d = m.loc[suspect != "", ["mention_id", "published_at"]].copy()
    if d.empty or brands.empty:
        return _empty()
    d["why"] = suspect[suspect != ""].to_numpy()
    d["day"] = d["published_at"].dt.floor("D")
    d = d.merge(brands, on="mention_id")
    daily = d.groupby(["brand", "day"]).size().rename("n").reset_index()
    days_in_window = max(1, int((m["published_at"].max() - m["published_at"].min()).days) + 1)
    total = daily.groupby("brand")["n"].transform("sum")
    usual = (total - daily["n"]) / max(1, days_in_window - 1)
    daily["usual"] = usual
    hot = daily[(daily["n"] >= min_posts) & (daily["n"] >= 3 * (usual + 1))]
    if hot.empty:
        return _empty()
    d = d.merge(hot, on=["brand", "day"])
    day = d["day"].dt.strftime("%Y-%m-%d")
    key = "burst-" + d["brand"].astype(str) + "-" + day
    reason = (
        "one of " + d["n"].astype(str) + " posts about " + d["brand"].astype(str) + " on " + day
        + " from new or single-purpose accounts (usually " + d["usual"].round(1).astype(str)
        + " a day); this account: " + d["why"]
    )  # fmt: skip
    out = pd.DataFrame({"mention_id": d["mention_id"], "kind": "burst_new_accounts",
                        "reason": reason, "group_key": key})  # fmt: skip
    return out.drop_duplicates("mention_id")[FLAG_COLUMNS]


def same_day_reviews(m: pd.DataFrame, min_same_day: int = 5) -> pd.DataFrame:
    """Review pages with many five-star reviews on one day, most of that day's reviews."""
    r = m.loc[m["rating"].notna(), ["mention_id", "source_id", "thread_id", "rating",
                                     "published_at"]].copy()  # fmt: skip
    if r.empty:
        return _empty()
    scale = r.groupby("source_id")["rating"].transform("max").clip(lower=5)
    r["five"] = r["rating"] >= scale
    r["page"] = r["source_id"].astype(str) + ":" + r["thread_id"].fillna("-").astype(str)
    r["day"] = r["published_at"].dt.floor("D")
    daily = r.groupby(["page", "day"]).agg(reviews=("five", "size"), fives=("five", "sum"))
    daily = daily.reset_index()
    usual = daily.groupby("page")["fives"].transform("median")
    daily["usual"] = usual
    hot = daily[
        (daily["fives"] >= min_same_day)
        & (daily["fives"] >= 0.8 * daily["reviews"])
        & (daily["fives"] >= 3 * daily["usual"])
    ]
    if hot.empty:
        return _empty()
    r = r[r["five"]].merge(hot, on=["page", "day"])
    day = r["day"].dt.strftime("%Y-%m-%d")
    key = "reviews-" + r["page"] + "-" + day
    reason = (
        "one of " + r["fives"].astype(int).astype(str) + " five-star reviews posted on " + day
        + " on page " + r["page"] + " (" + r["reviews"].astype(str)
        + " reviews that day; usually " + r["usual"].round(1).astype(str) + " five-star a day)"
    )  # fmt: skip
    return pd.DataFrame({"mention_id": r["mention_id"], "kind": "review_same_day",
                         "reason": reason, "group_key": key})[FLAG_COLUMNS]  # fmt: skip


def author_flags(m: pd.DataFrame, flags: pd.DataFrame) -> pd.DataFrame:
    """Per author: flags [{"kind", "reason"}] summarising their flagged posts, suspicious."""
    if flags.empty:
        return pd.DataFrame({"flags": pd.Series(dtype=object), "suspicious": pd.Series(dtype=bool)})
    f = flags.merge(m[["mention_id", "author_id"]], on="mention_id")
    g = f.groupby(["author_id", "kind"]).agg(
        posts=("mention_id", "nunique"), groups=("group_key", lambda s: sorted(set(s))[:3])
    )
    g = g.reset_index()
    g["reason"] = (
        g["posts"].astype(str) + " flagged post(s): "
        + g["kind"].str.replace("_", " ") + " (" + g["groups"].str.join(", ") + ")"
    )  # fmt: skip
    g["flag"] = [{"kind": k, "reason": r} for k, r in zip(g["kind"], g["reason"], strict=True)]
    per = g.groupby("author_id")["flag"].agg(list)
    return pd.DataFrame({"flags": per, "suspicious": True})
