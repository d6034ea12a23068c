"""Choose each author's profile from their features, with a score and readable reasons.

Each profile has a share-based score and a threshold; an author gets the profile whose score
is furthest above its threshold (score / threshold), or `inconnu` when the history is too
thin or nothing stands out. Ties go to the earlier profile in RULES.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from storage.vocab import UNKNOWN_PROFILE

Scorer = Callable[[pd.DataFrame], "tuple[pd.Series, pd.Series]"]


@dataclass(frozen=True)
class Rule:
    profile: str
    threshold: float
    score: Scorer  # (score 0–1, eligible) per author
    reason: Callable[[dict[str, Any]], str]


def _share(count: pd.Series, f: pd.DataFrame) -> pd.Series:
    return count / f["posts"].clip(lower=1)


def _info(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return _share(f["asks"], f), f["asks"] >= 2


def _expert(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return _share(f["advice"], f), f["advice"] >= 2


def _deals(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return _share(f["deal"], f), f["deal"] >= 2


def _selling(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    return _share(f["selling"], f), f["selling"] >= 2


def _fan(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    rated = f["rated"].clip(lower=1)
    positive = f["positive"] / rated
    negative = f["negative"] / rated
    coverage = f["rated"] / f["posts"].clip(lower=1)
    # Consistency: positive in most posts that carry a sentiment, and almost never negative;
    # recommending the brand adds to it.
    score = (positive - negative + 0.5 * _share(f["recommends"], f)).clip(0, 1)
    eligible = (f["positive"] >= 3) & (coverage >= 0.5) & (negative <= 0.15)
    return score, eligible


def _time_killer(f: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    volume = (f["posts"] / 60).clip(upper=1)
    spread = (f["threads"] / f["posts"].clip(lower=1)).clip(upper=1)
    days = (f["days"] / 30).clip(upper=1)
    topics = np.where(f["topics"] > 0, (f["topics"] / 4).clip(upper=1), 1.0)
    score = volume * (0.4 + 0.3 * spread + 0.3 * days) * topics
    eligible = (f["posts"] >= 30) & (f["threads"] >= 10) & (f["days"] >= 10)
    return pd.Series(score, index=f.index), eligible


def _n(r: dict[str, Any], col: str) -> str:
    return f"{int(r[col])} of {int(r['posts'])} posts"


RULES: tuple[Rule, ...] = (
    Rule("opportuniste", 0.3, _selling,
         lambda r: f"sells, buys, rents or promotes themself in {_n(r, 'selling')}"),
    Rule("chasseur_bons_plans", 0.4, _deals,
         lambda r: f"uses deal vocabulary (bon plan, code promo, soldes…) in {_n(r, 'deal')}"),
    Rule("expert", 0.4, _expert,
         lambda r: f"gives advice or answers in {_n(r, 'advice')}"
         f" ({int(r['answered'])} answers to others' questions)"),
    Rule("chasseur_info", 0.5, _info, lambda r: f"asks questions in {_n(r, 'asks')}"),
    Rule("fan", 0.6, _fan,
         lambda r: f"positive about the brand in {int(r['positive'])} of {int(r['rated'])} posts"
         f" with a sentiment ({int(r['negative'])} negative"
         f"{', from sentiment labels' if r['labelled'] else ', from cue words'})"),
    Rule("time_killer", 0.5, _time_killer,
         lambda r: f"{int(r['posts'])} posts over {int(r['days'])} days in {int(r['threads'])}"
         f" threads and {int(r['topics'])} topics"),
)  # fmt: skip


def assign_profiles(features: pd.DataFrame, min_posts: int = 3) -> pd.DataFrame:
    """profile, profile_score (0–1) and reasons (best first) per author of `features`."""
    f = features
    scores = pd.DataFrame(index=f.index)
    ratios = pd.DataFrame(index=f.index)
    for rule in RULES:
        score, eligible = rule.score(f)
        scores[rule.profile] = score.astype(float)
        ratios[rule.profile] = np.where(eligible, score / rule.threshold, 0.0)
    enough = f["posts"] >= min_posts
    best = ratios.idxmax(axis=1) if len(f) else pd.Series(dtype=object)
    best_ratio = ratios.max(axis=1) if len(f) else pd.Series(dtype=float)
    chosen = best.where(enough & (best_ratio >= 1.0), UNKNOWN_PROFILE)
    damp = np.sqrt((f["posts"] / 10).clip(upper=1))
    picked = (
        scores.to_numpy()[np.arange(len(f)), scores.columns.get_indexer(best)] if len(f) else []
    )
    profile_score = np.where(chosen == UNKNOWN_PROFILE, 0.0, np.clip(picked, 0, 1) * damp)
    reasons = _reasons(f, ratios, chosen, enough, min_posts)
    return pd.DataFrame(
        {"profile": chosen, "profile_score": np.round(profile_score, 3), "reasons": reasons},
        index=f.index,
    )


def _reasons(
    f: pd.DataFrame, ratios: pd.DataFrame, chosen: pd.Series, enough: pd.Series, min_posts: int
) -> list[list[str]]:
    """Up to three reasons: the chosen profile's first, then the next strongest behaviours."""
    by_name = {r.profile: r for r in RULES}
    values = ratios.to_numpy()
    order = np.argsort(-values, axis=1, kind="stable")
    posts_ok = enough.to_numpy()
    names = list(ratios.columns)
    out: list[list[str]] = []
    records = f.to_dict("index")
    for i, (author, profile) in enumerate(chosen.items()):
        row = records[author]
        lines: list[str] = []
        if not posts_ok[i]:
            lines.append(f"only {int(row['posts'])} posts in the window ({min_posts} needed)")
        elif profile == UNKNOWN_PROFILE:
            lines.append("no behaviour stands out enough to choose a profile")
        else:
            lines.append(by_name[profile].reason(row))
        for j in order[i]:
            name = names[j]
            if len(lines) >= 3 or values[i, j] < 0.5:
                break
            if name != profile:
                lines.append(by_name[name].reason(row))
        out.append(lines)
    return out
