"""The demo's five weeks of mentions (deterministic), written out by `veille_demo.history`.

Invented brands (Lumino, an electronics e-merchant; Rivéo and Maxishop, its competitors),
invented people and texts written for the project, French first, some English.
"""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime, timedelta

from storage.vocab import TOPIC_STUDY_SHARES

END = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)  # the demo's "yesterday" evening
DAYS = 35

BRANDS = {"Lumino": 0.6, "Rivéo": 0.25, "Maxishop": 0.15}
# The products, as a French and an English mention name them.
PRODUCTS = [
    ("la tablette Nova 10", "the Nova 10 tablet"),
    ("l'écouteur Pulse", "the Pulse earbuds"),
    ("la TV Ambra 55", "the Ambra 55 TV"),
    ("le robot Kiro", "the Kiro robot"),
    ("la montre Tempo", "the Tempo watch"),
    ("l'enceinte Echo Mini", "the Echo Mini speaker"),
    ("le casque Zen", "the Zen headphones"),
]
SOURCES = [
    ("forum-conso", "forum", 0.35), ("blog-tech", "rss", 0.08), ("avis-clients", "reviews", 0.17),
    ("twitter-inbox", "twitter_export", 0.30), ("facebook-inbox", "facebook_export", 0.10),
]  # fmt: skip

TEMPLATES_FR = {
    ("prescription", "positive"): [
        "Je recommande {b} les yeux fermés, {p} est arrivé nickel et marche super bien.",
        "Très contente de mon achat chez {b} : {p} vaut vraiment son prix. 5 étoiles !",
        "{p} acheté chez {b}, franchement top, je le conseille à tout le monde.",
    ],
    ("prescription", "negative"): [
        "Déçu de mon achat chez {b}, {p} est tombé en panne au bout de deux semaines. À éviter.",
        "{p} de chez {b} : qualité médiocre, je ne recommande pas du tout.",
    ],
    ("service_client", "negative"): [
        "Toujours pas reçu ma commande {b} passée il y a 12 jours, le SAV ne répond pas 😡",
        "Colis perdu et {b} refuse de me rembourser. "
        "Service client injoignable depuis une semaine.",
        "Bonjour {b}, pourriez-vous me dire quand mon remboursement sera effectué ? "
        "Cela fait un mois.",
        "Troisième appel au SAV {b} pour {p} défectueux, on me raccroche au nez. Inadmissible.",
    ],
    ("service_client", "positive"): [
        "Merci au SAV {b}, {p} échangé en 48 h sans discuter. Bravo !",
    ],
    ("communication", "neutral"): [
        "Les soldes commencent demain chez {b} : jusqu'à -40 % sur {p}.",
        "Jeu concours {b} : RT pour gagner {p} ! #concours",
        "Vous avez vu la nouvelle pub {b} avec {p} ?",
    ],
    ("communication", "positive"): [
        "Elle est géniale la nouvelle campagne {b}, bien joué 👏",
    ],
    ("information", "neutral"): [
        "Quelqu'un sait si {p} de chez {b} est compatible avec un iPhone ?",
        "Vous me conseillez quoi entre {p} chez {b} et chez la concurrence ?",
        "Est-ce que {b} livre en Belgique ? Merci d'avance.",
    ],
    ("communaute", "positive"): [
        "Bienvenue aux nouveaux sur le forum des fans de {b} ! Bonne soirée la team.",
        "Merci à tous pour vos conseils sur {p}, vous êtes top.",
    ],
    ("crowdsourcing", "neutral"): [
        "Ce serait bien que {b} propose la livraison le dimanche.",
        "Suggestion pour {b} : vous devriez proposer une extension de garantie sur {p}.",
    ],
    ("prescription", "neutral"): [
        "J'ai reçu {p} commandé chez {b}, je vous fais un retour dans quelques jours.",
    ],
}
# The same products and kinds of talk in English (ENGLISH_SHARE of the mentions), every topic
# of TEMPLATES_FR.
ENGLISH_SHARE = 0.12
TEMPLATES_EN = {
    ("prescription", "positive"): [
        "Got {p} from {b}, works great, highly recommend.",
        "Really happy with {p} I bought at {b}, worth every penny. 5 stars!",
    ],
    ("prescription", "negative"): [
        "Disappointed with {p} from {b}, it died after two weeks. Avoid.",
        "{p} from {b}: poor quality, would not buy it again.",
    ],
    ("service_client", "negative"): [
        "Still waiting for my {b} refund after 3 weeks. Terrible support.",
        "Parcel lost and {b} refuses to refund me. Nobody answers the phone for a week.",
    ],
    ("service_client", "positive"): [
        "Thanks to {b} support, {p} swapped in 48 hours, no questions asked. Well done!",
    ],
    ("communication", "neutral"): [
        "Sale at {b} from tomorrow: up to 40% off {p}.",
        "Giveaway from {b}: RT to win {p}! #contest",
    ],
    ("communication", "positive"): ["Love the new {b} ad, well played 👏"],
    ("information", "neutral"): [
        "Does anyone know if {b} ships to the UK?",
        "Does anyone know if {p} from {b} works with an iPhone?",
    ],
    ("communaute", "positive"): [
        "Welcome to the new members of the {b} fan group! Have a nice evening, folks.",
        "Thanks all for your tips on {p}, you are the best.",
    ],
    ("crowdsourcing", "neutral"): [
        "It would be nice if {b} offered Sunday delivery.",
        "Suggestion for {b}: you should offer an extended warranty on {p}.",
    ],
    ("prescription", "neutral"): [
        "Just received {p} I ordered from {b}, will post a review in a few days.",
    ],
}
# Topics drawn as often as in the reference study (DESIGN.md), in percent.
TOPIC_WEIGHTS = {topic: round(share * 100) for topic, share in TOPIC_STUDY_SHARES.items()}
FIRST = [
    "julie",
    "marc",
    "sophie",
    "karim",
    "lea",
    "thomas",
    "ines",
    "paul",
    "chloe",
    "yanis",
    "manon",
    "hugo",
    "sarah",
    "lucas",
    "emma",
    "nadia",
    "olivier",
    "camille",
]


