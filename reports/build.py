"""Gather every figure of one brand's report for one period (independent of its language)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import pandas as pd
from sqlalchemy import Connection, Engine

from config.settings import Settings
from reports import queries as q
from reports.contributors import Contributors, contributors
from reports.coverage import Coverage, coverage
from reports.drivers import TEXT_CAP, Drivers, find_drivers
from reports.frame import authors, cube, label_models, load_frames
from reports.influencers import Influencers, influencers
from reports.kpis import Headline, by_source, by_topic, competitors, headline, volume_series
from reports.periods import Period
from reports.sources import SourceNames
from reports.themes import Themes, by_theme
from storage import reporting as db
from storage.dismissals import counts as dismissed
from storage.events import EventRecord
from storage.events import between as brand_events
from storage.handoffs import handed_over

TOP_POSTS = 10
OWN_POSTS = 3


@dataclass(frozen=True)
class Answers:
    """The brand's answers to the period's negative customer-service mentions (its own accounts'
    posts left out): how many there were, how many one of its own accounts answered by the
    report's time (a reply to the mention in its source), and the median delay of those."""

    asked: int
    answered: int
    median_minutes: float | None
    # (source name, asked, answered) of each source with such mentions, most asked first
    by_source: tuple[tuple[str, int, int], ...] = ()

    @property
    def unanswered(self) -> int:
        return self.asked - self.answered


@dataclass(frozen=True)
class OwnActivity:
    """What the brand's own accounts published in the period and the previous one, whatever
    brand the posts name (their answers too): posts and the engagement they received."""

    posts: int = 0
    previous: int = 0
    engagement: int = 0
    previous_engagement: int = 0


@dataclass
class ReportContent:
    brand: str
    brands: tuple[str, ...]
    period: Period
    previous: Period
    generated_at: datetime
    tables: set[str]
    headline: Headline
    series: pd.DataFrame
    hourly: bool
    alerts: pd.DataFrame  # opened since the previous period began, or still open
    sources: pd.DataFrame  # per source (config id): sentiment counts, previous, net
    source_names: SourceNames
    topics: pd.DataFrame
    themes: Themes | None  # None: no theme applies to the brand (`themes` in veille.yaml)
    contributors: Contributors
    influencers: Influencers
    flagged: int | None  # the brand's suspicious mentions of the period (None: not computed)
    flagged_previous: int | None
    owned: int  # the period's posts of the brands' own accounts among the brand's mentions
    owned_previous: int
    owned_excluded: bool  # reports.exclude_own_posts: left out of the figures
    engaging: pd.DataFrame  # most engaging posts, the brand's own accounts left out
    own_posts: pd.DataFrame  # the brand's own most engaging posts
    own_activity: OwnActivity | None  # None: the brand has no own accounts
    # the negative customer-service posts the brand has not answered, with the targets (a
    # helpdesk, a CRM) each was handed over to (`handed_to`)
    needing_answer: pd.DataFrame
    answers: Answers
    drivers: Drivers
    driver_posts: pd.DataFrame  # the example posts of the drivers, by id
    competitors: pd.DataFrame
    coverage: Coverage
    models: pd.DataFrame
    exclusions: pd.DataFrame  # per suspicious group: kind, group_key, mentions, authors, span
    excluded: bool
    # what the team marked on the brand's timeline during the period (`veille events`)
    events: list[EventRecord] = field(default_factory=list)
    # the period's mentions the team took off the brand (storage/dismissals.py): not counted
    off_topic: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return self.headline["volume"].current == 0

    @property
    def current_alerts(self) -> pd.DataFrame:
        """Alerts opened within the period."""
        a = self.alerts
        return a[(a["opened_at"] >= self.period.start) & (a["opened_at"] < self.period.end)]

    @property
    def banner_alerts(self) -> pd.DataFrame:
        """Alerts still open, or raised since the period ended: page 1 shows each one."""
        a = self.alerts
        return a[(a["status"] == "open") | (a["opened_at"] >= self.period.end)]


