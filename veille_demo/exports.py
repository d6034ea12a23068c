"""The demo's bundled exports (X archive, twarc2, Facebook DYI) and their import.

`python -m veille_demo.exports` regenerates them (deterministic, invented French content
about the demo brands); `import_demo_exports(state, workspace)` copies them into the demo
workspace's inbox folders and imports them like any user's exports. The demo configuration
names those folders:

    sources:
      - {name: twitter-inbox, kind: twitter_export, path: inbox/twitter}
      - {name: facebook-inbox, kind: facebook_export, path: inbox/facebook}
"""

from __future__ import annotations

import io
import json
import random
import shutil
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from veille_demo.generate import dress

if TYPE_CHECKING:
    from pipeline.context import AppState

BUNDLED = Path(__file__).with_name("exports")
INBOXES = {"twitter": "inbox/twitter", "facebook": "inbox/facebook"}
END = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)

OWN_TWEETS = [
    "Les soldes Lumino commencent demain : jusqu'à -40 % sur la tablette Nova 10 !",
    "Bonjour, votre commande est partie ce matin, merci pour votre patience 🙏",
    "Jeu concours Lumino : RT pour gagner un casque Zen ! #concours",
    "Désolés pour le retard de livraison, notre SAV revient vers vous en DM.",
    "Nouvelle pub Lumino avec la montre Tempo : vous en pensez quoi ?",
]
MENTIONS = [
    "Toujours pas reçu ma commande Lumino, le SAV ne répond pas 😡",
    "Je recommande Lumino les yeux fermés, l'écouteur Pulse est top.",
    "Rivéo ou Lumino pour la TV Ambra 55 ? Vous me conseillez quoi ?",
    "Colis perdu chez Maxishop, remboursement refusé. À éviter.",
    "Merci au SAV Lumino, échange en 48 h sans discuter. Bravo !",
    "Les prix Rivéo sont imbattables en ce moment sur le robot Kiro.",
    "Ce serait bien que Lumino livre le dimanche.",
]
FB_POSTS = [
    "Très contente de ma tablette Nova 10 achetée chez Lumino 😍",
    "Commande Maxishop annulée sans prévenir… déçue.",
    "Quelqu'un a testé l'enceinte Echo Mini de Lumino ?",
]


def _mojibake(value: Any) -> Any:
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [_mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: _mojibake(v) for k, v in value.items()}
    return value


def _zip(path: Path, files: dict[str, str]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2026, 11, 21, 23, 0, 0))
            archive.writestr(info, content)


def generate(out: Path = BUNDLED, seed: int = 11) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    tweets = []
    for i in range(40):
        when = END - timedelta(minutes=rng.randint(0, 30 * 24 * 60))
        tweets.append({"tweet": {
            "id_str": str(5_000 + i), "id": str(5_000 + i), "full_text": rng.choice(OWN_TWEETS),
            "created_at": when.strftime("%a %b %d %H:%M:%S +0000 %Y"), "lang": "fr",
            "favorite_count": str(rng.randint(0, 90)), "retweet_count": str(rng.randint(0, 20)),
            "entities": {"hashtags": [], "user_mentions": [], "urls": []},
        }})  # fmt: skip
    account = [{"account": {"username": "lumino", "accountId": "4401",
                            "accountDisplayName": "Lumino officiel",
                            "createdAt": "2015-04-02T09:00:00.000Z"}}]  # fmt: skip
    _zip(out / "twitter-archive-lumino.zip", {
        "data/account.js": "window.YTD.account.part0 = " + json.dumps(account, indent=2),
        "data/tweets.js": "window.YTD.tweets.part0 = "
        + json.dumps(tweets, indent=2, ensure_ascii=False),
    })  # fmt: skip
    buf = io.StringIO()
    users = [{"id": str(600 + u), "username": f"client_{u}", "name": f"Client {u}",
              "public_metrics": {"followers_count": rng.randint(5, 20_000),
                                 "tweet_count": rng.randint(10, 5000)}}
             for u in range(25)]  # fmt: skip
    for page in range(3):
        data = []
        for n in range(50):
            i = page * 50 + n
            when = END - timedelta(minutes=rng.randint(0, 30 * 24 * 60))
            data.append({
                "id": str(9_100_000 + i), "author_id": rng.choice(users)["id"],
                "text": dress(rng, rng.choice(MENTIONS)), "lang": "fr",
                "created_at": when.isoformat().replace("+00:00", ".000Z"),
                "public_metrics": {"like_count": rng.randint(0, 50), "retweet_count":
                                   rng.randint(0, 10), "reply_count": rng.randint(0, 5),
                                   "quote_count": 0, "impression_count": rng.randint(50, 9000)},
            })  # fmt: skip
        api_page = {"data": data, "includes": {"users": users}, "__twarc": {"version": "2.14"}}
        buf.write(json.dumps(api_page, ensure_ascii=False) + "\n")
    (out / "twarc2-recherche-lumino.jsonl").write_text(buf.getvalue(), encoding="utf-8")
    posts = []
    for i in range(12):
        when = END - timedelta(minutes=rng.randint(0, 30 * 24 * 60))
        posts.append({"timestamp": int(when.timestamp()), "title": "Camille Roux a publié.",
                      "data": [{"post": rng.choice(FB_POSTS) + f" ({i + 1})"}]})  # fmt: skip
    profile = {"profile_v2": {"name": {"full_name": "Camille Roux"}}}
    _zip(out / "facebook-camille.zip", {
        "your_facebook_activity/posts/your_posts__check_ins__photos_and_videos_1.json":
            json.dumps(_mojibake(posts), indent=2),
        "personal_information/profile_information/profile_information.json":
            json.dumps(_mojibake(profile), indent=2),
    })  # fmt: skip


def install(workspace: Path) -> None:
    """Copy the bundled exports into the workspace's inbox folders."""
    for name in sorted(BUNDLED.iterdir()):
        inbox = workspace / INBOXES["facebook" if name.name.startswith("facebook") else "twitter"]
        inbox.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(name, inbox / name.name)


def import_demo_exports(state: AppState, workspace: Path) -> dict[str, Any]:
    """Install the bundled exports and import every inbox; returns the merged summary."""
    from crawlers.importing import import_targets, inbox_targets
    from crawlers.process import merge
    from storage.runs import recorded_run

    install(workspace)
    engine = state.engine()
    with recorded_run(engine, "import", stage="import") as run:
        files = import_targets(state.settings, engine, inbox_targets(state.settings), run.id)
        summary = merge(files)
        run.counts = {k: v for k, v in summary.items() if k != "sources"}
    return summary


if __name__ == "__main__":
    generate()
    print(f"wrote the demo exports into {BUNDLED}")
