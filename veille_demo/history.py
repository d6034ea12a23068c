"""The demo's exports of five weeks of talk about the demo brands, then a bad buzz.

The talk comes from `veille_demo.generate` (deterministic), each mention drawn for one
channel. Those of X go into an X/Twitter search export, written as `twarc2 flatten` lines
(one tweet a line, its author inlined), with the care account's replies to most complaints
(`care_replies`) and the bad buzz: a burst of angry, varied posts about a Lumino outage in the
hour before the demo's clock, `DEMO_NOW`. Those of Facebook go into a Graph API export of a
public group's feed. Both are written into the demo's inboxes, so the
demo imports them like any export a user drops there; the forum, feed and review mentions are
served on the demo's sites (`veille_demo.make_sites`).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from crawlers.readers import facebook_graph, twarc2
from veille_demo.generate import generate, number, vary

DEMO_NOW = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # Sunday 9:00 in Paris
FILE_NAME = "x-recherche-marques.jsonl"
FACEBOOK_FILE_NAME = "facebook-groupe-fans-high-tech.json"
FACEBOOK_GROUP = "310000000000001"  # the public group whose feed the export holds

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


# The brand's customer-care account answers most complaints made to it on X, in an hour or
# two (a reply: `referenced_tweets` replied_to), as long as the demo's clock has come.
CARE = {"handle": "lumino_aide", "name": "Lumino Aide", "followers": 8_400}
CARE_BRAND = "Lumino"
ANSWERED = 0.7  # the share of the complaints made to Lumino on X its care account answers
FORUM_ANSWERED = 0.4  # and on the forum, where it answers quoting the post
REPLIES = {
    "fr": [
        "Bonjour, nous sommes désolés pour ce désagrément. Pouvez-vous nous écrire en message "
        "privé avec votre numéro de commande ? Nous regardons cela tout de suite. Léa",
        "Bonjour, merci de nous avoir signalé ce souci. Un conseiller vous contacte en DM pour "
        "trouver une solution. Thomas",
        "Bonjour, toutes nos excuses pour cette attente. Nous vous répondons en message privé "
        "pour suivre votre dossier. Inès",
    ],
    "en": [
        "Hi, we're sorry about this. Could you DM us your order number? We'll look into it "
        "right away. Lea",
        "Hi, thanks for letting us know. An advisor will contact you by DM to sort this out. "
        "Thomas",
    ],
}


# On the forum the care account quotes the post it answers, naming the brand or not (its posts
# are the brand's whatever they say: nlp.brands).
FORUM_REPLIES = {
    "fr": [
        "Bonjour, ici le service client Lumino. Nous sommes désolés pour ce souci : envoyez-nous "
        "votre numéro de commande en message privé, nous regardons tout de suite. Léa",
        "Bonjour, Thomas du service client. Merci de nous l'avoir signalé, je vous écris en "
        "message privé pour suivre votre dossier.",
        "Bonjour, le service client Lumino prend le relais : toutes nos excuses pour l'attente, "
        "un conseiller vous contacte en message privé aujourd'hui. Inès",
    ],
}


def _tweet_id(i: int) -> str:
    return str(1_860_000_000_000_000_000 + i)


def care_replies(
    rows: list[dict[str, Any]],
    seed: int = 17,
    answered: float = ANSWERED,
    replies: dict[str, list[str]] = REPLIES,
) -> list[tuple[int, dict[str, Any]]]:
    """The care account's replies to the complaints among `rows` (the X export's tweets, or the
    forum's posts): (the index of the post answered, the reply), the replies published by
    `DEMO_NOW` only."""
    rng = random.Random(seed)
    out = []
    for i, row in enumerate(rows):
        truth = row.get("demo_truth") or {}
        if (
            CARE_BRAND not in row.get("brands", [])
            or truth.get("topic") != "service_client"
            or truth.get("sentiment") != "negative"
            or rng.random() >= answered
        ):
            continue
        delay = timedelta(minutes=5 + rng.lognormvariate(4.4, 0.9))  # about 1 h 30 at the median
        # to the second, as a forum shows a time (an X export, to the millisecond)
        when = (datetime.fromisoformat(str(row["published_at"])) + delay).replace(microsecond=0)
        if when > DEMO_NOW:
            continue
        reply = {
            "text": rng.choice(replies[str(row["lang"])]), "lang": row["lang"],
            "published_at": when.isoformat(), "author": CARE,
            "likes": rng.randint(0, 3), "shares": 0, "comments": rng.randint(0, 2),
            "views": rng.randint(50, 400),
        }  # fmt: skip
        out.append((i, reply))
    return out


def _tweet(
    i: int, row: dict[str, Any], user_ids: dict[str, str], reply_to: str | None = None
) -> dict[str, Any]:
    author = row["author"]
    handle = str(author["handle"])
    uid = user_ids.setdefault(handle, str(7_000_000 + len(user_ids)))
    when = datetime.fromisoformat(str(row["published_at"]))
    answered = {"referenced_tweets": [{"type": "replied_to", "id": reply_to}]} if reply_to else {}
    return {
        "id": _tweet_id(i),
        "conversation_id": reply_to or _tweet_id(i),
        **answered,
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


def _group_post(row: dict[str, Any], user_ids: dict[str, str]) -> dict[str, Any]:
    author = row["author"]
    handle = str(author["handle"])
    uid = user_ids.setdefault(handle, str(100_000_000_000 + len(user_ids)))
    post_id = f"{FACEBOOK_GROUP}_{number(row)}"
    when = datetime.fromisoformat(str(row["published_at"])).astimezone(UTC)
    return {
        "id": post_id,
        "message": row["text"],
        "created_time": when.strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "from": {"id": uid, "name": author["name"]},
        "permalink_url": f"https://www.facebook.com/groups/{FACEBOOK_GROUP}/posts/{post_id}",
        "reactions": {"summary": {"total_count": row["likes"] or 0}},
        "comments": {"data": [], "summary": {"total_count": row["comments"] or 0}},
    }


def write_history(
    twitter: Path, facebook: Path, rows: list[dict[str, Any]] | None = None
) -> list[Path]:
    """Write the X export (with the bad buzz) into the `twitter` inbox and the Facebook group's
    export into the `facebook` inbox, of the generated talk (`rows`, default `generate()`)
    drawn for those channels; returns their paths."""
    talk = generate() if rows is None else rows
    tweets = [*(r for r in talk if r["source_kind"] == twarc2.source_kind), *bad_buzz()]
    twitter.mkdir(parents=True, exist_ok=True)
    path = twitter / FILE_NAME
    users: dict[str, str] = {}
    replies = care_replies(tweets)
    with path.open("w", encoding="utf-8") as fh:
        for i, row in enumerate(tweets):
            fh.write(json.dumps(_tweet(i, row, users), ensure_ascii=False) + "\n")
        for n, (answered, reply) in enumerate(replies, start=len(tweets)):
            line = _tweet(n, reply, users, reply_to=_tweet_id(answered))
            fh.write(json.dumps(line, ensure_ascii=False) + "\n")
    posts = [r for r in talk if r["source_kind"] == facebook_graph.source_kind]
    facebook.mkdir(parents=True, exist_ok=True)
    group = facebook / FACEBOOK_FILE_NAME
    members: dict[str, str] = {}
    answer = {"data": [_group_post(r, members) for r in reversed(posts)], "paging": {}}
    group.write_text(json.dumps(answer, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [path, group]
