"""Cue lexicons (French first, English second) behind the profile features, as regexes.

Every pattern runs on text that `normalise` lower-cased with straight apostrophes, so a person
can check a reason ("uses deal vocabulary in 4 of 9 posts") by reading the posts.
"""

from __future__ import annotations

import re

# Asking: a question mark, an interrogative opening, or looking for / comparing offers.
ASKS = (
    r"\?"
    r"|^\s*(?:quelqu'un|qqn|est-ce qu|comment|pourquoi|quel(?:le)?s? |combien|savez-vous"
    r"|vous savez si|sauriez-vous|any ?one|does anyone|how (?:do|can|does)|which |where can)"
    r"|\b(?:vous me conseillez|vous conseillez quoi|des conseils pour|je cherche (?:un|une|des|à)"
    r"|j'h[ée]site entre|vaut-il mieux|vaut mieux prendre|qu'en pensez-vous|des avis sur"
    r"|comparatif|looking for|any advice|should i buy)"
)

# Giving advice: recommendations, how-tos.
ADVICE = (
    r"\b(?:je (?:te|vous) (?:conseille|recommande|sugg[èe]re)|conseil ?:|astuce|tuto(?:riel)?\b"
    r"|voici comment|pas à pas|[ée]tape \d|il (?:te|vous) faut|tu (?:peux|devrais|dois)"
    r"|vous (?:pouvez|devriez|devez)|essaie[sz]?\b|essayez|regarde[sz]? (?:sur|du c[ôo]t[ée])"
    r"|perso j'utilise|moi j'ai pris|prends plut[ôo]t|prenez plut[ôo]t|[ée]vite[sz]? de"
    r"|la solution|you should|i(?:'d)? recommend|here's how|try (?:to|the)|step \d)"
)

LINK = r"https?://|www\."

# Deal vocabulary.
DEAL = (
    r"\bbons? plans?\b|\bcodes? promo|code de r[ée]duction|-\s?\d{1,2}\s?%|\d{1,2}\s?% de r[ée]duc"
    r"|\bsoldes\b|ventes? priv[ée]es?|[àa] saisir|prix cass[ée]s?|\bpromos?\b|\bpromotions?\b"
    r"|\br[ée]ducs?\b|\br[ée]ductions?\b|black friday|french days|d[ée]stockage|ventes? flash"
    r"|\bcoupons?\b|\bdiscount|\bdeals?\b|\bbargains?\b|cashback|\bremise\b|prix barr[ée]"
)

# Selling, buying, renting, self-promotion (including links to one's own shop).
SELLING = (
    r"\b(?:je vends|vends|[àa] vendre|[àa] [ée]changer|[ée]change contre|[ée]changes? possibles?"
    r"|je loue|[àa] louer|loue mon|loue ma|location de mon|je rach[èe]te|cherche [àa] acheter"
    r"|mp moi|mp-moi|me contacter en mp|envoyez-moi un mp|contactez[- ]moi|dm me|for sale|selling my"
    r"|ma boutique|mon shop|mon e-shop|mon site|ma cha[îi]ne|abonnez-vous|suivez-moi|follow me"
    r"|check (?:out )?my|lien en bio|prix [àa] d[ée]battre|port offert)"
    r"|etsy\.com|vinted\.|leboncoin\.|ebay\.|\.myshopify\.|linktr\.ee"
)

# Fallback polarity when no sentiment label exists (labels win where they exist).
POSITIVE = (
    r"j'adore|\bg[ée]nial|\bexcellent|\bparfait|je recommande|recommande vivement|\bau top"
    r"|\btop\b|\bsuper\b|\bbravo\b|trop bien|\bravie?s?\b|tr[èe]s satisfaite?|\bfid[èe]le"
    r"|le meilleur|la meilleure|\bfoncez|\blove\b|\bgreat\b|\bamazing\b|highly recommend"
)
NEGATIVE = (
    r"\bd[ée][çc]ue?s?\b|\bnulle?s?\b|arnaque|honteu|scandal|[àa] [ée]viter|plus jamais"
    r"|jamais plus|inadmissible|lamentable|catastroph|horrible|\bpire\b|\bworst\b|\bterrible"
    r"|\bscam\b|\bawful\b|disappointed|rembourse[zr]"
)

# Defending or recommending the brand (a fan's cue).
RECOMMENDS = (
    r"je recommande|recommande vivement|\bfoncez|les yeux ferm[ée]s|fid[èe]le depuis"
    r"|toujours (?:[ée]t[ée] )?satisfaite?|je d[ée]fends|highly recommend|never disappointed"
)

MENTION_HANDLE = re.compile(r"(?<![\w.])@([A-Za-z0-9_]{1,50})")

CUES: dict[str, str] = {
    "asks": ASKS,
    "advice_cue": ADVICE,
    "link": LINK,
    "deal": DEAL,
    "selling": SELLING,
    "positive_cue": POSITIVE,
    "negative_cue": NEGATIVE,
    "recommends": RECOMMENDS,
}

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " "})


def normalise(text: str) -> str:
    return text.translate(_APOSTROPHES).lower()