# Real people phrase the same thing in many ways: a template is dressed with an opening, a
# detail, a moment and an ending, so only a planted campaign reads as near-duplicates.
OPENINGS_FR = [
    "",
    "",
    "Bon, ",
    "Franchement, ",
    "Petit retour : ",
    "Alors voilà, ",
    "Hello, ",
    "Bonjour à tous, ",
    "Info : ",
    "Sérieux, ",
    "Question bête : ",
    "Perso, ",
]
DETAILS_FR = [
    "",
    "",
    "",
    " (commande passée sur le site)",
    " (acheté pour mon fils)",
    " (deuxième fois cette année)",
    " (vu en magasin avant)",
    " (livré en point relais)",
    " (payé en 3 fois)",
    " (c'était pour un cadeau)",
    " (après comparaison des prix)",
    " (pris en promo)",
    " (version noire)",
    " (retiré en magasin)",
    " (offert par ma sœur)",
    " (pour remplacer l'ancien)",
    " (garantie deux ans comprise)",
    " (commandé un dimanche soir)",
    " (reçu en cinq jours)",
]
MOMENTS_FR = [
    "",
    "",
    "",
    " Hier soir.",
    " Ce matin.",
    " Depuis lundi.",
    " Ce week-end.",
    " Il y a dix jours.",
    " Cette semaine.",
    " Avant-hier.",
]
ENDINGS_FR = [
    "",
    "",
    "",
    " 🙂",
    " 😅",
    " !",
    " Voilà voilà.",
    " Bref.",
    " Merci d'avance.",
    " Vous en pensez quoi ?",
    " 👍",
    " 🤷",
]
CAMPAIGN_FR = (
    "Lumino c'est vraiment le meilleur site high-tech, livraison ultra rapide et prix "
    "imbattables, foncez"
)
CAMPAIGN_ENDS = [" !", " !!", " 👍", " 🔥", " !! 👍", " 💯", "."]


