"""Generated mention frames for the suspicion tests: varied genuine talk and planted campaigns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

T0 = datetime(2026, 3, 1, tzinfo=UTC)

_WORDS = (  # noqa: SIM905
    "aspirateur batterie livraison colis commande remboursement magasin vendeur conseil prix "
    "qualité filtre moteur bruit garantie retour échange site application carte client "
    "service délai semaine mois hier demain matin soir week-end cadeau anniversaire cuisine "
    "salon chambre escalier tapis parquet carrelage poussière chat chien enfant voisin "
    "collègue famille maison appartement voiture vélo jardin terrasse piscine vacances été "
    "hiver printemps automne pluie soleil orage neige route train bus métro gare aéroport "
    "valise billet hôtel plage montagne lampe ampoule câble chargeur écran clavier souris "
    "casque enceinte télé radio console jeu livre film série musique concert théâtre musée "
    "restaurant café boulangerie marché pharmacie médecin dentiste banque poste mairie école "
    "collège lycée université bureau réunion projet rapport dossier facture devis contrat "
    "assurance mutuelle loyer charges travaux peinture plombier électricien menuisier "
    "serrurier vitrier jardinier nounou coiffeur garagiste rapide lent cher pratique solide "
    "fragile léger lourd grand petit neuf ancien propre sale calme bruyant simple compliqué "
    "utile inutile agréable pénible long court chaud froid marche casse fonctionne arrive "
    "part revient attend cherche trouve perd garde donne prend achète paie rend change "
    "répare nettoie range ouvre ferme allume éteint charge vide remplit "
).split()
_OPENERS = ("franchement", "bon", "alors", "du coup", "perso", "sinon", "bref", "enfin", "bon bah")


def genuine(n: int, seed: int = 1, authors: int = 4_000) -> pd.DataFrame:
    """n varied mentions by `authors` accounts over 30 days, with realistic repetition:
    retweets of one brand post by many accounts, short stock replies, an author repeating
    themself."""
    rng = np.random.default_rng(seed)
    words = np.array(_WORDS)
    texts: list[str] = []
    for _ in range(n):
        k = int(rng.integers(6, 28))
        body = " ".join(rng.choice(words, size=k))
        opener = _OPENERS[int(rng.integers(len(_OPENERS)))]
        texts.append(f"{opener} {body} lumino x{int(rng.integers(100, 999))}")
    author = rng.zipf(1.6, size=n) % authors
    minutes = rng.integers(0, 30 * 24 * 60, size=n)
    # 150 retweets of the brand's own post within two hours: shares, not copies.
    rt = "RT @lumino: Les soldes d'hiver commencent demain matin sur tout le site, jusqu'à -40 %"
    for i in range(150):
        texts[i] = rt
        author[i] = 10_000 + i
        minutes[i] = 600 + i // 2
    # 200 short stock replies ("merci !") by many accounts.
    for i in range(150, 350):
        texts[i] = ("Merci !", "Top, merci", "Pareil pour moi", "+1")[i % 4]
    # One author posts the same long text five times.
    same = "je cherche toujours le filtre de rechange pour mon vieux modèle, rupture partout"
    for i in range(350, 355):
        texts[i] = same
        author[i] = 7
        minutes[i] = 2_000 + i
    return pd.DataFrame(
        {
            "mention_id": np.arange(1, n + 1),
            "source_id": 1,
            "external_id": [f"g{i}" for i in range(n)],
            "author_id": author.astype("int64") + 1,
            "handle": [f"user{a}" for a in author],
            "text": texts,
            "published_at": [T0 + timedelta(minutes=int(m)) for m in minutes],
        }
    )


CAMPAIGN = (
    "J'ai testé le nouvel aspirateur Lumino X200 et franchement il est incroyable, puissant et "
    "silencieux, je le recommande à tous ceux qui cherchent un aspirateur fiable pour la maison"
)
_SWAPS = (("incroyable", "génial"), ("puissant", "efficace"), ("maison", "famille"),
          ("fiable", "solide"), ("franchement", "vraiment"))  # fmt: skip
_TAILS = ("", " 👍", " !!", " #Lumino", " https://lumino.example/x200?ref=", " @lumino")


def campaign(n: int = 30, first_id: int = 1_000_000, seed: int = 2) -> pd.DataFrame:
    """n near-duplicate posts from n fresh accounts within six hours (a word swapped, a tail)."""
    rng = np.random.default_rng(seed)
    texts = []
    for i in range(n):
        text = CAMPAIGN
        if i % 3:
            a, b = _SWAPS[int(rng.integers(len(_SWAPS)))]
            text = text.replace(a, b)
        tail = _TAILS[i % len(_TAILS)]
        texts.append(text + (f"{tail}{i}" if "ref=" in tail else tail))
    start = T0 + timedelta(days=12, hours=9)
    return pd.DataFrame(
        {
            "mention_id": np.arange(first_id, first_id + n),
            "source_id": 1,
            "external_id": [f"c{i}" for i in range(n)],
            "author_id": np.arange(500_000, 500_000 + n),
            "handle": [f"promo_fan_{i}" for i in range(n)],
            "text": texts,
            "published_at": [start + timedelta(minutes=int(m)) for m in rng.integers(0, 360, n)],
            "account_created_at": start - timedelta(days=2),
        }
    )
