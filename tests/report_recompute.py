"""An independent recomputation of a JSON report from `veille export` rows, with pandas.

Only the README's definitions are used (which mentions count, what each figure is), not the
report's code; the one shared piece is the list of function words (data) that bigram drivers
skip. `assert_report_matches(report, export)` compares every figure.
"""

from __future__ import annotations

import itertools
import math
import re
import unicodedata
from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from reports.stopwords import is_stop_word


def _frame(export: pd.DataFrame, tz: str, first: date, last: date) -> pd.DataFrame:
    """One row per (mention, brand), with its period (current, previous or none)."""
    d = export.copy()
    d["local_day"] = (
        pd.to_datetime(d["published_at"], utc=True, format="ISO8601").dt.tz_convert(tz).dt.date
    )
    days = (last - first).days + 1
    d["period"] = None
    d.loc[(d["local_day"] >= first) & (d["local_day"] <= last), "period"] = "cur"
    prev = (d["local_day"] >= first - timedelta(days=days)) & (d["local_day"] < first)
    d.loc[prev, "period"] = "prev"
    d["followers_"] = d["author_followers"].where(
        d["author_followers"].notna(), d["author_account_followers"]
    )
    for col in ("likes", "shares", "comments"):
        d[col] = d[col].fillna(0)
    d["engagement"] = d["likes"] + d["shares"] + d["comments"]
    d["who"] = d["source"] + "/" + d["author"].fillna("")
    d.loc[d["author"].isna(), "who"] = None
    d["sentiment"] = d["sentiment"].fillna("unlabelled")
    d = d.explode("brands").rename(columns={"brands": "brand"})
    return d[d["period"].notna()]


def _net(part: pd.DataFrame) -> float | None:
    pos, neg = (part["sentiment"] == "positive").sum(), (part["sentiment"] == "negative").sum()
    return None if pos + neg == 0 else (pos - neg) / (pos + neg)


def _kpis(rows: pd.DataFrame, everyone: pd.DataFrame) -> dict[str, float | None]:
    authors = rows.dropna(subset=["who"]).groupby("who")["followers_"].max()
    reach = float(authors.fillna(0).sum()) if authors.notna().any() else None
    engagement = float(rows["engagement"].sum())
    talk = len(everyone)
    return {
        "volume": len(rows),
        "unique_authors": rows["who"].nunique(),
        "net_sentiment": _net(rows),
        "share_of_voice": len(rows) / talk if talk else None,
        "reach": reach,
        "impressions": float(rows["views"].sum()) if rows["views"].notna().any() else None,
        "engagement": engagement,
        "engagement_rate": engagement / reach if reach else None,
    }


def _tiers(rows: pd.DataFrame) -> dict[str, int]:
    posts = rows.dropna(subset=["who"]).groupby("who").size()
    top = sorted(posts.tolist(), reverse=True)[: max(1, math.ceil(len(posts) / 100))]
    regular = sum(n >= 2 for n in top) if len(posts) else 0
    one_off = int((posts == 1).sum())
    return {"regular": regular, "occasional": len(posts) - regular - one_off, "one_off": one_off}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


_ELISION = re.compile(r"^(?:jusqu|lorsqu|puisqu|quoiqu|qu|[cdjlmnst])'(?=[^\W\d_])")


def _read(segment: str) -> list[str]:
    """Words as a person reads them: lower case, typographic apostrophes unified, French
    elisions ("l'appli") and English possessives cut off, numbers left out."""
    text = unicodedata.normalize("NFC", segment).casefold()
    for mark in ("’", "‘", "ʼ", "´", "`"):
        text = text.replace(mark, "'")
    found = re.findall(r"[^\W\d_][^\W_]*(?:'[^\W_]+)*", text)
    return [re.sub(r"'s$", "", _ELISION.sub("", w)) for w in found]


