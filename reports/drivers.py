"""Drivers of change: the hashtags, handles, word pairs and near-identical posts behind a period.

Over the brand's counted mentions of the period and of the previous one (title and text):

- hashtag `#LuminoPanne` and handle `@rivéo` (compared without case; the brand's own accounts
  and words of the compared brands' names left out);
- bigram: two consecutive words once links, hashtags, handles, numbers and function words are
  removed (« paiement débité »), within one sentence or bracket; labelled as written, with the
  function words between them (« paiement a été débité »);
- cluster: posts whose text is the same once case, accents, punctuation, links, handles and
  numbers are set aside (five words or more): copies and templates.

A driver is a candidate found in at least `MIN_MENTIONS` mentions of the period from at least two
authors (one gone from the period: of the previous period, from two of its authors). Each one
has its mentions in the period and the previous period, the change, its share of the change of
the brand's volume ((its change) / (the volume's change)), its sentiment split
and two example posts (most engaging first; of its main tone when positive or negative
outweighs the other). Three lists: what changed most in the direction of
the volume ("change"), what people praise (more positive than negative, and more positive than
the brand's mentions of the period are: ranked by that lift, `lift`) and what they complain about
(the same with negative). In each list a
candidate covering mostly the same posts as a better one is left out (overlap ≥ 60 % of the
smaller). Periods with more than `TEXT_CAP` mentions are read every k-th mention, each counting
for k (counts are then estimates, rounded). Everything is sorted by values and ids: the same
mentions give the same drivers whatever the row order or the backend.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

import numpy as np
import pandas as pd

from nlp.text import normalise, tokenise
from reports.stopwords import is_stop_word
from reports.terms import MIN_LENGTH
from storage.vocab import SENTIMENTS, UNLABELLED

MIN_MENTIONS = 3
TOP = 5
EXAMPLES = 2
OVERLAP = 0.6
CLUSTER_WORDS = 5
TEXT_CAP = 50_000
CHANCE = 2.0  # standard deviations a volume change must reach for its shares to be shown
GAP_SHOWN = 3  # words kept between a pair's words in its label, else « … »
KINDS = ("hashtag", "cluster", "handle", "bigram")  # preferred first when scores tie

_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)  # links break the text too
_HASHTAG = re.compile(r"(?<![\w#@])#(\w+)")
_HANDLE = re.compile(r"(?<![\w#@])@(\w+)")
_SENTENCE = re.compile(r"[.!?;:()\[\]{}…]")  # word pairs stay inside one of these pieces
_NUMBER = re.compile(r"(?<!\w)\d+")  # not the digits of a word: « S23 », « mp3 »
_NUMBER_GAP = ""  # where a number stood between two words of a pair (never a word read)


# A word's folded form and whether it is a function word, remembered: the words of a million
# mentions are a few thousand, read again and again.
_fold = functools.lru_cache(maxsize=1 << 16)(normalise)
_stop = functools.lru_cache(maxsize=1 << 16)(is_stop_word)


def chance_limit(total: int) -> float:
    """The change of a count chance alone reaches: CHANCE standard deviations of the difference
    of two Poisson counts, CHANCE × √(now + before) (`total`: now + before)."""
    return CHANCE * math.sqrt(total)


def moved_beyond_chance(now: int, before: int) -> bool:
    """Whether a count moved from `before` to `now` by more than chance would move it."""
    return now != before and abs(now - before) >= chance_limit(now + before)


@dataclass
class Driver:
    kind: str  # hashtag, handle, bigram, cluster
    key: str  # the compared form (folded)
    label: str  # the form people wrote most often (a cluster: its most engaging post's text)
    mentions: int
    previous: int
    sentiment: dict[str, int]
    authors: int
    share_of_change: float | None
    examples: list[int] = field(default_factory=list)  # mention ids, best first

    @property
    def change(self) -> int:
        return self.mentions - self.previous

    @property
    def net_sentiment(self) -> float | None:
        pos, neg = self.sentiment.get("positive", 0), self.sentiment.get("negative", 0)
        return None if pos + neg == 0 else (pos - neg) / (pos + neg)


@dataclass
class Drivers:
    change: list[Driver] = field(default_factory=list)
    praise: list[Driver] = field(default_factory=list)
    complaints: list[Driver] = field(default_factory=list)
    volume_change: int = 0
    sampled: bool = False
    volume_total: int = 0  # the mentions of both periods

    @property
    def beyond_chance(self) -> bool:
        """The volume moved more than chance would move it (`moved_beyond_chance`). Below
        that, a driver's "share of the change" is a share of noise and is not shown."""
        return self.volume_change != 0 and abs(self.volume_change) >= self.chance_limit

    @property
    def chance_limit(self) -> float:
        return chance_limit(self.volume_total)

    def explains(self, d: Driver) -> float | None:
        """The driver's share of the change as shown: when the volume moved beyond chance and
        the driver moved the same way, else None."""
        share = d.share_of_change
        return share if self.beyond_chance and share is not None and share > 0 else None

    def all(self) -> list[Driver]:
        return [*self.change, *self.praise, *self.complaints]


