"""Read a window of mentions from the database into the frames the author analytics use.

The mention frame has one row per mention: mention_id, source_id, source (its name),
external_id, thread_id, parent_id, author_id, handle, text, published_at (UTC), likes, shares,
comments, rating, followers (at posting, else the author's), post_count, account_created_at,
sentiment, topic; rows in the order of the natural key (published_at, source, external_id),
so that every analytic gives the same answer whatever order the rows came in and whatever ids
the database gave them. The brand frame has one row per (mention_id, brand), sorted.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection

from nlp.authors.features import CUE_PREFIX, mention_cues
from nlp.authors.lexicons import CUES, LEXICONS, MENTION_HANDLE
from nlp.authors.neardup import content_hash
from nlp.authors.suspicion import NUM_PERM, eligible_signatures
from nlp.authors.text_facts import TextFacts, TextPool
from nlp.processes import ahead
from storage.authors import (
    DERIVED_COLUMNS,
    WINDOW_COLUMNS,
    mention_texts,
    window_brands,
    window_mentions,
)

MENTION_COLUMNS = WINDOW_COLUMNS
# The setting of the derived data stored per post (`storage.models.MentionDerived`): data of
# another setting is derived again. The lexicons and the @handle pattern are in its digest;
# bump the version when what derives them changes (`normalise`, the phrase matcher,
# `text_hash`).
DERIVED_VERSION = "derived.v1"
_DIGEST = hashlib.sha1(repr((sorted(LEXICONS.items()), MENTION_HANDLE.pattern)).encode())
DERIVED = f"{DERIVED_VERSION}/{_DIGEST.hexdigest()[:16]}"
_BITS = np.left_shift(1, np.arange(len(CUES), dtype=np.int64))


@dataclass
class Fresh:
    """Derived data of the posts a window's read derived (none stored for them as they are),
    to store: arrays aligned, `rows()` gives them as `storage.authors.save_derived` reads
    them."""

    mention_id: np.ndarray
    content_hash: np.ndarray  # bytes (S40), the mention's content_hash
    cues: np.ndarray  # one bit per lexicon of CUES
    named: np.ndarray  # object: space-separated handles, or None where the text has no @
    text_hash: np.ndarray

    def __len__(self) -> int:
        return len(self.mention_id)

    def rows(self) -> Iterator[tuple[Any, ...]]:
        for i in range(len(self.mention_id)):
            yield (
                int(self.mention_id[i]), self.content_hash[i].decode(), DERIVED,
                int(self.cues[i]), self.named[i], int(self.text_hash[i]),
            )  # fmt: skip

    @classmethod
    def concat(cls, parts: list[Fresh]) -> Fresh:
        if not parts:
            z = np.zeros(0, dtype=np.int64)
            return cls(z, np.zeros(0, dtype="S40"), z, np.zeros(0, dtype=object), z)
        return cls(*(np.concatenate(a) for a in zip(*(_fields(p) for p in parts), strict=True)))


def _fields(f: Fresh) -> tuple[np.ndarray, ...]:
    return f.mention_id, f.content_hash, f.cues, f.named, f.text_hash


@dataclass
class Window:
    mentions: pd.DataFrame
    brands: pd.DataFrame
    start: datetime
    end: datetime
    # With `known`: the mention ids and MinHash signatures of the posts the near-duplicate
    # index does not know as they are and whose texts can be near-duplicates.
    signed: tuple[np.ndarray, np.ndarray] | None = None
    # With `derived`: the derived data computed by this read, to store.
    fresh: Fresh = field(default_factory=lambda: Fresh.concat([]))


def load_window(
    conn: Connection,
    start: datetime,
    end: datetime,
    known: Callable[[np.ndarray], np.ndarray] | None = None,
    derived: bool = False,
    jobs: int = 1,
) -> Window:
    """Mentions with an author published in [start, end], with their labels and brands.

    What the analytics need of a text is computed as its chunk is read: the cues
    (`cue:` columns), the @handles it names (`named`) and its hash (`text_hash`). `known`
    (mention ids -> the content hash the near-duplicate index holds for each, 0 if none):
    the posts the index does not know as they are get their signatures as they are read
    (`Window.signed`, what the near-duplicate search needs of their texts), and no text is
    kept (a million texts weigh half a gigabyte). `derived`: what is stored of each post
    (`mention_derived`, for the post as it is) is read instead of its text, and what is not
    is derived and given in `Window.fresh`, for the caller to store (with `known` only).
    `jobs`: processes that derive the texts' facts (`text_facts`) while this one reads the
    next chunks; the window is the same whatever their number.
    """
    parts: list[pd.DataFrame] = []
    signed: list[tuple[np.ndarray, np.ndarray]] = []
    fresh: list[Fresh] = []
    setting = DERIVED if derived and known is not None else None
    texts_of = functools.partial(mention_texts, conn)

    def finish(frame: pd.DataFrame, rows: list[tuple[Any, ...]], facts: TextFacts) -> None:
        if setting is None:
            frame, read = _derive(frame, facts), None
        else:
            frame, read, new = _derive_stored(frame, rows, facts)
            fresh.append(new)
        if known is not None:
            signed.append(_sign(frame, known, facts, read, texts_of))
            # A copy: the column replaced in place would leave the chunk's texts held by
            # the block the other columns still view.
            frame = frame.assign(text="").copy()
        parts.append(frame)

    def chunks() -> Iterator[tuple[pd.DataFrame, list[tuple[Any, ...]]]]:
        for rows in window_mentions(conn, start, end, derived=setting):
            frame = _frame(rows)
            frame["text"] = frame["text"].fillna("").astype(str)
            yield frame, rows

    with TextPool(jobs) as pool:

        def submit(chunk: tuple[pd.DataFrame, list[tuple[Any, ...]]]) -> Callable[[], TextFacts]:
            frame, rows = chunk
            todo = _to_read(rows) if setting is not None else slice(None)
            return pool.submit(frame["text"].iloc[todo].tolist(), sign=known is not None)

        # Up to `jobs` chunks derived elsewhere while the next one is read.
        for (frame, rows), facts in ahead(chunks(), submit, pool.jobs):
            finish(frame, rows, facts())
    mentions = pd.concat(parts, ignore_index=True) if parts else _frame([])
    parts.clear()
    brands = pd.DataFrame(window_brands(conn, start, end), columns=["mention_id", "brand"])
    window = Window(prepare(mentions, copy=False), sorted_brands(brands), start, end)
    if known is not None:
        ids = [np.zeros(0, dtype=np.int64), *(i for i, _ in signed)]
        sigs = [np.zeros((0, NUM_PERM), dtype=np.uint32), *(s for _, s in signed)]
        window.signed = (np.concatenate(ids), np.concatenate(sigs))
    window.fresh = Fresh.concat(fresh)
    return window


def _frame(rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """A chunk of window rows as a frame: its times parsed and its few distinct labels and
    source names shared (not one string per row), so that the window weighs what its texts
    and keys weigh. Rows with DERIVED_COLUMNS: those are left out (`_derive_stored`)."""
    if rows and len(rows[0]) > len(MENTION_COLUMNS):
        frame = pd.DataFrame(rows, columns=[*MENTION_COLUMNS, *DERIVED_COLUMNS])
        frame = frame.drop(columns=list(DERIVED_COLUMNS))
    else:
        frame = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    for col in ("published_at", "account_created_at"):
        frame[col] = pd.to_datetime(frame[col], utc=True)
    # One string object per distinct value (a thread's id is often the post's own id): a
    # million rows then weigh their keys once, not once per row.
    shared = {v: v for v in frame["external_id"].tolist()}
    for col in ("source", "sentiment", "topic", "handle", "thread_id", "parent_id"):
        values = frame[col].tolist()
        shared.update((v, v) for v in values if v not in shared)
        frame[col] = [shared[v] for v in values]
    return frame


def _to_read(rows: list[tuple[Any, ...]]) -> np.ndarray:
    """The rows that carry no stored derived data (their text was read instead)."""
    at = len(MENTION_COLUMNS) + 1  # the stored cues, None where nothing is stored
    return np.flatnonzero([r[at] is None for r in rows])


def _derive(frame: pd.DataFrame, facts: TextFacts) -> pd.DataFrame:
    """A chunk with its texts' cues, named handles and hash (`facts`: of all its texts)."""
    cues = mention_cues(frame, facts.found)
    for col in cues.columns:
        frame[CUE_PREFIX + col] = cues[col].to_numpy()
    frame["named"] = pd.Series(facts.named, index=frame.index, dtype=object)
    frame["text_hash"] = facts.text_hash
    return frame