def _has(kind: str, key: str, title: Any, text: Any, brand_words: set[str]) -> bool:
    body = re.sub(r"https?://\S+|www\.\S+", " | ", f"{title or ''} | {text or ''}")
    if kind in ("hashtag", "handle"):
        sign = "#" if kind == "hashtag" else "@"
        found = re.findall(rf"(?<![\w#@]){re.escape(sign)}(\w+)", body)
        return key in {sign + _fold(f) for f in found}
    if kind == "bigram":  # content words in a row; a brand's name, tag, handle, link, the end
        pairs = set()  # of a sentence or a bracket breaks
        tagless = re.sub(r"(?<![\w#@])[#@]\w+", " | ", body)
        for segment in re.split(r"[|.!?;:()\[\]{}…]", tagless):
            run: list[str] = []
            for w in [*_read(segment), "|"]:
                if w == "|" or _fold(w) in brand_words:
                    pairs |= {
                        f"{_fold(a)} {_fold(b)}" for a, b in itertools.pairwise(run) if a != b
                    }
                    run = []
                elif len(w) >= 3 and not is_stop_word(w):
                    run.append(w)
        return key in pairs
    words = re.findall(
        r"(?<![\w#@])[#@]\w+|[^\W_]+", _fold(re.sub(r"https?://\S+|www\.\S+", " ", str(text or "")))
    )
    words = [w for w in words if w[0] != "@" and not w.isdigit()]
    return " ".join(words) == key


def _handles(handles: list[str] | None) -> set[str]:
    return {h.lstrip("@").casefold() for h in handles or []}


def _by(rows: pd.DataFrame, handles: set[str]) -> pd.Series:
    """Whether each row's author is one of `handles` (folded, without `@`)."""
    return rows["author"].fillna("").str.lstrip("@").str.casefold().isin(handles)