def features(
    title: str | None, text: str | None, skip_words: set[str], skip_handles: set[str]
) -> dict[str, dict[str, str]]:
    """kind -> {key: the form written} for one mention."""
    body = _URL.sub(" | ", f"{title or ''} | {text or ''}")
    out: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    for tag in _HASHTAG.findall(body):
        key = "#" + normalise(tag)
        if normalise(tag) not in skip_words:
            out["hashtag"].setdefault(key, "#" + tag)
    for handle in _HANDLE.findall(body):
        key = "@" + normalise(handle)
        if key not in skip_handles and normalise(handle) not in skip_words:
            out["handle"].setdefault(key, "@" + handle)
    # Word pairs skip function words ("paiement a été débité" → « paiement débité ») but never
    # reach across a brand's name, a hashtag, a handle or a link, which break the text.
    # Nor across the end of a sentence or a bracket (« … son prix. 5 étoiles »). The form shown
    # keeps the words between the two as written (« acheté pour mon fils », « tombé en hs au
    # bout »), unless a number stood there: the words read leave numbers out, so « payé en 3
    # fois » would read « payé en fois » (`_NUMBER_GAP` marks where one was).
    plain = _SENTENCE.sub(" | ", _HANDLE.sub(" | ", _HASHTAG.sub(" | ", body)))
    for segment in plain.split("|"):
        run: list[tuple[str, list[str]]] = []  # (word, the words skipped before it)
        gap: list[str] = []
        for k, piece in enumerate(_NUMBER.split(segment)):
            if k:
                gap.append(_NUMBER_GAP)
            for word in tokenise(piece, read=True):
                if _fold(word) in skip_words:
                    _pairs(run, out["bigram"])
                    run, gap = [], []
                elif len(word) >= MIN_LENGTH and not _stop(word):
                    run.append((word, gap))
                    gap = []
                else:
                    gap.append(word)
        _pairs(run, out["bigram"])
    tokens = [t for t in tokenise(_URL.sub(" ", text or "")) if t[0] != "@" and not t.isdigit()]
    if len(tokens) >= CLUSTER_WORDS:
        out["cluster"][" ".join(tokens)] = " ".join(tokens)
    return out


def _pairs(run: list[tuple[str, list[str]]], found: dict[str, str]) -> None:
    for (a, _), (b, gap) in pairwise(run):
        if a != b:
            readable = len(gap) <= GAP_SHOWN and _NUMBER_GAP not in gap
            between = " ".join(gap) if readable else "…"
            form = f"{a} {between} {b}" if gap else f"{a} {b}"
            found.setdefault(f"{_fold(a)} {_fold(b)}", form)


