"""Cue lexicons (French first, English second) behind the profile features.

Each lexicon is a list of phrases a person can read and check against a post, in the phrase
syntax of `nlp.lexicon` (word boundaries, `*` for any ending, `^` for the start of the post,
`<n>` for a number; accents and case do not matter). All of them are found in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np

from nlp.lexicon import PhraseLexicons
from nlp.text import normalise

LEXICONS: dict[str, tuple[str, ...]] = {
    # Asking: a question mark, an interrogative opening, looking for or comparing offers.
    "asks": (
        "?", "^quelqu'un", "^qqn", "^est-ce qu*", "^comment", "^pourquoi", "^quel", "^quelle*",
        "^combien", "^savez-vous", "^sauriez-vous", "vous savez si", "vous me conseillez",
        "vous conseillez quoi", "des conseils pour", "je cherche un", "je cherche une",
        "je cherche des", "je cherche à", "j'hésite entre", "vaut-il mieux", "vaut mieux prendre",
        "qu'en pensez-vous", "des avis sur", "comparatif", "^anyone", "^does anyone", "^how do",
        "^how can", "^which", "looking for", "any advice", "should i buy",
    ),
    # Giving advice: recommendations, how-tos.
    "advice_cue": (
        "je te conseille", "je vous conseille", "je te recommande", "je vous recommande",
        "je te suggère", "je vous suggère", "conseil :", "astuce*", "tuto", "tutoriel",
        "voici comment", "pas à pas", "étape 1", "étape 2", "il te faut", "il vous faut",
        "tu peux", "tu devrais", "tu dois", "vous pouvez", "vous devriez", "vous devez",
        "essaie", "essaies", "essayez", "regarde sur", "regardez sur", "regarde du côté",
        "perso j'utilise", "moi j'ai pris", "prends plutôt", "prenez plutôt", "évite de",
        "évitez de", "la solution", "you should", "i recommend", "i'd recommend", "here's how",
        "try the", "step 1",
    ),
    "link": ("http://", "https://", "www."),
    # Deal vocabulary, and discounts: "-30 %", "20 % de réduction".
    "deal": (
        "bon plan", "bons plans", "code promo", "codes promo", "code de réduction", "soldes",
        "vente privée", "ventes privées", "à saisir", "prix cassé*", "promo", "promos",
        "promotion*", "réduc", "réducs", "réduction*", "black friday", "french days",
        "déstockage", "vente flash", "ventes flash", "coupon*", "discount*", "deal", "deals",
        "bargain*", "cashback", "remise", "prix barré*", "-( |)<n>( |)%", "<n>( |)% de réduc*",
    ),
    # Selling, buying, renting, self-promotion (including links to one's own shop).
    "selling": (
        "je vends", "vends", "à vendre", "à échanger", "échange contre", "échange possible",
        "échanges possibles", "je loue", "à louer", "loue mon", "loue ma", "location de mon",
        "je rachète", "cherche à acheter", "mp moi", "mp-moi", "me contacter en mp",
        "envoyez-moi un mp", "contactez-moi", "contactez moi", "dm me", "for sale", "selling my",
        "ma boutique", "mon shop", "mon e-shop", "mon site", "ma chaîne", "abonnez-vous",
        "suivez-moi", "follow me", "check my", "check out my", "lien en bio", "prix à débattre",
        "port offert", "etsy.com", "vinted.", "leboncoin.", "ebay.", "myshopify.", "linktr.ee",
    ),
    # Fallback polarity when no sentiment label exists (labels win where they exist).
    "positive_cue": (
        "j'adore", "génial*", "excellent*", "parfait*", "je recommande", "recommande vivement",
        "au top", "top", "super", "bravo", "trop bien", "ravi", "ravie", "ravis", "très satisfait*",
        "fidèle*", "le meilleur", "la meilleure", "foncez", "love", "great", "amazing",
        "highly recommend",
    ),
    "negative_cue": (
        "déçu", "déçue", "déçus", "nul", "nulle", "nuls", "arnaque*", "honteu*", "scandal*",
        "à éviter", "plus jamais", "jamais plus", "inadmissible", "lamentable", "catastroph*",
        "horrible*", "pire", "worst", "terrible*", "scam", "awful", "disappointed",
        "remboursez", "rembourser",
    ),
    # Defending or recommending the brand (a fan's cue).
    "recommends": (
        "je recommande", "recommande vivement", "foncez", "les yeux fermés", "fidèle depuis",
        "toujours satisfait*", "toujours été satisfait*", "je défends", "highly recommend",
        "never disappointed",
    ),
}  # fmt: skip

CUES = tuple(LEXICONS)
MENTION_HANDLE = re.compile(r"(?<![\w.])@([A-Za-z0-9_]{1,50})")

_LEXICONS: PhraseLexicons | None = None


def cue_flags(texts: Iterable[str]) -> np.ndarray:
    """Bool matrix (texts × CUES): which lexicons each post matches."""
    global _LEXICONS
    if _LEXICONS is None:
        _LEXICONS = PhraseLexicons(LEXICONS)
    return _LEXICONS.flags(normalise(t) for t in texts)
