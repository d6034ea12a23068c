"""Compute profiles, tiers, influence and flags for a window, and store them incrementally."""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from config.settings import AuthorsSettings
from nlp import memory
from nlp.authors import VERSION, neardup
from nlp.authors.data import Fresh, load_window, prepare, sorted_brands
from nlp.authors.features import author_features, handle_mentions, mention_cues, resolve_parents
from nlp.authors.influence import influence_frame, interaction_edges, pagerank_ratio
from nlp.authors.profiles import assign_profiles
from nlp.authors.suspicion import (
    FLAG_COLUMNS,
    NUM_PERM,
    author_flags,
    bursts,
    near_duplicates,
    same_day_reviews,
    suspect_accounts,
)
from nlp.authors.tiers import assign_tiers
from storage import authors as repo
from storage.clock import utcnow
from storage.dialect import chunks
from storage.models import AuthorProfile, MentionDerived, MentionFlag, NearDuplicateEntry
from storage.planner import bulk_write

FEATURE_COLUMNS = (
    "posts", "asks", "advice", "answered", "deal", "selling", "recommends", "positive",
    "negative", "rated", "labelled", "replies_received", "engagement", "days", "threads",
    "topics", "brands", "followers", "post_count",
)  # fmt: skip


# The tables the stage writes (their planner statistics kept up: `storage.planner`).
AUTHORS_TABLES = tuple(
    m.__tablename__ for m in (AuthorProfile, MentionFlag, NearDuplicateEntry, MentionDerived)
)


@dataclass
class AuthorsResult:
    profiles: pd.DataFrame  # indexed by author_id, columns of author_profiles
    flags: pd.DataFrame  # mention_id, kind, reason, group_key


def analyse(
    mentions: pd.DataFrame,
    brands: pd.DataFrame,
    settings: AuthorsSettings | None = None,
    *,
    suspicion: bool = True,
    near: pd.DataFrame | None = None,
    prepared: bool = False,
) -> AuthorsResult:
    """Everything about the authors of these mentions, in one vectorised pass.

    near: the near-duplicate flags when already found (`nlp.authors.neardup`, night by
    night), else they are searched here. prepared: `mentions` comes from `prepare` (or
    `load_window`) as it is, so it is not copied and sorted again.
    """
    cfg = settings or AuthorsSettings()
    # Rows in natural-key order and brands sorted: the result never depends on row order.
    m = mentions if prepared else prepare(mentions)
    brands = sorted_brands(brands)
    cues = mention_cues(m)
    parent = resolve_parents(m).to_numpy()
    feats = author_features(m, brands, cues=cues, parent=parent)
    profiles = assign_profiles(feats, cfg.min_posts)
    ratio = pagerank_ratio(interaction_edges(m, parent, handle_mentions(m)), feats.index)
    influence = influence_frame(feats, ratio)
    out = profiles.join(influence)
    out["tier"] = assign_tiers(feats["posts"], ties=_author_keys(m)).reindex(feats.index)
    out["posts"] = feats["posts"]
    rounded = feats[list(FEATURE_COLUMNS)].astype("float64").round(2)
    out["features"] = [
        {k: v for k, v in r.items() if not (isinstance(v, float) and math.isnan(v))}
        for r in rounded.to_dict("records")
    ]
    if suspicion:
        polarity = pd.Series(
            cues["positive"].astype(int) - cues["negative"].astype(int), index=m.index
        )
        suspect = suspect_accounts(m, brands, polarity, cfg.new_account_days)
        if near is None:
            near = near_duplicates(
                m, cfg.duplicate_threshold, cfg.duplicate_hours, cfg.duplicate_min_authors
            )
        parts = [
            near,
            bursts(m, brands, suspect, cfg.burst_min_posts),
            same_day_reviews(m, cfg.review_min_same_day),
        ]
        flags = pd.concat([p for p in parts if not p.empty] or [parts[0]], ignore_index=True)
    else:
        flags = pd.DataFrame(columns=FLAG_COLUMNS)
    flags = flags.sort_values(["kind", "group_key", "mention_id"], kind="stable")
    flags = flags.reset_index(drop=True)
    per_author = author_flags(m, flags)
    out["flags"] = per_author["flags"].reindex(out.index)
    out["flags"] = [f if isinstance(f, list) else [] for f in out["flags"]]
    out["suspicious"] = out.index.isin(per_author.index[per_author["suspicious"].astype(bool)])
    return AuthorsResult(out, flags[FLAG_COLUMNS])


