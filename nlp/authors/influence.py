"""Influence 0–100 per author and period: audience, engagement, graph position, standing.

    audience   a = min(1, log10(1 + followers) / 6)              1,000,000 followers -> 1
    engagement e = min(1, log10(1 + interactions) / 4)            10,000 interactions -> 1
    graph      g = min(1, log2(1 + max(0, N·PR − 1)) / log2(51))  51× the average PageRank -> 1
    standing   s = ½·min(1, ln(1 + posts) / ln(501)) + ½·min(1, ln(1 + answered) / ln(101))
    influence    = 100 · (0.35·a + 0.30·e + 0.20·g + 0.15·s)

interactions = likes + shares + replies received (per post, the larger of the comment count the
source gives and the replies seen); PR is the author's PageRank in the period's directed graph
of replies and @mentions (edge from the one who replies or names to the one answered or named),
N the number of authors in it; posts is the larger of the posts seen in the period and the post
count the forum declares; answered counts replies to other authors' questions. Every part is a
non-decreasing function of its input, so the score never drops when an input grows.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import pandas as pd

WEIGHTS = {"audience": 0.35, "engagement": 0.30, "graph": 0.20, "standing": 0.15}
FOLLOWERS_FULL = 1_000_000
INTERACTIONS_FULL = 10_000
PAGERANK_FULL = 51.0  # times the average PageRank
POSTS_FULL = 500
ANSWERED_FULL = 100


def influence_parts(
    followers: Any, interactions: Any, pagerank_ratio: Any, posts: Any, answered: Any
) -> dict[str, np.ndarray]:
    """The four parts of the score, each in [0, 1], for arrays (or scalars) of inputs."""

    def clean(x: Any) -> np.ndarray:
        return np.nan_to_num(np.maximum(np.asarray(x, dtype="float64"), 0.0))

    f, i, r, p, q = (clean(x) for x in (followers, interactions, pagerank_ratio, posts, answered))
    audience = np.minimum(1.0, np.log10(1 + f) / np.log10(1 + FOLLOWERS_FULL))
    engagement = np.minimum(1.0, np.log10(1 + i) / np.log10(1 + INTERACTIONS_FULL))
    graph = np.minimum(1.0, np.log2(1 + np.maximum(0.0, r - 1.0)) / np.log2(PAGERANK_FULL))
    standing = 0.5 * np.minimum(1.0, np.log1p(p) / np.log1p(POSTS_FULL)) + 0.5 * np.minimum(
        1.0, np.log1p(q) / np.log1p(ANSWERED_FULL)
    )
    return {"audience": audience, "engagement": engagement, "graph": graph, "standing": standing}


def influence_score(
    followers: Any, interactions: Any, pagerank_ratio: Any, posts: Any, answered: Any
) -> np.ndarray:
    """Influence 0–100 (see the module docstring for the formula)."""
    parts = influence_parts(followers, interactions, pagerank_ratio, posts, answered)
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    return np.round(100.0 * np.asarray(total), 2)


def pagerank_ratio(edges: pd.DataFrame, authors: pd.Index) -> pd.Series:
    """N·PageRank per author (1 = average) in the directed, weighted graph `edges` (src, dst)."""
    out = pd.Series(0.0, index=authors, dtype="float64")
    edges = edges[edges["src"] != edges["dst"]]
    if edges.empty:
        return out
    weights = edges.groupby(["src", "dst"]).size().reset_index(name="weight")
    graph = nx.DiGraph()
    graph.add_nodes_from(authors.tolist())
    graph.add_weighted_edges_from(weights.itertuples(index=False, name=None))
    # The power iteration's error shrinks at least by `alpha` a step, so 1,000 steps reach any
    # graph's tolerance (N·1e-8); networkx's default of 100 does not on a small graph whose
    # authors answer each other (two of three: 0.85^100 ≈ 9e-8 > 3e-8), and the stage failed.
    ranks = nx.pagerank(graph, alpha=0.85, weight="weight", tol=1e-8, max_iter=1000)
    n = graph.number_of_nodes()
    out.update(pd.Series(ranks, dtype="float64") * n)
    return out


def interaction_edges(m: pd.DataFrame, parent: np.ndarray, named: pd.DataFrame) -> pd.DataFrame:
    """Edges replier -> replied-to author, and author -> @named author."""
    author = m["author_id"].to_numpy()
    has = parent >= 0
    replies = pd.DataFrame({"src": author[has], "dst": author[parent[has]]})
    mentions = pd.DataFrame(
        {"src": author[named["row"].to_numpy(dtype="int64")], "dst": named["target"].to_numpy()}
    )
    return pd.concat([replies, mentions], ignore_index=True)


def influence_frame(features: pd.DataFrame, ratio: pd.Series) -> pd.DataFrame:
    """influence and influence_parts (inputs and parts, for the JSON column) per author."""
    posts = np.maximum(features["posts"].to_numpy(), features["post_count"].fillna(0).to_numpy())
    inputs = {
        "followers": features["followers"].fillna(0).to_numpy(),
        "interactions": features["engagement"].to_numpy(),
        "pagerank_ratio": ratio.reindex(features.index).fillna(0.0).to_numpy(),
        "posts": posts,
        "answered": features["answered"].to_numpy(),
    }
    parts = influence_parts(**inputs)
    score = influence_score(**inputs)
    frame = pd.DataFrame({**inputs, **parts}, index=features.index).round(4)
    records = frame.to_dict("records")
    return pd.DataFrame({"influence": score, "influence_parts": records}, index=features.index)
