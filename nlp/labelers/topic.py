"""Topic of a mention from domain knowledge: cue lexicons, question, request and suggestion
detection, and whether the author is the brand's own account."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from nlp import cues
from nlp.cleanup import bounded, letter_count
from nlp.labelers import register
from nlp.labelers.base import Doc, Prediction, best, docs_of
from storage.vocab import TOPICS

if TYPE_CHECKING:
    from config.settings import Settings

# When two topics score the same, the earlier wins: a complaint asked as a question is
# customer service, a suggestion phrased as a question is crowdsourcing, a question about a
# product is a request for information rather than an opinion.
PRECEDENCE = (
    "service_client", "crowdsourcing", "information", "prescription",
    "communication", "communaute", "autre",
)  # fmt: skip
CUE_WEIGHT = {
    "prescription": 1.0, "communication": 1.1, "service_client": 1.2, "information": 1.1,
    "communaute": 1.1, "crowdsourcing": 2.2,
}  # fmt: skip
BASELINE_AUTRE = 0.7
TEMPERATURE = 1.4
_REPLY = re.compile(r"^\s*@\w+")
_SUPPORT_REPLY = re.compile(
    r"desole|navre|excuses|en (?:mp|dm)|message prive|numero de commande|espace client|"
    r"conseiller|nous (?:avons|venons|transmettons|remontons)|sorry|dm us|apologi",
)


def _handle(value: str | None) -> str:
    return (value or "").strip().lstrip("@").casefold()


class TopicLabeler:
    task = "topic"
    version = "veille.topic.v1"
    model = "veille-topic-cues"
    labels: tuple[str, ...] = TOPICS

    def __init__(self, own_accounts: dict[str, set[str]] | None = None) -> None:
        # brand -> its own handles; any brand's own account counts when a mention names none.
        self.own_accounts = own_accounts or {}
        self._all_own = set().union(*self.own_accounts.values()) if self.own_accounts else set()

    def is_own_account(self, doc: Doc) -> bool:
        if doc.own_account:  # the source said so (a company's reply to a review)
            return True
        handle = _handle(doc.author)
        if not handle:
            return False
        if doc.brands:
            return any(handle in self.own_accounts.get(b.casefold(), ()) for b in doc.brands)
        return handle in self._all_own

    def scores(self, doc: Doc) -> dict[str, float]:
        text = bounded(" ".join(t for t in (doc.title, doc.text) if t))
        raw = dict.fromkeys(TOPICS, 0.0)
        raw["autre"] = BASELINE_AUTRE
        if letter_count(text) < 3:
            return _softmax(raw)
        counts = cues.topic_cue_counts(text)
        for topic, n in counts.items():
            raw[topic] += CUE_WEIGHT[topic] * min(n, 3) ** 0.7
        folded = cues.fold(text)
        # Opinion words make an opinion (prescription) more likely than off-topic talk.
        polarity = cues.lexicon_features(text)
        raw["prescription"] += 0.45 * min(polarity[0] + polarity[1], 3.0)
        question = cues.is_question(text)
        if cues.complaint_count(text):
            raw["service_client"] += 1.5
        if question:
            if counts["service_client"]:
                raw["service_client"] += 0.8
            elif not counts["crowdsourcing"]:
                raw["information"] += 1.3
                raw["prescription"] *= 0.5
        if cues.is_request(text) and counts["service_client"]:
            raw["service_client"] += 0.5
        if self.is_own_account(doc):
            if _REPLY.match(text) or _SUPPORT_REPLY.search(folded):
                raw["service_client"] += 3.0
            else:
                raw["communication"] += 3.0
        return _softmax(raw)

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]:
        return [best(self.scores(doc)) for doc in docs_of(docs)]


def _softmax(raw: dict[str, float]) -> dict[str, float]:
    # A tiny, precedence-ordered nudge breaks ties deterministically.
    adjusted = {t: raw[t] + 1e-6 * (len(PRECEDENCE) - PRECEDENCE.index(t)) for t in TOPICS}
    top = max(adjusted.values())
    exp = {t: math.exp((v - top) * TEMPERATURE) for t, v in adjusted.items()}
    total = sum(exp.values())
    return {t: exp[t] / total for t in TOPICS}


@register("topic", version="veille.topic.v1")
def make_topic(settings: Settings) -> TopicLabeler:
    return TopicLabeler(
        {b.name.casefold(): {_handle(a) for a in b.own_accounts} for b in settings.brands}
    )
