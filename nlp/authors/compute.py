"""Compute profiles, tiers, influence and flags for a window, and store them incrementally."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from config.settings import AuthorsSettings
from nlp.authors import VERSION
from nlp.authors.data import load_window, prepare, sorted_brands
from nlp.authors.features import author_features, handle_mentions, mention_cues, resolve_parents
from nlp.authors.influence import influence_frame, interaction_edges, pagerank_ratio
from nlp.authors.profiles import assign_profiles
from nlp.authors.suspicion import (
    FLAG_COLUMNS,
    author_flags,
    bursts,
    near_duplicates,
    same_day_reviews,
    suspect_accounts,
)
from nlp.authors.tiers import assign_tiers
from storage import authors as repo
from storage.clock import utcnow

FEATURE_COLUMNS = (
    "posts", "asks", "advice", "answered", "deal", "selling", "recommends", "positive",
    "negative", "rated", "labelled", "replies_received", "engagement", "days", "threads",
    "topics", "brands", "followers", "post_count",
)  # fmt: skip


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
) -> AuthorsResult:
    """Everything about the authors of these mentions, in one vectorised pass."""
    cfg = settings or AuthorsSettings()
    # Rows in natural-key order and brands sorted: the result never depends on row order.
    m = prepare(mentions)
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
        parts = [
            near_duplicates(
                m, cfg.duplicate_threshold, cfg.duplicate_hours, cfg.duplicate_min_authors
            ),
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
    source = m["source"].where(m["source"].notna(), m["source_id"].astype(str)).astype(str)
    handle = m["handle"].where(m["handle"].notna(), m["author_id"].astype(str)).astype(str)
    return (source + "/" + handle).groupby(m["author_id"]).first()


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
) -> dict[str, Any]:
    """Recompute the window ending `now` and store what changed.

    Skips the work when no mention or label arrived and no post left the window since the
    last computation. Tiers, PageRank and flags depend on the whole population, so the window
    is analysed as a whole; only stale authors, and authors whose tier or influence moved, are
    written. Authors without posts in the window lose their profile.
    """
    cfg = settings or AuthorsSettings()
    end = now or utcnow()
    start = end - timedelta(days=cfg.window_days)
    with engine.connect() as conn:
        last = None if full else repo.last_computed_at(conn)
        stale = None if last is None else repo.authors_to_update(conn, last, start)
        if stale is not None and not stale:
            return {"authors": 0, "profiles_written": 0, "flags": None, "skipped": True}
        window = load_window(conn, start, end)
        stored = repo.stored_summary(conn) if stale is not None else {}
    result = analyse(window.mentions, window.brands, cfg)
    # computed_at is the wall clock (compared with collected_at), the window uses the run's.
    rows = profile_rows(result, start, end, utcnow())
    if stale is not None:
        rows = [r for r in rows if r["author_id"] in stale or _moved(r, stored)]
    flag_rows = [
        {**f, "mention_id": int(f["mention_id"]), "flagged_at": end}
        for f in result.flags.to_dict("records")
    ]
    with engine.begin() as conn:
        written = repo.save_profiles(conn, rows)
        dropped = repo.drop_profiles_outside(conn, start, end)
        repo.replace_flags(conn, flag_rows, start, end)
    profiles = result.profiles
    return {
        "authors": len(profiles),
        "profiles_written": written,
        "profiles_dropped": dropped,
        "flags": len(flag_rows),
        "suspicious_authors": int(profiles["suspicious"].sum()) if len(profiles) else 0,
        "profiles": {k: int(v) for k, v in profiles["profile"].value_counts().items()},
        "skipped": False,
    }


def _moved(row: dict[str, Any], stored: dict[int, tuple[str, float]]) -> bool:
    old = stored.get(row["author_id"])
    return old is None or old[0] != row["tier"] or bool(np.abs(old[1] - row["influence"]) >= 0.5)
