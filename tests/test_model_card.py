"""The model card's figures (`bench/model_card.py`): written from `bench/labels.py`'s report,
between the card's markers, naming the files they describe — the committed ones."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from bench_scripts import bench_script

PROFILES = ("accurate", "thorough", "fast", "thorough[en]")


def _result(classes: list[str], score: float) -> dict[str, Any]:
    def lang(n: int) -> dict[str, Any]:
        return {
            "n": n, "macro_f1": score, "macro_f1_interval": [score - 0.05, score + 0.05],
            "accuracy": score + 0.01, "per_class_f1": dict.fromkeys(classes, score),
            "confusion": [[n if i == j else 0 for j in classes] for i in classes],
            "reliability": [{"from": 0.9, "to": 1.0, "n": n, "mean_score": 0.95, "right": 0.9},
                            {"from": 0.0, "to": 0.4, "n": 0, "mean_score": 0.0, "right": 0.0}],
            "ece": 0.02, "ece_calibrated_bound": 0.04, "ece_calibrated_bound_99": 0.05,
        }  # fmt: skip

    return {"fr": lang(655), "en": lang(236), "classes": classes}


def _report() -> dict[str, Any]:
    report: dict[str, Any] = {"files": {"sentiment.npz": "a" * 16, "topic.npz": "b" * 16},
                              "guide_examples": 69}  # fmt: skip
    for task, classes in (("sentiment", ["negative", "neutral", "positive"]),
                          ("topic", ["prescription", "autre"])):  # fmt: skip
        for k, profile in enumerate(PROFILES):
            report[f"{task}_test_{profile}"] = _result(classes, 0.7 + k / 100)
            report[f"{task}_test_{profile}_by_kind"] = {"fr": {"review": {
                "n": 228, "macro_f1": 0.75, "accuracy": 0.8}}}  # fmt: skip
            report[f"{task}_guide_misread_{profile}"] = [{"rule": "R12"}, {"rule": "F3"}][:k]
            en_only = {k: v for k, v in _result(classes, 0.6).items() if k != "fr"}
            report[f"{task}_test6_{profile}"] = en_only
            report[f"{task}_english_pooled_{profile}"] = _result(classes, 0.65)["en"]
    for profile in PROFILES:
        report[f"suggestions_trial_{profile}"] = {"f1": 0.74, "precision": 0.6, "recall": 0.9,
                                                  "n": 592}  # fmt: skip
    report["sentiment_cv_train"] = {lang: {p: {"cv_corpus": 0.8, "cv_umsab": 0.61}
                                           for p in (*PROFILES[:3], "cascade")}
                                    for lang in ("fr", "en")}  # fmt: skip
    report["topic_cv_train"] = {p: {"macro_f1_fr": 0.75, "macro_f1_en": 0.61} for p in PROFILES[:3]}
    report["sentiment_umsab_val"] = {p: {"fr": 0.67, "en": 0.63, "de": 0.70} for p in PROFILES}
    return report


def test_the_figures_are_written_between_the_markers_and_nothing_else_moves(
    tmp_path: Path,
) -> None:
    card = bench_script("model_card")
    block = card.render(_report())
    assert block.startswith(card.BEGIN) and block.endswith(card.END)
    assert "`sentiment.npz` aaaaaaaaaaaaaaaa, `topic.npz` bbbbbbbbbbbbbbbb" in block
    # The default profile first; each profile's own figures, fr / en, with the interval.
    assert "| `accurate` (default) fr / en | `thorough` fr / en | `fast` fr / en |" in block
    assert "**0.700** (0.650–0.750) / **0.700** (0.650–0.750) | **0.710**" in block
    assert "| English, a second measure (test6), n – / 236 | beside | – / 0.600 |" in block
    assert "69 examples read wrong | guide | 0 (none) | 1 (R12) | 2 (F3, R12) |" in block
    assert "`crowdsourcing` F1 on the SemEval trial sentences, n 592" in block
    assert "| fr | `review` | 228 | 0.750 / 0.800 |" in block
    assert (
        "UMSAB validation, the other languages (`accurate`, the multilingual block): de 0.700"
        in block
    )
    # An empty reliability bin is left out of the table.
    assert "| 0.9–1.0 | 655 | 0.95 | 0.90 |" in block and "| 0.0–0.4 |" not in block

    path = tmp_path / "README.md"
    path.write_text(f"# Cards\n\nbefore\n{card.BEGIN}\nold figures\n{card.END}\nafter\n")
    card.write_card(path, block)
    text = path.read_text()
    assert text.startswith("# Cards\n\nbefore\n") and text.endswith("\nafter\n")
    assert "old figures" not in text and text.count(card.BEGIN) == 1
    path.write_text("# Cards without markers\n")
    with pytest.raises(SystemExit, match="markers"):
        card.write_card(path, block)


def test_the_card_describes_the_committed_model_files() -> None:
    """The figures were written from these bytes: a model file committed without its figures
    (`nice python bench/labels.py --card nlp/models/README.md`) fails here."""
    from nlp.model_store import packaged_model

    card = bench_script("model_card")
    text = card.CARD.read_text(encoding="utf-8")
    named = dict(re.findall(r"`([a-z0-9_]+\.npz)` ([0-9a-f]{16})", text.split(card.END)[0]))
    files = card.identities(packaged_model("sentiment"), packaged_model("topic"))
    assert set(files) == {"sentiment.npz", "topic.npz", "e5_sentiment.npz", "e5_topic.npz"}
    assert named == files, (
        "nlp/models/README.md describes other model files than the committed ones: run "
        "`nice python bench/labels.py --card nlp/models/README.md`"
    )
