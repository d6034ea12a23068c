"""Per-mention cues and per-author features a person can check, computed column-wise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from nlp.authors.lexicons import CUES, MENTION_HANDLE, cue_flags

CUE_PREFIX = "cue:"  # the window's columns holding cues computed as it was read


def mention_cues(m: pd.DataFrame, found: np.ndarray | None = None) -> pd.DataFrame:
    """Boolean cue columns per mention (asks, advice, deal, selling…) plus its polarity; those
    the window read with its rows (`nlp.authors.data`) where it has them. found: the lexicons
    each text matches (`cue_flags`), when known already."""
    derived = [c for c in m.columns if str(c).startswith(CUE_PREFIX)]
    if derived:
        cues = m[derived]
        return cues.set_axis([str(c)[len(CUE_PREFIX) :] for c in derived], axis=1)
    if found is None:
        found = cue_flags(m["text"])
    cues = pd.DataFrame(found, index=m.index, columns=list(CUES))
    # Polarity: the sentiment label where one exists, else the fallback lexicon.
    label = m["sentiment"].astype("string").str.lower()
    labelled = label.notna()
    lab_pos = label.str.startswith("pos").fillna(False).astype(bool)
    lab_neg = label.str.startswith("neg").fillna(False).astype(bool)
    lex_pos = cues["positive_cue"] & ~cues["negative_cue"]
    lex_neg = cues["negative_cue"] & ~cues["positive_cue"]
    cues["labelled"] = labelled
    cues["positive"] = np.where(labelled, lab_pos, lex_pos)
    cues["negative"] = np.where(labelled, lab_neg, lex_neg)
    cues["rated"] = labelled | lex_pos | lex_neg
    return cues


def resolve_parents(m: pd.DataFrame) -> pd.Series:
    """Row index of the mention each one answers (-1 if none).

    The parent is the mention named by parent_id in the same source; failing that, the opening
    post of the thread (forums rarely say which post a reply answers). The same rule as
    storage.replies (the report's and the workspace's answers), over a frame.
    """
    idx = pd.Series(np.arange(len(m)), index=m.index)
    key = m["source_id"].astype(str) + "\x1f" + m["external_id"].astype(str)
    by_key = pd.Series(idx.values, index=key.values)
    by_key = by_key[~by_key.index.duplicated()]
    has_parent = m["parent_id"].notna()
    pkey = m["source_id"].astype(str) + "\x1f" + m["parent_id"].astype(str)
    parent = pd.Series(-1, index=m.index, dtype="int64")
    found = pkey[has_parent].map(by_key)
    parent.loc[found.index] = found.fillna(-1).astype("int64")
    threaded = m["thread_id"].notna()
    if threaded.any():
        t = m.loc[threaded, ["source_id", "thread_id", "published_at"]].copy()
        t["row"] = idx[threaded]
        t = t.sort_values(["published_at", "row"], kind="stable")
        opener = t.groupby(["source_id", "thread_id"], sort=False)["row"].transform("first")
        fill = threaded & (parent < 0)
        op = opener.reindex(m.index)
        use = fill & (op != idx)
        parent.loc[use] = op[use].astype("int64")
    return parent


def handle_mentions(m: pd.DataFrame) -> pd.DataFrame:
    """Edges (row, target author_id) for @handles of known authors of the same source."""
    found = (named_handles(m["text"]) if "named" not in m.columns else m["named"]).dropna()
    found = found.explode().dropna()
    if found.empty:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "target": pd.Series(dtype="int64")})
    edges = pd.DataFrame(
        {"row": found.index.astype("int64"), "handle": found.str.lower().values}
    ).assign(source_id=m.loc[found.index, "source_id"].values)
    authors = (
        m[["source_id", "handle", "author_id"]]
        .dropna(subset=["handle"])
        .assign(handle=lambda d: d["handle"].astype(str).str.lower().str.lstrip("@"))
        .drop_duplicates(["source_id", "handle"])
    )
    edges = edges.merge(authors, on=["source_id", "handle"], how="inner")
    return pd.DataFrame({"row": edges["row"], "target": edges["author_id"].astype("int64")})


def named_handles(text: pd.Series) -> pd.Series:
    """The @handles each text names (None where it holds no @)."""
    has_at = text.str.contains("@", regex=False)
    out = pd.Series(None, index=text.index, dtype=object)
    if has_at.any():
        out[has_at] = text[has_at].str.findall(MENTION_HANDLE)
    return out


def author_features(
    m: pd.DataFrame,
    brands: pd.DataFrame | None = None,
    cues: pd.DataFrame | None = None,
    parent: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per author: counts of each behaviour, activity spread, engagement received."""
    if cues is None:
        cues = mention_cues(m)
    if parent is None:
        parent = resolve_parents(m).to_numpy()
    has_parent = parent >= 0
    safe = np.where(has_parent, parent, 0)
    author = m["author_id"].to_numpy()
    parent_author = np.where(has_parent, author[safe], -1)
    parent_asks = np.where(has_parent, cues["asks"].to_numpy()[safe], False)
    other = has_parent & (parent_author != author)
    selling = cues["selling"].to_numpy()
    # An answer: a reply to another author's question that is neither a question nor a sale.
    answered = other & parent_asks & ~cues["asks"].to_numpy() & ~selling
    reply_link = other & cues["link"].to_numpy() & ~cues["deal"].to_numpy()
    advice = (cues["advice_cue"].to_numpy() | answered | reply_link) & ~selling
    # Replies a mention received from other authors (counted on the parent's row).
    replies = np.bincount(safe[other], minlength=len(m)) if len(m) else np.zeros(0, int)
    comments = m["comments"].fillna(0).to_numpy()
    engagement = (
        m["likes"].fillna(0).to_numpy()
        + m["shares"].fillna(0).to_numpy()
        + np.maximum(comments, replies)
    )
    frame = pd.DataFrame(
        {
            "author_id": author,
            "asks": cues["asks"].to_numpy(),
            "advice": advice,
            "answered": answered,
            "deal": cues["deal"].to_numpy(),
            "selling": cues["selling"].to_numpy(),
            "recommends": cues["recommends"].to_numpy(),
            "positive": cues["positive"].to_numpy().astype(bool),
            "negative": cues["negative"].to_numpy().astype(bool),
            "rated": cues["rated"].to_numpy(),
            "labelled": cues["labelled"].to_numpy(),
            "replies_received": replies,
            "engagement": engagement,
            "day": m["published_at"].dt.floor("D"),
            "thread": m["source_id"].astype(str)
            + "\x1f"
            + m["thread_id"].fillna("m" + m["mention_id"].astype(str)).astype(str),
            "topic": m["topic"],
            "followers": m["followers"],
            "post_count": m["post_count"],
            "published_at": m["published_at"],
        }
    )
    g = frame.groupby("author_id", sort=True)
    out = g.agg(
        posts=("asks", "size"),
        asks=("asks", "sum"),
        advice=("advice", "sum"),
        answered=("answered", "sum"),
        deal=("deal", "sum"),
        selling=("selling", "sum"),
        recommends=("recommends", "sum"),
        positive=("positive", "sum"),
        negative=("negative", "sum"),
        rated=("rated", "sum"),
        labelled=("labelled", "sum"),
        replies_received=("replies_received", "sum"),
        engagement=("engagement", "sum"),
        days=("day", "nunique"),
        threads=("thread", "nunique"),
        topics=("topic", "nunique"),
        followers=("followers", "max"),
        post_count=("post_count", "max"),
        first_post=("published_at", "min"),
        last_post=("published_at", "max"),
    )
    if brands is not None and not brands.empty:
        per = brands.merge(m[["mention_id", "author_id"]], on="mention_id", how="inner")
        out["brands"] = per.groupby("author_id")["brand"].nunique().reindex(out.index).fillna(0)
    else:
        out["brands"] = 0
    counts = [c for c in out.columns if c not in ("first_post", "last_post", "followers")]
    out[counts] = out[counts].fillna(0)
    int_cols = [c for c in counts if c not in ("engagement", "post_count")]
    out[int_cols] = out[int_cols].astype("int64")
    return out
