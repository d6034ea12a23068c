"""Plant a bad buzz in sample data: days of ordinary talk, then a burst of angry posts."""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta

from sqlalchemy import Engine

from storage.labels import LabelRecord, save_labels
from storage.mentions import ids_by_external_id
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

_CALM = [
    "{b} livraison reçue, rien à dire", "Quelqu'un a testé la nouvelle gamme {b} ?",
    "Les soldes {b} commencent demain", "Bon service client chez {b} aujourd'hui",
    "{b} : commande passée, on verra bien", "J'aime bien le nouveau catalogue {b}",
]  # fmt: skip
_ANGRY = [
    "Scandale {b} : colis perdu et SAV injoignable, remboursement refusé !",
    "Honte à {b}, produit défectueux et aucun remboursement #boycott{b}",
    "{b} m'a arnaqué, commande jamais reçue, SAV injoignable depuis une semaine",
    "Plus jamais {b} : remboursement refusé, colis perdu, service client méprisant",
]


def hourly_rate(at: datetime, base: float) -> float:
    """An ordinary day: quiet nights, busy evenings, a little calmer at the weekend."""
    daily = 0.35 + 0.65 * math.sin(math.pi * max(0.0, (at.hour - 6) / 18.0)) ** 2
    weekly = 0.8 if at.weekday() >= 5 else 1.0
    return base * daily * weekly


def plant_bad_buzz(
    engine: Engine,
    brand: str,
    at: datetime,
    *,
    history_days: float = 4.0,
    per_hour: float = 12.0,
    negative_share: float = 0.15,
    burst: int = 150,
    burst_minutes: int = 50,
    source: str = "demo-twitter",
    seed: int = 7,
) -> int:
    """Store `history_days` of ordinary mentions of `brand` before `at`, then `burst` negative
    ones in the `burst_minutes` before `at`, all labelled (sentiment, topic). Returns how many
    mentions were stored. Run `veille alerts check --now AT` afterwards to see the alert."""
    rng = random.Random(seed)
    records: list[MentionRecord] = []
    negatives: set[str] = set()
    start = at - timedelta(days=history_days)
    t = start
    n = 0
    while t < at - timedelta(minutes=burst_minutes):
        count = _poisson(rng, hourly_rate(t, per_hour) / 12)
        for _ in range(count):
            n += 1
            neg = rng.random() < negative_share
            text = (rng.choice(_ANGRY) if neg else rng.choice(_CALM)).format(b=brand)
            records.append(_record(brand, source, f"calm-{n}", text, t, rng, neg))
            if neg:
                negatives.add(f"calm-{n}")
        t += timedelta(minutes=5)
    for k in range(burst):
        when = (
            at
            - timedelta(minutes=burst_minutes)
            + timedelta(seconds=burst_minutes * 60 * (k / burst) ** 0.7)
        )
        eid = f"buzz-{k}"
        records.append(
            _record(brand, source, eid, rng.choice(_ANGRY).format(b=brand), when, rng, True)
        )
        negatives.add(eid)
    MentionStore(engine).store(records)
    with engine.begin() as conn:
        ids = ids_by_external_id(conn, source)
        labels = []
        for eid, mid in ids.items():
            neg = eid in negatives
            labels.append(LabelRecord(mid, "sentiment", "negative" if neg else "neutral",
                                      model="demo", version="1"))  # fmt: skip
            labels.append(LabelRecord(mid, "topic", "service_client" if neg else "communication",
                                      model="demo", version="1"))  # fmt: skip
        save_labels(conn, labels)
    return len(records)


def _record(
    brand: str, source: str, eid: str, text: str, at: datetime, rng: random.Random, angry: bool
) -> MentionRecord:
    handle = f"user{rng.randrange(400)}"
    followers = int(rng.lognormvariate(5, 1.5))
    return MentionRecord(
        source=source, source_kind="twitter_export", external_id=eid, text=text,
        url=f"https://twitter.example/{handle}/status/{eid}", lang="fr", published_at=at,
        likes=rng.randrange(0, 200 if angry else 20), shares=rng.randrange(0, 50 if angry else 5),
        comments=rng.randrange(0, 30), author=AuthorRecord(handle=handle, followers=followers),
        author_followers=followers, brands=[BrandMatch(brand, brand.lower(), [brand.lower()])],
    )  # fmt: skip


def _poisson(rng: random.Random, lam: float) -> int:
    limit, k, p = math.exp(-lam), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1
