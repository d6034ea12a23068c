"""Charts as static SVG (matplotlib): colour-blind-safe colours plus hatches for black and white.

Each function takes the figures and the already-worded title (the chart's message) and returns
a `data:image/svg+xml;base64,…` URI, shown with an <img> so nothing inside it can ever run.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

import pandas as pd

from reports.i18n import Translator
from reports.kpis import bucket_of, event_buckets
from storage.vocab import SENTIMENTS, UNLABELLED

# Okabe–Ito palette (safe for the common colour-vision deficiencies), one hatch per series.
COLOURS = {
    "negative": "#D55E00",
    "neutral": "#BBBBBB",
    "positive": "#0072B2",
    "unlabelled": "#FFFFFF",
    "observed": "#0072B2",
    "reference": "#E69F00",
    "alert": "#000000",
    "event": "#009E73",
}
HATCHES = {
    "negative": "///",
    "neutral": "..",
    "positive": "\\\\\\",
    "unlabelled": "",
    "observed": "",
    "reference": "xx",
}
SENTIMENT_ORDER = (*SENTIMENTS, UNLABELLED)


def _plt() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams.update(
        {
            "svg.fonttype": "none",
            "font.family": "DejaVu Sans",
            "font.size": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "hatch.linewidth": 0.6,
            "svg.hashsalt": "veille",
            "text.parse_math": False,
        }
    )
    return plt


# Inside `as_png()` (the slides: a presentation shows no SVG), charts are PNG data URIs.
_PNG: ContextVar[bool] = ContextVar("veille_charts_png", default=False)
PNG_DPI = 200


@contextmanager
def as_png() -> Iterator[None]:
    """Charts made within are PNG images (PNG_DPI), not SVG."""
    token = _PNG.set(True)
    try:
        yield
    finally:
        _PNG.reset(token)


def _uri(fig: Any) -> str:
    plt = _plt()
    buf = io.BytesIO()
    if _PNG.get():
        fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight",
                    metadata={"Software": None})  # fmt: skip
        media = "image/png"
    else:
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
        media = "image/svg+xml"
    plt.close(fig)
    return f"data:{media};base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def _figure(title: str, height: float = 3.0, width: float = 7.2) -> tuple[Any, Any]:
    """A figure the width of the page's text (its title is the HTML's, above the chart, so it
    is text a reader can search and copy; `title` names the chart in the SVG's metadata)."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(width, height))
    fig.set_label(title)
    return fig, ax


def _bar(ax: Any, x: Any, height: Any, key: str, **kw: Any) -> Any:
    return ax.bar(
        x, height, color=COLOURS[key], hatch=HATCHES[key], edgecolor="#333333", linewidth=0.5, **kw
    )


