"""A blunt check that a text is in its source's language, from function words and script.

The bundled language model is unsure on short and Ivorian-French texts; the corpus only
needs to leave out texts clearly written in another language, so counting unambiguous
function words is safer here than trusting the model's probabilities."""

from __future__ import annotations

import re
import unicodedata

_FUNCTION_WORDS = {
    "fr": "le la les des une est et que qui pas pour avec dans je vous nous mais cette du au aux "
    "très sont ont mon ma mes votre vos leur quand",
    "en": "the and is are was to of for with you my not this that have it your but what why "
    "been will would from they",
    "es": "el los las por para una del muy pero como esta está y estoy tengo hay",
    "it": "il che non per della sono ho questo molto anche gli",
    "pt": "não uma com os do da em eu muito você isso",
    "de": "der das und ist nicht ich mit ein eine für auf sie es wir",
    "nl": "het een van niet ik je dat voor met zijn op wij",
}
_WORDS = {lang: frozenset(words.split()) for lang, words in _FUNCTION_WORDS.items()}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def latin_share(text: str) -> float:
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    latin = sum("LATIN" in unicodedata.name(c, "") for c in letters)
    return latin / len(letters)


def other_language(text: str, lang: str) -> str | None:
    """The language `text` is clearly written in when it is not `lang`, else None."""
    if latin_share(text) < 0.5:
        return "non-latin script"
    tokens = [t.lower() for t in _TOKEN.findall(text)]
    counts = {code: sum(t in words for t in tokens) for code, words in _WORDS.items()}
    best = max(counts, key=lambda code: counts[code])
    if best != lang and counts[best] >= 2 and counts[lang] * 3 < counts[best]:
        return best
    return None
