"""Influencers of one brand and one period, and the brand's own accounts kept apart.

An author's influence over the period is the audience and engagement parts of Veille's
influence score (nlp.authors.influence) with the period's figures:

    audience   a = min(1, log10(1 + followers) / 6)       followers: the largest seen in the period
    engagement e = min(1, log10(1 + engagement) / 4)      likes + shares + comments of their posts
    influence    = 100 · (0.35·a + 0.30·e) / 0.65

so the same author ranks differently per brand and per period. An account with no audience
(no follower known, or zero) and a single post is not an influencer, nor is one whose score is
zero; the brand's own accounts (brands[].own_accounts) are listed apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nlp.authors.influence import WEIGHTS, influence_parts

TOP = 10
OWN_TOP = 5
_TIED = 2000  # authors tied with the last one shown that are read to break the tie by name


@dataclass
class Influencers:
    ranked: pd.DataFrame  # author_id, posts, followers, engagement, influence (+ names)
    own: pd.DataFrame  # the brand's own accounts that posted in the period


Names = Callable[[list[int]], pd.DataFrame]  # author ids -> author_id, handle, name, source…


def period_influence(followers: pd.Series, engagement: pd.Series) -> pd.Series:
    """Influence 0–100 over one period from its followers and engagement (see the docstring)."""
    zeros = np.zeros(len(followers))
    parts = influence_parts(followers.fillna(0), engagement.fillna(0), zeros, zeros, zeros)
    weight = WEIGHTS["audience"] + WEIGHTS["engagement"]
    score = WEIGHTS["audience"] * parts["audience"] + WEIGHTS["engagement"] * parts["engagement"]
    return pd.Series(np.round(100.0 * score / weight, 1), index=followers.index)


def influencers(
    authors: pd.DataFrame,
    own: set[int],
    names: Names,
    top: int = TOP,
) -> Influencers:
    """`authors`: the period's authors of the brand (author_id, posts, followers, engagement);
    `names(ids)`: their source and handle (and name, link), read for the few ranked. Ties are
    broken by source and handle, never by the ids a database gave the authors."""
    frame = authors.copy()
    frame["influence"] = period_influence(frame["followers"], frame["engagement"])
    frame["followers_sort"] = frame["followers"].fillna(-1)
    is_own = frame["author_id"].isin(own)
    no_audience = frame["followers"].fillna(0) <= 0
    eligible = ~is_own & ~(no_audience & (frame["posts"] <= 1)) & (frame["influence"] > 0)
    return Influencers(_best(frame[eligible], names, top), _best(frame[is_own], names, OWN_TOP))


def _best(
    frame: pd.DataFrame, names: Callable[[list[int]], pd.DataFrame], top: int
) -> pd.DataFrame:
    keys = ["influence", "followers_sort", "engagement"]
    frame = frame.sort_values(keys, ascending=False)
    if len(frame) > top:  # the first ones, and everyone tied with the last one shown
        same = frame[(frame[keys] == frame.iloc[top - 1][keys]).all(axis=1)].head(_TIED)
        frame = pd.concat([frame.iloc[:top], same]).drop_duplicates("author_id")
    named = frame.merge(names(frame["author_id"].astype(int).tolist()), how="left", on="author_id")
    named = named.sort_values(
        [*keys, "source", "handle"], ascending=[False, False, False, True, True]
    )
    return named.head(top).drop(columns="followers_sort").reset_index(drop=True)