def find_drivers(
    texts: pd.DataFrame,
    skip_words: Iterable[str],
    skip_handles: Iterable[str],
    own_authors: set[int],
) -> Drivers:
    """`texts`: the brand's counted mentions of both periods with id, current, sentiment,
    author_id, engagement, followers, title, text, weight (1 unless sampled) and natural (a
    key every database gives alike: source name / external id). The posts of `own_authors`
    (the brand's own accounts) count in the volume, never in a driver."""
    skip_w = {normalise(w) for w in skip_words}
    skip_h = {"@" + normalise(h.lstrip("@")) for h in skip_handles}
    if "natural" not in texts:  # callers without a natural key: the id stands in
        texts = texts.assign(natural=texts["id"].astype(str).str.zfill(20))
    # Ties are broken by the natural key (source, external id), never by database ids.
    texts = texts.sort_values("natural", kind="stable")
    weight = texts["weight"].to_numpy() if len(texts) else []
    ids: dict[tuple[str, str], dict[bool, list[int]]] = defaultdict(lambda: {True: [], False: []})
    forms: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    # The brand's own posts are not what people say of it: they drive nothing (its answers to a
    # complaint would make « service client » a complaint of its own).
    own = texts["author_id"].isin(list(own_authors)).to_numpy() if own_authors else None
    for n, (row, w) in enumerate(zip(
        texts[["id", "current", "title", "text"]].itertuples(index=False), weight, strict=True
    )):  # fmt: skip
        if own is not None and own[n]:
            continue
        for kind, found in features(row.title, row.text, skip_w, skip_h).items():
            for key, form in found.items():
                ids[(kind, key)][bool(row.current)].append(int(row.id))
                forms[(kind, key)][form] += int(w)
    info = texts.set_index("id")
    weights = info["weight"]
    cur_total = float(weights[info["current"]].sum()) if len(info) else 0.0
    prev_total = float(weights[~info["current"]].sum()) if len(info) else 0.0
    out = Drivers(
        volume_change=round(cur_total - prev_total), sampled=bool((weights > 1).any()),
        volume_total=round(cur_total + prev_total),
    )  # fmt: skip
    candidates: list[tuple[Driver, list[int]]] = []
    before: dict[tuple[str, str], list[int]] = {}  # previous-period ids, for falling drivers
    # Each feature's figures by position in numpy arrays: tens of thousands of features, each
    # read through pandas' label indexing, cost minutes at a million mentions.
    if not info.index.is_unique:
        raise ValueError("find_drivers: each mention must be in `texts` once")
    at = {int(i): k for k, i in enumerate(info.index)}
    weight_of = weights.to_numpy(dtype=float)
    author_of = info["author_id"].to_numpy(dtype=float, na_value=np.nan)
    tone_of = info["sentiment"].astype(str).to_numpy()
    for (kind, key), by_period in ids.items():
        cur_ids = by_period[True]
        if len(cur_ids) == 1 or (not cur_ids and len(by_period[False]) < 2):
            continue  # one post has one author: no driver (most clusters, at a million)
        cur = np.fromiter((at[i] for i in cur_ids), dtype=np.int64, count=len(cur_ids))
        prev = np.fromiter((at[i] for i in by_period[False]), dtype=np.int64,
                           count=len(by_period[False]))  # fmt: skip
        mentions = round(float(weight_of[cur].sum())) if cur_ids else 0
        previous = round(float(weight_of[prev].sum())) if by_period[False] else 0
        if max(mentions, previous) < MIN_MENTIONS:
            continue
        who = author_of[cur]
        authors = len(np.unique(who[~np.isnan(who)]))
        if mentions and authors < 2:
            continue
        if not mentions:  # gone from the period: from two authors before it, as a driver is
            was = author_of[prev]
            if len(np.unique(was[~np.isnan(was)])) < 2:
                continue
        tones, w = tone_of[cur], weight_of[cur]
        sentiment = {
            s: round(float(w[tones == s].sum())) for s in (*SENTIMENTS, UNLABELLED)
        }  # fmt: skip
        # (a cluster's rows only: a pandas take per feature costs seconds at a million)
        rows = info.iloc[cur] if kind == "cluster" else None
        label = _label(kind, forms[(kind, key)], rows)
        share = (mentions - previous) / out.volume_change if out.volume_change else None
        candidates.append(
            (Driver(kind, key, label, mentions, previous, sentiment, authors, share), cur_ids)
        )
        before[(kind, key)] = by_period[False]
    rank = {k: i for i, k in enumerate(KINDS)}
    # A pair is extended by the pairs found in exactly its posts, of both periods (a pair gone
    # from the period has no post in it, like every other gone pair).
    _extend_phrases(
        [(d, [*ids_, *before[(d.kind, d.key)]]) for d, ids_ in candidates],
        {k: forms[k] for k in forms if k[0] == "bigram"},
    )

    def pick(chosen: list[tuple[Driver, list[int]]], sentiment: str | None) -> list[Driver]:
        kept: list[tuple[Driver, set[int]]] = []
        for driver, cur_ids in chosen:
            mine = _with(info, cur_ids, sentiment)
            # A driver gone from the period shows (and is compared by) the posts it had before.
            shown = mine or set(before[(driver.kind, driver.key)]) if sentiment is None else mine
            if any(_overlap(shown, other) >= OVERLAP for _, other in kept if shown and other):
                continue
            copy = _copy(driver)
            # Examples that say what the driver says: of its main tone when it has one.
            tone = _with(info, cur_ids, _main_tone(driver)) if sentiment is None else set()
            copy.examples = _examples(info, sorted(tone or shown), own_authors)
            kept.append((copy, shown))
            if len(kept) == TOP:
                break
        return [d for d, _ in kept]

    current = info[info["current"]]
    labelled = current[current["sentiment"].isin(SENTIMENTS)]
    tones = {s: float(labelled.loc[labelled["sentiment"] == s, "weight"].sum()) for s in SENTIMENTS}

    def by(sentiment: str, other: str) -> list[tuple[Driver, list[int]]]:
        base = (tones[sentiment] + 1) / (sum(tones.values()) + 2)
        scored = [
            (lift(c[0].sentiment, sentiment, base), c)
            for c in candidates
            if c[0].sentiment[sentiment] >= 2 and c[0].sentiment[sentiment] > c[0].sentiment[other]
        ]
        found = [(z, c) for z, c in scored if z > 0]
        found.sort(key=lambda zc: (-zc[0], -zc[1][0].sentiment[sentiment], -zc[1][0].change,
                                   rank[zc[1][0].kind], zc[1][0].key))  # fmt: skip
        return [c for _, c in found]

    rising = out.volume_change >= 0  # drivers move the way the volume moved
    moved = [c for c in candidates if (c[0].change > 0 if rising else c[0].change < 0)]
    moved.sort(key=lambda c: (-abs(c[0].change), -c[0].mentions, rank[c[0].kind], c[0].key))
    out.change = pick(moved, None)
    out.praise = pick(by("positive", "negative"), "positive")
    out.complaints = pick(by("negative", "positive"), "negative")
    return out