def recompute(
    export: pd.DataFrame,
    brands: list[str],
    tz: str,
    first: date,
    last: date,
    owned: list[str] | None = None,
) -> dict[str, Any]:
    """Every figure of the report of `brands[0]` (compared with the others) for first..last;
    `owned`: every brand's own accounts, whose posts count in no figure."""
    d = _frame(export, tz, first, last)
    brand = brands[0]
    d["owned"] = _by(d, _handles(owned))
    counted = d[~d["suspicious"].astype(bool) & ~d["owned"]]
    mine = counted[counted["brand"] == brand]
    cur, prev = mine[mine["period"] == "cur"], mine[mine["period"] == "prev"]
    talk = counted[counted["brand"].isin(brands)]
    k_cur = _kpis(cur, talk[talk["period"] == "cur"])
    k_prev = _kpis(prev, talk[talk["period"] == "prev"])
    kpis = {}
    for key in k_cur:
        c, p = k_cur[key], k_prev[key]
        ratio = key in ("net_sentiment", "share_of_voice", "engagement_rate")
        if c is None or p is None:
            change = None
        elif ratio:
            change = c - p
        else:
            change = (c - p) / p if p else None
        kpis[key] = {"period": c, "previous": p, "change": change}
    sentiments = ("negative", "neutral", "positive", "unlabelled")
    by_source = {}
    for source in sorted(set(cur["source"]) | set(prev["source"])):
        part = cur[cur["source"] == source]
        by_source[source] = {
            "mentions": len(part),
            "previous": int((prev["source"] == source).sum()),
            **{s: int((part["sentiment"] == s).sum()) for s in sentiments},
            "net_sentiment": _net(part),
        }
    labelled = cur[cur["topic"].notna()]
    by_topic = {
        topic: {
            "mentions": int((labelled["topic"] == topic).sum()),
            "share": (labelled["topic"] == topic).sum() / len(labelled) if len(labelled) else None,
            "net_sentiment": _net(labelled[labelled["topic"] == topic]),
        }
        for topic in sorted(set(labelled["topic"]))
    }
    competitors = {}
    for b in brands:
        rows = counted[counted["brand"] == b]
        total = {p: (talk["period"] == p).sum() for p in ("cur", "prev")}
        competitors[b] = {
            "volume": int((rows["period"] == "cur").sum()),
            "previous": int((rows["period"] == "prev").sum()),
            "net_sentiment": _net(rows[rows["period"] == "cur"]),
            "share_of_voice": (rows["period"] == "cur").sum() / total["cur"],
        }
    flagged = d[d["suspicious"].astype(bool) & (d["brand"] == brand) & (d["period"] == "cur")]
    left_out = d[
        (d["suspicious"].astype(bool) | d["owned"]) & (d["brand"] == brand) & (d["period"] == "cur")
    ]
    published = d[~d["suspicious"].astype(bool) & (d["brand"] == brand) & (d["period"] == "cur")]
    models: dict[tuple[str, str, str, bool], tuple[int, int]] = {}
    for labels in cur["labels"]:
        for task, lab in labels.items():
            model, _, version = lab["model"].rpartition("@")
            key = (task, model, version, bool(lab["by_human"]))
            n, unsure = models.get(key, (0, 0))
            models[key] = (n + 1, unsure + bool(lab["review"]))
    local = pd.to_datetime(cur["published_at"], utc=True, format="ISO8601").dt.tz_convert(tz)
    if (last - first).days < 2:  # one or two days: per local hour
        buckets = local.dt.strftime("%Y-%m-%dT%H")
        hours = pd.date_range(
            pd.Timestamp(first, tz=tz), pd.Timestamp(last + timedelta(days=1), tz=tz),
            freq="h", inclusive="left",
        )  # fmt: skip
        keys = list(hours.strftime("%Y-%m-%dT%H"))
    else:
        buckets = local.dt.strftime("%Y-%m-%d")
        keys = [str(day) for day in pd.date_range(first, last).date]
    series = {
        key: {s: int(((buckets == key) & (cur["sentiment"] == s)).sum()) for s in sentiments}
        for key in keys
    }
    labelled_prev = prev[prev["topic"].notna()]
    for topic, fig in by_topic.items():
        fig["previous_share"] = (
            (labelled_prev["topic"] == topic).sum() / len(labelled_prev)
            if len(labelled_prev)
            else None
        )
    tiers_prev = _tiers(prev)
    authors_prev = sum(tiers_prev.values())
    flagged_prev = d[d["suspicious"].astype(bool) & (d["brand"] == brand) & (d["period"] == "prev")]
    return {
        "kpis": kpis,
        "sentiment": {s: int((cur["sentiment"] == s).sum()) for s in sentiments},
        "sentiment_previous": {s: int((prev["sentiment"] == s).sum()) for s in sentiments},
        "tiers_shares_previous": {
            k: (n / authors_prev if authors_prev else None) for k, n in tiers_prev.items()
        },
        "suspicious_previous": flagged_prev["external_id"].nunique(),
        "by_source": by_source,
        "by_topic": by_topic,
        "tiers": _tiers(cur),
        "competitors": competitors,
        "suspicious": flagged["external_id"].nunique(),
        "sources_excluded": left_out.groupby("source").size().to_dict(),
        "owned": {
            p: int(((d["brand"] == brand) & (d["period"] == p) & d["owned"]).sum())
            for p in ("cur", "prev")
        },
        "models": models,
        "series": series,
        "cur": cur,
        "prev": prev,
        "published": published,  # the brand's, its own accounts' posts too
    }


def _driver_figures(
    driver: dict[str, Any], cur: pd.DataFrame, prev: pd.DataFrame, brand_words: set[str]
) -> dict:
    def matching(rows: pd.DataFrame) -> pd.DataFrame:
        hit = [
            _has(driver["kind"], driver["key"], r.title, r.text, brand_words)
            for r in rows[["title", "text"]].itertuples()
        ]
        return rows[hit] if len(rows) else rows

    now, before = matching(cur), matching(prev)
    return {
        "mentions": len(now),
        "previous": len(before),
        "authors": now["who"].nunique(),
        "net_sentiment": _net(now),
        "sentiment": {
            s: int((now["sentiment"] == s).sum())
            for s in ("negative", "neutral", "positive", "unlabelled")
        },
        "examples": set(now["external_id"]) | set(before["external_id"]),
    }


def _influence(followers: float, engagement: float) -> float:
    a = min(1.0, math.log10(1 + max(followers, 0)) / 6)
    e = min(1.0, math.log10(1 + max(engagement, 0)) / 4)
    return round(100 * (0.35 * a + 0.30 * e) / 0.65, 1)