def volume_chart(
    series: pd.DataFrame,
    alerts: Sequence[pd.Timestamp],
    title: str,
    t: Translator,
    hourly: bool,
    events: Sequence[tuple[datetime, datetime | None]] = (),
) -> str:
    """Mentions per day (or hour) stacked by sentiment; spikes ▲, alerts ◆ and the team's
    events (start, end or None; numbered, as the list under the chart numbers them) marked —
    one that lasts over several buckets as a band over them too."""
    fig, ax = _figure(title, height=2.5)
    x = list(range(len(series)))
    bottom = pd.Series(0, index=series.index)
    for key in SENTIMENT_ORDER:
        if series[key].sum() == 0 and key == UNLABELLED:
            continue
        _bar(ax, x, series[key], key, bottom=bottom, label=t.label("sentiment", key), width=0.8)
        bottom = bottom + series[key]
    top = float(series["total"].max() or 1)
    spikes = [i for i, s in enumerate(series["spike"]) if s]
    if spikes:
        ax.scatter(
            spikes,
            [series["total"].iloc[i] + top * 0.06 for i in spikes],
            marker="^",
            color="black",
            s=30,
            label=t("chart.spike"),
            zorder=3,
        )
    buckets = series.index

    def position(at: Any) -> int | None:
        pos = buckets.searchsorted(bucket_of(at, str(buckets.tz), hourly), side="right")
        return int(pos - 1) if 0 < pos <= len(buckets) else None

    alert_x = [b for b in (position(opened) for opened in alerts) if b is not None]
    tz = str(buckets.tz)
    event_x, banded = [], False
    for n, (at, ends_at) in enumerate(events, 1):
        first, last = event_buckets(at, ends_at, tz, hourly)
        if last < buckets[0] or first > buckets[-1]:
            continue
        start = int(buckets.searchsorted(max(first, buckets[0])))
        stop = int(buckets.searchsorted(min(last, buckets[-1]), side="right")) - 1
        event_x.append((n, start))
        if stop > start:  # lasting over several buckets: a band behind the bars, named once
            ax.axvspan(start - 0.45, stop + 0.45, color=COLOURS["event"], alpha=0.10, lw=0,
                       zorder=0, label=None if banded else t("chart.event_span"))  # fmt: skip
            banded = True
    if event_x:
        ax.scatter([b for _, b in event_x], [top * 1.07] * len(event_x), marker="v",
                   color=COLOURS["event"], s=26, label=t("chart.event"), zorder=3)  # fmt: skip
        for n, b in event_x:
            ax.annotate(str(n), (b, top * 1.07), xytext=(4, 1), textcoords="offset points",
                        fontsize=7, color=COLOURS["event"])  # fmt: skip
    if alert_x:
        ax.scatter(
            alert_x,
            [top * 1.16] * len(alert_x),
            marker="D",
            color=COLOURS["alert"],
            s=28,
            label=t("chart.alert"),
            zorder=3,
        )
    ax.set_ylim(0, top * 1.25)
    # Mentions are whole: whole ticks in the language's digits (« 1 000 », never « 1.2 »).
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: t.num(v)))
    # At most 8 labels, short ("21 nov." / "3 h"), so none overlap whatever the period's length.
    step = max(1, -(-len(x) // 8))
    ax.set_xticks(x[::step])
    labels = [t.hour(b.to_pydatetime()) if hourly else t.axis_day(b) for b in buckets]
    ax.set_xticklabels(labels[::step], rotation=0)
    ax.set_xlim(-0.6, len(x) - 0.4)
    ax.set_ylabel(t("chart.mentions"))
    ax.legend(loc="upper left", fontsize=9, ncol=6, frameon=False, bbox_to_anchor=(0, -0.13))
    return _uri(fig)


def sentiment_by_source_chart(rows: pd.DataFrame, title: str, t: Translator) -> str:
    """One 100 % bar per source split by sentiment."""
    rows = rows.head(12).iloc[::-1]
    fig, ax = _figure(title, height=0.7 + 0.3 * max(len(rows), 2), width=6.0)
    left = pd.Series(0.0, index=rows.index)
    totals = rows["mentions"].where(rows["mentions"] > 0, 1)
    for key in SENTIMENT_ORDER:
        share = rows[key] / totals
        ax.barh(
            rows["source"],
            share,
            left=left,
            color=COLOURS[key],
            hatch=HATCHES[key],
            edgecolor="#333333",
            linewidth=0.5,
            label=t.label("sentiment", key),
        )
        left = left + share
    ax.set_xlim(0, 1)
    ax.xaxis.set_major_formatter(_pct_formatter(t))
    ax.legend(loc="upper left", fontsize=9, ncol=4, frameon=False, bbox_to_anchor=(0, -0.18))
    return _uri(fig)


def _pct_formatter(t: Translator) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: t.pct(v, 0))


def paired_chart(
    labels: list[str],
    observed: list[float | None],
    reference: list[float | None],
    title: str,
    t: Translator,
    reference_label: str,
    small: bool = False,
    observed_label: str | None = None,
) -> str:
    """Observed shares beside reference shares (topics vs the study; tiers vs 1/9/90; themes
    vs the previous period)."""
    width = 4.2 if small else 6.0
    fig, ax = _figure(title, height=0.7 + 0.3 * len(labels), width=width)
    y = list(range(len(labels)))[::-1]
    obs = [v or 0 for v in observed]
    ref = [v or 0 for v in reference]
    ax.barh(
        [v + 0.2 for v in y],
        obs,
        height=0.4,
        color=COLOURS["observed"],
        edgecolor="#333333",
        linewidth=0.5,
        label=observed_label or t("chart.observed"),
    )
    ax.barh(
        [v - 0.2 for v in y],
        ref,
        height=0.4,
        color=COLOURS["reference"],
        hatch=HATCHES["reference"],
        edgecolor="#333333",
        linewidth=0.5,
        label=reference_label,
    )
    ax.set_yticks(y)
    ax.set_yticklabels(labels)
    ax.xaxis.set_major_formatter(_pct_formatter(t))
    ax.set_xlim(0, max([*obs, *ref, 0.05]) * 1.15)
    ax.legend(loc="upper left", fontsize=9, ncol=2, frameon=False, bbox_to_anchor=(0, -0.12))
    return _uri(fig)


def share_of_voice_chart(
    brands: list[str], shares: list[float | None], title: str, t: Translator
) -> str:
    """Share of voice per brand; the report's brand solid, competitors hatched."""
    fig, ax = _figure(title, height=0.5 + 0.32 * len(brands), width=4.2)
    y = list(range(len(brands)))[::-1]
    for i, share in enumerate(shares):
        key = "observed" if i == 0 else "reference"
        ax.barh(
            y[i],
            share or 0,
            color=COLOURS[key],
            hatch=HATCHES[key],
            edgecolor="#333333",
            linewidth=0.5,
        )
        ax.text((share or 0) + 0.01, y[i], t.pct(share, 0), va="center", fontsize=9)
    ax.set_yticks(y)
    ax.set_yticklabels(brands)
    ax.set_xlim(0, 1.1)
    ax.xaxis.set_major_formatter(_pct_formatter(t))
    return _uri(fig)