def _derive_stored(
    frame: pd.DataFrame, rows: list[tuple[Any, ...]], facts: TextFacts
) -> tuple[pd.DataFrame, np.ndarray, Fresh]:
    """`_derive` where the rows carry the stored derived data (DERIVED_COLUMNS, None where
    none is stored: only those rows carry their text, and `facts` are of those texts): the
    rows whose text was read, and what was derived of them, to store."""
    at = len(MENTION_COLUMNS)
    todo = _to_read(rows)
    read = np.zeros(len(rows), dtype=bool)
    read[todo] = True
    found = np.zeros((len(rows), len(CUES)), dtype=bool)
    packed = np.array([r[at + 1] or 0 for r in rows], dtype=np.int64)  # the stored cues
    found[~read] = (packed[~read, None] & _BITS) != 0
    found[todo] = facts.found
    cues = mention_cues(frame, found)
    for col in cues.columns:
        frame[CUE_PREFIX + col] = cues[col].to_numpy()
    named = np.full(len(rows), np.nan, dtype=object)  # as named_handles: NaN where no @
    for i, value in enumerate([r[at + 2] for r in rows]):
        if value is not None:
            named[i] = value.split(" ") if value else []
    named[todo] = facts.named
    frame["named"] = named
    hashed = np.array([r[at + 3] or 0 for r in rows], dtype=np.int64)
    hashed[todo] = facts.text_hash
    frame["text_hash"] = hashed
    fresh = Fresh(
        frame["mention_id"].to_numpy(dtype=np.int64)[todo],
        np.array([rows[i][at] for i in todo], dtype="S40"),
        (found[todo].astype(np.int64) * _BITS).sum(axis=1),
        np.array([_join(n) for n in facts.named] + [None], dtype=object)[:-1],
        hashed[todo],
    )
    return frame, read, fresh