DRESS_EN = (
    ["", "", "Honestly, ", "Quick update: ", "Hey, ", "Well, ", "FYI "],
    [
        "",
        "",
        " (ordered online)",
        " (a gift for my wife)",
        " (second one this year)",
        " (on sale)",
        " (black version)",
        " (picked up in store)",
        " (to replace my old one)",
    ],
    ["", "", " Yesterday.", " This week.", " Last weekend.", " Two days ago."],
    ["", "", " 🙂", " Thanks.", " Anyone else?", " Just saying.", " 👍"],
)
DRESS_FR = (OPENINGS_FR, DETAILS_FR, MOMENTS_FR, ENDINGS_FR)


# Words people swap freely; each occurrence is swapped at random.
SYNONYMS = {
    "commande": ["commande", "cde", "commande web", "achat"],
    "SAV": ["SAV", "service après-vente", "service client", "support"],
    "franchement": ["franchement", "vraiment", "honnêtement"],
    "top": ["top", "génial", "parfait", "nickel", "extra"],
    "super": ["super", "très", "vraiment", "hyper"],
    "géniale": ["géniale", "top", "réussie", "excellente", "sympa"],
    "recommande": ["recommande", "conseille", "valide"],
    "déçu": ["déçu", "déçue", "très déçu", "pas content"],
    "rembourser": ["rembourser", "faire le remboursement"],
    "reçu": ["reçu", "eu", "récupéré", "vu arriver"],
    "conseils": ["conseils", "réponses", "avis", "retours"],
    "bienvenue": ["bienvenue", "welcome", "salut"],
    "merci": ["merci", "mille mercis", "un grand merci", "thanks"],
    "panne": ["panne", "rade", "carafe", "HS"],
    "nouvelle": ["nouvelle", "dernière", "récente"],
    "campagne": ["campagne", "pub", "communication", "vidéo"],
    "bien": ["bien", "très bien", "joliment"],
    "jours": ["jours", "j"],
    "médiocre": ["médiocre", "bof", "décevante", "pas terrible"],
    "prix": ["prix", "tarif", "montant"],
    "great": ["great", "fine", "perfectly", "really well"],
    "recommend": ["recommend", "recommend it"],
    "waiting": ["waiting", "hoping"],
    "support": ["support", "customer service", "service"],
    "anyone": ["anyone", "somebody", "anybody"],
}
_SWAP = re.compile(r"\b(" + "|".join(map(re.escape, SYNONYMS)) + r")\b", re.IGNORECASE)


