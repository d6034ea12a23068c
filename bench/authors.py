"""Benchmark: profiles and influence for 100,000 authors and 1,000,000 mentions.

    nice .venv/bin/python bench/authors.py [--mentions N] [--authors N] [--suspicion N]

Generates a varied population in memory (texts with cue phrases, replies, threads, @mentions,
followers, engagement, sentiment and topic labels), then times `nlp.authors.compute.analyse`
without suspicion (profiles, tiers, PageRank influence), and the suspicion detectors on the
first --suspicion mentions.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

# bench/ holds nlp.py and storage.py: keep it off the path so `import nlp` finds the package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from nlp.authors.compute import analyse  # noqa: E402

CUES = [
    "quelqu'un sait si ça marche ?", "je te conseille la X200", "bon plan -30 % ce soir",
    "je vends la mienne, MP moi", "j'adore cette marque", "livraison reçue", "colis perdu",
    "code promo LUMI10", "vous me conseillez quoi ?", "tuto ici https://exemple.org/t",
    "SAV injoignable, déçu", "merci à tous", "soldes demain", "top produit je recommande",
]  # fmt: skip
WORDS = (  # noqa: SIM905
    "aspirateur batterie livraison colis commande magasin vendeur prix qualité filtre moteur "
    "bruit garantie retour site client service semaine soir maison appartement voiture écran "
    "rapide lent cher pratique solide léger neuf ancien marche casse fonctionne arrive attend "
    "hier demain matin soir été hiver cuisine salon chambre escalier tapis parquet chat chien "
    "enfant voisin collègue famille lampe câble chargeur clavier souris casque enceinte console"
).split()


def population(n: int, n_authors: int, seed: int = 1) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    # Every text differs: 6–20 random words, a cue phrase in two posts of three.
    vocab = np.array(WORDS, dtype=object)
    words = vocab[rng.integers(0, len(vocab), size=(n, 20))]
    sizes = rng.integers(6, 21, n)
    cue = rng.integers(0, len(CUES), n)
    texts = [
        " ".join(words[i, : sizes[i]]) + (f" {CUES[cue[i]]}" if i % 3 else "") + " lumino"
        for i in range(n)
    ]
    author = np.concatenate([np.arange(n_authors), rng.zipf(1.5, n - n_authors) % n_authors])
    rng.shuffle(author)
    at = rng.random(n) < 0.08
    target = rng.integers(0, n_authors, n)
    texts = [f"@user{target[i]} {t}" if at[i] else t for i, t in enumerate(texts)]
    minutes = np.sort(rng.integers(0, 90 * 24 * 60, n))
    t0 = np.datetime64("2026-01-01T00:00:00")
    thread = rng.integers(0, n // 20, n)
    reply = rng.random(n) < 0.3
    parent = np.where(reply, rng.integers(0, np.arange(n) + 1), -1)
    sentiment = rng.choice(np.array(["positive", "negative", "neutral", None], dtype=object), n)
    topic = rng.choice(np.array(["service_client", "prescription", "information", None],
                                dtype=object), n)  # fmt: skip
    m = pd.DataFrame(
        {
            "mention_id": np.arange(1, n + 1),
            "source_id": 1 + (author % 3),
            "external_id": np.char.add("m", np.arange(n).astype(str)),
            "thread_id": np.char.add("t", thread.astype(str)),
            "parent_id": pd.Series(np.char.add("m", parent.astype(str))).where(reply, None),
            "author_id": author + 1,
            "handle": np.char.add("user", author.astype(str)),
            "text": texts,
            "published_at": pd.to_datetime(t0 + minutes.astype("timedelta64[m]"), utc=True),
            "likes": rng.poisson(2, n),
            "shares": rng.poisson(0.5, n),
            "comments": rng.poisson(1, n),
            "followers": rng.lognormal(5, 2, n).astype(int),
            "sentiment": sentiment,
            "topic": topic,
        }
    )
    brands = pd.DataFrame({"mention_id": m["mention_id"], "brand": np.where(
        rng.random(n) < 0.7, "Lumino", "Concurrent")})  # fmt: skip
    return m, brands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--authors", type=int, default=100_000)
    parser.add_argument("--suspicion", type=int, default=100_000)
    args = parser.parse_args()
    t = time.perf_counter()
    m, brands = population(args.mentions, args.authors)
    print(f"generated {len(m):,} mentions by {m['author_id'].nunique():,} authors "
          f"in {time.perf_counter() - t:.1f} s")  # fmt: skip
    t = time.perf_counter()
    result = analyse(m, brands, suspicion=False)
    took = time.perf_counter() - t
    p = result.profiles
    print(f"profiles + tiers + influence: {len(p):,} authors, {len(m):,} mentions in {took:.1f} s "
          f"({len(m) / took:,.0f} mentions/s)")  # fmt: skip
    print("profiles:", p["profile"].value_counts().to_dict())
    print("tiers:", p["tier"].value_counts().to_dict())
    print(f"influence: median {p['influence'].median():.1f}, max {p['influence'].max():.1f}")
    if args.suspicion:
        sub = m.iloc[: args.suspicion]
        t = time.perf_counter()
        flags = analyse(sub, brands[brands["mention_id"].isin(sub["mention_id"])]).flags
        took = time.perf_counter() - t
        print(f"with suspicion on {len(sub):,} mentions: {took:.1f} s, {len(flags):,} flags")


if __name__ == "__main__":
    main()
