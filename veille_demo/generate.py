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
# The products, as a French and an English mention name them, and the French name's gender.
PRODUCTS = [
    ("la tablette Nova 10", "the Nova 10 tablet", "f"),
    ("l'écouteur Pulse", "the Pulse earbuds", "m"),
    ("la TV Ambra 55", "the Ambra 55 TV", "f"),
    ("le robot Kiro", "the Kiro robot", "m"),
    ("la montre Tempo", "the Tempo watch", "f"),
    ("l'enceinte Echo Mini", "the Echo Mini speaker", "f"),
    ("le casque Zen", "the Zen headphones", "m"),
]
# What a French template writes where it agrees with the product ("{p} est arrivé{e}").
AGREEMENT = {
    "f": {"e": "e", "x": "se", "le": "la", "ne": "ne"},
    "m": {"e": "", "x": "x", "le": "le", "ne": ""},
}
# The channels a mention is drawn for (name, source kind, share), each one where the demo
# shows it: the forum, feed and review pages on its sites (`veille_demo.make_sites`), X and
# Facebook in its exports (`veille_demo.history`).
SOURCES = [
    ("forum-conso", "forum", 0.35), ("blog-tech", "rss", 0.08), ("avis-clients", "reviews", 0.17),
    ("twitter-inbox", "twitter_export", 0.30), ("facebook-inbox", "facebook_export", 0.10),
]  # fmt: skip
# Where each kind of talk is not said: a company review is a customer's verdict, complaint or
# idea, not a question, a welcome, a contest or a note awaiting the product; the French forum
# and feed are written in French.
NOT_SAID: dict[str | tuple[str, str], set[str]] = {
    "information": {"reviews"},
    "communaute": {"reviews", "rss"},
    "communication": {"reviews"},
    ("prescription", "neutral"): {"reviews"},
    "english": {"forum", "rss"},
}

