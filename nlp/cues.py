"""Cue lexicons (French first, English second) and question, request and suggestion detection.

Every pattern is written against `fold(text)`: lower case, accents stripped, one kind of
apostrophe. The topic labeler, the sentiment labeler's lexicon features and the contributor
profiles all read these, so a cue is added in one place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from nlp.topic_cues import TOPIC_CUES


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in {"’": "'", "‘": "'", "`": "'", "´": "'"}.items()}
    for code in range(0xC0, 0x250):  # Latin-1 Supplement and Latin Extended-A/B
        ch = chr(code)
        base = "".join(
            c for c in unicodedata.normalize("NFKD", ch.lower()) if not unicodedata.combining(c)
        )
        if base != ch:
            table[code] = base
    return table


_FOLD = _fold_table()


# The labelers of one batch (sentiment, topic) fold the same texts several times: remembering
# the last few thousand short ones makes it one normalisation pass per text (memory stays
# bounded: a long post is folded again rather than kept).
_BATCH_MEMORY = 8192
_MEMORY_CHARS = 600


def fold(text: str) -> str:
    """Lower case, accents stripped, apostrophes unified: the form cue patterns match."""
    return _fold_remembered(text) if len(text) <= _MEMORY_CHARS else _fold(text)


def _fold(text: str) -> str:
    return text.lower().translate(_FOLD)


_fold_remembered = lru_cache(maxsize=_BATCH_MEMORY)(_fold)


def _alternation(phrases: Iterable[str]) -> re.Pattern[str]:
    """One regex matching any phrase on word boundaries (phrases may hold regex syntax)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    return re.compile(r"(?<![\w])(?:" + "|".join(ordered) + r")(?![\w])")


# --- questions, requests, suggestions ------------------------------------------------------

_QUESTION_STARTS = _alternation([
    r"est-ce que", r"est-ce qu'", r"est ce que", r"quelqu'un", r"qqn", r"quelqu'un sait",
    r"savez-vous",
    r"savez vous", r"vous savez si", r"comment", r"pourquoi", r"quand", r"ou est", r"ou trouver",
    r"quel", r"quelle", r"quels", r"quelles", r"lequel", r"laquelle", r"combien", r"peut-on",
    r"on peut", r"y a-t-il", r"il y a moyen", r"c'est possible de", r"connaissez-vous",
    r"vous connaissez", r"des avis", r"un avis", r"vous en pensez quoi", r"qu'en pensez-vous",
    r"does anyone", r"anyone know", r"how do", r"how can", r"what", r"where", r"when", r"which",
    r"why", r"is it", r"is there", r"can i", r"can you", r"do you", r"any advice",
])  # fmt: skip
_QUESTION_ANYWHERE = _alternation([
    r"quelqu'un sait", r"qqn sait", r"savez-vous", r"vous savez si", r"je me demande",
    r"vous me conseillez", r"vous conseillez quoi", r"vous en pensez quoi", r"des infos",
    r"une idee", r"anyone know", r"any idea", r"i wonder", r"do you know",
])  # fmt: skip
_REQUEST = _alternation([
    r"pouvez-vous", r"pouvez vous", r"pourriez-vous", r"pourriez vous", r"merci de me",
    r"merci de bien vouloir", r"svp", r"stp", r"s'il vous plait", r"s'il te plait", r"aidez-moi",
    r"aidez moi", r"besoin d'aide", r"je voudrais", r"j'aimerais savoir", r"contactez-moi",
    r"please", r"pls", r"plz", r"could you", r"can you", r"help me", r"need help",
])  # fmt: skip
_SUGGESTION = _alternation([
    r"ce serait (?:bien|top|genial|super|cool|pratique|sympa|bien pratique)",
    r"ca serait (?:bien|top|genial|super|cool|pratique|sympa)", r"ce serait bien que",
    r"vous devriez", r"tu devrais", r"il faudrait", r"faudrait", r"pourquoi ne pas",
    r"pourquoi vous ne", r"pourquoi ne proposez", r"suggestion", r"je suggere", r"je propose",
    r"une idee pour", r"petite idee", r"idee d'amelioration", r"ameliorer", r"amelioration",
    r"serait-il possible", r"serait il possible", r"pensez a (?:ajouter|proposer|mettre)",
    r"ajoutez", r"proposez", r"j'aimerais (?:bien )?que vous", r"j'aimerais qu'il y ait",
    r"ce qui manque", r"devrai(?:t|ent) (?:proposer|faire|vendre|ouvrir|mettre|creer|lancer)",
    r"pourrai(?:t|ent) (?:proposer|faire|vendre|ouvrir|mettre|creer|lancer)", r"proposition ?:",
    r"idee (?:pour|:)", r"faites (?:des|un|une)", r"ameliorez", r"j'aimerais que",
    r"ce serait le reve", r"manque juste", r"mettez en place",
    r"vous pourriez (?:ajouter|proposer|mettre|faire)",
    r"you should", r"it would be (?:nice|great|good|helpful|cool)", r"would be (?:nice|great) if",
    r"please add", r"feature request", r"why not (?:add|offer|make)", r"i suggest",
    r"i'd love to see",
    r"consider adding",
])  # fmt: skip


