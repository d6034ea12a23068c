"""Cue lexicons (French first, English second) and question, request and suggestion detection.

Every list is written in the phrase syntax of `nlp.lexicon` and all of them — these and the
topic cues of `nlp.topic_cues` — are found in one pass over a text's folded form
(`nlp.text.normalise`). The topic labeler, the sentiment labeler's lexicon features and its
domain rules read them, so a cue is added in one place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.lexicon import PhraseLexicons
from nlp.text import normalise
from nlp.topic_cues import TOPIC_CUES

SENTIMENT_CUES: dict[str, tuple[str, ...]] = {
    # A question said in words: at the start of the post (^), or anywhere.
    "asks": (
        "^est-ce que", "^est-ce qu'", "^est ce que", "^quelqu'un", "^qqn", "^quelqu'un sait",
        "^savez-vous", "^savez vous", "^vous savez si", "^comment", "^pourquoi", "^quand",
        "^ou est", "^ou trouver", "^quel", "^quelle", "^quels", "^quelles", "^lequel",
        "^laquelle", "^combien", "^peut-on", "^on peut", "^y a-t-il", "^il y a moyen",
        "^c'est possible de", "^connaissez-vous", "^vous connaissez", "^des avis", "^un avis",
        "^vous en pensez quoi", "^qu'en pensez-vous", "^does anyone", "^anyone know", "^how do",
        "^how can", "^what", "^where", "^when", "^which", "^why", "^is it", "^is there", "^can i",
        "^can you", "^do you", "^any advice", "quelqu'un sait", "qqn sait", "savez-vous",
        "vous savez si", "je me demande", "vous me conseillez", "vous conseillez quoi",
        "vous en pensez quoi", "des infos", "une idee", "anyone know", "any idea", "i wonder",
        "do you know",
    ),
    # Asking someone to do something.
    "request": (
        "pouvez-vous", "pouvez vous", "pourriez-vous", "pourriez vous", "merci de me",
        "merci de bien vouloir", "svp", "stp", "s'il vous plait", "s'il te plait", "aidez-moi",
        "aidez moi", "besoin d'aide", "je voudrais", "j'aimerais savoir", "contactez-moi",
        "please", "pls", "plz", "could you", "can you", "help me", "need help",
    ),
    # Proposing an idea or an improvement (the crowdsourcing topic's cues).
    "suggestion": (
        "ce serait (bien|top|genial|super|cool|pratique|sympa|bien pratique)",
        "ca serait (bien|top|genial|super|cool|pratique|sympa)", "ce serait bien que",
        "vous devriez", "tu devrais", "il faudrait", "faudrait", "pourquoi ne pas",
        "pourquoi vous ne", "pourquoi ne proposez", "suggestion", "je suggere", "je propose",
        "une idee pour", "petite idee", "idee d'amelioration", "ameliorer", "amelioration",
        "serait-il possible", "serait il possible", "pensez a (ajouter|proposer|mettre)",
        "ajoutez", "proposez", "j'aimerais (|bien )que vous", "j'aimerais qu'il y ait",
        "ce qui manque", "devrai(t|ent) (proposer|faire|vendre|ouvrir|mettre|creer|lancer)",
        "pourrai(t|ent) (proposer|faire|vendre|ouvrir|mettre|creer|lancer)", "proposition( |):",
        "idee (pour|:)", "faites (des|un|une)", "ameliorez", "j'aimerais que",
        "ce serait le reve", "manque juste", "mettez en place",
        "vous pourriez (ajouter|proposer|mettre|faire)", "you should",
        "it would be (nice|great|good|helpful|cool)", "would be (nice|great) if", "please add",
        "feature request", "why not (add|offer|make)", "i suggest", "i'd love to see",
        "consider adding",
    ),
    # Negations: a polar word after one (within 25 characters) counts for the other side.
    "negation": (
        "ne", "n'", "pas", "jamais", "aucun", "aucune", "rien", "sans", "ni", "not", "no",
        "never", "nothing", "*n't", "nobody", "none",
    ),
    "intensifier": (
        "tres", "trop", "vraiment", "super", "hyper", "grave", "tellement", "completement",
        "totalement", "absolument", "really", "so", "very", "extremely", "totally",
    ),
    "positive": (
        "merci", "bravo", "genial", "geniale", "super", "excellent", "excellente", "parfait",
        "parfaite", "top", "adore", "j'adore", "aime", "j'aime", "content", "contente", "ravi",
        "ravie", "satisfait", "satisfaite", "recommande", "nickel", "impeccable", "efficace",
        "rapide", "sympa", "magnifique", "bien", "bon", "bonne", "beau", "belle", "heureux",
        "heureuse", "cool", "felicitations", "incroyable", "formidable", "reactif", "reactive",
        "love", "great", "good", "awesome", "amazing", "thanks", "thank you", "happy", "best",
        "perfect", "nice", "excellent", "fantastic", "wonderful", "enjoy",
    ),
    "negative": (
        "nul", "nulle", "naze", "honte", "honteux", "honteuse", "scandale", "scandaleux",
        "arnaque", "arnaqueur(|s)", "escroc", "escroquerie", "inadmissible", "inacceptable",
        "lamentable", "pitoyable", "catastrophe", "catastrophique", "horrible", "mauvais",
        "mauvaise", "decu", "decue", "deception", "decevant", "decevante", "colere", "enerve",
        "enervee", "marre", "ras le bol", "inutile", "incompetent(|s)", "mepris", "deteste",
        "pire", "galere", "probleme", "souci", "triste", "dommage", "mal", "bug", "bugge",
        "panne", "casse", "cassee", "defectueux", "perdu", "vol", "vole", "bad", "worst",
        "terrible", "awful", "hate", "disappointed", "disappointing", "scam", "useless", "broken",
        "angry", "sad", "poor", "rude", "fail", "sucks", "shame",
    ),
    # Complaints about service read as negative even when politely worded.
    "complaint": (
        "toujours pas (recu|livre|rembourse|de reponse|de nouvelles)",
        "jamais (recu|livre|rembourse)", "pas (|encore )(recu|ete livre|ete rembourse)",
        "toujours en attente", "toujours rien",
        "en attente (de|du) (|mon |ma )(remboursement|colis|commande|livraison)",
        "j'attends (|toujours |encore )(mon|ma|le|la|mes|un) "
        "(remboursement|colis|commande|livraison|avoir|technicien|retour)",
        "(ca|cela) fait (jours|semaines|mois|heures) que j'attends",
        "(ca|cela) fait <w> (jours|semaines|mois|heures) que j'attends", "injoignable",
        "aucune reponse", "sans reponse", "sans nouvelles", "personne ne repond",
        "ne repond (pas|jamais|plus)", "en retard", "retard de livraison",
        "<n> (jours|semaines) de retard", "colis perdu", "commande (perdue|annulee|bloquee)",
        "debite(|e) (deux|2) fois", "preleve(|e) (deux|2) fois", "rembourse(|z)(-| )moi",
        "pas rembourse(|e)", "remboursement (toujours|jamais|refuse)", "panne", "en panne",
        "ne fonctionne (pas|plus)", "ne marche (pas|plus)",
        "impossible de (vous joindre|joindre|me connecter|commander|payer|passer)",
        "service (indisponible|coupe)", "site (en panne|inaccessible|plante)",
        "appli(|cation) plante", "mal (accueilli|recu|parle)", "impoli(|e)", "desagreable",
        "agressif", "agressive", "on m'a raccroche", "raccroche au nez",
        "relance (pour la|plusieurs)", "relance <n>", "je relance", "reclamation", "litige",
        "mediateur", "60 millions", "ufc", "plainte",
        "still (not|haven't) (received|arrived|refunded)", "never (arrived|received|refunded)",
        "no (response|reply|answer) from (your|customer|support)", "on hold for",
        "waiting for (|my )(refund|order|parcel|package)",
    ),
}  # fmt: skip

_LEXICONS = PhraseLexicons(
    {**SENTIMENT_CUES, **{f"topic:{t}": cues for t, cues in TOPIC_CUES.items() if cues}}
)
_TOPICS = tuple(t for t, cues in TOPIC_CUES.items() if cues)
_ASKS, _REQUEST, _SUGGESTION, _NEGATION, _INTENSIFIER, _POSITIVE, _NEGATIVE, _COMPLAINT = (
    _LEXICONS.index(name) for name in SENTIMENT_CUES
)
_TOPIC_INDEX = tuple(_LEXICONS.index(f"topic:{t}") for t in _TOPICS)
_NEGATION_REACH = 25  # characters before a polar word where a negation turns it around
# A negation's scope ends at the clause's end: "sans discuter. Bravo !", "pas de souci, top"
# (the polar word after the mark is not negated).
_CLAUSE_END = re.compile(r"[.,;:!?\n]")

_EMOJI_POSITIVE = set("😀😃😄😁😆😊🙂😍🥰😘👍👏🙏💪🎉❤💙💚💛💜🤩😎✨🔥✅🥳😻🤗💯⭐🌟")
_EMOJI_NEGATIVE = set("😠😡🤬😤😞😔😟😢😭😩😫🙁☹😒🙄👎💔🤮🤢😱😨😰😖😣❌⚠🤡💩")

# The labelers of one batch (sentiment, topic) ask several questions of the same texts:
# remembering the last few thousand short ones makes it one fold and one scan per text (memory
# stays bounded: a long post is scanned again rather than kept).
_BATCH_MEMORY = 8192
_MEMORY_CHARS = 600


@dataclass(frozen=True, slots=True)
class Cues:
    """What the cue lexicons found in one text: its folded form and the matches of each."""

    folded: str
    spans: list[list[tuple[int, int]]]

    def count(self, lexicon: int) -> int:
        return len(self.spans[lexicon])


def cues_of(text: str) -> Cues:
    """The folded text and every cue found in it (remembered for short texts)."""
    return _remembered(text) if len(text) <= _MEMORY_CHARS else _scan(text)


def _scan(text: str) -> Cues:
    folded = normalise(text)
    return Cues(folded, _LEXICONS.scan(folded))


_remembered = lru_cache(maxsize=_BATCH_MEMORY)(_scan)


def fold(text: str) -> str:
    """The folded text (`nlp.text.normalise`), remembered with the text's cues."""
    return cues_of(text).folded