TEMPLATES_FR = {
    ("prescription", "positive"): [
        "Je recommande {b} les yeux fermés, {p}{d} est arrivé{e} nickel et marche super bien.",
        "Très contente de mon achat chez {b} : {p}{d} vaut vraiment son prix. 5 étoiles !",
        "{p}{d} de chez {b}, franchement top, je {le} conseille à tout le monde.",
    ],
    ("prescription", "negative"): [
        "Déçu de mon achat chez {b}, {p}{d} est tombé{e} en panne au bout de deux semaines. "
        "À éviter.",
        "{p}{d} de chez {b} : qualité médiocre, je ne recommande pas du tout.",
    ],
    ("service_client", "negative"): [
        "Toujours pas reçu ma commande {b} passée il y a 12 jours, le SAV ne répond pas 😡",
        "Colis perdu et {b} refuse de me rembourser. "
        "Service client injoignable depuis une semaine.",
        "Bonjour {b}, pourriez-vous me dire quand mon remboursement sera effectué ? "
        "Cela fait un mois.",
        "Troisième appel au SAV {b} pour {p}{d} défectueu{x}, on me raccroche au nez. "
        "Inadmissible.",
    ],
    ("service_client", "positive"): [
        "Merci au SAV {b}, {p}{d} échangé{e} en 48 h sans discuter. Bravo !",
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
        "Quelqu'un sait si {p}{d} de chez {b} est compatible avec un iPhone ?",
        "Vous me conseillez quoi entre {p} chez {b} et chez la concurrence ?",
        "Est-ce que {b} livre en Belgique ? Merci d'avance.",
    ],
    ("communaute", "positive"): [
        "Bienvenue aux nouveaux dans la communauté des fans de {b} ! Bonne soirée la team.",
        "Merci à tous pour vos conseils sur {p}{d}, vous êtes les meilleurs.",
    ],
    ("crowdsourcing", "neutral"): [
        "Ce serait bien que {b} propose la livraison le dimanche.",
        "Suggestion pour {b} : vous devriez proposer une extension de garantie sur {p}.",
    ],
    ("prescription", "neutral"): [
        "J'ai reçu {p} commandé{e} chez {b}{d}, je vous fais un retour dans quelques jours.",
    ],
}
# The same products and kinds of talk in English (ENGLISH_SHARE of the mentions), every topic
# of TEMPLATES_FR.
ENGLISH_SHARE = 0.12
TEMPLATES_EN = {
    ("prescription", "positive"): [
        "Got {p}{d} from {b}, works great, highly recommend.",
        "Really happy with {p}{d} I bought at {b}, worth every penny. 5 stars!",
    ],
    ("prescription", "negative"): [
        "Disappointed with {p}{d} from {b}, it died after two weeks. Avoid.",
        "{p}{d} from {b}: poor quality, would not buy it again.",
    ],
    ("service_client", "negative"): [
        "Still waiting for my {b} refund after 3 weeks. Terrible support.",
        "Parcel lost and {b} refuses to refund me. Nobody answers the phone for a week.",
    ],
    ("service_client", "positive"): [
        "Thanks to {b} support, {p}{d} swapped in 48 hours, no questions asked. Well done!",
    ],
    ("communication", "neutral"): [
        "Sale at {b} from tomorrow: up to 40% off {p}.",
        "Giveaway from {b}: RT to win {p}! #contest",
    ],
    ("communication", "positive"): ["Love the new {b} ad, well played 👏"],
    ("information", "neutral"): [
        "Does anyone know if {b} ships to the UK?",
        "Does anyone know if {p}{d} from {b} works with an iPhone?",
    ],
    ("communaute", "positive"): [
        "Welcome to the new members of the {b} fan group! Have a nice evening, folks.",
        "Thanks all for your tips on {p}{d}, you are the best.",
    ],
    ("crowdsourcing", "neutral"): [
        "It would be nice if {b} offered Sunday delivery.",
        "Suggestion for {b}: you should offer an extended warranty on {p}.",
    ],
    ("prescription", "neutral"): [
        "Just received {p} I ordered from {b}{d}, will post a review in a few days.",
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
# moment and an ending, and where it names a product the writer has ("{d}"), maybe a detail
# about it (in half of them: each detail is rare, as it is in real talk, and seldom a theme of
# the day), so only a planted campaign reads as near-duplicates. A French detail agrees with
# the product (`AGREEMENT`).
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
    *[""] * 15,
    " (commande passée sur le site)",
    " (acheté{e} pour mon fils)",
    " (deuxième fois cette année)",
    " (vu{e} en magasin avant)",
    " (livré{e} en point relais)",
    " (payé{e} en 3 fois)",
    " (c'était pour un cadeau)",
    " (après comparaison des prix)",
    " (pris{e} en promo)",
    " (version noire)",
    " (retiré{e} en magasin)",
    " (pour remplacer l'ancien{ne})",
    " (garantie deux ans comprise)",
    " (commandé{e} un dimanche soir)",
    " (reçu{e} en cinq jours)",
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

DETAILS_EN = [
    *[""] * 7,
    " (ordered online)",
    " (a gift for my wife)",
    " (second one this year)",
    " (on sale)",
    " (black version)",
    " (picked up in store)",
    " (to replace my old one)",
]
DRESS_EN = (
    ["", "", "Honestly, ", "Quick update: ", "Hey, ", "Well, ", "FYI "],
    ["", "", " Yesterday.", " This week.", " Last weekend.", " Two days ago."],
    ["", "", " 🙂", " Thanks.", " Anyone else?", " Just saying.", " 👍"],
)
DRESS_FR = (OPENINGS_FR, MOMENTS_FR, ENDINGS_FR)
# Dressing that belongs to a question only, and endings that ask back, after a statement only
# (not « Question bête : merci au SAV… », « …on me raccroche au nez. Merci d'avance. »).
ASKING = {"Question bête : ", " Merci d'avance."}
ASKING_BACK = {" Vous en pensez quoi ?", " Anyone else?"}
# Openings that greet, never before a text that greets already (not « Hello, bonjour Lumino »).
GREETINGS = {"Hello, ", "Bonjour à tous, ", "Hey, "}


# Words people swap freely; each occurrence is swapped at random. Each synonym reads right
# wherever a template uses its word (same gender, no doubled word, no English in French).
SYNONYMS = {
    "commande": ["commande", "cde", "commande web"],
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
    "bienvenue": ["bienvenue", "salut", "un petit coucou"],
    "merci": ["merci", "mille mercis", "un grand merci"],
    "panne": ["panne", "rade", "carafe"],
    "nouvelle": ["nouvelle", "dernière", "récente"],
    "campagne": ["campagne", "pub", "communication", "vidéo"],
    "médiocre": ["médiocre", "bof", "décevante", "pas terrible"],
    "nouveaux": ["nouveaux", "petits nouveaux", "nouveaux membres", "derniers arrivés"],
    "la communauté": ["la communauté", "le groupe", "le club"],
    "fans": ["fans", "passionnés", "amateurs"],
    "soirée": ["soirée", "journée"],
    "la team": ["la team", "l'équipe", "la famille"],
    "bien joué": ["bien joué", "chapeau", "bravo l'équipe"],
    "livre": ["livre", "expédie", "envoie"],
    "en belgique": ["en Belgique", "en Suisse", "en Corse", "outre-mer", "au Luxembourg"],
    "propose": ["propose", "offre", "mette en place"],
    "le dimanche": ["le dimanche", "le samedi", "en soirée"],
    "pourriez-vous": ["pourriez-vous", "pouvez-vous", "pourrait-on"],
    "effectué": ["effectué", "fait", "versé"],
    "je vous fais un retour": [
        "je vous fais un retour",
        "je vous donne mon avis",
        "je vous dis ce que j'en pense",
    ],
    "vous me conseillez quoi": ["vous me conseillez quoi", "vous prendriez quoi", "que choisir"],
    "la concurrence": ["la concurrence", "un autre site", "les autres enseignes"],
    "cela fait un mois": ["cela fait un mois", "ça fait trois semaines", "j'attends depuis le 2"],
    "great": ["great", "fine", "perfectly", "really well"],
    "recommend": ["recommend", "recommend it"],
    "waiting": ["waiting", "hoping"],
    "support": ["support", "customer service", "service"],
    "anyone": ["anyone", "somebody", "anybody"],
    "new members of the": ["new members of the", "newcomers to the", "new faces in the"],
    "fan group": ["fan group", "community", "fan page"],
    "a nice": ["a nice", "a great", "a lovely"],
    "evening": ["evening", "weekend", "day"],
    "folks": ["folks", "everyone", "all"],
    "ships to": ["ships to", "delivers to", "sends orders to"],
    "the uk": ["the UK", "Ireland", "Canada", "Switzerland"],
    "sunday delivery": ["Sunday delivery", "evening delivery", "free returns", "gift wrapping"],
    "from tomorrow": ["from tomorrow", "this weekend", "starting Friday"],
    "up to 40% off": ["up to 40% off", "30% off", "big discounts on"],
    "love": ["love", "loving", "really like"],
    "ad": ["ad", "commercial", "campaign", "video"],
    "well played": ["well played", "nice one", "great job"],
}
_SWAP = re.compile(r"\b(" + "|".join(map(re.escape, SYNONYMS)) + r")\b", re.IGNORECASE)


def _vary(rng: random.Random, text: str) -> str:
    def swap(m: re.Match[str]) -> str:
        choices = SYNONYMS.get(m.group(1)) or SYNONYMS.get(m.group(1).lower()) or [m.group(1)]
        word, found = rng.choice(choices), m.group(1)
        # A capital starts a sentence ("Merci" → "Mille mercis"); an acronym's does not
        # ("le SAV" → "le service client").
        return word[0].upper() + word[1:] if found[0].isupper() and not found.isupper() else word

    return _SWAP.sub(swap, text)


def _dress(rng: random.Random, text: str, pools: tuple[list[str], ...] = DRESS_FR) -> str:
    """`text` as one person writes it: its words swapped (`SYNONYMS`), then an opening, a
    moment and an ending, each maybe none."""
    openings, moments, endings = pools
    text = _vary(rng, text)
    body = text.rstrip(".!? ")
    if not body:
        return text
    tail = text[len(body) :] or ("." if body[-1].isalnum() or body[-1] in ")»" else "")
    question = "?" in text
    if not question:
        openings = [o for o in openings if o not in ASKING]
    if body.split(maxsplit=1)[0].rstrip(",").casefold() in ("bonjour", "hello", "hi", "salut"):
        openings = [o for o in openings if o not in GREETINGS]
    endings = [e for e in endings if e not in (ASKING_BACK if question else ASKING)]
    opening = rng.choice(openings)
    # After an opening the sentence goes on ("Franchement, je recommande…"); a name keeps its
    # capital ("Franchement, Rivéo ou Lumino ?", "Info : SAV injoignable").
    first = body.split(maxsplit=1)[0].rstrip(",:;")
    named = first in BRANDS or (len(first) > 1 and first.isupper())
    body = (opening + (body if named else body[0].lower() + body[1:]) if opening
            else body[0].upper() + body[1:])  # fmt: skip
    return body + tail + rng.choice(moments) + rng.choice(endings)


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
    french, in_english, gender = rng.choice(PRODUCTS)
    agreement = AGREEMENT[gender]
    detail = rng.choice(DETAILS_EN if english else DETAILS_FR).format(**agreement)
    text = rng.choice(table[key]).format(
        b=brand, p=in_english if english else french, d=detail, **agreement
    )
    return key, _dress(rng, text, DRESS_EN if english else DRESS_FR)


def channel(rng: random.Random, key: tuple[str, str], english: bool) -> tuple[str, str]:
    """The channel (source name, kind) a mention of `key` (topic, sentiment) is said on, drawn
    by the channels' shares among those where it is said (`NOT_SAID`)."""
    barred = NOT_SAID.get(key[0], set()) | NOT_SAID.get(key, set())
    barred |= NOT_SAID["english"] if english else set()
    said = [s for s in SOURCES if s[1] not in barred]
    name, kind, _share = rng.choices(said, weights=[s[2] for s in said])[0]
    return name, kind


def number(row: dict[str, object]) -> int:
    """A generated mention's number (its `external_id` is `{source}-{number}`)."""
    return int(str(row["external_id"]).rsplit("-", 1)[1])


def generate(seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    authors = [f"{rng.choice(FIRST)}_{rng.randint(10, 999)}" for _ in range(400)]
    weights = [1.0 / (i + 1) ** 0.9 for i in range(len(authors))]  # a few regulars, many one-offs
    out: list[dict[str, object]] = []
    topics = list(TOPIC_WEIGHTS)
    for i in range(6000):
        brand = rng.choices(list(BRANDS), weights=list(BRANDS.values()))[0]
        topic = rng.choices(topics, weights=[TOPIC_WEIGHTS[t] for t in topics])[0]
        english = rng.random() < ENGLISH_SHARE
        key, text = written(rng, brand, topic, english)
        source, kind = channel(rng, key, english)
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