_LEADING_HANDLES = re.compile(r"^(?:\s*@\w+)*\s*")


def is_question(text: str) -> bool:
    """A question or an information request, in French or English."""
    folded = fold(text)
    return "?" in folded or asks_information(text)


def asks_information(text: str) -> bool:
    """A question said in words ("est-ce que", "quelqu'un sait", "does anyone"), not only "?"."""
    folded = fold(text)
    head = _LEADING_HANDLES.sub("", folded)[:40]
    return bool(_QUESTION_STARTS.match(head) or _QUESTION_ANYWHERE.search(folded))


def is_request(text: str) -> bool:
    """Asks someone to do something ("pouvez-vous", "svp", "please")."""
    return bool(_REQUEST.search(fold(text)))


def is_suggestion(text: str) -> bool:
    """Proposes an idea or an improvement ("ce serait bien que", "vous devriez")."""
    return bool(_SUGGESTION.search(fold(text)))


# --- topic cues ----------------------------------------------------------------------------

_TOPIC_PATTERNS = {topic: _alternation(cues) for topic, cues in TOPIC_CUES.items() if cues}


def topic_cue_counts(text: str) -> dict[str, int]:
    """How many cues of each topic the text holds (suggestions count for crowdsourcing)."""
    folded = fold(text)
    counts = {topic: len(p.findall(folded)) for topic, p in _TOPIC_PATTERNS.items()}
    counts["crowdsourcing"] = len(_SUGGESTION.findall(folded))
    return counts


# --- sentiment cues ------------------------------------------------------------------------

