"""Write the demo's web sites (deterministic): `python -m veille_demo.make_sites FOLDER`.

A phpBB forum, a blog feed, a product's review pages and the three merchants' company review
pages, about the demo brands (Lumino, an electronics e-merchant; Rivéo and Maxishop, its
competitors). Invented people and texts: a few written by hand here, and the generated five
weeks of talk (`veille_demo.generate`) whose channel is one of these sites, each mention on
the site of its channel (a forum post in a thread about its brand, a review on its brand's
page with the stars its tone gives, a note in the feed). `veille demo` writes them into its
workspace, serves them on localhost (veille_demo.server) and crawls them.
"""

from __future__ import annotations

import random
import shutil
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from html import escape
from pathlib import Path
from typing import Any

from veille_demo.feedgen import Entry, Review, render_reviews_jsonld, render_rss
from veille_demo.generate import BRANDS, generate, number
from veille_demo.history import FORUM_ANSWERED, FORUM_REPLIES, care_replies
from veille_demo.sitegen import Forum, Post, Site, Thread, render_phpbb, slugify

END = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)  # like the bundled mentions: "yesterday" evening
PEOPLE = [("julie_92", 1450), ("Marc-Antoine", 88), ("karim.b", 312), ("Sophie L.", 5),
          ("thomas_geek", 2210), ("Inès", 41), ("paulo", 17), ("Nadia", 620)]  # fmt: skip

THREADS_BY_HAND = [
    ("Lumino Nova 10 : vos retours ?", [
        "Je viens de recevoir ma tablette Lumino Nova 10, l'écran est vraiment superbe.",
        "Pareil, livrée en 48 h par Lumino, rien à redire.",
        "La batterie tient une bonne journée, je recommande.",
        "Attention, la mienne chauffe un peu en jeu. Quelqu'un a contacté le SAV Lumino ?",
        "Oui, le SAV Lumino m'a proposé un échange sans discuter.",
    ]),
    ("SAV Rivéo injoignable depuis 10 jours", [
        "Toujours pas de réponse du SAV Rivéo pour mon casque Zen en panne. Inadmissible.",
        "Même galère chez Rivéo, j'ai fini par ouvrir un litige.",
        "Essayez par leur compte Twitter, Rivéo y répond plus vite.",
    ]),
    ("Maxishop ou Lumino pour une TV Ambra 55 ?", [
        "Vous me conseillez quoi entre Maxishop et Lumino pour la TV Ambra 55 ?",
        "Maxishop est moins cher mais la livraison est lente.",
        "J'ai pris chez Lumino, installée en une semaine, très contente.",
        "Chez Maxishop on m'a offert le support mural, à voir.",
    ]),
    ("Soldes Lumino : les bons plans", [
        "Les soldes commencent demain chez Lumino : -40 % sur l'enceinte Echo Mini !",
        "Code promo LUMI10 encore valable ce soir.",
        "Merci pour le tuyau, commande passée.",
    ]),
    ("Colis Maxishop perdu", [
        "Colis Maxishop perdu depuis une semaine, le transporteur ne sait rien.",
        "Maxishop m'a remboursé au bout de 15 jours dans le même cas.",
    ]),
    ("Présentez-vous !", [
        "Bienvenue aux nouveaux, bonne soirée à tous.",
        "Salut, je suis Inès, fan de high-tech.",
    ]),
]  # fmt: skip


def demo_site() -> Site:
    rng = random.Random(11)
    threads = []
    for i, (title, texts) in enumerate(THREADS_BY_HAND):
        last = END - timedelta(hours=rng.randint(2, 24 * 6))
        posts = []
        for j, text in enumerate(texts):
            name, count = PEOPLE[(i * 3 + j) % len(PEOPLE)]
            posts.append(Post(
                id=(i + 1) * 100 + j + 1, author=name, user_id=PEOPLE.index((name, count)) + 2,
                author_posts=count, at=last - timedelta(hours=5 * (len(texts) - 1 - j)),
                body=f"<p>{text}</p>", likes=rng.randint(0, 6),
            ))  # fmt: skip
        threads.append(Thread(id=i + 1, title=title, posts=posts))
    threads[0].posts[1].quote = ("julie_92", "l'écran est vraiment superbe")
    threads[2].posts[2].signature = "TV, son et bons plans — mon blog : <a href='#'>ici</a>"
    return Site(
        title="Forum Conso High-Tech",
        forums=[Forum(1, "High-tech et électroménager", threads)],
        now=END,
        threads_per_page=20,
        posts_per_page=15,
    )