def _join(named: Any) -> str | None:
    """named_handles' list as stored (None where the text holds no @)."""
    return " ".join(named) if isinstance(named, list) else None


def _sign(
    frame: pd.DataFrame,
    known: Callable[[np.ndarray], np.ndarray],
    facts: TextFacts,
    read: np.ndarray | None = None,
    texts: Callable[[list[int]], dict[int, str | None]] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Mention ids and signatures of the chunk's posts that the index does not know as
    they are and whose texts can be near-duplicates (`neardup.update` reads them). read:
    the rows whose text the chunk holds, whose signatures `facts` hold (None: all); the
    others' texts are read with `texts` and signed here."""
    ids = frame["mention_id"].to_numpy(dtype=np.int64)
    unknown = np.flatnonzero(known(ids) != content_hash(_typed(frame)))
    held = np.ones(len(frame), dtype=bool) if read is None else read
    # Where each read row's signature is in facts (-1: its text cannot be a near-duplicate).
    at = np.full(len(frame), -1, dtype=np.int64)
    at[np.flatnonzero(held)[facts.signed]] = np.arange(len(facts.signed))
    mine = unknown[held[unknown]]
    mine = mine[at[mine] >= 0]
    rows, sigs = [mine], [facts.sig[at[mine]]]
    missing = unknown[~held[unknown]]
    if len(missing) and texts is not None:
        found = texts(ids[missing].tolist())
        text = pd.DataFrame({"text": [found.get(int(i)) or "" for i in ids[missing]]})
        more, sig = eligible_signatures(text, chunk=10_000)
        rows.append(missing[more])
        sigs.append(sig)
    order = np.concatenate(rows)
    by_row = np.argsort(order, kind="stable")
    return ids[order[by_row]], np.concatenate(sigs)[by_row]


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """The columns content_hash reads, typed as `prepare` types them."""
    return pd.DataFrame({
        "text_hash": frame["text_hash"],
        "published_at": pd.to_datetime(frame["published_at"], utc=True),
        "author_id": frame["author_id"].astype("int64"),
    })  # fmt: skip


def prepare(mentions: pd.DataFrame, copy: bool = True) -> pd.DataFrame:
    """Fill the optional columns, fix dtypes (so frames built by hand work too) and sort the
    rows by their natural key. copy=False changes `mentions` in place on the way (a frame
    read for this and nothing else: one copy fewer of a million rows)."""
    m = mentions.copy() if copy else mentions
    for col in MENTION_COLUMNS:
        if col not in m.columns:
            m[col] = None
    m["published_at"] = pd.to_datetime(m["published_at"], utc=True)
    m["account_created_at"] = pd.to_datetime(m["account_created_at"], utc=True)
    for col in ("likes", "shares", "comments", "followers", "post_count", "rating"):
        m[col] = pd.to_numeric(m[col], errors="coerce").astype("float64")
    m["text"] = m["text"].fillna("").astype(str)
    m["author_id"] = m["author_id"].astype("int64")
    m["mention_id"] = m["mention_id"].astype("int64")
    m["source_id"] = m["source_id"].astype("int64")
    order = pd.DataFrame({
        "published_at": m["published_at"],
        "source": m["source"].fillna("").astype(str),
        "external_id": m["external_id"].fillna("").astype(str),
        "mention_id": m["mention_id"],  # frames by hand may lack the natural key
    })  # fmt: skip
    order = order.sort_values(list(order.columns), kind="stable", na_position="first")
    if order.index.equals(pd.RangeIndex(len(m))):
        return m  # in order already (the window's query sorts): no copy of a million rows
    return m.loc[order.index].reset_index(drop=True)


def sorted_brands(brands: pd.DataFrame) -> pd.DataFrame:
    """The brand frame in (mention_id, brand) order, whatever order it came in."""
    return brands.sort_values(["mention_id", "brand"], kind="stable").reset_index(drop=True)
