"""A sentiment model made of two files' language blocks (`nlp.language_blocks`), and `veille
train sentiment` taking from a model refused as a whole the languages where it is not worse
(`nlp.retrain.languages_taken`, `settle`)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sentiment_variants import english_cooler, french_reads_neutral, variant

from nlp.model_io import load_npz, meta_array, meta_of
from nlp.model_store import packaged_model

FRENCH = ["Merci au service client, problème réglé en dix minutes !",
          "Plus de connexion depuis hier soir, toujours rien.",
          "Le magasin ouvre à 9 h demain ?"]  # fmt: skip
ENGLISH = ["Thanks for sorting my refund so quickly, great service!",
           "My flight was cancelled and nobody answers the phone.",
           "What time does the store open tomorrow?"]  # fmt: skip


def _probs(path: Path, texts: list[str], lang: str) -> np.ndarray:
    from nlp.labelers.sentiment import SentimentModel

    return SentimentModel.from_file(path).predict(texts, [lang] * len(texts), None)


def test_the_combined_model_reads_each_language_as_the_file_its_block_came_from(
    tmp_path: Path,
) -> None:
    from nlp.language_blocks import changed, combine
    from nlp.model_io import file_identity

    active = packaged_model("sentiment")
    new = variant(tmp_path / "new.npz", french_reads_neutral, english_cooler)
    meta = combine(new, active, ["en"], tmp_path / "combined.npz")
    combined = tmp_path / "combined.npz"
    # English as the new file reads it, which is not as the active one does.
    assert np.allclose(_probs(combined, ENGLISH, "en"), _probs(new, ENGLISH, "en"))
    assert not np.allclose(_probs(combined, ENGLISH, "en"), _probs(active, ENGLISH, "en"))
    # French, and any other language (the multilingual block), as the active file.
    for texts, lang in ((FRENCH, "fr"), (["Danke für die schnelle Hilfe!"], "de")):
        assert np.allclose(_probs(combined, texts, lang), _probs(active, texts, lang))
    assert not np.allclose(_probs(combined, FRENCH, "fr"), _probs(new, FRENCH, "fr"))
    # Each block names the file it was trained in: the active file's own record where that
    # file is itself combined (the packaged model is), else the file's identity.
    trained_in = meta_of(load_npz(active)).get("blocks", {})
    assert meta["blocks"] == {
        name: {
            "from": "active",
            "file": trained_in.get(name, {}).get("file", file_identity(active)),
        }
        for name in ("multi", "fr")
    } | {"en": {"from": "new", "file": file_identity(new)}}
    recorded = meta_of(load_npz(combined))
    assert recorded["blocks"] == meta["blocks"]
    # Each specialist's cross-validated figures come with its block.
    assert recorded["cv"]["fr"] == meta_of(load_npz(active))["cv"]["fr"]
    # Only its English block differs from the active model's: taking its French one from it
    # again would change nothing.
    assert changed(combined, active) == ["en"] and changed(new, active) == ["fr", "en"]
    assert changed(active, active) == []
    # The same two files give the same bytes.
    combine(new, active, ["en"], tmp_path / "again.npz")
    assert (tmp_path / "again.npz").read_bytes() == combined.read_bytes()


def test_blocks_fitted_unlike_are_not_combined(tmp_path: Path) -> None:
    from nlp.language_blocks import CannotCombine, combine

    def other_rules(arrays: dict[str, np.ndarray]) -> None:
        meta = meta_of(arrays)
        meta["domain_rules"] = not meta["domain_rules"]
        arrays["meta"] = meta_array(meta)

    active = packaged_model("sentiment")
    ruled = variant(tmp_path / "ruled.npz", other_rules)
    with pytest.raises(CannotCombine, match=r"differ in 'domain_rules'.*retrain"):
        combine(ruled, active, ["en"], tmp_path / "out.npz")

    def shared_array(arrays: dict[str, np.ndarray]) -> None:
        arrays["calibration_bias"] = np.zeros(3)

    other = variant(tmp_path / "other.npz", shared_array)
    with pytest.raises(CannotCombine, match=r"outside the language blocks \(calibration_bias\)"):
        combine(other, active, ["en"], tmp_path / "out.npz")
    for languages in (["de"], []):
        with pytest.raises(CannotCombine, match="only the specialists' blocks"):
            combine(active, active, languages, tmp_path / "out.npz")
    assert not (tmp_path / "out.npz").exists()


def _figures(fr: float, en: float) -> dict[str, object]:
    return {"fr": {"macro_f1": fr}, "en": {"macro_f1": en}, "score": (fr + en) / 2}


def test_a_language_is_taken_only_where_the_new_model_is_not_worse_on_its_own() -> None:
    from nlp.retrain import TOLERANCE, languages_taken

    active = _figures(0.79, 0.717)
    guide = {"languages": {"fr": {"new": 3, "active": 3}, "en": {"new": 1, "active": 1}}}
    assert languages_taken(_figures(0.78, 0.724), active, guide, []) == ["en"]
    assert languages_taken(_figures(0.79 - TOLERANCE / 2, 0.70), active, guide, []) == ["fr"]
    assert languages_taken(_figures(0.80, 0.72), active, guide, []) == ["fr", "en"]
    # Its scores no longer meaning what they say in a language: not taken there.
    lost = [{"lang": "fr", "ece": 0.06, "bound": 0.047, "active_ece": 0.036}]
    assert languages_taken(_figures(0.80, 0.72), active, guide, lost) == ["en"]
    # One more of the guide's English examples read wrong: English not taken.
    worse = {"languages": {"fr": {"new": 3, "active": 3}, "en": {"new": 2, "active": 1}}}
    assert languages_taken(_figures(0.80, 0.72), active, worse, []) == ["fr"]


@pytest.mark.slow
def test_train_takes_the_languages_a_refused_sentiment_model_is_not_worse_at(
    corpus_sources: Path, tmp_path: Path
) -> None:
    from config.settings import Settings
    from nlp.corpus.guide import guide_examples
    from nlp.labelers import load
    from nlp.retrain import settle
    from pipeline.commands.train import _verdict

    models = tmp_path / "models"
    settings = Settings.model_validate({"nlp": {"profile": "accurate", "models_dir": str(models)}})
    new = variant(models / "sentiment" / "sentiment-20261206T070000.npz",
                   french_reads_neutral, english_cooler)  # fmt: skip
    now = datetime(2026, 12, 6, 7, tzinfo=UTC)
    outcome = settle(settings, "sentiment", new, now=now, data=corpus_sources, force=False,
                     examples=guide_examples())  # fmt: skip
    # Refused as a whole: its French is far worse.
    assert outcome.delta < 0 and outcome.new["fr"]["macro_f1"] < outcome.active["fr"]["macro_f1"]
    assert outcome.new["en"]["macro_f1"] == outcome.active["en"]["macro_f1"]
    # English alone is not worse: the combined model is measured, taken and activated.
    parts = outcome.languages
    assert parts["languages"] == ["en"] and parts["reason"] == "not worse"
    combined = models / "sentiment" / "sentiment-20261206T070000-en.npz"
    assert Path(parts["path"]) == combined == outcome.active_file and combined.exists()
    assert outcome.activated and outcome.reason == "languages"
    assert parts["new"]["fr"]["macro_f1"] == outcome.active["fr"]["macro_f1"]
    assert parts["new"]["en"]["macro_f1"] == outcome.new["en"]["macro_f1"]
    assert parts["delta"] == 0 and parts["guide"]["new"] == outcome.guide["active"]
    recorded = json.loads((models / "active.json").read_text())["sentiment"]
    assert recorded["file"] == combined.name and recorded["figures"]["languages"] == ["en"]
    assert recorded["figures"]["reason"] == "languages"
    assert load("sentiment", settings).model == (
        "veille-sentiment-accurate@sentiment-20261206T070000-en"
    )
    lines = _verdict(outcome, force=False)
    assert lines[0].startswith("Not activated as a whole: it is worse by ")
    assert "sentiment-20261206T070000-en.npz takes en from it" in lines[0]
    assert lines[1].startswith("Activated for en: the sentiment labeler now uses "
                               "sentiment-20261206T070000-en.npz.")  # fmt: skip


def test_a_refused_language_part_says_why_and_json_carries_it(tmp_path: Path) -> None:
    """The whole model and its English part both refused: the message says why each was."""
    from nlp.retrain import Outcome, reported_part
    from pipeline.commands.train import _verdict

    part = {
        "languages": ["en"], "path": str(tmp_path / "sentiment-1-en.npz"), "reason": "",
        "new": _figures(0.79, 0.72), "delta": 0.0015, "delta_interval": (-0.01, 0.02),
        "guide": {"new": 5, "active": 4},
        "calibration": [],
    }  # fmt: skip
    outcome = Outcome("sentiment", tmp_path / "sentiment-1.npz", False, _figures(0.70, 0.72),
                      _figures(0.79, 0.717), tmp_path / "sentiment.npz", 0,
                      guide={"new": 4, "active": 4, "lost": []}, languages=part)  # fmt: skip
    lines = _verdict(outcome, force=False)
    assert lines[0].startswith("Not activated: it is worse by 0.0435 macro-F1; the active model")
    assert lines[1] == (
        "Its en part alone was not taken either: it reads 1 more of the annotation guide's "
        "examples wrong than the active model."
    )
    assert outcome.active_file == tmp_path / "sentiment.npz"
    assert reported_part(part) == {
        "taken": ["en"], "model": part["path"], "activated": False, "reason": "",
        "test": {"fr": 0.79, "en": 0.72, "score": 0.755}, "delta": 0.0015,
        "delta_interval": [-0.01, 0.02], "guide": {"new": 5, "active": 4},
        "calibration_lost": [],
    }  # fmt: skip
    assert reported_part({}) == {}


def test_blocks_that_cannot_be_combined_leave_the_active_model_and_say_why(
    tmp_path: Path,
) -> None:
    """A retrain whose domain-rules decision flipped: its English block was fitted for other
    rules, so it is not taken alone; the message names the key and what to do."""
    from nlp.retrain import Outcome, by_language, reported_part
    from pipeline.commands.train import _verdict

    def other_rules(arrays: dict[str, np.ndarray]) -> None:
        meta = meta_of(arrays)
        meta["domain_rules"] = not meta["domain_rules"]
        arrays["meta"] = meta_array(meta)

    active = packaged_model("sentiment")
    new = variant(tmp_path / "sentiment-1.npz", french_reads_neutral, english_cooler, other_rules)
    guide = {"new": 4, "active": 4, "lost": [],
             "languages": {"fr": {"new": 3, "active": 3}, "en": {"new": 1, "active": 1}}}  # fmt: skip
    part = by_language(new, active, _figures(0.40, 0.72), _figures(0.79, 0.72), guide, [],
                       tmp_path / "no-data", "accurate", [])  # fmt: skip
    assert part["languages"] == ["en"] and part["reason"] == ""
    assert "differ in 'domain_rules'" in part["cannot"]
    assert not (tmp_path / "sentiment-1-en.npz").exists()
    outcome = Outcome("sentiment", new, False, _figures(0.40, 0.72), _figures(0.79, 0.72),
                      active, 0, guide=guide, languages=part)  # fmt: skip
    assert not outcome.activated and outcome.active_file == active
    line = _verdict(outcome, force=False)[1]
    assert line.startswith("Its en part, not worse on its own, could not be taken alone: ")
    assert line.endswith("retrain rather than combine.")
    assert reported_part(part) == {"taken": ["en"], "activated": False, "reason": "",
                                     "cannot": part["cannot"]}  # fmt: skip