def entries() -> list[Entry]:
    return [
        Entry("lumino-nova-10-test", "Test : la tablette Lumino Nova 10",
              "<p>Bel écran, autonomie solide : la Nova 10 de Lumino convainc.</p>",
              END - timedelta(hours=6), "La rédaction", 12),
        Entry("riveo-prix", "Rivéo baisse le prix du casque Zen",
              "<p>Rivéo annonce -20 % sur le casque Zen.</p>", END - timedelta(days=1), "Julie"),
        Entry("maxishop-livraison", "Maxishop promet la livraison le dimanche",
              "<p>Maxishop teste la livraison dominicale à Lyon.</p>", END - timedelta(days=2),
              "Paul", 3),
        Entry("agenda", "L'agenda tech de la semaine", "<p>Salons et conférences.</p>",
              END - timedelta(days=3), "Paul"),
    ]  # fmt: skip


def reviews() -> list[Review]:
    return [
        Review("1", "Nadia", END - timedelta(days=1), 5, "Parfaite",
               "Tablette Lumino Nova 10 parfaite, livraison rapide. Je recommande."),
        Review("2", "Hugo", END - timedelta(days=2), 2, "Déçu",
               "Écran rayé à la réception, le SAV Lumino a mis 10 jours à répondre."),
        Review("3", "Camille", END - timedelta(days=3), 4, "Très bien",
               "Bonne tablette Lumino, un peu chère face à Rivéo."),
        Review("4", "Yanis", END - timedelta(days=5), 1, "À éviter",
               "Lumino Nova 10 tombée en panne au bout de deux semaines."),
    ]  # fmt: skip


# The generated talk's channels served here, by `veille_demo.generate`'s source kind.
SITE_KINDS = ("forum", "rss", "reviews")
# A merchant's forum threads: as many as its share of the talk in percent, so each is as busy.
THREADS_PER_BRAND = {brand: round(share * 100) for brand, share in BRANDS.items()}
SUBJECTS = ["Vos retours sur {b}", "Commander chez {b}", "Le SAV de {b}", "Livraisons {b}",
            "Bons plans {b}", "Vos achats chez {b}", "{b} : on en parle ?", "Questions sur {b}",
            "{b}, ça vaut le coup ?", "Nouveautés {b}"]  # fmt: skip
REVIEW_TITLES = {
    ("fr", 5.0): ["Très satisfait", "Parfait", "Excellent", "Au top"],
    ("fr", 3.0): ["Mitigé", "Correct", "Peut mieux faire", "Moyen"],
    ("fr", 1.0): ["Déçu", "Très déçue", "Pas sérieux", "Une galère"],
    ("en", 5.0): ["Great", "Very happy", "Spot on"],
    ("en", 3.0): ["Okay", "Average", "Could be better"],
    ("en", 1.0): ["Disappointed", "Not good", "Poor"],
}
REVIEWS_PER_PAGE = 20
CARE_POSTS = 50_000  # the care account's forum posts are numbered from here (ids 60,000…)


def review_page(brand: str, page: int = 1) -> str:
    """A page of a merchant's company reviews; the first is the one the demo's sources name."""
    return f"avis/{slugify(brand)}{f'-p{page}' if page > 1 else ''}.html"


def _at(row: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(row["published_at"]))


def _author(row: dict[str, Any]) -> str:
    return str(row["author"]["handle"])


def _thread_of(row: dict[str, Any]) -> tuple[str, int]:
    brand = str(row["brands"][0])
    return brand, int(str(row["thread_id"])[1:]) % THREADS_PER_BRAND[brand]