def build_report(
    engine: Engine, settings: Settings, brand: str, period: Period, now: datetime
) -> ReportContent:
    """Read the database in one narrow pass (plus the posts shown) and compute with pandas."""
    conf = settings.brand(brand)
    pseudonymiser = None
    if settings.reports.pseudonymise:  # no key: fail before any work
        from reports.pseudonym import Pseudonymiser

        pseudonymiser = Pseudonymiser.from_settings(settings)
    brands = (conf.name, *conf.competitors)
    previous = period.previous()
    tables = q.available_tables(engine)
    exclude = settings.reports.exclude_suspicious
    exclude_owned = settings.reports.exclude_own_posts
    w = q.Window(
        conf.name, brands, previous.start, period.start, period.end, exclude, exclude_owned
    )
    timings: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now_ = time.perf_counter()
        timings[name] = now_ - clock
        clock = now_

    with engine.connect() as conn:
        frames = load_frames(conn, w, tables, db.own_account_ids(conn, settings.own_accounts))
        lap("mentions")
        every = frames.mentions
        current_ids = every[every["current"]].drop_duplicates("id")
        all_current = {int(k): int(v) for k, v in current_ids.groupby("source_id").size().items()}
        df = every[every["counted"]]
        cube_ = cube(df)
        authors_ = authors(df, conf.name)
        mine = every[every["brand"] == conf.name]
        own = df[df["brand"] == conf.name]
        cur = own[own["current"]]
        names = q.source_names(conn)
        kinds = {str(n): str(k) for n, k in db.sources_kinds(conn)}
        own_ids = set(db.own_account_ids(conn, conf.own_accounts))
        # The brand's own posts, counted in the figures or not: listed apart.
        posted = mine[mine["author_id"].isin(own_ids) & ~(mine["flagged"] & exclude)]
        people_ = pd.concat([authors_, authors(posted, conf.name)]).drop_duplicates(
            ["current", "author_id"]
        )
        cur_ids = sorted(people_.loc[people_["current"], "author_id"].astype(int).tolist())
        profiles = q.load_profiles(conn, cur_ids) if "author_profiles" in tables else None
        engaging = _top_engaging(conn, cur[~cur["author_id"].isin(own_ids)], TOP_POSTS)
        own_posts = _top_engaging(conn, posted[posted["current"]], OWN_POSTS)
        activity = _own_activity(conn, sorted(own_ids), previous, period) if own_ids else None
        needing, answers = _needing_answer(conn, cur, own_ids, now, names)
        texts = _texts(conn, own, names)
        skip = [w_ for b in brands for w_ in b.split()] + list(brands)
        drivers = find_drivers(texts, skip, conf.own_accounts, own_ids)
        example_ids = sorted({i for d in drivers.all() for i in d.examples})
        driver_posts = q.load_posts(conn, example_ids)
        lap("posts and texts")
        themes = by_theme(conn, settings.themes, settings.themes_for(conf.name), own)
        lap("themes")
        alerts = q.load_alerts(conn, w.brand, previous.start, max(now, period.end))
        events = brand_events(conn, conf.name, period.start, period.end)
        off_topic = dismissed(conn, period.start, period.end).get(conf.name, 0)
        cov = coverage(
            conn, settings, period, previous, names, kinds, _source_counts(mine), all_current
        )
        models = label_models(conn, cur["id"])
        people = contributors(authors_, profiles)
        found = influencers(
            people_[people_["current"]], own_ids, lambda ids: q.load_author_names(conn, ids)
        )
        found.ranked = _profiled(found.ranked, profiles)
        found.own = _profiled(found.own, profiles)
        lap("method and contributors")
    flags = "mention_flags" in tables
    flagged_rows = mine[mine["flagged"]]
    owned_rows = mine[mine["owned"]]
    hourly = period.days <= 2
    series = volume_series(
        cube_,
        conf.name,
        period.tz,
        pd.Timestamp(period.first_day),
        pd.Timestamp(period.last_day) + pd.Timedelta(days=1),
        hourly,
    )
    content = ReportContent(
        brand=conf.name,
        brands=brands,
        period=period,
        previous=previous,
        generated_at=now,
        tables=tables,
        headline=headline(cube_, authors_, conf.name, brands, comparable=cov.comparable),
        series=series,
        hourly=hourly,
        alerts=alerts,
        events=events,
        off_topic=off_topic,
        sources=by_source(cube_, conf.name, names),
        source_names=SourceNames(kinds, settings),
        topics=by_topic(cube_, conf.name),
        themes=themes,
        contributors=people,
        influencers=found,
        flagged=int(flagged_rows["current"].sum()) if flags else None,
        flagged_previous=int((~flagged_rows["current"]).sum()) if flags else None,
        owned=int(owned_rows["current"].sum()),
        owned_previous=int((~owned_rows["current"]).sum()),
        owned_excluded=exclude_owned,
        engaging=engaging,
        own_posts=own_posts,
        own_activity=activity,
        needing_answer=needing,
        answers=answers,
        drivers=drivers,
        driver_posts=driver_posts,
        competitors=competitors(cube_, brands),
        coverage=cov,
        models=models,
        exclusions=_exclusions(frames.flags, flagged_rows[flagged_rows["current"]]),
        excluded=exclude and flags,
        timings=timings,
    )
    lap("pandas")
    if pseudonymiser is not None:
        from reports.pseudonym import author_ids_shown, pseudonymise_report

        with engine.connect() as conn:
            shown = q.load_author_names(conn, author_ids_shown(content))
        handles = {int(a): str(h) for a, h in zip(shown["author_id"], shown["handle"], strict=True)}
        pseudonymise_report(content, pseudonymiser, handles)
    return content


