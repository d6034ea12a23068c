"""Hand-made features of the learned topic model: cue counts per topic, question, request,
suggestion and complaint detection, polarity cues, and whether the brand wrote the text."""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from nlp import cues

CUE_TOPICS = (
    "prescription", "communication", "service_client", "information", "communaute",
    "crowdsourcing",
)  # fmt: skip
CUE_FEATURES = (
    *(f"cue_{t}" for t in CUE_TOPICS),
    "question", "asks_information", "request", "suggestion", "complaint",
    "positive", "negative", "emoji_positive", "emoji_negative", "exclamations",
    "reply", "link", "first_person", "second_person", "length", "own_account", "greets_by_name",
)  # fmt: skip
_REPLY = re.compile(r"^\s*@\w+")
_LINK = re.compile(r"https?://|www\.|\bhttp\b", re.IGNORECASE)
# The writer speaks of their own case ("ma commande", "my order") or to the brand ("vous").
_FIRST = re.compile(r"(?<!\w)(?:je|j'|moi|mon|ma|mes|i|i'm|i've|my|me)(?!\w)")
_SECOND = re.compile(r"(?<!\w)(?:vous|votre|vos|you|your)(?!\w)")
# A brand's reply greets the customer by name ("Bonjour Marc,", "Hi Sarah"); its posts do not.
_GREETS_BY_NAME = re.compile(
    r"^\s*(?:@\w+\s*)*(?:bonjour|bonsoir|hello|hi|hey|dear|cher|chère|salut)\s+"
    r"(?:m\.|mme|madame|monsieur|mr\.?|mrs\.?|ms\.?)?\s*[A-ZÀ-Ý][\wà-ÿ'-]+",
    re.IGNORECASE,
)


def cue_row(text: str, own_account: bool) -> list[float]:
    """One text's cue features (raw counts and flags, in CUE_FEATURES order)."""
    folded = cues.fold(text)
    counts = cues.topic_cue_counts(text)
    lex = cues.lexicon_features(text)
    return [
        *(float(counts.get(t, 0)) for t in CUE_TOPICS),
        float(cues.is_question(text)), float(cues.asks_information(text)),
        float(cues.is_request(text)), float(cues.is_suggestion(text)),
        float(cues.complaint_count(text)),
        lex[0], lex[1], lex[2], lex[3], lex[6],
        float(bool(_REPLY.match(text))), float(bool(_LINK.search(text))),
        float(len(_FIRST.findall(folded))), float(len(_SECOND.findall(folded))),
        float(len(text.split())) / 20.0, float(own_account),
        float(bool(_GREETS_BY_NAME.match(text)) and _names_someone(text)),
    ]  # fmt: skip


def _names_someone(text: str) -> bool:
    """The greeting's next word is capitalised in the text itself (a name, not "hi all")."""
    words = re.sub(r"^\s*(?:@\w+\s*)*", "", text).split()
    return len(words) > 1 and words[1][:1].isupper()


def cue_matrix(texts: Sequence[str], own_accounts: Sequence[bool]) -> np.ndarray:
    """log1p of the cue features: one row per text."""
    rows = [cue_row(t, own) for t, own in zip(texts, own_accounts, strict=True)]
    return np.log1p(np.array(rows, dtype=np.float32).reshape(-1, len(CUE_FEATURES)))
