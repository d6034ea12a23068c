"""What every labeler takes and gives: documents in, one prediction per document out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol, runtime_checkable


class NotConfigured(Exception):
    """A labeler that cannot run as configured (say, a transformers backend with no model)."""


@dataclass(frozen=True, slots=True)
class Doc:
    """One mention as the labelers see it: its text and what is known around it."""

    text: str
    title: str | None = None
    author: str | None = None  # the author's handle on the source
    source_kind: str | None = None  # forum, twitter_export… (config.settings.SourceKind)
    brands: tuple[str, ...] = ()  # the brands whose query matched
    lang: str | None = None  # the language the source gives, when it gives one
    own_account: bool = False  # the source says the author is the brand (a review's reply)

    @classmethod
    def of(cls, item: Doc | str | None) -> Doc:
        if isinstance(item, Doc):
            return item
        return cls(text="" if item is None else str(item))


@dataclass(frozen=True, slots=True)
class Prediction:
    value: str
    score: float
    scores: dict[str, float] = field(default_factory=dict)


@runtime_checkable
class Labeler(Protocol):
    task: str  # the Label.task it fills: language, sentiment, topic
    version: str  # bumped whenever its behaviour changes: veille.sentiment.v1
    model: str  # the model it runs, stored with each label
    labels: tuple[str, ...]  # the values it may give (empty: open set, as languages)

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]: ...


def docs_of(items: Sequence[Doc | str]) -> list[Doc]:
    return [Doc.of(item) for item in items]


def best(scores: dict[str, float]) -> Prediction:
    """The top class of a score dict as a Prediction (rounded for storage)."""
    value = max(scores, key=lambda k: scores[k])
    rounded = {k: round(float(v), 4) for k, v in scores.items()}
    return Prediction(value=value, score=rounded[value], scores=rounded)
