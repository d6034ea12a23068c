"""Contributor figures: the observed 1/9/90 split and the profiles of the period's authors."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from nlp.authors.tiers import assign_tiers
from storage.vocab import PROFILES, TIER_STUDY_SHARES, TIERS


@dataclass
class Contributors:
    profiles_available: bool
    tiers: pd.DataFrame  # tier, authors, share, previous_share, reference
    profiles: pd.DataFrame  # profile, authors, share
    authors: int


def period_tiers(part: pd.DataFrame) -> pd.Series:
    """Tier per author of one period, by the one rule (`nlp.authors.tiers.assign_tiers`) over
    the posts each author made in it (`part`: author_id, posts, from `frame.authors`)."""
    return assign_tiers(part.set_index("author_id")["posts"])


def _with_profiles(part: pd.DataFrame, profiles: pd.DataFrame | None) -> pd.DataFrame:
    part = part.copy()
    if profiles is not None and not profiles.empty:
        # The stored profile's tier is the 90-day, all-brand one: the period's tier replaces it.
        stored = profiles.drop(columns="tier", errors="ignore")
        part = part.merge(stored, how="left", on="author_id")
    else:
        for col in ("profile", "influence", "suspicious"):
            part[col] = None
    part["tier"] = part["author_id"].map(period_tiers(part))
    return part


def _shares(values: pd.Series, order: list[str]) -> tuple[pd.Series, pd.Series, int]:
    counts = values.dropna().value_counts()
    total = int(counts.sum())
    return counts, counts / total if total else counts.astype(float), total


def contributors(authors: pd.DataFrame, profiles: pd.DataFrame | None) -> Contributors:
    """Figures over the authors of the period (`authors` from frame.authors), beside the
    previous period's shares."""
    have = profiles is not None and not profiles.empty
    cur = _with_profiles(authors[authors["current"]], profiles)
    prev = _with_profiles(authors[~authors["current"]], profiles)
    total = len(cur)
    tier_counts, tier_shares, _ = _shares(cur["tier"], list(TIERS))
    _, tier_prev, prev_total = _shares(prev["tier"], list(TIERS))
    tiers = pd.DataFrame(
        [
            {
                "tier": t,
                "authors": int(tier_counts.get(t, 0)),
                "share": float(tier_shares.get(t, 0.0)) if total else None,
                "previous_share": float(tier_prev.get(t, 0.0)) if prev_total else None,
                "reference": TIER_STUDY_SHARES[t],
            }
            for t in TIERS
        ]
    )
    prof_counts, prof_shares, _ = _shares(cur["profile"], list(PROFILES))
    _, prof_prev, prof_prev_total = _shares(prev["profile"], list(PROFILES))
    known = [p for p in PROFILES if p in prof_counts] + [
        p for p in prof_counts.index if p not in PROFILES
    ]
    profiles_df = pd.DataFrame(
        [
            {
                "profile": p,
                "authors": int(prof_counts[p]),
                "share": float(prof_shares[p]),
                "previous_share": float(prof_prev.get(p, 0.0)) if prof_prev_total else None,
            }
            for p in known
        ],
        columns=["profile", "authors", "share", "previous_share"],
    )
    return Contributors(
        profiles_available=bool(have),
        tiers=tiers,
        profiles=profiles_df,
        authors=total,
    )
