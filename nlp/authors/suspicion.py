"""Suspicious prescription: near-duplicate campaigns, bursts of new accounts, same-day reviews.

Each detector returns one row per flagged mention with its kind, a reason a person can check
and a group key naming the campaign, burst or page-day it belongs to.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from datasketch import MinHashLSH
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

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


_SHIFT = np.uint64(32)
_K1, _K2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)


def row_hash(columns: np.ndarray) -> np.ndarray:
    """A 64-bit hash per row of a 2-D array of unsigned integers."""
    h = np.zeros(len(columns), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(columns.shape[1]):
            h = (h ^ columns[:, j].astype(np.uint64)) * _K1
            h ^= h >> np.uint64(31)
    return h


def signature_groups(sig: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a row of each distinct signature, group of each row, rows per group): the groups of
    `np.unique(sig, axis=0, return_inverse=True, return_counts=True)` numbered in the
    order of the signatures' 64-bit hashes, from one sort of a million integers instead of
    a million rows of 64 (and the copies that takes). Every row is checked equal to its
    group's first; were two signatures ever to share a hash, the rows are grouped by
    value instead (the same groups, only numbered otherwise)."""
    if not len(sig):
        return (np.zeros(0, dtype=np.int64),) * 3
    _, first, node, size = np.unique(
        row_hash(sig), return_index=True, return_inverse=True, return_counts=True
    )
    node = node.ravel().astype(np.int64)
    step = max(1, 4_000_000 // max(1, sig.shape[1]))
    for lo in range(0, len(sig), step):
        if not (sig[lo : lo + step] == sig[first[node[lo : lo + step]]]).all():
            _, first, node, size = np.unique(
                sig, axis=0, return_index=True, return_inverse=True, return_counts=True
            )
            break
    return first.astype(np.int64), node.ravel().astype(np.int64), size


def signatures(words: list[list[str]], num_perm: int = NUM_PERM, seed: int = 7) -> np.ndarray:
    """MinHash signatures (docs × num_perm) of the word 3-gram sets of tokenised documents.

    Words get a 64-bit hash of their text, 3-grams a 64-bit hash of their three word hashes,
    and each permutation is a multiply-shift hash ((a·h + b) mod 2⁶⁴) >> 32, a 32-bit value
    (held as uint32: a million signatures weigh 256 MB, not 512); the minimum per document
    (duplicates do not change a minimum) comes from one reduceat per block. Every document
    needs at least three words.
    """
    rng = np.random.default_rng(seed)
    a = rng.integers(1, 1 << 63, size=num_perm, dtype=np.uint64) | np.uint64(1)
    b = rng.integers(0, 1 << 63, size=num_perm, dtype=np.uint64)
    sizes = np.fromiter((len(w) for w in words), dtype=np.int64, count=len(words))
    # Words hashed by content (a fixed key), not numbered by first appearance: a document's
    # signature must not depend on which documents came before it.
    flat = np.array([w for doc in words for w in doc], dtype=object)
    ids = pd.util.hash_array(flat, categorize=True) if len(flat) else np.zeros(0, np.uint64)
    doc = np.repeat(np.arange(len(words)), sizes)
    valid = doc[:-2] == doc[2:]
    k1, k2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
    with np.errstate(over="ignore"):
        grams = (ids[:-2][valid] * k1) ^ (ids[1:-1][valid] * k2) ^ ids[2:][valid]
        grams = (grams ^ (grams >> np.uint64(29))) * k1
    gram_doc = doc[:-2][valid]
    starts = np.searchsorted(gram_doc, np.arange(len(words) + 1))
    out = np.empty((len(words), num_perm), dtype=np.uint32)
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


def _similar_pairs(
    sig: np.ndarray,
    author: np.ndarray,
    threshold: float,
    sole: np.ndarray | None = None,
    when: np.ndarray | None = None,
    span: np.int64 | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Signature group per document, and the pairs of groups whose texts are nearly alike (an
    array of rows (g, h), g < h, sorted).

    Documents with the same signature form one group (`signature_groups`: numbered in the
    order of the signatures' hashes, not of the rows); two groups are alike when their
    signatures agree on at least `threshold` of their positions (LSH finds the candidates),
    except two single posts of one author (someone repeating themself). `sole`, per
    document, the author of its signature's only post in the whole window (-1: several
    posts), where these documents are part of a window. With `when` (per document, seconds)
    and `span`, only pairs of groups with posts at most `span` apart are kept: the only ones
    `_campaigns` can link, so the campaigns are the same, and the pairs of one template's
    posts no longer grow with the square of the window's posts but with its posts times
    those of `span`.
    """
    first_row, node, size = signature_groups(sig)
    n_groups = len(first_row)
    sole_author = np.full(n_groups, -1, dtype=np.int64)
    if sole is None:
        single = size[node] == 1
        sole_author[node[single]] = author[single]
    else:
        sole_author[node] = sole
    times = None
    if when is not None and span is not None and len(node):
        first = np.full(n_groups, np.iinfo(np.int64).max, dtype=np.int64)
        last = np.full(n_groups, np.iinfo(np.int64).min, dtype=np.int64)
        np.minimum.at(first, node, when)
        np.maximum.at(last, node, when)
        times = (first, last, np.int64(span))
    # Candidates come from a looser LSH band setting than the final check, for recall: the
    # pairs of signatures equal on at least one band (datasketch's setting for that
    # threshold), checked position by position.
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.15), num_perm=NUM_PERM)
    g, h = _band_pairs(sig, first_row, lsh.b, lsh.r, times)
    keep = ~((sole_author[g] >= 0) & (sole_author[g] == sole_author[h]))
    g, h = g[keep], h[keep]
    alike = np.zeros(len(g), dtype=bool)
    step = max(1, 4_000_000 // NUM_PERM)
    for lo in range(0, len(g), step):
        eq = sig[first_row[g[lo : lo + step]]] == sig[first_row[h[lo : lo + step]]]
        alike[lo : lo + step] = eq.sum(axis=1) / eq.shape[1] >= threshold
    return node, np.stack([g[alike], h[alike]], axis=1)


def _band_pairs(
    sig: np.ndarray,
    first_row: np.ndarray,
    bands: int,
    rows: int,
    times: tuple[np.ndarray, np.ndarray, np.int64] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Every pair (g < h) of distinct signatures (g: the one at row first_row[g] of sig)
    equal on at least one LSH band, sorted; with `times` (first and last post per
    signature, span), only those whose posts come within span."""
    n = len(first_row)
    parts = [np.zeros(0, dtype=np.int64)]  # the distinct pairs so far, then bands' pairs
    for i in range(bands):
        band = sig[first_row, i * rows : (i + 1) * rows]
        keys = band.view(np.dtype((np.void, band.dtype.itemsize * rows))).ravel()
        _, bucket, counts = np.unique(keys, return_inverse=True, return_counts=True)
        bucket = bucket.ravel()
        shared = counts[bucket] > 1
        if not shared.any():
            continue
        members = np.flatnonzero(shared)
        if times is None:
            order = members[np.argsort(bucket[members], kind="stable")]  # by bucket, then id
            b = bucket[order]
            first = np.r_[0, np.flatnonzero(np.diff(b)) + 1]
            size = np.diff(np.r_[first, len(b)])
            after = np.repeat(first + size, size) - np.arange(len(b)) - 1  # later members
        else:
            # By bucket, then first post: a member's partners are the later members of its
            # bucket whose first post comes at most span after its last one.
            start, end, span = times
            t0 = int(start[members].min())
            order = members[np.lexsort((members, start[members], bucket[members]))]
            b = bucket[order].astype(np.int64)
            key = (b << 34) + (start[order] - t0)
            reach = (b << 34) + np.minimum(end[order] - t0 + span, (1 << 34) - 1)
            after = np.searchsorted(key, reach, side="right") - np.arange(len(b)) - 1
        left = np.repeat(np.arange(len(b)), after)
        offset = np.arange(len(left)) - np.repeat(np.cumsum(after) - after, after)
        right = left + 1 + offset
        x, y = order[left].astype(np.int64), order[right].astype(np.int64)
        parts.append(np.minimum(x, y) * n + np.maximum(x, y))
        if sum(len(p) for p in parts) > _MERGE_PAIRS or i == bands - 1:
            parts = [_distinct(np.concatenate(parts))]  # memory: pairs seen, not per band
    every = _distinct(np.concatenate(parts))
    return every // n, every % n


_MERGE_PAIRS = 8_000_000


def _distinct(codes: np.ndarray) -> np.ndarray:
    """Sorted distinct values (a sort: numpy's hashing unique is slower on these)."""
    codes = np.sort(codes)
    return codes[np.r_[True, codes[1:] != codes[:-1]]] if len(codes) else codes


def _campaigns(node: np.ndarray, pairs: np.ndarray, when: np.ndarray, span: np.int64) -> np.ndarray:
    """Component per document of the graph linking two posts of alike (or equal) texts
    published at most `span` apart: a property of the graph, whatever the row order.

    Linking each post to the latest post of the other group not after it (when close enough)
    gives the same components as linking every close pair: between two linked posts of one
    group, consecutive posts are closer still, and those are linked too.
    """
    n = len(node)
    if not n:
        return np.zeros(0, dtype=np.int64)
    order = np.lexsort((when, node))
    same = node[order][1:] == node[order][:-1]
    close = np.diff(when[order]) <= span
    src = [order[:-1][same & close]]
    dst = [order[1:][same & close]]
    if len(pairs):
        p = np.asarray(pairs, dtype=np.int64)
        # Posts sorted by (group, time): a group's posts are one slice, in time order.
        t0 = when.min()
        key = node[order].astype(np.int64) * (1 << 33) + (when[order] - t0)
        start = np.searchsorted(node[order], np.arange(node.max() + 2))
        for g, h in ((p[:, 0], p[:, 1]), (p[:, 1], p[:, 0])):
            # Every post of g (x), with the latest post of h not after it.
            size = start[g + 1] - start[g]
            x = order[np.repeat(start[g], size) + _ranks(size)]
            other = np.repeat(h, size)
            k = np.searchsorted(key, other * (1 << 33) + (when[x] - t0), side="right") - 1
            k = np.maximum(k, 0)
            y = order[k]
            ok = (node[y] == other) & (when[x] - when[y] <= span) & (when[y] <= when[x])
            src.append(x[ok])
            dst.append(y[ok])
    a, b = np.concatenate(src), np.concatenate(dst)
    graph = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n, n))
    _, labels = connected_components(graph, directed=False)
    return labels.astype(np.int64)


