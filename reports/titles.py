"""Chart titles that say the chart's message ("Negative mentions doubled on 3 March")."""

from __future__ import annotations

import pandas as pd

from reports import bidi
from reports.build import ReportContent
from reports.i18n import Translator
from reports.kpis import event_buckets, negative_peak
from storage.events import EventRecord

# A negative peak this many times the usual level, of this many mentions at least, is the
# volume section's message (else the busiest bucket is).
PEAK_RATIO, PEAK_MIN = 1.8, 5


def volume_title(c: ReportContent, t: Translator) -> str:
    """The volume section's title: the negative peak, else the volume's change and its busiest
    day or hour — with the team's event of that moment (or of the one before), when there is
    one, so the peak has its cause beside it."""
    series = c.series
    total = int(series["total"].sum())
    if total == 0:
        return t("title.volume.none")
    bucket, negative = pointed_at(c)
    event = event_of(c, bucket)
    tail = t("title.volume.event", label=bidi.isolate(event.label)) if event else ""
    when = bucket_when(bucket, c.hourly, t)
    if negative:
        peak = negative_peak(series)
        assert peak.ratio is not None
        if peak.ratio < 2.5:
            return t("title.volume.doubled", when=when) + tail
        return t("title.volume.multiplied", when=when, ratio=t.num(peak.ratio, 1)) + tail
    change = c.headline["volume"].change
    n = t.count(total, "unit.mention")
    if change is None:
        return t("title.volume.plain", n=n, when=when) + tail
    key = "title.volume.up" if change >= 0 else "title.volume.down"
    return t(key, n=n, change=t.pct(abs(change), 0), when=when) + tail


def pointed_at(c: ReportContent) -> tuple[pd.Timestamp, bool]:
    """The moment the volume section points at — the negative peak when it stands out, else
    the busiest day or hour — and whether it is the negative peak (a period with mentions)."""
    peak = negative_peak(c.series)
    if peak.when is not None and peak.ratio is not None and peak.ratio >= PEAK_RATIO and (
        peak.value >= PEAK_MIN
    ):  # fmt: skip
        return peak.when, True
    return c.series["total"].idxmax(), False


def event_of(c: ReportContent, bucket: pd.Timestamp) -> EventRecord | None:
    """The team's first event begun in `bucket` or the one before it (a spot at 20:55 fills
    the 21 h bucket), else the first one lasting over it (a sale, a campaign)."""
    step = pd.Timedelta(hours=1) if c.hourly else pd.Timedelta(days=1)
    covers = [(e, *event_buckets(e.at, e.ends_at, str(c.series.index.tz), c.hourly))
              for e in c.events]  # fmt: skip
    begun = (e for e, first, _ in covers if first in (bucket, bucket - step))
    lasting = (e for e, first, last in covers if first <= bucket <= last)
    return next(begun, None) or next(lasting, None)


def bucket_when(ts: pd.Timestamp, hourly: bool, t: Translator) -> str:
    """« à 23 h » for an hour of a short report, « le 3 mars » for a day."""
    if hourly:
        return t("when.hour", hour=t.hour(ts.to_pydatetime()))
    return t("when.day", day=t.short_day(ts.to_pydatetime()))


# A source needs this many labelled mentions to be called the most negative (the title says so).
MIN_SOURCE_MENTIONS = 5


def sources_title(c: ReportContent, t: Translator) -> str:
    rows = c.sources
    labelled = rows[(rows["positive"] + rows["negative"] + rows["neutral"]) >= MIN_SOURCE_MENTIONS]
    labelled = labelled.copy()
    if labelled.empty or labelled["negative"].sum() == 0:
        return t("title.sources.plain", n=t.num(len(rows)))
    labelled["neg_share"] = labelled["negative"] / labelled["mentions"]
    worst = labelled.sort_values(["neg_share", "mentions", "source"], ascending=False).iloc[0]
    return t(
        "title.sources.worst",
        source=c.source_names.shown(worst["source"], t.lang),  # type: ignore[arg-type]
        share=t.pct(worst["neg_share"], 0),
        min=t.num(MIN_SOURCE_MENTIONS),
    )


def topics_title(c: ReportContent, t: Translator) -> str:
    rows = c.topics[c.topics["reference"].notna() & c.topics["share"].notna()].copy()
    if rows.empty:
        return t("title.topics.none")
    rows["gap"] = (rows["share"] - rows["reference"]).abs()
    top = rows.sort_values("gap", ascending=False).iloc[0]
    return t(
        "title.topics.gap",
        topic=t.label("topic", top["topic"]),
        share=t.pct(top["share"], 0),
        reference=t.pct(top["reference"], 0),
    )


def themes_title(c: ReportContent, t: Translator) -> str:
    """The theme whose volume moved most (ties: the larger, then the first configured)."""
    rows = c.themes.table if c.themes is not None else pd.DataFrame()
    if rows.empty or not (rows["mentions"].sum() or rows["previous"].sum()):
        return t("title.themes.none")
    moved = (rows["mentions"] - rows["previous"]).abs()
    top = rows.loc[moved.idxmax()]  # the first of the largest, in the table's order
    mentions = t.count(int(top["mentions"]), "unit.mention")
    if not top["previous"]:
        return t("title.themes.new", theme=top["theme"], mentions=mentions)
    change = (top["mentions"] - top["previous"]) / top["previous"]
    return t(
        "title.themes.change", theme=top["theme"], mentions=mentions, change=t.pct(change, 0, True)
    )


def tiers_title(c: ReportContent, t: Translator) -> str:
    tiers = c.contributors.tiers.set_index("tier")
    one_off = tiers.loc["one_off", "share"]
    if pd.isna(one_off):
        return t("title.tiers.none")
    return t("title.tiers.one_off", share=t.pct(float(one_off), 0))


def competitors_title(c: ReportContent, t: Translator) -> str:
    rows = c.competitors
    if all(r.sov.current is None for r in rows.itertuples()):
        return t("title.competitors.none")
    shares = [(r.sov.current or 0.0, r.brand) for r in rows.itertuples()]
    own = shares[0][0]
    best, leader = max(shares)
    if leader == c.brand or best == own:
        return t("title.competitors.lead", brand=c.brand, share=t.pct(own, 0))
    return t(
        "title.competitors.behind",
        leader=leader,
        leader_share=t.pct(best, 0),
        brand=c.brand,
        share=t.pct(own, 0),
    )