def _close(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-12)


def assert_report_matches(
    report: dict[str, Any],
    export: pd.DataFrame,
    own: list[str] | None = None,
    owned: list[str] | None = None,
) -> None:
    """Every figure of `report` equals its recomputation from `export`; `own`: the brand's own
    accounts, `owned`: every brand's (default: the brand's)."""
    first = date.fromisoformat(report["period"]["start"])
    last = date.fromisoformat(report["period"]["end"])
    brands = [report["brand"], *report["compared_with"]]
    owned = own if owned is None else owned
    tz = report["period"]["timezone"]
    want = recompute(export, brands, tz, first, last, owned)
    left_out = report["own_accounts_posts"]
    assert left_out["excluded"]
    assert (left_out["period"], left_out["previous"]) == (
        want["owned"]["cur"],
        want["owned"]["prev"],
    )
    for key, fig in want["kpis"].items():
        for side in ("period", "previous", "change"):
            assert _close(report["kpis"][key][side], fig[side]), (key, side)
    assert report["sentiment"] == want["sentiment"]
    assert report["sentiment_previous"] == want["sentiment_previous"]
    for tier, share in want["tiers_shares_previous"].items():
        assert _close(report["tiers_shares_previous"][tier], share), tier
    assert report["suspicious"]["previous"] == want["suspicious_previous"]
    previous = {s["source"]: s["previous"] for s in report["sources"] if s["previous"]}
    assert previous == {s: f["previous"] for s, f in want["by_source"].items() if f["previous"]}
    got_sources = {r["source"]: r for r in report["by_source"]}
    assert set(got_sources) == set(want["by_source"])
    for source, fig in want["by_source"].items():
        for key, value in fig.items():
            assert _close(got_sources[source][key], value), (source, key)
    got_topics = {r["topic"]: r for r in report["by_topic"]}
    for topic, fig in want["by_topic"].items():
        for key, value in fig.items():
            assert _close(got_topics[topic][key], value), (topic, key)
    assert all(r["mentions"] == 0 for t, r in got_topics.items() if t not in want["by_topic"])
    assert report["tiers"] == want["tiers"]
    for r in report["competitors"]:
        for key, value in want["competitors"][r["brand"]].items():
            assert _close(r[key], value), (r["brand"], key)
    assert report["suspicious"]["period"] == want["suspicious"]
    excluded = {s["source"]: s["excluded"] for s in report["sources"] if s["excluded"]}
    assert excluded == want["sources_excluded"]
    mentions = {s["source"]: s["mentions"] for s in report["sources"] if s["mentions"]}
    assert mentions == {s: f["mentions"] for s, f in want["by_source"].items() if f["mentions"]}
    models = {(m["task"], m["model"], m["version"], m["by_human"]): (m["labels"], m["unsure"])
              for m in report["models"]}  # fmt: skip
    assert models == want["models"]
    size = 13 if (last - first).days < 2 else 10
    series = {r["start"][:size]: {s: r[s] for s in want["sentiment"]} for r in report["series"]}
    assert series == want["series"]
    cur, prev = want["cur"], want["prev"]
    volume_change = len(cur) - len(prev)
    lists = report["drivers"]
    assert lists["volume_change"] == volume_change
    beyond = volume_change != 0 and abs(volume_change) >= 2 * math.sqrt(len(cur) + len(prev))
    assert lists["beyond_chance"] == beyond
    brand_words = {_fold(w) for b in brands for w in [b, *b.split()]}
    # The brands' own posts count in no figure, in no driver.
    own_ = _handles(own)
    # What the brand's own accounts published, whatever brand the posts name.
    local = pd.to_datetime(export["published_at"], utc=True, format="ISO8601").dt.tz_convert(tz)
    days = (last - first).days + 1
    theirs = export[_by(export, own_)]
    day = local[theirs.index].dt.date
    interactions = theirs[["likes", "shares", "comments"]].fillna(0).sum(axis=1)
    now_ = (day >= first) & (day <= last)
    before_ = (day >= first - timedelta(days=days)) & (day < first)
    activity = None if not own_ else {
        "posts": int(now_.sum()), "previous": int(before_.sum()),
        "engagement": int(interactions[now_].sum()),
        "previous_engagement": int(interactions[before_].sum()),
    }  # fmt: skip
    assert report["own_activity"] == activity
    assert not _by(cur, _handles(owned)).any() and not _by(prev, _handles(owned)).any()
    said = [cur, prev]
    for driver in lists["change"] + lists["praise"] + lists["complaints"]:
        fig = _driver_figures(driver, *said, brand_words)
        assert driver["mentions"] == fig["mentions"] and driver["previous"] == fig["previous"]
        assert driver["sentiment"] == fig["sentiment"], driver["key"]
        assert driver["authors"] == fig["authors"], driver["key"]
        assert _close(driver["net_sentiment"], fig["net_sentiment"]), driver["key"]
        share = (fig["mentions"] - fig["previous"]) / volume_change if volume_change else None
        assert _close(driver["share_of_change"], share)
        assert 1 <= len(driver["examples"]) <= 2
        assert {e["external_id"] for e in driver["examples"]} <= fig["examples"]
    published = want["published"]
    who = published.dropna(subset=["who"]).groupby(["source", "author"])
    people = who.agg(posts=("external_id", "size"), followers=("followers_", "max"),
                     engagement=("engagement", "sum"))  # fmt: skip
    ranked = report["influencers"]
    assert ranked and [r["influence"] for r in ranked] == sorted(
        (r["influence"] for r in ranked), reverse=True
    )
    for r in ranked + report["own_accounts"]:
        fig = people.loc[(r["source"], r["author"])]
        assert r["posts"] == fig["posts"] and _close(r["engagement"], fig["engagement"])
        assert _close(r["followers"], None if pd.isna(fig["followers"]) else fig["followers"])
        followers = 0.0 if pd.isna(fig["followers"]) else float(fig["followers"])
        if r in ranked:
            assert r["influence"] == _influence(followers, fig["engagement"])
            assert followers > 0 or fig["posts"] > 1  # no audience and one post: not ranked
    assert {r["author"].casefold() for r in report["own_accounts"]} <= own_
    assert not own_ & {r["author"].casefold() for r in ranked}
    assert not own_ & {str(p["author"]).casefold() for p in report["most_engaging"]}
    # The lists of posts: which posts, in which order, with their figures.
    is_own = _by(published, own_)
    posts = (("most_engaging", cur, 10), ("own_posts", published[is_own], 3))
    for key, rows, top in posts:
        best = rows[rows["engagement"] > 0].assign(
            at=pd.to_datetime(rows["published_at"], format="ISO8601")
        )
        best = best.sort_values(["engagement", "at", "source", "external_id"],
                                ascending=[False, False, True, True]).head(top)  # fmt: skip
        got = [(p["source"], p["external_id"], p["engagement"]) for p in report[key]]
        assert got == list(
            zip(best["source"], best["external_id"], best["engagement"], strict=True)
        ), key
    # The negative customer-service posts, the brand's own left out, and the brand's answers:
    # a reply from one of its accounts, in the same source, published by the report's time,
    # that names the post (parent_id) or, naming none, is in the thread the post opens.
    hits = cur[(cur["sentiment"] == "negative") & (cur["topic"] == "service_client")]
    dated = export.assign(at=pd.to_datetime(export["published_at"], utc=True, format="ISO8601"))
    order = ["at", "id"] if "id" in dated.columns else ["at"]  # (the id: the database's tie)
    openers = (
        dated.dropna(subset=["at", "thread_id"]).sort_values(order, kind="stable")
        .groupby(["source", "thread_id"])["external_id"].first()
    )  # fmt: skip
    own_rows = dated[_by(dated, own_)]
    own_rows = own_rows[own_rows["at"] <= pd.Timestamp(report["generated_at"])]
    opened = [
        openers.get((s, t)) if isinstance(t, str) else None
        for s, t in zip(own_rows["source"], own_rows["thread_id"], strict=True)
    ]
    target = own_rows["parent_id"].where(own_rows["parent_id"].notna(), pd.Series(
        opened, index=own_rows.index, dtype=object))  # fmt: skip
    own_rows = own_rows.assign(target=target)
    own_rows = own_rows[
        own_rows["target"].notna() & (own_rows["target"] != own_rows["external_id"])
    ]
    replies = own_rows.groupby(["source", "target"])["at"].min()
    asked = pd.to_datetime(hits["published_at"], utc=True, format="ISO8601")
    answered_at = [replies.get((s, e)) for s, e in zip(hits["source"], hits["external_id"],
                                                        strict=True)]  # fmt: skip
    delays = sorted((a - q).total_seconds() / 60 for a, q in zip(answered_at, asked, strict=True)
                    if a is not None)  # fmt: skip
    answers = report["answers"]
    assert (answers["asked"], answers["answered"]) == (len(hits), len(delays))
    per_source: dict[str, list[int]] = {}
    for source, at in zip(hits["source"], answered_at, strict=True):
        counts = per_source.setdefault(str(source), [0, 0])
        counts[0] += 1
        counts[1] += at is not None
    by_source = sorted(((s, n, a) for s, (n, a) in per_source.items()), key=lambda r: (-r[1], r[0]))
    assert [(r["source"], r["asked"], r["answered"]) for r in answers["by_source"]] == by_source
    if delays:
        assert abs(answers["median_minutes"] - float(np.median(delays))) <= 0.05
    hits = hits[[a is None for a in answered_at]]
    hits = hits.assign(at=pd.to_datetime(hits["published_at"], format="ISO8601")).sort_values(
        ["at", "source", "external_id"], ascending=[False, True, True]
    )
    got = [(p["source"], p["external_id"]) for p in report["needing_answer"]]
    assert got == list(zip(hits["source"], hits["external_id"], strict=True))[:10]
    assert 3 <= len(report["summary"]) <= 5
    _assert_themes(report["themes"], cur, prev)


