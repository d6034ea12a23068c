"""The report's figures, computed with pandas from the aggregated frames of `queries`."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd

from storage.vocab import SENTIMENTS, TOPIC_STUDY_SHARES, TOPICS, UNLABELLED


@dataclass(frozen=True)
class Figure:
    """One figure of the report beside the previous period's.

    `kind` says how to show it: `count` (change in %), `ratio` (a share or rate in [0, 1] or
    [-1, 1]; change in percentage points). `comparable` is False when a source that counts
    started after the previous period began: that period's counts are short, so no change
    in % is told (ratios still compare).
    """

    key: str
    current: float | None
    previous: float | None
    kind: str = "count"
    comparable: bool = True

    @property
    def change(self) -> float | None:
        """Relative change for counts, difference for ratios; None when it cannot be told."""
        if self.current is None or self.previous is None:
            return None
        if self.kind == "count" and not self.comparable:
            return None
        if self.kind == "ratio":
            return self.current - self.previous
        if self.previous == 0:
            return None
        return (self.current - self.previous) / self.previous


def net_sentiment(positive: float, negative: float) -> float | None:
    """(pos − neg) / (pos + neg); None when there is neither."""
    total = positive + negative
    return None if total == 0 else (positive - negative) / total


def _ratio(num: float, den: float) -> float | None:
    return None if den == 0 else num / den


def _sentiment_counts(df: pd.DataFrame) -> dict[str, int]:
    got = df.groupby("sentiment")["mentions"].sum()
    return {s: int(got.get(s, 0)) for s in (*SENTIMENTS, UNLABELLED)}


def _net(df: pd.DataFrame) -> float | None:
    c = _sentiment_counts(df)
    return net_sentiment(c["positive"], c["negative"])


@dataclass
class Headline:
    figures: list[Figure]
    sentiment: dict[str, int]
    sentiment_previous: dict[str, int]

    def __getitem__(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def headline(
    cube: pd.DataFrame,
    authors: pd.DataFrame,
    brand: str,
    brands: tuple[str, ...],
    comparable: bool = True,
) -> Headline:
    """Volume, unique authors, net sentiment, share of voice, reach, impressions, engagement."""
    own = cube[cube["brand"] == brand]
    values: dict[str, list[float | None]] = {}
    for current in (True, False):
        part = own[own["current"] == current]
        auth = authors[authors["current"] == current]
        volume = float(part["mentions"].sum())
        all_brands = cube[(cube["current"] == current) & cube["brand"].isin(brands)]
        reach = float(auth["followers"].fillna(0).sum())
        engagement = float(part["engagement"].sum())
        row = {
            "volume": volume,
            "authors": float(auth["author_id"].nunique()),
            "net_sentiment": _net(part),
            "share_of_voice": _ratio(volume, float(all_brands["mentions"].sum()))
            if len(brands) > 1
            else None,
            "reach": reach if auth["followers"].notna().any() else None,
            "impressions": float(part["views"].sum()) if part["with_views"].sum() else None,
            "engagement": engagement,
            "engagement_rate": _ratio(engagement, reach) if reach else None,
        }
        for key, value in row.items():
            values.setdefault(key, []).append(value)
    ratios = {"net_sentiment", "share_of_voice", "engagement_rate"}
    figures = [
        Figure(k, cur, prev, "ratio" if k in ratios else "count", comparable)
        for k, (cur, prev) in values.items()
    ]
    return Headline(
        figures,
        _sentiment_counts(own[own["current"]]),
        _sentiment_counts(own[~own["current"]]),
    )


def volume_series(
    cube: pd.DataFrame, brand: str, tz: str, first: pd.Timestamp, last: pd.Timestamp, hourly: bool
) -> pd.DataFrame:
    """Mentions per local day (or hour) and sentiment, every bucket present (zeros included)."""
    own = cube[(cube["brand"] == brand) & cube["current"]].copy()
    freq = "h" if hourly else "D"
    own["bucket"] = buckets(own["hour"], tz, hourly)
    table = own.pivot_table(
        index="bucket", columns="sentiment", values="mentions", aggfunc="sum", fill_value=0
    )
    index = pd.date_range(first, last, freq=freq, tz=tz, inclusive="left")
    table = table.reindex(index, fill_value=0)
    for s in (*SENTIMENTS, UNLABELLED):
        if s not in table.columns:
            table[s] = 0
    table = table[[*SENTIMENTS, UNLABELLED]].astype("int64")
    table["total"] = table.sum(axis=1)
    table["spike"] = spikes(table["total"])
    return table


def buckets(moments: pd.Series, tz: str, hourly: bool) -> pd.Series:
    """The local hour (or day) each moment falls in: the buckets of `volume_series`."""
    local = moments.dt.tz_convert(tz)
    return local.dt.floor("h") if hourly else local.dt.normalize()


def bucket_of(at: object, tz: str, hourly: bool) -> pd.Timestamp:
    """The local hour (or day) one moment falls in (an alert's opening, a team's event)."""
    found: pd.Timestamp = buckets(pd.Series([pd.Timestamp(at)]), tz, hourly).iloc[0]
    return found


def event_buckets(
    at: datetime, ends_at: datetime | None, tz: str, hourly: bool
) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last local hour (or day) a team's event covers: a moment's one; a lasting
    event's from its start's to the one of its last instant (an end at midnight closes the day
    before)."""
    first = bucket_of(at, tz, hourly)
    if ends_at is None:
        return first, first
    return first, max(first, bucket_of(ends_at - timedelta(microseconds=1), tz, hourly))


