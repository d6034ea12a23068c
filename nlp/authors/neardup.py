"""Near-duplicate campaigns night by night: only what the new (and the departed) posts touch.

`suspicion.near_duplicates` reads a whole window: every text tokenised and hashed, every
signature checked against every other. The index keeps, per post of the last window, what
that work found: a hash of what it depends on (text, time, author), its MinHash signature
and LSH band keys, and its campaign (a connected component of the graph of posts alike and
close in time, named by its smallest mention id). A new window then needs:

* signatures of the posts not in the index (new, or changed since);
* the campaigns that can change: those of the posts sharing an LSH band with a post that
  arrived or left (only such posts can gain or lose a link: two posts are linked only when
  their signatures share a band), and those a departed post belonged to (they may split);
* the campaigns of those posts recomputed among themselves and the new posts — a post of
  another campaign is never linked to one of them, in the old graph or the new — with each
  signature's post count (one post of one author is not a campaign with itself) taken over
  the whole window.

Every other campaign is as it was, so the flags, computed from every campaign as
`near_duplicates` computes them, are the same as a recomputation of the whole window
(tests/test_authors_incremental.py checks it night by night).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from datasketch import MinHashLSH

from nlp.authors.suspicion import (
    NUM_PERM,
    _campaigns,
    _empty,
    _ranks,
    _similar_pairs,
    campaign_flags,
    eligible_signatures,
    row_hash,
    signature_groups,
    stamps,
)

VERSION = "neardup.v1"
_K1, _K2 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F)
_mix = row_hash


def setting(threshold: float, hours: float) -> str:
    """What the stored campaigns depend on besides the posts: a different one rebuilds."""
    return f"{VERSION}/{threshold:g}/{hours:g}"


def bands_of(threshold: float) -> tuple[int, int]:
    """(bands, rows) of the LSH that `_similar_pairs` uses for this threshold."""
    lsh = MinHashLSH(threshold=max(0.3, threshold - 0.15), num_perm=NUM_PERM)
    return lsh.b, lsh.r


def band_keys(sig: np.ndarray, bands: int, rows: int) -> np.ndarray:
    """Per signature, one 64-bit key per LSH band (equal bands, equal keys)."""
    out = np.empty((len(sig), bands), dtype=np.uint64)
    for i in range(bands):
        out[:, i] = _mix(sig[:, i * rows : (i + 1) * rows]) + np.uint64(i)
    return out


def text_hash(text: pd.Series) -> np.ndarray:
    return pd.util.hash_array(text.fillna("").astype(str).to_numpy(dtype=object))


def content_hash(m: pd.DataFrame) -> np.ndarray:
    """Per post, a hash of what its signature and links depend on: text, time, author."""
    if "text_hash" in m.columns:  # hashed as the window was read (`nlp.authors.data`)
        text = m["text_hash"].to_numpy().astype(np.uint64)
    else:
        text = text_hash(m["text"])
    with np.errstate(over="ignore"):
        when = stamps(m).astype(np.uint64) * _K2
        author = m["author_id"].to_numpy().astype(np.uint64) * _K1
    return (text ^ when ^ (author >> np.uint64(7))).view(np.int64)


@dataclass
class Index:
    """The stored index: one entry per post of the last window (arrays aligned).

    group: hash of the full signature (0: not a candidate: retweet or too short);
    bands: LSH band keys (rows of zeros where group is 0); campaign: -1 where group is 0.
    """

    mention_id: np.ndarray
    content: np.ndarray
    group: np.ndarray
    bands: np.ndarray
    campaign: np.ndarray

    def content_of(self, mention_ids: np.ndarray) -> np.ndarray:
        """The content hash held for each of these posts (0 where none is)."""
        if not len(self.mention_id):
            return np.zeros(len(mention_ids), dtype=np.int64)
        at = _lookup(self.mention_id, mention_ids)
        return np.where(at >= 0, self.content[np.maximum(at, 0)], 0)

    @classmethod
    def empty(cls, bands: int) -> Index:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, np.zeros((0, bands), dtype=np.uint64), z)


@dataclass
class Entries:
    """New index entries as arrays (a million of them as dicts of bytes would weigh a
    gigabyte): `rows()` gives them as the table's rows, one at a time."""

    mention_id: np.ndarray
    content: np.ndarray
    group: np.ndarray  # 0: not a candidate (no bands, signature or campaign)
    bands: np.ndarray  # per candidate (rows where group != 0, in order)
    signature: np.ndarray  # uint32, per candidate
    campaign: np.ndarray  # per candidate

    def __len__(self) -> int:
        return len(self.mention_id)

    def rows(self) -> Iterator[dict[str, object]]:
        k = 0
        for i in range(len(self.mention_id)):
            row: dict[str, object] = {
                "mention_id": int(self.mention_id[i]),
                "content": int(self.content[i]),
            }
            if self.group[i] != 0:
                row |= {
                    "sig_group": int(self.group[i]),
                    "bands": self.bands[k].tobytes(),
                    "signature": self.signature[k].tobytes(),
                    "campaign": int(self.campaign[k]),
                }
                k += 1
            else:
                row |= {"sig_group": 0, "bands": None, "signature": None, "campaign": -1}
            yield row

    @classmethod
    def empty(cls) -> Entries:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, z, np.zeros((0, 0), np.uint64), np.zeros((0, NUM_PERM), np.uint32), z)