NEGATIONS = _alternation([
    r"ne", r"n'", r"pas", r"jamais", r"aucun", r"aucune", r"rien", r"sans", r"ni",
    r"not", r"no", r"never", r"nothing", r"\w+n't", r"nobody", r"none",
])  # fmt: skip
_INTENSIFIERS = _alternation([
    r"tres", r"trop", r"vraiment", r"super", r"hyper", r"grave", r"tellement", r"completement",
    r"totalement", r"absolument", r"really", r"so", r"very", r"extremely", r"totally",
])  # fmt: skip
_POSITIVE = _alternation([
    r"merci", r"bravo", r"genial", r"geniale", r"super", r"excellent", r"excellente", r"parfait",
    r"parfaite", r"top", r"adore", r"j'adore", r"aime", r"j'aime", r"content", r"contente",
    r"ravi", r"ravie", r"satisfait", r"satisfaite", r"recommande", r"nickel", r"impeccable",
    r"efficace", r"rapide", r"sympa", r"magnifique", r"bien", r"bon", r"bonne", r"beau", r"belle",
    r"heureux", r"heureuse", r"cool", r"felicitations", r"incroyable", r"formidable", r"reactif",
    r"reactive", r"love", r"great", r"good", r"awesome", r"amazing", r"thanks", r"thank you",
    r"happy", r"best", r"perfect", r"nice", r"excellent", r"fantastic", r"wonderful", r"enjoy",
])  # fmt: skip
_NEGATIVE = _alternation([
    r"nul", r"nulle", r"naze", r"honte", r"honteux", r"honteuse", r"scandale", r"scandaleux",
    r"arnaque", r"arnaqueurs?", r"escroc", r"escroquerie", r"inadmissible", r"inacceptable",
    r"lamentable", r"pitoyable", r"catastrophe", r"catastrophique", r"horrible", r"mauvais",
    r"mauvaise", r"decu", r"decue", r"deception", r"decevant", r"decevante", r"colere",
    r"enerve", r"enervee", r"marre", r"ras le bol", r"inutile", r"incompetents?", r"mepris",
    r"deteste", r"pire", r"galere", r"probleme", r"souci", r"triste", r"dommage", r"mal",
    r"bug", r"bugge", r"panne", r"casse", r"cassee", r"defectueux", r"perdu", r"vol", r"vole",
    r"bad", r"worst", r"terrible", r"awful", r"hate", r"disappointed", r"disappointing", r"scam",
    r"useless", r"broken", r"angry", r"sad", r"poor", r"rude", r"fail", r"sucks", r"shame",
])  # fmt: skip
# Complaints about service read as negative even when politely worded.
_COMPLAINT = _alternation([
    r"toujours pas (?:recu|livre|rembourse|de reponse|de nouvelles)",
    r"jamais (?:recu|livre|rembourse)",
    r"pas (?:encore )?(?:recu|ete livre|ete rembourse)", r"toujours en attente", r"toujours rien",
    r"en attente (?:de|du) (?:mon |ma )?(?:remboursement|colis|commande|livraison)",
    r"j'attends (?:toujours |encore )?(?:mon|ma|le|la|mes|un) "
    r"(?:remboursement|colis|commande|livraison|avoir|technicien|retour)",
    r"(?:ca|cela) fait (?:\w+ )?(?:jours|semaines|mois|heures) que j'attends",
    r"injoignable", r"aucune reponse", r"sans reponse", r"sans nouvelles", r"personne ne repond",
    r"ne repond (?:pas|jamais|plus)", r"en retard", r"retard de livraison",
    r"\d+ (?:jours|semaines) de retard",
    r"colis perdu", r"commande (?:perdue|annulee|bloquee)", r"debite(?:e)? (?:deux|2) fois",
    r"preleve(?:e)? (?:deux|2) fois", r"rembourse(?:z)?[- ]moi", r"pas rembourse(?:e)?",
    r"remboursement (?:toujours|jamais|refuse)", r"panne", r"en panne",
    r"ne fonctionne (?:pas|plus)",
    r"ne marche (?:pas|plus)",
    r"impossible de (?:vous joindre|joindre|me connecter|commander|payer|passer)",
    r"service (?:indisponible|coupe)", r"site (?:en panne|inaccessible|plante)",
    r"appli(?:cation)? plante",
    r"mal (?:accueilli|recu|parle)", r"impoli(?:e)?", r"desagreable", r"agressif", r"agressive",
    r"on m'a raccroche", r"raccroche au nez", r"relance (?:pour la|plusieurs|\d+)", r"je relance",
    r"reclamation", r"litige", r"mediateur", r"60 millions", r"ufc", r"plainte",
    r"still (?:not|haven't) (?:received|arrived|refunded)", r"never (?:arrived|received|refunded)",
    r"no (?:response|reply|answer) from (?:your|customer|support)", r"on hold for",
    r"waiting for (?:my )?(?:refund|order|parcel|package)",
])  # fmt: skip
_EMOJI_POSITIVE = set("😀😃😄😁😆😊🙂😍🥰😘👍👏🙏💪🎉❤💙💚💛💜🤩😎✨🔥✅🥳😻🤗💯⭐🌟")
_EMOJI_NEGATIVE = set("😠😡🤬😤😞😔😟😢😭😩😫🙁☹😒🙄👎💔🤮🤢😱😨😰😖😣❌⚠🤡💩")


def complaint_count(text: str) -> int:
    """Cues of a complaint about service: delays, refunds, outages, rudeness, no answer."""
    return len(_COMPLAINT.findall(fold(text)))


def lexicon_features(text: str) -> list[float]:
    """Polarity cues as numbers: positive and negative words (negated ones swapped), emoji,
    intensifiers, complaints, question and exclamation marks."""
    return list(_lexicon(text) if len(text) <= _MEMORY_CHARS else _lexicon.__wrapped__(text))


@lru_cache(maxsize=_BATCH_MEMORY)
def _lexicon(text: str) -> tuple[float, ...]:
    folded = fold(text)
    pos = neg = 0.0
    for match, sign in _polar_matches(folded):
        window = folded[max(0, match - 25) : match]
        negated = bool(NEGATIONS.search(window))
        if (sign > 0) != negated:
            pos += 1
        else:
            neg += 1
    emoji_pos = sum(1 for ch in text if ch in _EMOJI_POSITIVE)
    emoji_neg = sum(1 for ch in text if ch in _EMOJI_NEGATIVE)
    return (
        pos, neg, float(emoji_pos), float(emoji_neg),
        float(len(_INTENSIFIERS.findall(folded))), float(len(_COMPLAINT.findall(folded))),
        float(folded.count("!")), float("?" in folded),
    )  # fmt: skip


LEXICON_FEATURES = (
    "positive", "negative", "emoji_positive", "emoji_negative",
    "intensifiers", "complaints", "exclamations", "question",
)  # fmt: skip


def _polar_matches(folded: str) -> list[tuple[int, int]]:
    found = [(m.start(), 1) for m in _POSITIVE.finditer(folded)]
    found += [(m.start(), -1) for m in _NEGATIVE.finditer(folded)]
    return found
