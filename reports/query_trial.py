"""A query tried on the stored mentions before it replaces a brand's or a theme's in veille.yaml.

The query workbench (web/queries.py) and `veille match --brand/--theme` read the same figures:
over the mentions published in the period (the newest `limit`), which ones the brand has now (its
links; a theme: its current query) and which the new query would keep, drop or add; for a
brand, which of the mentions the team took off it (storage/dismissals.py) the new query would
leave out, and the words those off-topic mentions share that the brand's other mentions do not
— each a candidate exclusion (`-word`). Only stored mentions are read: what a broader query
would bring from the sources is seen once it collects.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from sqlalchemy import Connection

from config.settings import Settings
from nlp.query import Query, compile_keywords, prepare
from nlp.themes import match_doc
from reports.stopwords import is_stop_word
from reports.terms import MIN_LENGTH
from storage.dismissals import counts as off_topic_counts
from storage.dismissals import dismissed_between
from storage.mentions import (
    brand_counts_between,
    brand_links_between,
    match_rows,
    match_rows_between,
)

UTC_ZONE = ZoneInfo("UTC")
LIMIT = 20_000  # the newest mentions of the period read (a page answers in about a second)
SAMPLES = 10  # the mentions shown of each part
SUGGESTIONS = 12
# A word is proposed as an exclusion when at least this many off-topic mentions still matched
# hold it, and at most this share of the mentions the query keeps (so few are lost with them).
MIN_OFF_TOPIC = 2
MAX_KEPT_SHARE = 0.01
_PLAIN_WORD = re.compile(r"^\w+$")
_TRAILING_EXCLUSIONS = re.compile(r"(?:\s+-\w+)+$")
_OPERATORS = frozenset({"and", "or", "not", "near", "onear"})


@dataclass(frozen=True)
class Target:
    """What the query would replace: a brand's query (its links) or a theme's."""

    kind: Literal["brand", "theme"]
    name: str
    query: Query | None = None  # a theme's current query (a brand's current set is its links)


@dataclass(frozen=True)
class Sample:
    id: int
    text: str
    author: str | None
    terms: tuple[str, ...]  # the terms of the query that matched it (those that decided)


@dataclass(frozen=True)
class Suggestion:
    word: str
    off_topic: int  # off-topic mentions still matched that hold it
    kept: int  # mentions the query keeps that hold it


@dataclass
class Trial:
    read: int  # mentions of the period read
    capped: bool  # the period holds more than were read (the newest were)
    now: int  # the brand's (the theme's) mentions among them today
    kept: int  # of those, the query still matches
    dropped: int
    added: int  # mentions the query would add (they are another brand's, or none's)
    off_topic: int = 0  # the brand's off-topic mentions of the period
    caught: int = 0  # of those, the query leaves out
    samples: dict[str, list[Sample]] = field(default_factory=dict)  # dropped, added, still
    suggestions: list[Suggestion] = field(default_factory=list)
    # per day read (ISO date in the team's zone): the target's mentions, the query's
    per_day: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def matched(self) -> int:
        return self.kept + self.added


@dataclass(frozen=True)
class QueryHealth:
    """A brand query over a period: the mentions it brought that count, and those the team
    took off the brand as off-topic (`share`: of all it matched; None: it matched none)."""

    brand: str
    mentions: int
    off_topic: int

    @property
    def share(self) -> float | None:
        matched = self.mentions + self.off_topic
        return self.off_topic / matched if matched else None


def query_health(
    conn: Connection, brands: Sequence[str], start: datetime, end: datetime
) -> list[QueryHealth]:
    """Each brand query's health over [start, end), in the order of `brands`."""
    counted = brand_counts_between(conn, start, end)
    off = off_topic_counts(conn, start, end)
    return [QueryHealth(b, counted.get(b, 0), off.get(b, 0)) for b in brands]


def workspace_queries(settings: Settings) -> dict[str, str]:
    """Every query of the workspace, "brand:NAME" or "theme:NAME" → its text (a brand's list of
    keywords as the query it stands for), brands first, in configuration order."""
    found = {
        f"brand:{b.name}": b.query if isinstance(b.query, str) else compile_keywords(b.query).text
        for b in settings.brands
    }
    found.update({f"theme:{t.name}": t.query for t in settings.themes})
    return found