@dataclass
class Update:
    """What to write back: entries to insert or replace, ids to delete, campaigns moved."""

    entries: Entries = field(default_factory=Entries.empty)
    delete: list[int] = field(default_factory=list)
    campaigns: list[tuple[int, int]] = field(default_factory=list)  # (mention_id, campaign)
    new: int = 0
    departed: int = 0
    recomputed: int = 0


def update(
    m: pd.DataFrame,
    index: Index,
    load_signatures: Callable[[np.ndarray], np.ndarray],
    threshold: float = 0.7,
    hours: float = 48.0,
    min_authors: int = 3,
    signed: tuple[np.ndarray, np.ndarray] | None = None,
) -> tuple[pd.DataFrame, Update]:
    """Near-duplicate flags of the window `m` (a prepared frame) and the index's update.

    load_signatures(mention_ids) returns the stored signatures of these indexed posts (rows
    in that order). An empty index makes this a recomputation of the whole window.
    signed: (mention ids, signatures) of the posts the index does not know whose texts can
    be near-duplicates, when computed as the window was read (`Window.signed`; the texts
    are then not needed), else they are computed from `m`'s texts.
    """
    n_bands, n_rows = bands_of(threshold)
    span = np.int64(int(hours * 3600))
    ids = m["mention_id"].to_numpy().astype(np.int64)
    content = content_hash(m)
    # Which posts of the window the index knows as they are now.
    at = _lookup(index.mention_id, ids)
    found = at >= 0
    known = found.copy()
    known[found] = index.content[at[found]] == content[found]
    at = np.where(known, at, -1)
    kept = np.zeros(len(index.mention_id), dtype=bool)
    kept[at[known]] = True
    departed = ~kept  # entries of posts gone from the window or changed

    # The new posts: signatures, band keys and signature hashes.
    new_rows = np.flatnonzero(~known)
    if signed is None:
        cand, new_sig = eligible_signatures(m[["text"]].iloc[new_rows])  # the texts, no copy
    else:
        cand, new_sig = _candidates(ids, new_rows, *signed)
    new_bands = band_keys(new_sig, n_bands, n_rows)
    new_group = _nonzero(_mix(new_sig).view(np.int64))
    new_cand_rows = new_rows[cand]  # rows of m

    # Posts whose campaign can change (every other campaign keeps its posts and links):
    # * those linked to a new post: alike (or equal) and published within the span;
    # * the other posts of a departed post's campaign (it may split);
    # * where a signature gains or loses posts, its posts and the posts sharing a band with
    #   them by the same authors (two single posts of one author are not linked: a
    #   signature's post count can add or remove such a link).
    live = kept & (index.group != 0)
    gone = departed & (index.group != 0)
    row_of = _lookup(ids, index.mention_id)  # entry -> row of m (-1: gone)
    author = m["author_id"].to_numpy()
    when = stamps(m)
    inside = row_of >= 0
    entry_author = np.full(len(row_of), -1, dtype=np.int64)
    entry_author[inside] = author[row_of[inside]]
    entry_when = np.zeros(len(row_of), dtype=np.int64)
    entry_when[inside] = when[row_of[inside]]
    touched = np.zeros(len(index.mention_id), dtype=bool)
    if live.any() and len(new_bands):
        touched |= _linked(
            index, live, entry_when, new_bands, new_sig, when[new_cand_rows],
            load_signatures, threshold, span,
        )  # fmt: skip
    touched |= live & np.isin(index.campaign, index.campaign[gone])
    resized = live & np.isin(index.group, np.concatenate([new_group, index.group[gone]]))
    if resized.any():
        near = np.zeros(len(index.mention_id), dtype=bool)
        for i in range(n_bands):
            near |= np.isin(index.bands[:, i], index.bands[resized, i])
        touched |= resized | (live & near & np.isin(entry_author, entry_author[resized]))
    touched = live & np.isin(index.campaign, index.campaign[touched])
    # Other posts with a signature of the recomputed posts: the signatures' post counts.
    again = np.flatnonzero(touched)
    groups = np.concatenate([index.group[again], new_group])
    mates = np.flatnonzero(live & ~touched & np.isin(index.group, groups))
    loaded = load_signatures(index.mention_id[np.concatenate([again, mates])])
    old_rows = row_of[again]
    # Recompute the campaigns of the touched posts and the new posts among themselves.
    r_rows = np.concatenate([old_rows, new_cand_rows])
    # (Signature matrices are half a gigabyte per million posts: no copy more than needed.)
    if len(loaded):
        r_sig = np.concatenate([loaded[: len(again)], new_sig]).astype(np.uint32, copy=False)
    else:
        r_sig = new_sig  # the first night: no copy of a million signatures
    mate_sig = loaded[len(again) :].astype(np.uint32, copy=False)
    del loaded
    every_sig = np.concatenate([r_sig, mate_sig]) if len(mate_sig) else r_sig
    del mate_sig
    every_author = np.concatenate([author[r_rows], author[row_of[mates]]])
    _, inverse, size = signature_groups(every_sig)
    del every_sig
    sole = np.where(size[inverse] == 1, every_author, -1)[: len(r_rows)]
    campaign_of_entry = index.campaign.copy()
    out = Update(new=len(new_rows), departed=int(departed.sum()), recomputed=len(r_rows))
    new_campaign = np.zeros(0, dtype=np.int64)
    if len(r_rows):
        stamp = when[r_rows]
        node, pairs = _similar_pairs(
            r_sig, author[r_rows], threshold, sole=sole, when=stamp, span=span
        )
        root = _campaigns(node, pairs, stamp, span)
        r_ids = ids[r_rows]
        smallest = pd.Series(r_ids).groupby(root).transform("min").to_numpy()
        new_campaign = smallest[len(again) :]
        moved = smallest[: len(again)] != index.campaign[again]
        moved_ids = index.mention_id[again][moved]
        moved_to = smallest[: len(again)][moved]
        out.campaigns = [(int(a), int(c)) for a, c in zip(moved_ids, moved_to, strict=True)]
        campaign_of_entry[again] = smallest[: len(again)]

    # Every candidate post of the window with its campaign, as near_duplicates has them.
    kept_cand = np.flatnonzero(kept & (index.group != 0))
    rows = np.concatenate([row_of[kept_cand], new_cand_rows])
    campaign = np.concatenate([campaign_of_entry[kept_cand], new_campaign])
    sort = np.argsort(rows, kind="stable")
    rows, campaign = rows[sort], campaign[sort]
    flags = campaign_flags(m, rows, campaign, span, min_authors) if len(rows) else _empty()

    # The index's changes: departed entries out, new posts in.
    out.delete = [int(i) for i in index.mention_id[departed]]
    group = np.zeros(len(new_rows), dtype=np.int64)
    group[cand] = new_group
    out.entries = Entries(ids[new_rows], content[new_rows], group, new_bands, new_sig,
                          new_campaign)  # fmt: skip
    return flags, out


