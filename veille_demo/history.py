"""The demo's X/Twitter search export: five weeks of talk about the demo brands, then a bad buzz.

Written as `twarc2 flatten` lines (one tweet a line, its author inlined) into the demo's
twitter inbox, so the demo imports it like any export a user drops there. The history comes
from `veille_demo.generate` (deterministic); the bad buzz is a burst of angry, varied posts
about a Lumino outage in the hour before the demo's clock, `DEMO_NOW`.
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawlers.readers import twarc2
from veille_demo.generate import generate, vary

# What the demo's import stores every one of these mentions as, whatever `generate` drew for
# its `source_kind` (which only shapes its counts: followers, likes, views).
SOURCE_KIND = twarc2.source_kind
DEMO_NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # Sunday 9:00 in Paris
FILE_NAME = "x-recherche-marques.jsonl"

_OPENINGS = [
    "Site Lumino en panne depuis ce matin",
    "Impossible de payer sur Lumino",
    "Lumino a annulé ma commande sans prévenir",
    "Encore un bug chez Lumino",
    "Mon paiement Lumino débité deux fois",
    "Le SAV Lumino ne répond plus",
    "Commande Lumino disparue de mon compte",
    "Lumino, c'est une blague ?",
]
_MIDDLES = [
    "et aucune réponse du service client",
    "et personne pour expliquer quoi que ce soit",
    "alors que je dois offrir la tablette Nova 10 demain",
    "et le chat renvoie vers une page d'erreur",
    "et on attend toujours le remboursement",
    "après trois appels au SAV",
]
_ENDINGS = ["😡", "Inadmissible.", "Plus jamais.", "#LuminoPanne", "Je vais porter plainte.",
            "Honteux.", "On vous paie pour ça ?", "@lumino réveillez-vous"]  # fmt: skip


def _tweet(i: int, row: dict[str, Any], user_ids: dict[str, str]) -> dict[str, Any]:
    author = row["author"]
    handle = str(author["handle"])
    uid = user_ids.setdefault(handle, str(7_000_000 + len(user_ids)))
    when = datetime.fromisoformat(str(row["published_at"]))
    return {
        "id": str(1_860_000_000_000_000_000 + i),
        "conversation_id": str(1_860_000_000_000_000_000 + i),
        "text": row["text"],
        "lang": row["lang"],
        "created_at": when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "author_id": uid,
        "author": {
            "id": uid,
            "username": handle,
            "name": author["name"],
            "public_metrics": {"followers_count": author["followers"] or 0},
        },
        "public_metrics": {
            "like_count": row["likes"] or 0,
            "retweet_count": row["shares"] or 0,
            "reply_count": row["comments"] or 0,
            "quote_count": 0,
            "impression_count": row["views"] or 0,
        },
    }


def bad_buzz(seed: int = 11, count: int = 150) -> list[dict[str, Any]]:
    """Angry posts about a Lumino outage, spread over the hour before DEMO_NOW."""
    rng = random.Random(seed)
    rows = []
    for i in range(count):
        text = vary(
            rng, " ".join((rng.choice(_OPENINGS), rng.choice(_MIDDLES), rng.choice(_ENDINGS)))
        )
        famous = i in (5, 40)
        when = DEMO_NOW - timedelta(minutes=59) + timedelta(seconds=i * 23)
        followers = 120_000 if famous else int(rng.lognormvariate(5, 1.4))
        rows.append({
            "text": text, "lang": "fr",
            "published_at": when.isoformat(),
            "author": {"handle": f"client_{rng.randint(1000, 99999)}",
                       "name": "Client mécontent", "followers": followers},
            "likes": 900 if famous else rng.randint(0, 30),
            "shares": 300 if famous else rng.randint(0, 8),
            "comments": rng.randint(0, 12), "views": 50_000 if famous else rng.randint(100, 3000),
        })  # fmt: skip
    return rows


def write_history(folder: Path) -> Path:
    """Write the export into `folder` (an inbox); returns its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE_NAME
    users: dict[str, str] = {}
    rows = [*generate(), *bad_buzz()]
    with path.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(rows):
            fh.write(json.dumps(_tweet(i, row, users), ensure_ascii=False) + "\n")
    return path
