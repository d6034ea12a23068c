"""Suspicious prescription: near-duplicate campaigns, bursts of new accounts, same-day reviews.

Each detector returns one row per flagged mention with its kind, a reason a person can check
and a group key naming the campaign, burst or page-day it belongs to.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from datasketch import LeanMinHash, MinHashLSH

from nlp.text import tokenise

FLAG_COLUMNS = ["mention_id", "kind", "reason", "group_key"]
NUM_PERM = 64
MIN_WORDS = 6  # shorter texts ("merci !", "top") say too little to call them copies
_STRIP = re.compile(r"https?://\S+|www\.\S+|(?<![\w.])@\w+", re.IGNORECASE)


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="int64" if c == "mention_id" else object)
                         for c in FLAG_COLUMNS})  # fmt: skip


def _words(text: str) -> list[str]:
    return tokenise(_STRIP.sub(" ", text))


_MASK32 = np.uint64(0xFFFFFFFF)
_SHIFT = np.uint64(32)


def signatures(words: list[list[str]], num_perm: int = NUM_PERM, seed: int = 7) -> np.ndarray:
    """MinHash signatures (docs × num_perm) of the word 3-gram sets of tokenised documents.

    Words get integer ids (one factorize for the whole batch), 3-grams a 64-bit hash of their
    three ids, and each permutation is a multiply-shift hash ((a·h + b) mod 2⁶⁴) >> 32; the
    minimum per document (duplicates do not change a minimum) comes from one reduceat per block.
    Every document needs at least three words.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    sizes = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    ids = pd.factorize(pd.Series([w for doc in words for w in doc], dtype=object))[0]
    ids = ids.astype(np.uint64) + np.uint64(1)
    doc = np.repeat(np.arange(len(words)), sizes)
    valid = doc[:-2] == doc[2:]
    k1, k2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
    with np.errstate(over="ignore"):
        grams = (ids[:-2][valid] * k1) ^ (ids[1:-1][valid] * k2) ^ ids[2:][valid]
        grams = (grams ^ (grams >> np.uint64(29))) * k1
    gram_doc = doc[:-2][valid]
    starts = np.searchsorted(gram_doc, np.arange(len(words) + 1))
    out = np.empty((len(words), num_perm), dtype=np.uint64)
    block = 20_000
    for lo in range(0, len(words), block):
        hi = min(lo + block, len(words))
        part = grams[starts[lo] : starts[hi]]
        offsets = starts[lo:hi] - starts[lo]
        for p in range(0, num_perm, 16):
            with np.errstate(over="ignore"):
                values = (part[:, None] * a[p : p + 16] + b[p : p + 16]) >> _SHIFT
            out[lo:hi, p : p + 16] = np.minimum.reduceat(values, offsets, axis=0)
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


def _share_a_band(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Per signature: does any of its LSH bands equal the same band of another signature?"""
    hit = np.zeros(len(sig), dtype=bool)
    for i in range(bands):
        band = np.ascontiguousarray(sig[:, i * rows : (i + 1) * rows])
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        _, inverse, counts = np.unique(keys, return_inverse=True, return_counts=True)
        hit |= counts[inverse.ravel()] > 1
    return hit


def _closest(xs: list[int], ys: list[int], when: np.ndarray) -> tuple[int, int]:
    """The pair of rows (one from each time-sorted list) closest in time."""
    if len(xs) == 1 and len(ys) == 1:
        return xs[0], ys[0]
    tx, ty = when[xs], when[ys]
    pos = np.clip(np.searchsorted(ty, tx), 1, max(1, len(ty) - 1))
    best: tuple[int, int] = (xs[0], ys[0])
    gap = None
    for i, p in enumerate(pos):
        for j in {int(p) - 1, min(int(p), len(ys) - 1)}:
            d = abs(tx[i] - ty[j])
            if gap is None or d < gap:
                gap, best = d, (xs[i], ys[j])
    return best


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
    words = [_words(texts[r]) for r in rows_all]
    has = np.fromiter((len(w) >= MIN_WORDS for w in words), dtype=bool, count=len(words))
    rows = rows_all[has]
    if not len(rows):
        return _empty()
    sig = signatures([w for w, ok in zip(words, has, strict=True) if ok])
    when = m["published_at"].dt.tz_convert(None).to_numpy()
    author = m["author_id"].to_numpy()
    span = np.timedelta64(int(hours * 3600), "s")
    clusters = _Clusters(len(m))
    paired: set[int] = set()
    # Identical signatures (copies) form one group: linked in time order, one LSH entry each,
    # so a text pasted ten thousand times costs one query, not a hundred million comparisons.
    _, first, group = np.unique(sig, axis=0, return_index=True, return_inverse=True)
    group = group.ravel()
    order = np.lexsort((when[rows], group))
    same = group[order][1:] == group[order][:-1]
    close = (when[rows][order][1:] - when[rows][order][:-1]) <= span
    for x, y in zip(rows[order][:-1][same & close], rows[order][1:][same & close], strict=True):
        clusters.union(int(x), int(y))
        paired.update((int(x), int(y)))
    g_size = np.bincount(group)
    g_rows = pd.Series(rows[order]).groupby(group[order]).agg(list)  # rows by time, per group
    # Candidates come from a looser LSH band setting than the final check, for recall.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.15), num_perm=NUM_PERM)
    # Only texts sharing a band with another can be LSH candidates: find them with numpy
    # first (the same bands datasketch uses), and index only those.
    candidates = np.flatnonzero(_share_a_band(sig[first], lsh.b, lsh.r))
    sketches = {int(gi): LeanMinHash(seed=7, hashvalues=sig[first[gi]]) for gi in candidates}
    with lsh.insertion_session() as session:
        for gi, mh in sketches.items():
            session.insert(gi, mh, check_duplication=False)
    for gi, mh in sketches.items():
        r = int(rows[first[gi]])
        for gj in lsh.query(mh):
            other = int(rows[first[gj]])
            if gj <= gi or clusters.find(r) == clusters.find(other):
                continue
            if g_size[gi] == g_size[gj] == 1 and author[r] == author[other]:
                continue
            if np.mean(sig[first[gi]] == sig[first[gj]]) < threshold:
                continue
            pair = _closest(g_rows[gi], g_rows[gj], when)
            if abs(when[pair[0]] - when[pair[1]]) > span:
                continue
            clusters.union(*pair)
            paired.update(pair)
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