def _ranks(size: np.ndarray) -> np.ndarray:
    """0, 1, …, size-1 for each size, concatenated."""
    return np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)


def _crowds(
    when: np.ndarray, author: np.ndarray, span: np.int64, min_authors: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For posts in time order, the windows [when[i], when[i] + span]: where each ends
    (exclusive) and how many authors posted in it; and per post, the first window holding it
    with posts of at least `min_authors` authors (-1 if none: not part of a crowd)."""
    n = len(when)
    end = np.searchsorted(when, when + span, side="right")
    authors = np.zeros(n, dtype=np.int64)
    seen: dict[int, int] = {}
    j = 0
    for i in range(n):
        while j < end[i]:
            seen[author[j]] = seen.get(author[j], 0) + 1
            j += 1
        authors[i] = len(seen)
        left = seen[author[i]] - 1
        if left:
            seen[author[i]] = left
        else:
            del seen[author[i]]
    crowd = authors >= min_authors
    next_crowd = np.full(n + 1, n, dtype=np.int64)  # the first crowd window at or after i
    for i in range(n - 1, -1, -1):
        next_crowd[i] = i if crowd[i] else next_crowd[i + 1]
    # The windows holding post p start at or after the first window that reaches p.
    first_reaching = np.searchsorted(end, np.arange(n), side="right")
    window = next_crowd[first_reaching]
    return end, authors, np.where(window <= np.arange(n), window, -1)


def _natural_keys(m: pd.DataFrame) -> pd.Series:
    """source/external id of each mention (the mention id where the frame has no source)."""
    source = m["source"].where(m["source"].notna(), m["source_id"].astype(str)).astype(str)
    external = m["external_id"].where(m["external_id"].notna(), m["mention_id"].astype(str))
    return source + "/" + external.astype(str).str.slice(0, 60)


def eligible(m: pd.DataFrame) -> tuple[np.ndarray, list[list[str]]]:
    """Rows whose texts can be near-duplicates (no retweet, at least MIN_WORDS words) and
    their words."""
    text = m["text"]
    keep = ~text.str.lstrip().str.lower().str.startswith("rt @")
    texts = text.to_numpy()
    rows_all = np.flatnonzero(keep.to_numpy())
    words = [_words(texts[r]) for r in rows_all]
    has = np.fromiter((len(w) >= MIN_WORDS for w in words), dtype=bool, count=len(words))
    return rows_all[has], [w for w, ok in zip(words, has, strict=True) if ok]


def eligible_signatures(m: pd.DataFrame, chunk: int = 50_000) -> tuple[np.ndarray, np.ndarray]:
    """`eligible`'s rows and their `signatures`, a chunk of rows at a time: a post's signature
    depends on its text only, and a million posts' word lists at once weigh gigabytes."""
    rows = [np.zeros(0, dtype=np.int64)]
    sigs = [np.zeros((0, NUM_PERM), dtype=np.uint32)]
    for lo in range(0, len(m), chunk):
        part, words = eligible(m.iloc[lo : lo + chunk])
        if len(part):
            rows.append(part + lo)
            sigs.append(signatures(words))
    return np.concatenate(rows), np.concatenate(sigs)


def stamps(m: pd.DataFrame) -> np.ndarray:
    """Publication times in whole seconds (int64)."""
    when = m["published_at"].dt.tz_convert(None).to_numpy().astype("datetime64[s]")
    return when.astype(np.int64)


def near_duplicates(
    m: pd.DataFrame, threshold: float = 0.7, hours: float = 48.0, min_authors: int = 3
) -> pd.DataFrame:
    """Texts nearly alike (MinHash LSH on word 3-grams) by >= min_authors accounts close in time.

    A campaign is a connected component of the graph linking posts whose texts are nearly
    alike and that were published at most `hours` apart. A post is flagged when a window of
    `hours` holding it holds posts of the campaign by at least `min_authors` accounts; its
    reason describes the first such window (start, accounts, posts, span), so no reason
    claims a span longer than `hours`. Nothing depends on the order of the rows or on the
    ids the database gave them (`prepare` sorts rows by time and natural key; the campaign
    key names its first post by source and external id). Retweets ("RT @…") are shares, not
    copies, and are left out. `nlp.authors.neardup` finds the same campaigns night by night.
    """
    rows, sig = eligible_signatures(m)
    if not len(rows):
        return _empty()
    author = m["author_id"].to_numpy()[rows]
    stamp = stamps(m)[rows]
    span = np.int64(int(hours * 3600))
    node, pairs = _similar_pairs(sig, author, threshold, when=stamp, span=span)
    campaign = _campaigns(node, pairs, stamp, span)
    return campaign_flags(m, rows, campaign, span, min_authors)


def campaign_flags(
    m: pd.DataFrame, rows: np.ndarray, campaign: np.ndarray, span: np.int64, min_authors: int
) -> pd.DataFrame:
    """The near-duplicate flags of the posts at `rows` of `m`, given their campaign labels
    (any labels: only which posts share one matters)."""
    author = m["author_id"].to_numpy()[rows]
    stamp = stamps(m)[rows]
    d = pd.DataFrame({"row": rows, "campaign": campaign, "author": author, "when": stamp})
    # Only campaigns with posts by enough authors can hold a crowd.
    d = d[(d.groupby("campaign")["author"].transform("nunique") >= min_authors).to_numpy()]
    if d.empty:
        return _empty()
    # Rows are in time order, then natural-key order (prepare): that order breaks time ties.
    d = d.sort_values(["campaign", "when", "row"], kind="stable")
    ids = m["mention_id"].to_numpy()
    firsts = d.groupby("campaign", sort=False)["row"].first()  # keys of these rows only
    keys = dict(zip(firsts.index, _natural_keys(m.iloc[firsts.to_numpy()]), strict=True))
    out = []
    for c, g in d.groupby("campaign", sort=False):
        t, a, r = g["when"].to_numpy(), g["author"].to_numpy(), g["row"].to_numpy()
        end, authors, window = _crowds(t, a, span, min_authors)
        if (window < 0).all():
            continue
        key = f"dup-{keys[c]}"
        for w in np.unique(window[window >= 0]):
            first = pd.Timestamp(int(t[w]), unit="s")
            reason = (
                f"near-duplicate text posted by {authors[w]} different accounts within "
                f"{(t[end[w] - 1] - t[w]) / 3600:.0f} h from {first:%Y-%m-%d %H:%M} UTC "
                f"({end[w] - w} posts, campaign {key})"
            )
            out.append(pd.DataFrame({"mention_id": ids[r[window == w]], "kind": "near_duplicate",
                                     "reason": reason, "group_key": key}))  # fmt: skip
    if not out:
        return _empty()
    flags = pd.concat(out, ignore_index=True)[FLAG_COLUMNS]
    return flags.sort_values(["group_key", "mention_id"], kind="stable").reset_index(drop=True)


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
    r = m.loc[m["rating"].notna(), ["mention_id", "source_id", "source", "thread_id", "rating",
                                     "published_at"]].copy()  # fmt: skip
    if r.empty:
        return _empty()
    scale = r.groupby("source_id")["rating"].transform("max").clip(lower=5)
    r["five"] = r["rating"] >= scale
    # The page by source name (ids differ between databases), by id in frames without names.
    source = r["source"].where(r["source"].notna(), r["source_id"].astype(str)).astype(str)
    r["page"] = source + ":" + r["thread_id"].fillna("-").astype(str)
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
