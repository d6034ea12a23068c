"""Page 1 in words: three to five sentences filled from the computed figures (no model writes
them). What changed, the alerts, the two main drivers with an example post each, an action.

Each sentence comes in plain text (the JSON report, e-mails) and in HTML; collected text in it
(a hashtag, a post, an author's name) is isolated either way (reports/bidi.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from markupsafe import Markup

from reports.alerts.wording import cause as cause_of
from reports.bidi import bdi, isolate
from reports.build import ReportContent
from reports.coverage import SourceState
from reports.drivers import Driver, moved_beyond_chance
from reports.i18n import Translator
from reports.kpis import spikes
from reports.ratios import observed_vs_expected
from reports.titles import bucket_when, event_of, pointed_at
from storage.alerts import AlertRecord

EXCERPT = 110
STEADY = 0.01  # a change under 1 % is "stable"
SENTIMENT_DROP = 0.10  # net sentiment down 10 points or more asks for a look


class Collected(str):
    """A value that comes from the outside (a post, a name, a hashtag): isolated when shown."""


@dataclass(frozen=True)
class Sentence:
    key: str  # which template (for tests and the JSON report)
    text: str
    html: Markup


def _sentence(t: Translator, key: str, **values: Any) -> Sentence:
    text = t(key, **{k: isolate(v) if isinstance(v, Collected) else v for k, v in values.items()})
    html = Markup(t(key)).format(
        **{k: bdi(v) if isinstance(v, Collected) else v for k, v in values.items()}
    )
    return Sentence(key, text, html)


def when(c: ReportContent, t: Translator) -> str:
    """« le 21 novembre » / « du 15 au 21 novembre » (the period, as a sentence says it)."""
    p = c.period
    if p.days == 1:
        return t("when.day", day=t.short_day(p.first_day))
    return t("when.range", first=t.short_day(p.first_day), last=t.short_day(p.last_day))


def previous_phrase(c: ReportContent, t: Translator) -> str:
    if c.period.days == 1:
        return t("when.day_before")
    return t("when.previous_days", n=t.num(c.period.days))


def change_phrase(change: float | None, t: Translator) -> str:
    if change is None:
        return ""
    if abs(change) < STEADY:
        return t("change.steady")
    return t("change.up" if change > 0 else "change.down", pct=t.pct(abs(change), 0))


def excerpt(text: Any, limit: int = EXCERPT) -> str:
    words = " ".join(str(text or "").split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def sentences(c: ReportContent, t: Translator) -> list[Sentence]:
    """What changed, the two main drivers, the team's theme that moved most (beyond chance),
    the most influential voice, the competitors (when there is room), and an action: three to
    five sentences (alerts have their own banners)."""
    out = [_what_changed(c, t)]
    if c.empty and c.coverage.silent:
        listed = ""
        for s in c.coverage.silent[:4]:
            shown = silent_source(c, t, s)
            listed = t("summary.silent_list", first=listed, next=shown) if listed else shown
        out.append(_sentence(t, "summary.silent", sources=listed))
    event = _event(c, t)
    if event is not None:  # the peak's cause, as the team noted it, before what drove it
        out.append(event)
    main = _main_drivers(c)
    out += [_driver(c, t, driver, rank) for rank, driver in enumerate(main[:2])]
    # The team's own theme that moved beyond chance comes before the most influential voice.
    for extra in (_theme(c, t), _voice(c, t)):
        if extra is not None:
            out.append(extra)
    rivals = _competitors(c, t)
    if rivals is not None and len(out) < 4:
        out.append(rivals)
    return [*out[:4], _action(c, t, main)]


def banners(c: ReportContent, t: Translator) -> list[tuple[str, Sentence]]:
    """(severity, sentence) of every alert still open or raised since the period ended."""
    return [(row.severity, _alert(c, t, row)) for row in c.banner_alerts.itertuples()]


def _what_changed(c: ReportContent, t: Translator) -> Sentence:
    volume, net = c.headline["volume"], c.headline["net_sentiment"]
    if c.empty:
        key = "summary.empty_silent" if c.coverage.silent else "summary.empty"
        return _sentence(t, key, brand=c.brand, when=when(c, t))
    if not c.coverage.comparable:
        late = c.coverage.late[0]
        compared = t(
            "summary.incomplete",
            source=c.source_names.shown(late.source, t.lang),  # type: ignore[arg-type]
            since=t.day(late.covered_from),
        )
    elif volume.change is None:
        compared = t("summary.no_previous", previous=previous_phrase(c, t))
    else:
        versus = (
            t("when.vs_day_before")
            if c.period.days == 1
            else t("when.vs_previous_days", n=t.num(c.period.days))
        )
        compared = t("summary.compared", change=change_phrase(volume.change, t), previous=versus)
    return _sentence(
        t,
        "summary.volume",
        brand=c.brand,
        mentions=t.count(volume.current, "unit.mention"),
        when=when(c, t),
        compared=compared,
        net=t.pct(net.current, 0, signed=True),
        points=t.points(net.change),
    )


def silent_source(c: ReportContent, t: Translator, s: SourceState) -> str:
    """« X (Twitter) depuis le 3 novembre 2026 », « Forum (dernière collecte en échec) »."""
    shown = c.source_names.shown(s.source, t.lang)  # type: ignore[arg-type]
    if s.status == "failed":
        return t("summary.silent_failed", source=shown)
    if s.last_published is None:
        return t("summary.silent_never", source=shown)
    if s.covered_from is not None and s.covered_from >= c.period.end:  # not collected yet
        return t("summary.silent_later", source=shown, covered=t.day(s.covered_from))
    if s.last_published >= c.period.end:  # a past period: it has spoken since
        return t("summary.silent_quiet", source=shown)
    return t("summary.silent_source", source=shown, since=t.day(s.last_published))


def _alert(c: ReportContent, t: Translator, row: Any) -> Sentence:
    kind = getattr(row, "kind", None) or "bad_buzz"
    if kind != "bad_buzz":  # which kind fired and why, as its messages say it
        record = AlertRecord(
            id=int(row.id), brand=c.brand, severity=row.severity, kind=kind,
            opened_at=row.opened_at.to_pydatetime(), negative_count=row.negative_count,
            expected_count=row.expected_count, details=row.details,
        )  # fmt: skip
        return _sentence(
            t,
            "summary.alert_kind_open" if row.status == "open" else "summary.alert_kind_closed",
            kind=t.label("alert_kind", kind),
            severity=t.label("severity", row.severity),
            opened=t.moment(row.opened_at.to_pydatetime(), short=True),
            cause=Collected(cause_of(record, t)),
        )
    excess = observed_vs_expected(row.negative_count or 0, row.expected_count)
    key = "summary.alert_open" if row.status == "open" else "summary.alert_closed"
    return _sentence(
        t,
        key,
        severity=t.label("severity", row.severity),
        opened=t.moment(row.opened_at.to_pydatetime(), short=True),
        negatives=t.count(row.negative_count or 0, "unit.negative"),
        expected=t.expected(excess),
        ratio=t.about(excess.ratio),
    )


def _event(c: ReportContent, t: Translator) -> Sentence | None:
    """« Le pic de mentions à 9 h (412 mentions) coïncide avec un événement noté par l'équipe :
    Jeu concours… » — the moment the volume section points at, when it stands out (the
    negative peak, or a spike of the chart's ▲ rule: a busiest hour tied with others is no
    peak) and the team marked an event in it or just before (that section's title says so)."""
    if c.empty:
        return None
    bucket, negative = pointed_at(c)
    event = event_of(c, bucket)
    if event is None or not (negative or spikes(c.series["total"])[bucket]):
        return None
    column = "negative" if negative else "total"
    return _sentence(
        t,
        "summary.event",
        peak=t("summary.peak_negative" if negative else "summary.peak_busiest"),
        when=bucket_when(bucket, c.hourly, t),
        n=t.count(int(c.series[column][bucket]), "unit.negative" if negative else "unit.mention"),
        label=Collected(event.label),
    )


def _voice(c: ReportContent, t: Translator) -> Sentence | None:
    top = c.influencers.ranked
    if top.empty:
        return None
    r = top.iloc[0]
    who = r.get("name") if isinstance(r.get("name"), str) else None
    handle = r.get("handle") if isinstance(r.get("handle"), str) else None
    return _sentence(
        t,
        "summary.voice",
        author=Collected(who or handle or "?"),
        source=c.source_names.shown(str(r["source"]), t.lang),  # type: ignore[arg-type]
        followers=t("summary.followers_unknown")
        if pd.isna(r["followers"])
        else t.count(r["followers"], "unit.follower"),
        posts=t.count(r["posts"], "unit.post"),
        engagement=t.count(r["engagement"], "unit.interaction"),
    )


def _theme(c: ReportContent, t: Translator) -> Sentence | None:
    """The theme whose volume moved most, when it moved beyond chance (ties: the first of the
    table, the largest first)."""
    if c.themes is None:
        return None
    moved = [
        r for r in c.themes.table.itertuples()
        if moved_beyond_chance(int(r.mentions), int(r.previous))
    ]  # fmt: skip
    if not moved:
        return None
    top = max(moved, key=lambda r: abs(int(r.mentions) - int(r.previous)))
    mentions = t.count(int(top.mentions), "unit.mention")
    net = t.pct(None if pd.isna(top.net) else float(top.net), 0, signed=True)
    theme = Collected(str(top.theme))
    if not top.previous:
        previous = previous_phrase(c, t)
        return _sentence(t, "summary.theme_new", theme=theme, mentions=mentions,
                         previous=previous, net=net)  # fmt: skip
    change = (int(top.mentions) - int(top.previous)) / int(top.previous)
    return _sentence(
        t, "summary.theme", theme=theme, mentions=mentions, change=change_phrase(change, t),
        net=net,
    )  # fmt: skip


def _competitors(c: ReportContent, t: Translator) -> Sentence | None:
    rows = [r for r in c.competitors.itertuples() if r.sov.current is not None]
    if len(rows) < 2:
        return None
    own, others = rows[0], rows[1:]
    listed = ", ".join(
        t("summary.rival", brand=r.brand, share=t.pct(r.sov.current, 0)) for r in others
    )
    return _sentence(
        t, "summary.competitors", brand=c.brand, share=t.pct(own.sov.current, 0),
        others=Collected(listed),
    )  # fmt: skip


def _main_drivers(c: ReportContent) -> list[tuple[Driver, str]]:
    """The two drivers the summary names: what made the volume rise beyond chance, else (a
    quiet or falling period) the top complaint and the top praise, which have posts of the
    period to quote."""
    d = c.drivers
    rising = [x for x in d.change if x.change > 0]
    if rising and d.beyond_chance:
        return [(x, "change") for x in rising[:2]]
    out = [(x, "complaint") for x in d.complaints[:1]]
    return out + [(x, "praise") for x in d.praise[:1]]


def driver_label(driver: Driver, t: Translator) -> str:
    if driver.kind == "cluster":
        return t("driver.cluster_label", n=t.num(driver.mentions), text=excerpt(driver.label, 60))
    return driver.label


def _driver(c: ReportContent, t: Translator, item: tuple[Driver, str], rank: int) -> Sentence:
    """« Premier moteur : #LuminoPanne, 22 mentions (+20, 45 % de la variation), 90 % négatives
    — « example » (author). » Without the change when the previous period is incomplete."""
    driver, kind = item
    # What moved the volume is a driver; in a quiet or falling period, what people complain
    # about and praise most is said as such.
    values: dict[str, Any] = {
        "rank": t(f"summary.rank{rank + 1}" if kind == "change" else f"summary.rank_{kind}"),
        "label": Collected(_quoted(driver, t)),
        "mentions": t.count(driver.mentions, "unit.mention"),
        "tone": _tone(driver, t),
    }
    key = "summary.driver_plain"
    if c.coverage.comparable:
        share, moved = c.drivers.explains(driver), t.signed(driver.change)
        # Only a share of a change beyond chance, in the volume's direction, is said.
        values["detail"] = (
            t("summary.share", change=moved, share=t.pct(share, 0)) if share is not None else moved
        )
        key = "summary.driver"
    example = _example(c, driver)
    if example is None:
        return _sentence(t, key, **values)
    author = example.get("author")
    return _sentence(
        t,
        key + "_example",
        **values,
        example=Collected(excerpt(example.get("text") or example.get("title"))),
        author=Collected(author) if author else t("posts.anonymous"),
    )


def _quoted(driver: Driver, t: Translator) -> str:
    """A phrase in quotes in a sentence (« service client »); hashtags, handles and clusters
    carry their own marks."""
    label = driver_label(driver, t)
    return t("quote.open") + label + t("quote.close") if driver.kind == "bigram" else label


def _tone(driver: Driver, t: Translator) -> str:
    total = sum(driver.sentiment.values())
    if not total:
        return t("summary.tone_unknown")
    neg, pos = driver.sentiment.get("negative", 0), driver.sentiment.get("positive", 0)
    if neg == pos == 0:  # neither: say how neutral it is, not « 0 % négatives »
        neutral = driver.sentiment.get("neutral", 0)
        if not neutral:
            return t("summary.tone_unknown")
        return t("summary.tone_neutral", share=t.pct(neutral / total, 0))
    if neg >= pos:
        return t("summary.tone_negative", share=t.pct(neg / total, 0))
    return t("summary.tone_positive", share=t.pct(pos / total, 0))


def _example(c: ReportContent, driver: Driver) -> dict[str, Any] | None:
    if not driver.examples or c.driver_posts.empty:
        return None
    posts = c.driver_posts.set_index("id")
    first = driver.examples[0]
    if first not in posts.index:
        return None
    row = posts.loc[first]
    return {k: (None if pd.isna(v) else v) for k, v in row.items()}


def _action(c: ReportContent, t: Translator, main: list[tuple[Driver, str]]) -> Sentence:
    """One action to consider, by the first rule that applies."""
    answer = c.answers.unanswered  # all still unanswered, not only those listed
    complaint = c.drivers.complaints[0] if c.drivers.complaints else None
    rules: list[tuple[bool, Callable[[], Sentence]]] = [
        (
            any(c.banner_alerts["status"] == "open"),
            lambda: _sentence(t, "action.alert"),
        ),
        (
            answer > 0 and complaint is not None,
            lambda: _sentence(
                t,
                "action.answer_about",
                n=t.count(answer, "unit.post"),
                label=Collected(driver_label(complaint, t)),  # type: ignore[arg-type]
            ),
        ),
        (answer > 0, lambda: _sentence(t, "action.answer", n=t.count(answer, "unit.post"))),
        (
            (c.headline["net_sentiment"].change or 0) <= -SENTIMENT_DROP and complaint is not None,
            lambda: _sentence(
                t,
                "action.sentiment",
                label=Collected(driver_label(complaint, t)),  # type: ignore[arg-type]
            ),
        ),
        (
            bool(c.drivers.praise),
            lambda: _sentence(
                t, "action.praise", label=Collected(driver_label(c.drivers.praise[0], t))
            ),
        ),
        (c.empty, lambda: _sentence(t, "action.empty")),
    ]
    for applies, make in rules:
        if applies:
            return make()
    return _sentence(t, "action.none")