def lift(sentiment: dict[str, int], tone: str, base: float) -> float:
    """How far a driver's mentions of this tone exceed what the period's share of it (`base`)
    would give its labelled mentions, in standard deviations of that count (binomial):
    positive when it is praised (or blamed) more than the brand is in general."""
    n = sum(sentiment.get(s, 0) for s in SENTIMENTS)
    if n == 0:
        return 0.0
    return round((sentiment.get(tone, 0) - n * base) / math.sqrt(n * base * (1 - base)), 9)


def _extend_phrases(
    candidates: list[tuple[Driver, list[int]]], forms: dict[tuple[str, str], Counter[str]]
) -> None:
    """A word pair that always comes with its neighbours reads as the longer phrase: « refusé
    scandale » found in exactly the posts of « remboursement refusé » is labelled « remboursement
    refusé scandale » (up to four words; its key stays the pair)."""
    pairs = {d.key: (frozenset(ids), d) for d, ids in candidates if d.kind == "bigram"}
    for key, (ids, driver) in pairs.items():
        words_ = key.split(" ")
        shown = _form(forms[("bigram", key)])  # "a b" or "a pour mon b": one token a word
        for _ in range(2):
            right = next(
                (k for k, (i, _d) in sorted(pairs.items())
                 if i == ids and k.split(" ")[0] == words_[-1] and k.split(" ")[1] not in words_),
                None,
            )  # fmt: skip
            if right is None or len(words_) >= 4:
                break
            words_.append(right.split(" ")[1])
            shown += " " + _form(forms[("bigram", right)]).split(" ", 1)[1]
        for _ in range(2):
            left = next(
                (k for k, (i, _d) in sorted(pairs.items())
                 if i == ids and k.split(" ")[1] == words_[0] and k.split(" ")[0] not in words_),
                None,
            )  # fmt: skip
            if left is None or len(words_) >= 4:
                break
            words_.insert(0, left.split(" ")[0])
            shown = _form(forms[("bigram", left)]).rsplit(" ", 1)[0] + " " + shown
        driver.label = shown


def _form(forms: Counter[str]) -> str:
    return sorted(forms.items(), key=lambda fc: (-fc[1], fc[0]))[0][0]


def _main_tone(d: Driver) -> str | None:
    """positive or negative when one outweighs the other, else None (every post will do)."""
    pos, neg = d.sentiment.get("positive", 0), d.sentiment.get("negative", 0)
    return None if pos == neg else "positive" if pos > neg else "negative"


def _copy(d: Driver) -> Driver:
    return Driver(
        d.kind, d.key, d.label, d.mentions, d.previous, dict(d.sentiment), d.authors,
        d.share_of_change, list(d.examples),
    )  # fmt: skip


def _with(info: pd.DataFrame, ids: list[int], sentiment: str | None) -> set[int]:
    """These mentions, or those of them with this sentiment."""
    if not ids or sentiment is None:
        return set(ids)
    rows = info.loc[ids]
    return {int(i) for i in rows.index[rows["sentiment"] == sentiment]}


def _overlap(a: set[int], b: set[int]) -> float:
    return len(a & b) / min(len(a), len(b))


def _label(kind: str, forms: Counter[str], rows: pd.DataFrame | None) -> str:
    if kind == "cluster" and rows is not None and len(rows):
        best = rows.sort_values(
            ["engagement", "followers", "natural"], ascending=[False, False, True]
        )
        return str(best["text"].iloc[0] or "")
    return _form(forms)


def _examples(info: pd.DataFrame, ids: list[int], own: set[int]) -> list[int]:
    """The most engaging posts first (then the widest audience, then the natural key), the
    brand's own accounts only when nobody else wrote one."""
    if not ids:
        return []
    rows = info.loc[ids].reset_index()
    rows["own"] = rows["author_id"].isin(own)
    rows["followers_"] = rows["followers"].fillna(-1)
    rows = rows.sort_values(
        ["own", "engagement", "followers_", "natural"], ascending=[True, False, False, True]
    )
    return [int(i) for i in rows["id"].head(EXAMPLES)]