def generated_forum(rows: list[dict[str, Any]]) -> Forum:
    """The generated forum posts as threads, each about one merchant (its title names it), and
    the brand's care account answering some complaints in their thread, quoting them."""
    threads: dict[tuple[str, int], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        threads[_thread_of(row)].append(row)
    care = care_replies(rows, seed=23, answered=FORUM_ANSWERED, replies=FORUM_REPLIES)
    for n, (i, reply) in enumerate(care):
        quoted = rows[i]
        threads[_thread_of(quoted)].append({
            **reply, "external_id": f"care-{n}", "quoted": quoted,
            "number": CARE_POSTS + n,
        })  # fmt: skip
    everyone = [r for posts in threads.values() for r in posts]
    handles = sorted({_author(r) for r in everyone})
    written = Counter(_author(r) for r in everyone)
    forum = Forum(2, "Marques et boutiques")
    first = len(THREADS_BY_HAND) + 1
    for n, ((brand, k), posts) in enumerate(sorted(threads.items()), start=first):
        title = SUBJECTS[k % len(SUBJECTS)].format(b=brand)
        if k >= len(SUBJECTS):
            title += f" ({k // len(SUBJECTS) + 1})"
        forum.threads.append(Thread(id=n, title=title, posts=[
            Post(
                id=_post_id(r), author=_author(r),
                user_id=100 + handles.index(_author(r)), author_posts=3 * written[_author(r)],
                at=_at(r), body=f"<p>{escape(str(r['text']))}</p>", likes=int(r["likes"] or 0),
                quote=(_author(r["quoted"]), str(r["quoted"]["text"])) if "quoted" in r else None,
                quote_id=_post_id(r["quoted"]) if "quoted" in r else None,
            )
            for r in sorted(posts, key=_at)
        ]))  # fmt: skip
    return forum


def _post_id(row: dict[str, Any]) -> int:
    """A forum post's id: a generated mention's from its number, a care reply's after them."""
    return 10_000 + (int(row["number"]) if "number" in row else number(row))


def generated_entries(rows: list[dict[str, Any]]) -> list[Entry]:
    """The generated notes of the feed: short, untitled posts, as a microblog writes them."""
    return [
        Entry(
            str(r["external_id"]),
            "",
            f"<p>{escape(str(r['text']))}</p>",
            _at(r),
            _author(r),
            int(r["comments"] or 0),
        )
        for r in rows
    ]


def review_title(row: dict[str, Any]) -> str:
    """The title a generated review is shown with: one of its language's for its stars."""
    titles = REVIEW_TITLES[str(row["lang"]), float(row["rating"])]
    return titles[number(row) % len(titles)]


def generated_reviews(rows: list[dict[str, Any]]) -> dict[str, list[Review]]:
    """Each merchant's generated company reviews, newest first."""
    out: dict[str, list[Review]] = defaultdict(list)
    for r in sorted(rows, key=_at, reverse=True):
        out[str(r["brands"][0])].append(Review(
            str(number(r)), _author(r).replace("_", " ").title(), _at(r), float(r["rating"]),
            review_title(r), str(r["text"]),
        ))  # fmt: skip
    return out


def _review_pages(brand: str, reviews: list[Review]) -> dict[str, str]:
    """The merchant's review pages, by path under the sites' folder, each linking the next."""
    chunks = [reviews[i : i + REVIEWS_PER_PAGE] for i in range(0, len(reviews), REVIEWS_PER_PAGE)]
    average = round(sum(r.rating for r in reviews) / len(reviews), 1)
    files = {}
    for n, chunk in enumerate(chunks, start=1):
        nxt = "/" + review_page(brand, n + 1) if n < len(chunks) else None
        files[review_page(brand, n)] = render_reviews_jsonld(
            brand, chunk, nxt, average, len(reviews), timestamps=True
        )
    return files


def write(files: dict[str, str], folder: Path) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def build(out: Path, rows: Iterable[dict[str, Any]] | None = None) -> Path:
    """Write the sites into `out` (emptied first): the hand-written pages and, of the generated
    talk (`rows`, default `generate()`), the mentions whose channel is one of the sites."""
    talk: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in generate() if rows is None else rows:
        if row["source_kind"] in SITE_KINDS:
            talk[str(row["source_kind"])].append(row)
    shutil.rmtree(out, ignore_errors=True)
    site = demo_site()
    site.forums.append(generated_forum(talk["forum"]))
    write(render_phpbb(site, "/forum"), out / "forum")
    items = sorted(entries() + generated_entries(talk["rss"]), key=lambda e: e.at, reverse=True)
    write({"feed.xml": render_rss("Le blog high-tech", "http://blog.demo.example/", items)},
          out / "blog")  # fmt: skip
    rs = reviews()
    write({"nova-10.html": render_reviews_jsonld("Tablette Lumino Nova 10", rs[:2],
                                                 "/avis/nova-10-p2.html", 3.0, 4),
           "nova-10-p2.html": render_reviews_jsonld("Tablette Lumino Nova 10", rs[2:], None,
                                                    3.0, 4)}, out / "avis")  # fmt: skip
    for brand, brand_reviews in sorted(generated_reviews(talk["reviews"]).items()):
        write(_review_pages(brand, brand_reviews), out)
    (out / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
    return out


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python -m veille_demo.make_sites FOLDER (emptied, then written)")
    print(f"wrote {build(Path(sys.argv[1]))}")
