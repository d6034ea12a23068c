"""Emerging terms: the words whose share of mentions grew most against the previous period."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

import pandas as pd

_URL = re.compile(r"https?://\S+|www\.\S+")
_WORD = re.compile(r"[^\W\d_][^\W_]{2,}", re.UNICODE)

_STOP = """
les des une un le la du de et en est pas que qui pour sur dans par plus avec ce cette ces
mais ou donc car ne se sa son ses mon ma mes ton ta tes nous vous ils elles leur leurs il
elle on je tu au aux ai as avez avons ont été être fait faire tout tous toute toutes très
bien aussi comme même encore déjà après avant depuis sans chez entre vers alors ici quand
comment pourquoi quoi dont cela ceci ça moi toi lui eux rien non oui merci bonjour avoir
sont suis était sera peut faut quel quelle quels quelles notre votre nos vos trop peu
the and for are but not you all any can had her was one our out has him his how its
may new now old see two way who did get let put say she too use this that with have from
they will would there their what when your about which them than then been were more
just like also into only over some such very http https www com
"""
STOP_WORDS = frozenset(_STOP.split())


def _fold(word: str) -> str:
    return word.casefold()


def tokens(text: str) -> set[str]:
    """The distinct words of a text, lower-cased, without links, numbers and stop words."""
    text = _URL.sub(" ", unicodedata.normalize("NFC", text))
    return {w for w in (_fold(m) for m in _WORD.findall(text)) if w not in STOP_WORDS}


def emerging_terms(
    sample: pd.DataFrame, exclude: set[str], n: int = 10, min_count: int = 3
) -> pd.DataFrame:
    """Terms ranked by growth of the share of mentions using them (current vs previous).

    `sample` has columns title, text, current (bool) and weight (each row stands for `weight`
    mentions when the texts were sampled). Counts are estimated mentions using the term.
    """
    excluded = {_fold(w) for e in exclude for w in _WORD.findall(e)}
    counts: dict[bool, Counter[str]] = {True: Counter(), False: Counter()}
    totals = {True: 0.0, False: 0.0}
    for title, text, current, weight in sample[["title", "text", "current", "weight"]].itertuples(
        index=False
    ):
        words = tokens(f"{title or ''} {text or ''}") - excluded
        counts[bool(current)].update({w: weight for w in words})
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
