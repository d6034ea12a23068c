"""Cue lexicons (French first, English second) behind the profile features.

Each lexicon is a list of phrases a person can read and check against a post. A phrase matches
lower-cased text at word boundaries; `*` at its end matches any ending ("arnaque*" matches
"arnaques"), `^` at its start only at the start of the post. Accented phrases also match
without accents. All lexicons are scanned together with one Aho-Corasick automaton, so a
million posts take seconds.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import ahocorasick
import numpy as np

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
    # Deal vocabulary (and "-30 %" style discounts, found by DISCOUNT below).
    "deal": (
        "bon plan", "bons plans", "code promo", "codes promo", "code de réduction", "soldes",
        "vente privée", "ventes privées", "à saisir", "prix cassé*", "promo", "promos",
        "promotion*", "réduc", "réducs", "réduction*", "black friday", "french days",
        "déstockage", "vente flash", "ventes flash", "coupon*", "discount*", "deal", "deals",
        "bargain*", "cashback", "remise", "prix barré*",
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
DISCOUNT = re.compile(r"-\s?\d{1,2}\s?%|\d{1,2}\s?% de r[ée]duc")
MENTION_HANDLE = re.compile(r"(?<![\w.])@([A-Za-z0-9_]{1,50})")

_APOSTROPHES = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("\u00a0", " "), ("\u202f", " "))


def normalise(text: str) -> str:
    text = text.lower()
    for a, b in _APOSTROPHES:
        if a in text:
            text = text.replace(a, b)
    return text


def _strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")


class Scanner:
    """All lexicons in one automaton: scan(texts) -> bool matrix (texts × CUES)."""

    def __init__(self, lexicons: dict[str, tuple[str, ...]] = LEXICONS) -> None:
        self.names = tuple(lexicons)
        entries: dict[str, list[tuple[int, bool, bool, bool, int]]] = {}
        for c, phrases in enumerate(lexicons.values()):
            for raw in phrases:
                anchored, prefix = raw.startswith("^"), raw.endswith("*")
                phrase = raw.strip("^*")
                for variant in {phrase, _strip_accents(phrase)}:
                    check_start = variant[0].isalnum()
                    check_end = variant[-1].isalnum() and not prefix
                    entry = (c, anchored, check_start, check_end, len(variant))
                    entries.setdefault(variant, []).append(entry)
        self.automaton = ahocorasick.Automaton()
        for key, value in entries.items():
            self.automaton.add_word(key, value)
        self.automaton.make_automaton()

    def scan(self, texts: Iterable[str]) -> np.ndarray:
        texts = list(texts)
        out = np.zeros((len(texts), len(self.names)), dtype=bool)
        deal = self.names.index("deal") if "deal" in self.names else -1
        for i, t in enumerate(texts):
            row = out[i]
            n = len(t)
            for end, found in self.automaton.iter(t):
                for c, anchored, check_start, check_end, length in found:
                    if row[c]:
                        continue
                    start = end - length + 1
                    if check_start and start > 0 and t[start - 1].isalnum():
                        continue
                    if check_end and end + 1 < n and t[end + 1].isalnum():
                        continue
                    if anchored and t[:start].strip():
                        continue
                    row[c] = True
            if deal >= 0 and not row[deal] and "%" in t and DISCOUNT.search(t):
                row[deal] = True
        return out


_SCANNER: Scanner | None = None


def scanner() -> Scanner:
    global _SCANNER
    if _SCANNER is None:
        _SCANNER = Scanner()
    return _SCANNER