def _own_activity(
    conn: Connection, own_ids: list[int], previous: Period, period: Period
) -> OwnActivity:
    now = db.own_activity(conn, own_ids, period.start, period.end)
    before = db.own_activity(conn, own_ids, previous.start, previous.end)
    return OwnActivity(now[0], before[0], now[1], before[1])


def _source_counts(mine: pd.DataFrame) -> pd.DataFrame:
    return mine[["id", "source_id", "current", "counted", "flagged", "owned"]]


def _profiled(frame: pd.DataFrame, profiles: pd.DataFrame | None) -> pd.DataFrame:
    """Authors with their stored profile label."""
    if profiles is not None and not profiles.empty:
        return frame.merge(profiles[["author_id", "profile"]], how="left", on="author_id")
    return frame.assign(profile=None)


# Posts tied with the last one shown are all read, up to this many, so that the tie is broken
# by their natural key (source, external id) rather than by the ids a database gave them.
_TIED = 500


def _top_engaging(conn: Connection, cur: pd.DataFrame, top: int) -> pd.DataFrame:
    """The most engaging posts; ties by time (newest first), then source and external id."""
    best = cur[cur["engagement"] > 0].sort_values(["engagement", "hour"], ascending=False)
    if len(best) > top:
        best = best[best["engagement"] >= best["engagement"].iloc[top - 1]].head(_TIED)
    posts = q.load_posts(conn, best["id"].astype(int).tolist())
    posts = posts.sort_values(
        ["engagement", "published_at", "source", "external_id"],
        ascending=[False, False, True, True],
    )
    return posts.head(top).reset_index(drop=True)


def _needing_answer(
    conn: Connection, cur: pd.DataFrame, own_ids: set[int], now: datetime, names: dict[int, str]
) -> tuple[pd.DataFrame, Answers]:
    """The negative customer-service posts that the brand's own accounts have not answered,
    newest first (hours narrow it, timestamps order it), and the brand's answers to all of them
    (`Answers`, with each source's: `names` are the sources' by id)."""
    hits = cur[
        (cur["sentiment"] == "negative")
        & (cur["topic"] == "service_client")
        & ~cur["author_id"].isin(own_ids)
    ].drop_duplicates("id")
    replies = db.first_replies(conn, hits["id"].astype(int).tolist(), sorted(own_ids), now)
    delays = [max((answer - asked).total_seconds() / 60, 0.0) for _, asked, answer in replies]
    done = hits["id"].isin([r[0] for r in replies])
    per_source = (
        pd.DataFrame({"source": hits["source_id"].map(names), "answered": done})
        .groupby("source")["answered"].agg(["size", "sum"])
    )  # fmt: skip
    by_source = sorted(
        ((str(s), int(n), int(a)) for s, n, a in per_source.itertuples()),
        key=lambda r: (-r[1], r[0]),
    )
    answers = Answers(
        asked=len(hits),
        answered=len(replies),
        median_minutes=round(float(np.median(delays)), 1) if delays else None,
        by_source=tuple(by_source),
    )
    hits = hits[~hits["id"].isin([r[0] for r in replies])]
    needing = _newest(conn, hits)
    handed = handed_over(conn, needing["id"].astype(int).tolist())
    needing["handed_to"] = [handed.get(int(i), []) for i in needing["id"]]
    return needing, answers


