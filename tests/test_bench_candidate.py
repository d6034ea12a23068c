"""`bench/candidate.py`: the project's rule and the figures it rests on, for a candidate model."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench_scripts import bench_script
from sentiment_variants import english_cooler, french_reads_neutral, variant


@pytest.mark.slow
def test_the_packaged_model_against_itself_is_taken_with_nothing_lost(
    corpus_sources: Path,
) -> None:
    from nlp.model_store import packaged_model

    bench = bench_script("candidate")
    model = packaged_model("sentiment")
    result = bench.compare_models("sentiment", model, model, corpus_sources, "fast")
    assert result["delta"] == 0 and result["rule"] == "not worse" and not result["languages"]
    assert result["guide"]["candidate"] == result["guide"]["active"] and not result["guide"]["lost"]
    assert {"test3", "test5", "test6", "test7", "test8"} <= set(result["own_test_parts"])
    kinds = result["by_kind"]
    assert kinds["candidate"] == kinds["active"]
    assert kinds["candidate"]["fr"]["tweet_general"]["n"] == 90
    assert all(k["n"] >= 20 for lang in kinds["candidate"].values() for k in lang.values())
    lines = bench.lines_of("fast", result)
    assert any(x.startswith("[fast]   test split fr tweet_general (n 90, beside the rule)")
               for x in lines)  # fmt: skip
    assert "the project's rule: not worse" in lines[2] and "lost: none" in lines[1]


@pytest.mark.slow
def test_a_sentiment_candidate_worse_in_one_language_is_measured_without_it(
    corpus_sources: Path, tmp_path: Path
) -> None:
    """French far worse, English as the packaged model's: refused as a whole; its English
    block with the packaged French one is written beside it, measured, and taken."""
    from nlp.model_store import packaged_model

    bench = bench_script("candidate")
    candidate = variant(tmp_path / "candidate.npz", french_reads_neutral, english_cooler)
    result = bench.compare_models(
        "sentiment", candidate, packaged_model("sentiment"), corpus_sources, "accurate"
    )
    assert result["rule"].startswith("refused: it is worse by")
    parts = result["languages"]
    assert parts["taken"] == ["en"] and parts["rule"] == "not worse" and parts["delta"] == 0
    assert parts["test"] == result["test"]["active"]
    assert Path(parts["model"]) == tmp_path / "candidate-en.npz" and Path(parts["model"]).exists()
    line = next(x for x in bench.lines_of("accurate", result) if "on its own" in x)
    assert line.startswith("[accurate] not worse on its own in en: candidate-en.npz (those "
                           "blocks, the active model's others) scores fr / en ")  # fmt: skip
    assert line.endswith("the project's rule: not worse")


def test_a_refusal_says_why() -> None:
    bench = bench_script("candidate")
    assert bench.verdict(0.0, (-0.02, 0.02), 0) == "not worse"
    assert bench.verdict(-0.01, (-0.03, 0.01), 0) == "refused: it is worse by 0.0100 macro-F1"
    assert bench.verdict(0.002, (-0.01, 0.02), 1) == (
        "refused: it reads 1 more of the annotation guide's examples wrong than the active model"
    )
    assert bench.verdict(-0.01, (-0.03, 0.01), 2) == (
        "refused: it is worse by 0.0100 macro-F1 and it reads 2 more of the annotation guide's "
        "examples wrong than the active model"
    )
    result = {
        "test": {"candidate": {"fr": 0.7, "en": 0.5, "score": 0.6},
                 "active": {"fr": 0.7, "en": 0.52, "score": 0.61}},
        "delta": -0.01, "delta_interval": [-0.03, 0.01],
        "guide": {"n": 69, "candidate": 7, "active": 6,
                  "lost": [{"rule": "R8", "text": "Je participe !", "expected": "communication",
                            "got": "autre"}]},
        "rule": "refused: it is worse by 0.0100 macro-F1 and it reads 1 more of the annotation "
                "guide's examples wrong than the active model",
        "calibration": {"candidate": {"fr": {"ece": 0.06, "bound_99": 0.048},
                                      "en": {"ece": 0.043, "bound_99": 0.09}},
                        "active": {"fr": {"ece": 0.036, "bound_99": 0.048},
                                   "en": {"ece": 0.019, "bound_99": 0.095}}},
        "own_test_parts": {},
    }  # fmt: skip
    lines = bench.lines_of("accurate", result)
    assert "R8 'Je participe !' (communication → autre)" in lines[1]
    assert lines[2].endswith("guide's examples wrong than the active model")
    assert lines[3].endswith("candidate 0.060 (0.048) / 0.043 (0.090); active 0.036 (0.048) / "
                             "0.019 (0.095)")  # fmt: skip
    result["by_kind"] = {
        name: {"fr": {"review": {"n": 228, "macro_f1": f1, "accuracy": 0.9}}}
        for name, f1 in (("candidate", 0.75), ("active", 0.7))
    }
    assert bench.lines_of("accurate", result)[4] == (
        "[accurate]   test split fr review (n 228, beside the rule): macro-F1 0.750 against "
        "0.700, accuracy 0.900 against 0.900"
    )
    del result["by_kind"]
    result["languages"] = {"taken": ["en"], "cannot": "they differ in 'domain_rules'"}
    assert bench.lines_of("accurate", result)[4] == (
        "[accurate] not worse on its own in en, but not taken alone: they differ in 'domain_rules'"
    )


def test_a_candidate_whose_scores_lost_their_meaning_is_refused_and_told_where() -> None:
    bench = bench_script("candidate")
    lost = [{"lang": "fr", "ece": 0.06, "bound": 0.048, "active_ece": 0.036}]
    assert bench.verdict(0.005, (-0.009, 0.02), 0, lost) == (
        "refused: its fr scores no longer mean what they say (test ECE 0.060, over the 0.048 a "
        "calibrated model stays under in 99 % of draws; the active model's 0.036 is under its "
        "own)"
    )
    assert bench.verdict(0.005, (-0.009, 0.02), 0, []) == "not worse"
