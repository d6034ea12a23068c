"""Contributor figures: profiles, the observed 1/9/90 split, influential authors, suspicion."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from storage.vocab import PROFILES, TIER_STUDY_SHARES, TIERS


def tier_from_posts(posts: int) -> str:
    """Fallback tier when contributor profiles are not computed: posts within the period."""
    if posts >= 5:
        return "regular"
    return "occasional" if posts >= 2 else "one_off"


@dataclass
class Contributors:
    profiles_available: bool
    tiers: pd.DataFrame  # tier, authors, share, reference
    tiers_from_profiles: bool
    profiles: pd.DataFrame  # profile, authors, share
    influential: pd.DataFrame  # author_id, name, handle, source, profile, influence, followers…
    ranked_by_influence: bool
    authors: int


def _with_profiles(part: pd.DataFrame, profiles: pd.DataFrame | None) -> pd.DataFrame:
    part = part.copy()
    if profiles is not None and not profiles.empty:
        part = part.merge(profiles, how="left", on="author_id")
    else:
        for col in ("profile", "influence", "tier", "suspicious"):
            part[col] = None
    fallback = part["tier"].isna()
    part.loc[fallback, "tier"] = part.loc[fallback, "posts"].map(tier_from_posts)
    return part


def _shares(values: pd.Series, order: list[str]) -> tuple[pd.Series, pd.Series, int]:
    counts = values.dropna().value_counts()
    total = int(counts.sum())
    return counts, counts / total if total else counts.astype(float), total


def contributors(
    authors: pd.DataFrame, profiles: pd.DataFrame | None, top: int = 10
) -> Contributors:
    """Figures over the authors of the period (`authors` from frame.authors), beside the
    previous period's shares."""
    have = profiles is not None and not profiles.empty
    cur = _with_profiles(authors[authors["current"]], profiles)
    prev = _with_profiles(authors[~authors["current"]], profiles)
    fallback = cur["tier"].isna() | ~cur["author_id"].isin(
        profiles["author_id"] if have and profiles is not None else []
    )
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
    by_influence = have and cur["influence"].notna().any()
    cur["followers_sort"] = cur["followers"].fillna(-1)
    order = (
        ["influence", "followers_sort", "engagement"]
        if by_influence
        else ["followers_sort", "engagement", "posts"]
    )
    best = cur.sort_values([*order, "author_id"], ascending=[False] * len(order) + [True]).head(top)
    return Contributors(
        profiles_available=bool(have),
        tiers=tiers,
        tiers_from_profiles=bool(have and not fallback.all()),
        profiles=profiles_df,
        influential=best.reset_index(drop=True),
        ranked_by_influence=bool(by_influence),
        authors=total,
    )