# --- questions, requests, suggestions ------------------------------------------------------


def is_question(text: str) -> bool:
    """A question or an information request, in French or English."""
    found = cues_of(text)
    return "?" in found.folded or bool(found.spans[_ASKS])


def asks_information(text: str) -> bool:
    """A question said in words ("est-ce que", "quelqu'un sait", "does anyone"), not only "?"."""
    return bool(cues_of(text).spans[_ASKS])


def is_request(text: str) -> bool:
    """Asks someone to do something ("pouvez-vous", "svp", "please")."""
    return bool(cues_of(text).spans[_REQUEST])


def is_suggestion(text: str) -> bool:
    """Proposes an idea or an improvement ("ce serait bien que", "vous devriez")."""
    return bool(cues_of(text).spans[_SUGGESTION])


# --- topic cues ----------------------------------------------------------------------------


def topic_cue_counts(text: str) -> dict[str, int]:
    """How many cues of each topic the text holds (suggestions count for crowdsourcing)."""
    found = cues_of(text)
    counts = {t: found.count(i) for t, i in zip(_TOPICS, _TOPIC_INDEX, strict=True)}
    counts["crowdsourcing"] = found.count(_SUGGESTION)
    return counts


# --- sentiment cues ------------------------------------------------------------------------


def complaint_count(text: str) -> int:
    """Cues of a complaint about service: delays, refunds, outages, rudeness, no answer."""
    return cues_of(text).count(_COMPLAINT)