def _linked(
    index: Index,
    live: np.ndarray,
    entry_when: np.ndarray,
    new_bands: np.ndarray,
    new_sig: np.ndarray,
    new_when: np.ndarray,
    load_signatures: Callable[[np.ndarray], np.ndarray],
    threshold: float,
    span: np.int64,
) -> np.ndarray:
    """Per index entry, whether it is live and linked to a new post: sharing an LSH band
    with it (as `_similar_pairs` finds candidates), published within `span` of it, and
    agreeing on at least `threshold` of the signature's positions (equal signatures
    too). Only these entries' signatures are read."""
    entries = np.flatnonzero(live)
    pair_new, pair_old = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for i in range(new_bands.shape[1]):
        keys = index.bands[entries, i]
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        lo = np.searchsorted(ordered, new_bands[:, i], side="left")
        count = np.searchsorted(ordered, new_bands[:, i], side="right") - lo
        n = np.repeat(np.arange(len(new_bands)), count)
        o = entries[order[np.repeat(lo, count) + _ranks(count)]]
        close = np.abs(new_when[n] - entry_when[o]) <= span
        pair_new.append(n[close])
        pair_old.append(o[close])
    code = np.unique(np.concatenate(pair_old) * len(new_bands) + np.concatenate(pair_new))
    o, n = code // max(1, len(new_bands)), code % max(1, len(new_bands))
    linked = np.zeros(len(index.mention_id), dtype=bool)
    if not len(code):
        return linked
    olds = np.unique(o)
    sig = load_signatures(index.mention_id[olds]).astype(np.uint32, copy=False)
    at = np.searchsorted(olds, o)
    alike = np.zeros(len(code), dtype=bool)
    step = max(1, 4_000_000 // NUM_PERM)
    for k in range(0, len(code), step):
        eq = sig[at[k : k + step]] == new_sig[n[k : k + step]]
        alike[k : k + step] = eq.sum(axis=1) / eq.shape[1] >= threshold  # as _similar_pairs
    linked[o[alike]] = True
    return linked


def _candidates(
    ids: np.ndarray, new_rows: np.ndarray, signed_ids: np.ndarray, sig: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Positions in new_rows of the signed posts and their signatures, in row order (as
    `eligible_signatures` gives them)."""
    rows = _lookup(ids, signed_ids)
    order = np.argsort(rows, kind="stable")
    cand = np.searchsorted(new_rows, rows[order])
    ok = (rows >= 0).all() and (cand < len(new_rows)).all()
    if not ok or not (new_rows[np.minimum(cand, len(new_rows) - 1)] == rows[order]).all():
        raise ValueError("signed posts the index knows, or outside the window")
    return cand, sig[order]


def _nonzero(h: np.ndarray) -> np.ndarray:
    """Signature hashes never 0 (0 marks a post that is not a candidate)."""
    return np.where(h == 0, 1, h)


def _lookup(keys: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Position in `keys` (unique ids) of each of `wanted` (-1 where absent)."""
    if not len(keys):
        return np.full(len(wanted), -1, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    pos = np.minimum(np.searchsorted(keys[order], wanted), len(keys) - 1)
    return np.where(keys[order][pos] == wanted, order[pos], -1)