def _assert_themes(got: dict[str, Any] | None, cur: pd.DataFrame, prev: pd.DataFrame) -> None:
    """Each theme's figures, its query matched against the counted mentions' exported fields
    (the queries' language is the theme's definition: the one piece of Veille used here)."""
    if got is None:
        return
    from nlp.query import MatchDoc, compile_query

    def docs(rows: pd.DataFrame) -> list[MatchDoc]:
        return [
            MatchDoc(text=r.text or "", title=r.title, author=r.author, url=r.url, lang=r.lang,
                     source_kind=r.source_kind)
            for r in rows.itertuples()
        ]  # fmt: skip

    now, before = docs(cur), docs(prev)
    in_any = [False] * len(now), [False] * len(before)
    want = []
    for theme in got["themes"]:
        query = compile_query(theme["query"])
        hit = [query.matches(d) for d in now]
        hit_prev = [query.matches(d) for d in before]
        in_any = (
            [a or b for a, b in zip(in_any[0], hit, strict=True)],
            [a or b for a, b in zip(in_any[1], hit_prev, strict=True)],
        )
        part, part_prev = cur[hit], prev[hit_prev]
        counts = {s: int((part["sentiment"] == s).sum())
                  for s in ("negative", "neutral", "positive", "unlabelled")}  # fmt: skip
        want.append({
            "name": theme["name"], "query": theme["query"],
            "mentions": len(part), "previous": len(part_prev),
            "share": len(part) / len(cur) if len(cur) else None,
            "previous_share": len(part_prev) / len(prev) if len(prev) else None,
            **counts,
            "net_sentiment": _net(part), "previous_net_sentiment": _net(part_prev),
        })  # fmt: skip
    # The largest of the period first, then the largest before.
    order = [(-w["mentions"], -w["previous"]) for w in want]
    assert order == sorted(order)
    for mine, theirs in zip(got["themes"], want, strict=True):
        for key, value in theirs.items():
            same = mine[key] == value if isinstance(value, str) else _close(mine[key], value)
            assert same, (theirs["name"], key)
    assert got["none"] == {"period": in_any[0].count(False), "previous": in_any[1].count(False)}