def lexicon_features(text: str) -> list[float]:
    """Polarity cues as numbers: positive and negative words (negated ones swapped), emoji,
    intensifiers, complaints, question and exclamation marks."""
    return list(_lexicon(text) if len(text) <= _MEMORY_CHARS else _lexicon.__wrapped__(text))


@lru_cache(maxsize=_BATCH_MEMORY)
def _lexicon(text: str) -> tuple[float, ...]:
    found = cues_of(text)
    negations = found.spans[_NEGATION]
    pos = neg = 0.0
    for sign, lexicon in ((1, _POSITIVE), (-1, _NEGATIVE)):
        for start, _ in found.spans[lexicon]:
            reach = start - _NEGATION_REACH
            negated = any(
                reach <= s and e <= start and not _CLAUSE_END.search(found.folded, e, start)
                for s, e in negations
            )
            if (sign > 0) != negated:
                pos += 1
            else:
                neg += 1
    emoji_pos = sum(1 for ch in text if ch in _EMOJI_POSITIVE)
    emoji_neg = sum(1 for ch in text if ch in _EMOJI_NEGATIVE)
    folded = found.folded
    return (
        pos, neg, float(emoji_pos), float(emoji_neg),
        float(found.count(_INTENSIFIER)), float(found.count(_COMPLAINT)),
        float(folded.count("!")), float("?" in folded),
    )  # fmt: skip


LEXICON_FEATURES = (
    "positive", "negative", "emoji_positive", "emoji_negative",
    "intensifiers", "complaints", "exclamations", "question",
)  # fmt: skip