def try_query(
    conn: Connection,
    query: Query,
    target: Target,
    start: datetime,
    end: datetime,
    limit: int = LIMIT,
    zone: ZoneInfo = UTC_ZONE,
) -> Trial:
    """How `query` would change `target` over the mentions published in [start, end), and
    per day of `zone` (the team's days)."""
    brand = target.kind == "brand"  # read as its collector matched it (a reply: its thread's title)
    period = match_rows_between(conn, start, end, limit + 1, as_collected=brand)
    capped = len(period) > limit
    ids = [int(r[0]) for r in period[:limit]]
    published = {int(r[0]): r[7] for r in period[:limit]}
    off = dismissed_between(conn, target.name, start, end, limit) if brand else []
    off_set = set(off)
    rows = {int(r[0]): r[1:7] for r in period[:limit]}
    missing = [i for i in off if i not in rows]
    rows.update((int(r[0]), r[1:]) for r in match_rows(conn, missing, as_collected=brand))
    docs = {i: prepare(match_doc(row)) for i, row in rows.items()}  # tokenised once
    fixed: set[int] = set()  # a source about the brand brings its mentions whatever the query
    if brand:
        links = brand_links_between(conn, target.name, start, end)
        has = set(links) & set(ids)
        fixed = {i for i in has if not links[i]}
    else:
        current = target.query
        has = {i for i in ids if current is not None and current.matches(docs[i])}
    keeps = {i for i in ids if i in fixed or (i not in off_set and query.matches(docs[i]))}
    still = [i for i in off if query.matches(docs[i])]
    dropped = [i for i in ids if i in has and i not in keeps]
    added = [i for i in ids if i in keeps and i not in has]
    trial = Trial(
        read=len(ids),
        capped=capped,
        now=len(has),
        kept=len(has & keeps),
        dropped=len(dropped),
        added=len(added),
        off_topic=len(off),
        caught=len(off) - len(still),
    )
    for i in ids:
        day = _day(published[i], zone)
        before, after = trial.per_day.get(day, (0, 0))
        trial.per_day[day] = (before + (i in has), after + (i in keeps))
    trial.samples = {
        "dropped": [_sample(i, rows[i], None) for i in dropped[:SAMPLES]],
        "added": [_sample(i, rows[i], query) for i in added[:SAMPLES]],
        "still": [_sample(i, rows[i], query) for i in still[:SAMPLES]],
    }
    trial.suggestions = suggest(
        [docs[i].words.keys for i in still], [docs[i].words.keys for i in sorted(keeps)]
    )
    return trial


def suggest(off_topic: Sequence[Set[str]], kept: Sequence[Set[str]]) -> list[Suggestion]:
    """The words (as the query language reads them: `prepare(doc).words.keys`, so a word's
    counts are what `-word` would leave out) of the off-topic mentions the query still matches
    that the mentions it keeps hardly hold: most off-topic first, then fewest kept, then
    alphabetical."""
    off = Counter(w for words in off_topic for w in words if _usable(w))
    wanted = {w for w, n in off.items() if n >= MIN_OFF_TOPIC}
    if not wanted:
        return []
    inside = Counter(w for words in kept for w in wanted.intersection(words))
    most = int(MAX_KEPT_SHARE * len(kept))
    found = [Suggestion(w, off[w], inside[w]) for w in wanted if inside[w] <= most]
    found.sort(key=lambda s: (-s.off_topic, s.kept, s.word))
    return found[:SUGGESTIONS]


def with_exclusion(query: str, word: str) -> str:
    """The query with `word` excluded: `(query) -word`, or `(query) -other -word` when the
    query already is one group followed by exclusions."""
    body = query.strip()
    head = _TRAILING_EXCLUSIONS.sub("", body)
    return f"{body} -{word}" if _one_group(head) else f"({body}) -{word}"


def _one_group(text: str) -> bool:
    """Whether `text` is one parenthesised group (quoted phrases read as such)."""
    if not text.startswith("("):
        return False
    depth, quoted = 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
            if depth == 0:
                return i == len(text) - 1
    return False


def _usable(word: str) -> bool:
    """A word an exclusion can name as it is (letters and digits, or a #hashtag or @handle of
    them), long enough to mean something, no stop word, operator or number."""
    bare = word[1:] if word[:1] in "#@" else word
    return (
        bool(_PLAIN_WORD.match(bare))
        and len(bare) >= MIN_LENGTH
        and not bare.isdigit()
        and word not in _OPERATORS
        and not is_stop_word(bare)
    )


def _day(at: datetime, zone: ZoneInfo) -> str:
    aware = at if at.tzinfo is not None else at.replace(tzinfo=UTC_ZONE)
    return aware.astimezone(zone).date().isoformat()


def _sample(mention_id: int, row: Any, query: Query | None) -> Sample:
    doc = match_doc(row)
    terms = tuple(query.explain(doc).terms) if query is not None else ()
    return Sample(mention_id, doc.text, doc.author, terms)