def _newest(conn: Connection, hits: pd.DataFrame) -> pd.DataFrame:
    hits = hits.sort_values("hour", ascending=False)
    if len(hits) > TOP_POSTS:
        hits = hits[hits["hour"] >= hits["hour"].iloc[TOP_POSTS - 1]].head(_TIED)
    posts = q.load_posts(conn, hits["id"].astype(int).tolist())
    posts = posts.sort_values(
        ["published_at", "source", "external_id"], ascending=[False, True, True]
    )
    return posts.head(TOP_POSTS).reset_index(drop=True)


def _texts(conn: Connection, own: pd.DataFrame, names: dict[int, str]) -> pd.DataFrame:
    """The brand's counted mentions of both periods with their texts and natural key (source
    name, external id), at most about TEXT_CAP a period, each weighing (mentions / texts).

    Above TEXT_CAP the sample is drawn without ids, which differ from one database to the next:
    mentions are grouped by what every database stores alike (source name, hour, engagement,
    views, followers) and the groups whose key hashes lowest are taken whole, so the drivers
    are the same on SQLite and PostgreSQL.
    """
    frames = []
    cols = ["id", "source_id", "current", "sentiment", "author_id", "engagement", "followers"]
    for current in (False, True):
        part = own[own["current"] == current].drop_duplicates("id")
        chosen = part
        if len(part) > TEXT_CAP:
            # Numbers only (hashing strings row by row is slow): the source by its name's hash.
            source = {k: int(pd.util.hash_array(np.array([v], dtype=object))[0])
                      for k, v in names.items()}  # fmt: skip
            key = pd.DataFrame({
                "source": part["source_id"].map(source).astype("uint64"),
                "hour": part["hour"].astype("int64"),
                **{c: part[c].astype("float64") for c in ("engagement", "views", "followers")},
            })  # fmt: skip
            rank = pd.util.hash_pandas_object(key, index=False).to_numpy()
            cut = np.partition(rank, TEXT_CAP - 1)[TEXT_CAP - 1]
            chosen = part[rank <= cut]  # ties with the cut are all in: no order needed
        chosen = chosen[cols].copy()
        chosen["weight"] = len(part) / max(1, len(chosen)) if len(part) else 1.0
        chosen["sentiment"] = chosen["sentiment"].astype(str)
        texts = q.load_texts(conn, sorted(chosen["id"].astype(int).tolist()))
        chosen = chosen.merge(texts, on="id", how="left")
        chosen["natural"] = (
            chosen["source_id"].map(names).fillna("") + "/" + chosen["external_id"].fillna("")
        )
        frames.append(chosen.drop(columns=["source_id", "external_id"]))
    return pd.concat(frames, ignore_index=True)


def _exclusions(flags: pd.DataFrame, flagged: pd.DataFrame) -> pd.DataFrame:
    """Per suspicious group of the period's brand mentions: how many posts, how many accounts,
    the hours they span (language-independent; the report words the reason)."""
    cols = ["kind", "group_key", "mentions", "authors", "first", "last"]
    rows = flags.merge(flagged[["id", "author_id", "hour"]], on="id")
    if rows.empty:
        return pd.DataFrame(columns=cols)
    out = (
        rows.groupby(["kind", "group_key"])
        .agg(
            mentions=("id", "nunique"),
            authors=("author_id", "nunique"),
            first=("hour", "min"),
            last=("hour", "max"),
        )
        .reset_index()
    )
    out = out.sort_values(["mentions", "kind", "group_key"], ascending=[False, True, True])
    return out[cols].reset_index(drop=True)
