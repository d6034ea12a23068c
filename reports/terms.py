"""Emerging terms: the words whose share of mentions grew most against the previous period."""

from __future__ import annotations

from collections import Counter

import pandas as pd

from nlp.text import tokenise
from reports.stopwords import is_stop_word

MIN_LENGTH = 3


def words(text: str) -> list[str]:
    """The words of a text in order: lower-cased, links, numbers, elisions and stop words out.

    "J'ai eu un message d'erreur vers 9 h" → ["message", "erreur"]. The words of top terms
    (alert e-mails) and emerging terms (reports), by `nlp.text.tokenise(read=True)`.
    """
    return [w for w in tokenise(text, read=True) if len(w) >= MIN_LENGTH and not is_stop_word(w)]


def tokens(text: str) -> set[str]:
    """The distinct words of a text (see `words`)."""
    return set(words(text))


def emerging_terms(
    sample: pd.DataFrame, exclude: set[str], n: int = 10, min_count: int = 3
) -> pd.DataFrame:
    """Terms ranked by growth of the share of mentions using them (current vs previous).

    `sample` has columns title, text, current (bool) and weight (each row stands for `weight`
    mentions when the texts were sampled). Counts are estimated mentions using the term.
    """
    excluded = {w for e in exclude for w in words(e)}
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    totals = {True: 0.0, False: 0.0}
    for title, text, current, weight in sample[["title", "text", "current", "weight"]].itertuples(
        index=False
    ):
        found = tokens(f"{title or ''} {text or ''}") - excluded
        counts[bool(current)].update({w: weight for w in found})
        totals[bool(current)] += weight
    cols = ["term", "mentions", "previous", "change", "score"]
    if not counts[True] or totals[True] == 0:
        return pd.DataFrame(columns=cols)
    rows = []
    prev_total = totals[False] or 1.0
    for term, cur in counts[True].items():
        if cur < min_count:
            continue
        prev = counts[False].get(term, 0.0)
        cur_rate, prev_rate = cur / totals[True], prev / prev_total
        # Smoothed growth of the share, weighted by how common the term now is.
        growth = (cur_rate + 1 / totals[True]) / (prev_rate + 1 / prev_total)
        if growth <= 1.0:
            continue
        rows.append(
            {
                "term": term,
                "mentions": round(cur),
                "previous": round(prev),
                "change": (cur - prev) / prev if prev else None,
                "score": (cur_rate - prev_rate) * growth,
            }
        )
    df = pd.DataFrame(rows, columns=cols)
    return df.sort_values(["score", "term"], ascending=[False, True]).head(n).reset_index(drop=True)
