"""Sentiment with a Hugging Face sequence-classification model (`nlp.sentiment.backend:
transformers`): a local path or an id already in the local cache, never a download."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from nlp.cleanup import bounded, clean, letter_count
from nlp.labelers import register
from nlp.labelers.base import Doc, NotConfigured, Prediction, best, docs_of
from nlp.labelers.sentiment import NEUTRAL_ONLY
from storage.vocab import SENTIMENTS

if TYPE_CHECKING:
    from config.settings import Settings

MAX_TOKENS = 256
_OFFSET_MODELS = {"roberta", "xlm-roberta", "camembert", "bertweet"}
_ALIASES = {
    "negative": "negative", "neg": "negative", "label_0": "negative", "0": "negative",
    "neutral": "neutral", "neu": "neutral", "label_1": "neutral", "1": "neutral",
    "positive": "positive", "pos": "positive", "label_2": "positive", "2": "positive",
    "1 star": "negative", "2 stars": "negative", "3 stars": "neutral", "4 stars": "positive",
    "5 stars": "positive",
}  # fmt: skip


def map_labels(id2label: dict[int, str]) -> dict[int, str]:
    """The model's own class names mapped to negative/neutral/positive, or a clear error."""
    mapped: dict[int, str] = {}
    for idx, name in id2label.items():
        key = str(name).strip().lower()
        if key not in _ALIASES:
            raise NotConfigured(
                f"the model's label {name!r} is not a sentiment; its labels are "
                f"{sorted(id2label.values())} and Veille needs negative/neutral/positive"
            )
        mapped[int(idx)] = _ALIASES[key]
    if set(mapped.values()) - set(SENTIMENTS) or not {"negative", "positive"} <= set(
        mapped.values()
    ):
        raise NotConfigured(
            f"the model's labels {sorted(id2label.values())} lack negative/positive"
        )
    return mapped


class TransformersSentiment:
    task = "sentiment"
    version = "veille.sentiment-transformers.v1"
    labels: tuple[str, ...] = SENTIMENTS

    def __init__(self, model: str, batch_size: int = 32, device: str | None = None) -> None:
        try:
            import torch
            from transformers import AutoModelForSequenceClassification, AutoTokenizer
        except ImportError as exc:
            raise NotConfigured(
                "the transformers backend needs the extra: pip install 'veille[transformers]'"
            ) from exc
        os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download at run time
        try:
            self._tokenizer = AutoTokenizer.from_pretrained(model, local_files_only=True)
            self._net = AutoModelForSequenceClassification.from_pretrained(
                model, local_files_only=True
            )
        except (OSError, ValueError) as exc:  # HFValidationError is a ValueError
            raise NotConfigured(
                f"cannot load the model {model!r} from a local path or the local Hugging Face "
                f"cache ({exc}); give a folder written by save_pretrained"
            ) from exc
        self._torch = torch
        self.device = device or ("cuda" if torch.cuda.is_available() else "cpu")
        self._net.to(self.device).eval()
        self._labels = map_labels(dict(self._net.config.id2label))
        self.model = model
        self.batch_size = batch_size
        limits = [MAX_TOKENS, getattr(self._tokenizer, "model_max_length", MAX_TOKENS)]
        positions = getattr(self._net.config, "max_position_embeddings", None)
        if isinstance(positions, int) and positions > 0:
            # RoBERTa-like models offset positions by the padding index.
            offset = 2 if getattr(self._net.config, "model_type", "") in _OFFSET_MODELS else 0
            limits.append(positions - offset)
        self.max_length = int(min(limits))

    def label_batch(self, docs: Sequence[Doc | str]) -> list[Prediction]:
        items = docs_of(docs)
        texts = [clean(" ".join(t for t in (d.title, d.text) if t), 2000) for d in items]
        out = [best(NEUTRAL_ONLY) for _ in items]
        usable = [i for i, t in enumerate(texts) if letter_count(bounded(t)) >= 2]
        for start in range(0, len(usable), self.batch_size):
            chunk = usable[start : start + self.batch_size]
            for i, scores in zip(chunk, self._scores([texts[i] for i in chunk]), strict=True):
                out[i] = best(scores)
        return out

    def _scores(self, texts: list[str]) -> list[dict[str, float]]:
        torch = self._torch
        batch: Any = self._tokenizer(
            texts, padding=True, truncation=True, max_length=self.max_length, return_tensors="pt"
        )
        batch = {k: v.to(self.device) for k, v in batch.items()}
        with torch.inference_mode():
            probs = torch.softmax(self._net(**batch).logits.float(), dim=-1).cpu().numpy()
        results = []
        for row in probs:
            scores = dict.fromkeys(SENTIMENTS, 0.0)
            for idx, p in enumerate(row):
                scores[self._labels[idx]] += float(p)
            results.append(scores)
        return results


@register("sentiment", version="veille.sentiment-transformers.v1", backend="transformers")
def make_transformers(settings: Settings) -> TransformersSentiment:
    conf = settings.nlp.sentiment
    if not conf.model:
        raise NotConfigured(
            "nlp.sentiment.backend is transformers but nlp.sentiment.model is empty; "
            "give a local model folder or a cached Hugging Face id"
        )
    return TransformersSentiment(conf.model, batch_size=conf.batch_size)