def _author_keys(m: pd.DataFrame) -> pd.Series:
    """ "source/handle" per author id: a key the database's ids do not change."""
    m = m.drop_duplicates("author_id")  # an author's first row: one key per author
    source = m["source"].where(m["source"].notna(), m["source_id"].astype(str)).astype(str)
    handle = m["handle"].where(m["handle"].notna(), m["author_id"].astype(str)).astype(str)
    return pd.Series((source + "/" + handle).to_numpy(), index=m["author_id"]).sort_index()


def profile_rows(
    result: AuthorsResult, start: datetime, end: datetime, now: datetime
) -> list[dict[str, Any]]:
    cols = ["profile", "profile_score", "reasons", "influence", "influence_parts", "tier",
            "flags", "suspicious", "posts", "features"]  # fmt: skip
    frame = result.profiles[cols]
    rows = frame.to_dict("index")
    common = {"window_start": start, "window_end": end, "computed_at": now, "version": VERSION}
    return [
        {
            **r,
            "author_id": int(a),
            "profile_score": float(r["profile_score"]),
            "influence": float(r["influence"]),
            "posts": int(r["posts"]),
            "suspicious": bool(r["suspicious"]),
            **common,
        }
        for a, r in rows.items()
    ]


def recompute(
    engine: Engine,
    settings: AuthorsSettings | None = None,
    now: datetime | None = None,
    *,
    full: bool = False,
    jobs: int = 1,
) -> dict[str, Any]:
    """Recompute the window ending `now` and store what changed.

    Skips the work when no mention or label arrived and no post left the window since the
    last computation. Tiers, PageRank and flags depend on the whole population, so the window
    is analysed as a whole; only profiles that differ from the stored ones are written (the
    stored ones then say what a full recomputation says). Authors without posts in the window
    lose their profile. Near-duplicate campaigns are searched only where new or departed
    posts can change them (`nlp.authors.neardup`, its index kept in the database); `full`
    rebuilds that index from the whole window. What each post's text gives (cues, @handles,
    hash) is stored per post (`mention_derived`) and derived only for posts new or changed
    since; `full` derives it again for every post and stores nothing of it. `jobs`: processes
    that derive the texts' facts while the window is read (the same results whatever their
    number).
    """
    cfg = settings or AuthorsSettings()
    end = now or utcnow()
    start = end - timedelta(days=cfg.window_days)
    memory.map_large_blocks()
    with engine.connect() as conn:
        last = None if full else repo.last_computed_at(conn)
        stale = None if last is None else repo.authors_to_update(conn, last, start)
        if stale is not None and not stale:
            return {"authors": 0, "profiles_written": 0, "flags": None, "skipped": True}
        near_setting = neardup.setting(cfg.duplicate_threshold, cfg.duplicate_hours)
        entries = None if full else repo.near_duplicate_index(conn, near_setting)
        rebuilt = entries is None
        index = _index(entries, neardup.bands_of(cfg.duplicate_threshold)[0])
        del entries  # a million rows of blobs: the arrays of `index` are what is used
        window = load_window(conn, start, end, known=index.content_of, derived=not full, jobs=jobs)
        if len(window.fresh):  # a cache of what the texts give: kept even if the stage fails
            repo.save_derived(conn, window.fresh.rows())
            conn.commit()
        window.fresh = Fresh.concat([])
        memory.release()
        near, change = neardup.update(
            window.mentions,
            index,
            lambda ids: _signatures(repo.near_duplicate_signatures(conn, ids.tolist())),
            cfg.duplicate_threshold,
            cfg.duplicate_hours,
            cfg.duplicate_min_authors,
            signed=window.signed,
        )
    del index
    window.signed = None
    memory.release()
    result = analyse(window.mentions, window.brands, cfg, near=near, prepared=True)
    del window
    memory.release()
    # computed_at is the wall clock (compared with collected_at), the window uses the run's.
    rows = profile_rows(result, start, end, utcnow())
    if stale is not None:
        with engine.connect() as conn:
            rows = _changed(conn, rows)
    flag_rows = [
        {**f, "mention_id": int(f["mention_id"]), "flagged_at": end}
        for f in result.flags.to_dict("records")
    ]
    with bulk_write(engine, AUTHORS_TABLES) as conn:  # the next night's plans
        written = repo.save_profiles(conn, rows)
        dropped = repo.drop_profiles_outside(conn, start, end)
        repo.replace_flags(conn, flag_rows, start, end)
        if rebuilt:
            repo.clear_near_duplicate_index(conn)
        repo.save_near_duplicate_index(
            conn, change.entries.rows(), change.delete, change.campaigns, near_setting
        )
    profiles = result.profiles
    return {
        "authors": len(profiles),
        "profiles_written": written,
        "profiles_dropped": dropped,
        "flags": len(flag_rows),
        "suspicious_authors": int(profiles["suspicious"].sum()) if len(profiles) else 0,
        "profiles": {k: int(v) for k, v in profiles["profile"].value_counts().items()},
        "near_duplicates": {
            "new": change.new,
            "departed": change.departed,
            "recomputed": change.recomputed,
            "rebuilt": rebuilt,
        },
        "skipped": False,
    }