def spikes(total: pd.Series) -> pd.Series:
    """Buckets well above the usual level: over median + 3 × MAD and at least twice the median."""
    if len(total) < 3 or total.sum() == 0:
        return pd.Series(False, index=total.index)
    median = float(total.median())
    mad = float((total - median).abs().median())
    limit = max(median + 3 * max(mad, 1.0), 2 * median, 5)
    return total > limit


def by_source(cube: pd.DataFrame, brand: str, names: dict[int, str]) -> pd.DataFrame:
    """Per source: mentions per sentiment, net sentiment, and the previous period's."""
    own = cube[cube["brand"] == brand].copy()
    own["source"] = own["source_id"].map(names)
    rows = []
    for source, part in own.groupby("source"):
        cur, prev = part[part["current"]], part[~part["current"]]
        counts = _sentiment_counts(cur)
        rows.append(
            {
                "source": source,
                **counts,
                "mentions": int(cur["mentions"].sum()),
                "previous": int(prev["mentions"].sum()),
                "net": _net(cur),
                "net_previous": _net(prev),
            }
        )
    df = pd.DataFrame(
        rows,
        columns=[
            "source",
            *SENTIMENTS,
            UNLABELLED,
            "mentions",
            "previous",
            "net",
            "net_previous",
        ],
    )
    return df.sort_values(["mentions", "source"], ascending=[False, True]).reset_index(drop=True)


def by_topic(cube: pd.DataFrame, brand: str) -> pd.DataFrame:
    """Topic shares (among labelled mentions) beside the study's, with net sentiment per topic."""
    own = cube[(cube["brand"] == brand) & (cube["topic"] != UNLABELLED)]
    cur, prev = own[own["current"]], own[~own["current"]]
    cur_total, prev_total = cur["mentions"].sum(), prev["mentions"].sum()
    rows = []
    for topic in TOPICS:
        c, p = cur[cur["topic"] == topic], prev[prev["topic"] == topic]
        rows.append(
            {
                "topic": topic,
                "mentions": int(c["mentions"].sum()),
                "share": _ratio(float(c["mentions"].sum()), float(cur_total)),
                "share_previous": _ratio(float(p["mentions"].sum()), float(prev_total)),
                "reference": TOPIC_STUDY_SHARES.get(topic),
                "net": _net(c),
            }
        )
    return pd.DataFrame(rows)


def competitors(cube: pd.DataFrame, brands: tuple[str, ...]) -> pd.DataFrame:
    """Each brand of the comparison side by side: volume, net sentiment, share of voice."""
    rows = []
    totals = {c: float(cube[cube["current"] == c]["mentions"].sum()) for c in (True, False)}
    for name in brands:
        part = cube[cube["brand"] == name]
        cur, prev = part[part["current"]], part[~part["current"]]
        rows.append(
            {
                "brand": name,
                "volume": Figure(
                    "volume", float(cur["mentions"].sum()), float(prev["mentions"].sum())
                ),
                "net": Figure("net", _net(cur), _net(prev), "ratio"),
                "sov": Figure(
                    "sov",
                    _ratio(float(cur["mentions"].sum()), totals[True]),
                    _ratio(float(prev["mentions"].sum()), totals[False]),
                    "ratio",
                ),
            }
        )
    return pd.DataFrame(rows)


@dataclass
class Peak:
    """The bucket a chart's title talks about."""

    when: pd.Timestamp | None = None
    value: int = 0
    ratio: float | None = None  # value ÷ the usual level (median of the other buckets)
    extra: dict[str, float] = field(default_factory=dict)


def negative_peak(series: pd.DataFrame) -> Peak:
    """The bucket with most negative mentions, and how it compares with the usual level."""
    neg = series["negative"]
    if neg.sum() == 0:
        return Peak()
    when = neg.idxmax()
    others = neg.drop(when)
    usual = float(others.median()) if len(others) else 0.0
    return Peak(when, int(neg[when]), (neg[when] / usual) if usual > 0 else None)