def _vary(rng: random.Random, text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        choices = SYNONYMS.get(m.group(1)) or SYNONYMS.get(m.group(1).lower()) or [m.group(1)]
        word = rng.choice(choices)
        return word[0].upper() + word[1:] if m.group(1)[0].isupper() else word

    return _SWAP.sub(swap, text)


def _dress(rng: random.Random, text: str, pools: tuple[list[str], ...] = DRESS_FR) -> str:
    openings, details, moments, endings = pools
    text = _vary(rng, text)
    body = text.rstrip(".!? ")
    tail = text[len(body) :]
    if body and rng.random() < 0.7:
        body = body[0].lower() + body[1:] if rng.random() < 0.5 else body
    opening = rng.choice(openings)
    body = (opening + body) if opening else body[0].upper() + body[1:]
    return body + rng.choice(details) + (tail or ".") + rng.choice(moments) + rng.choice(endings)


def vary(rng: random.Random, text: str) -> str:
    """Swap words for synonyms, as different people would write them."""
    return _vary(rng, text)


def dress(rng: random.Random, text: str) -> str:
    """A French text phrased with the variety of real people (see `_dress`)."""
    return _dress(rng, text)


def campaign(seed: int = 13, accounts: int = 25) -> list[dict[str, object]]:
    """A fake praise campaign: fresh accounts posting one text within an hour on the 21st."""
    rng = random.Random(seed)
    start = END - timedelta(hours=12)
    return [
        {
            "source": "twitter-inbox",
            "source_kind": "twitter_export",
            "external_id": f"campaign-{i}",
            "url": None,
            "text": CAMPAIGN_FR + rng.choice(CAMPAIGN_ENDS),
            "lang": "fr",
            "published_at": (start + timedelta(minutes=rng.randint(0, 60))).isoformat(),
            "thread_id": None,
            "thread_title": None,
            "author": {
                "handle": f"bonsplans_{rng.randint(10_000, 99_999)}",
                "name": "Promo",
                "followers": rng.randint(0, 12),
            },
            "likes": rng.randint(0, 3),
            "shares": rng.randint(0, 2),
            "comments": 0,
            "views": rng.randint(10, 80),
            "rating": None,
            "brands": ["Lumino"],
            "demo_truth": {"topic": "prescription", "sentiment": "positive"},
        }
        for i in range(accounts)
    ]


def written(
    rng: random.Random, brand: str, topic: str, english: bool
) -> tuple[tuple[str, str], str]:
    """A mention of `brand` on `topic` from one of its templates, about one of the products,
    dressed as people write it: the template's (topic, sentiment) and the text."""
    table = TEMPLATES_EN if english else TEMPLATES_FR
    key = rng.choice([k for k in table if k[0] == topic])
    french, in_english = rng.choice(PRODUCTS)
    text = rng.choice(table[key]).format(b=brand, p=in_english if english else french)
    return key, _dress(rng, text, DRESS_EN if english else DRESS_FR)


def generate(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    authors = [f"{rng.choice(FIRST)}_{rng.randint(10, 999)}" for _ in range(400)]
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(authors))]  # a few regulars, many one-offs
    out: list[dict[str, object]] = []
    topics = list(TOPIC_WEIGHTS)
    for i in range(6000):
        brand = rng.choices(list(BRANDS), weights=list(BRANDS.values()))[0]
        source, kind, _w = rng.choices(SOURCES, weights=[s[2] for s in SOURCES])[0]
        topic = rng.choices(topics, weights=[TOPIC_WEIGHTS[t] for t in topics])[0]
        english = rng.random() < ENGLISH_SHARE
        key, text = written(rng, brand, topic, english)
        published = END - timedelta(minutes=rng.randint(0, DAYS * 24 * 60))
        author = rng.choices(authors, weights=weights)[0]
        followers = int(rng.lognormvariate(5, 1.6)) if kind.endswith("export") else None
        thread = f"t{rng.randint(1, 120)}" if kind == "forum" else None
        out.append({
            "source": source, "source_kind": kind, "external_id": f"{source}-{i}",
            "url": f"https://{source}.example.org/m/{i}", "text": text,
            "lang": "en" if english else "fr", "published_at": published.isoformat(),
            "thread_id": thread,
            "thread_title": f"Discussion {brand} n°{thread[1:]}" if thread else None,
            "author": {"handle": author, "name": author.replace("_", " ").title(),
                       "followers": followers},
            "likes": rng.randint(0, 40) if kind != "rss" else None,
            "shares": rng.randint(0, 10) if kind == "twitter_export" else None,
            "comments": rng.randint(0, 15),
            "views": rng.randint(50, 5000) if kind == "twitter_export" else None,
            "rating": (5.0 if key[1] == "positive" else 1.0 if key[1] == "negative" else 3.0)
            if kind == "reviews" else None,
            "brands": [brand],
            "demo_truth": {"topic": key[0], "sentiment": key[1]},
        })  # fmt: skip
    out += campaign()
    out.sort(key=lambda r: str(r["published_at"]))
    return out
