"""Write the demo's web sites (deterministic): `python -m veille_demo.make_sites`.

A phpBB forum, a blog feed and review pages, in French, about the demo brands (Lumino, an
electronics e-merchant; Rivéo and Maxishop, its competitors). Invented people and texts.
`veille demo` serves them on localhost (veille_demo.server) and crawls them.
"""

from __future__ import annotations

import random
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from veille_demo.feedgen import Entry, Review, render_reviews_jsonld, render_rss
from veille_demo.sitegen import Forum, Post, Site, Thread, render_phpbb

OUT = Path(__file__).with_name("sites")
END = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)  # like the bundled mentions: "yesterday" evening
PEOPLE = [("julie_92", 1450), ("Marc-Antoine", 88), ("karim.b", 312), ("Sophie L.", 5),
          ("thomas_geek", 2210), ("Inès", 41), ("paulo", 17), ("Nadia", 620)]  # fmt: skip

THREADS = [
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
    for i, (title, texts) in enumerate(THREADS):
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
        threads_per_page=4,
        posts_per_page=3,
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


def write(files: dict[str, str], folder: Path) -> None:
    for name, content in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    write(render_phpbb(demo_site(), "/forum"), OUT / "forum")
    items = entries()
    write({"feed.xml": render_rss("Le blog high-tech", "http://blog.demo.example/", items)},
          OUT / "blog")  # fmt: skip
    rs = reviews()
    write({"nova-10.html": render_reviews_jsonld("Tablette Lumino Nova 10", rs[:2],
                                                 "/avis/nova-10-p2.html", 3.0, 4),
           "nova-10-p2.html": render_reviews_jsonld("Tablette Lumino Nova 10", rs[2:], None,
                                                    3.0, 4)}, OUT / "avis")  # fmt: skip
    (OUT / "robots.txt").write_text("User-agent: *\nDisallow: /admin/\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