def _changed(conn: Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows whose stored profile says something else, compared a chunk at a time (the
    stored profiles of a million posts' authors, JSON parsed, weigh hundreds of MB)."""
    out: list[dict[str, Any]] = []
    for part in chunks(rows, 5000):
        stored = repo.stored_profiles(conn, [int(r["author_id"]) for r in part])
        out.extend(r for r in part if _moved(r, stored))
    return out


def _moved(row: dict[str, Any], stored: dict[int, tuple[Any, ...]]) -> bool:
    """Whether a full recomputation would write something else than the stored profile."""
    old = stored.get(row["author_id"])
    return old is None or old != tuple(row[k] for k in repo.COMPARED_COLUMNS)


def _index(entries: Iterable[list[tuple[Any, ...]]] | None, bands: int) -> neardup.Index:
    """The stored near-duplicate index as arrays, read a chunk at a time (empty when there
    is none to use)."""
    parts = [_index_part(rows, bands) for rows in entries or () if rows]
    if not parts:
        return neardup.Index.empty(bands)
    return neardup.Index(*(np.concatenate(arrays) for arrays in zip(*parts, strict=True)))


def _index_part(entries: list[tuple[Any, ...]], bands: int) -> tuple[np.ndarray, ...]:
    ids, content, group, blobs, campaign = zip(*entries, strict=True)
    keys = np.zeros((len(entries), bands), dtype=np.uint64)
    has = np.fromiter((b is not None for b in blobs), dtype=bool, count=len(blobs))
    if has.any():
        packed = b"".join(bytes(b) for b in blobs if b is not None)
        keys[has] = np.frombuffer(packed, dtype=np.uint64).reshape(-1, bands)
    return (
        np.asarray(ids, dtype=np.int64),
        np.asarray(content, dtype=np.int64),
        np.asarray(group, dtype=np.int64),
        keys,
        np.asarray(campaign, dtype=np.int64),
    )


def _signatures(blobs: list[bytes]) -> np.ndarray:
    if not blobs:
        return np.zeros((0, NUM_PERM), dtype=np.uint32)
    return np.frombuffer(b"".join(blobs), dtype=np.uint32).reshape(len(blobs), NUM_PERM)
