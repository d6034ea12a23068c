"""The transformers backend, on a tiny BERT the test builds and saves itself (no download)."""

from __future__ import annotations

from pathlib import Path

import pytest

from config.settings import Settings
from nlp.labelers import NotConfigured, load

torch = pytest.importorskip("torch", reason="the transformers extra is not installed")
transformers = pytest.importorskip("transformers", reason="the transformers extra is not installed")

WORDS = ["super", "génial", "nul", "colis", "retard", "merci", "produit", "le", "est"]


def _tiny_model(folder: Path, labels: dict[int, str]) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    vocab = {t: i for i, t in enumerate(["[PAD]", "[UNK]", "[CLS]", "[SEP]", *WORDS])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="[UNK]"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
        sep_token="[SEP]", model_max_length=64,
    )  # fmt: skip
    config = BertConfig(
        vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=64, num_labels=len(labels),
        id2label=labels, label2id={v: k for k, v in labels.items()},
    )  # fmt: skip
    torch.manual_seed(0)
    model = BertForSequenceClassification(config)
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder


def _settings(model: Path | None) -> Settings:
    return Settings.model_validate(
        {"nlp": {"sentiment": {"backend": "transformers", "model": str(model) if model else None,
                               "batch_size": 4}}}
    )  # fmt: skip


def test_tiny_model_labels_with_its_own_label_names(tmp_path: Path) -> None:
    folder = _tiny_model(tmp_path / "tiny", {0: "Negative", 1: "Neutral", 2: "Positive"})
    labeler = load("sentiment", _settings(folder))
    assert labeler.version == "veille.sentiment-transformers.v1"
    assert labeler.model == str(folder)
    texts = ["super produit merci", "colis en retard nul " * 400, "", "\x00\x01", "🙂🙂", "x"]
    predictions = labeler.label_batch(texts)  # 6 texts in batches of 4, one truncated
    assert len(predictions) == len(texts)
    for p in predictions:
        assert p.value in ("negative", "neutral", "positive")
        assert set(p.scores) == {"negative", "neutral", "positive"}
        assert abs(sum(p.scores.values()) - 1) < 1e-3
    assert predictions[2].value == "neutral" and predictions[3].value == "neutral"
    # Same text, same answer, whatever the batch around it.
    alone = labeler.label_batch(["super produit merci"])[0]
    assert alone.scores == pytest.approx(predictions[0].scores, abs=1e-3)


def test_star_labels_are_mapped(tmp_path: Path) -> None:
    stars = {i: f"{i + 1} star" + ("s" if i else "") for i in range(5)}
    folder = _tiny_model(tmp_path / "stars", stars)
    (p,) = load("sentiment", _settings(folder)).label_batch(["génial"])
    assert p.value in ("negative", "neutral", "positive")


def test_model_without_sentiment_labels_is_refused(tmp_path: Path) -> None:
    folder = _tiny_model(tmp_path / "topics", {0: "sport", 1: "politics"})
    with pytest.raises(NotConfigured, match="sport"):
        load("sentiment", _settings(folder))


def test_missing_model_is_not_configured(tmp_path: Path) -> None:
    with pytest.raises(NotConfigured, match=r"nlp\.sentiment\.model"):
        load("sentiment", _settings(None))
    with pytest.raises(NotConfigured, match="cannot load"):
        load("sentiment", _settings(tmp_path / "nowhere"))
