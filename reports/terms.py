"""The words of a text a person reads: the one tokeniser of alert top terms and report drivers."""

from __future__ import annotations

from nlp.text import tokenise
from reports.stopwords import is_stop_word

MIN_LENGTH = 3


def words(text: str) -> list[str]:
    """The words of a text in order: lower-cased, links, numbers, elisions and stop words out.

    "J'ai eu un message d'erreur vers 9 h" → ["message", "erreur"]. The words of top terms
    (alert e-mails) and of the reports' drivers, by `nlp.text.tokenise(read=True)`.
    """
    return [w for w in tokenise(text, read=True) if len(w) >= MIN_LENGTH and not is_stop_word(w)]


def tokens(text: str) -> set[str]:
    """The distinct words of a text (see `words`)."""
    return set(words(text))
