"""`veille train` (retrain, measure on the frozen test split, activate only when not worse) and
`veille label --review` (low-confidence model labels, widest reach first)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from pipeline.cli import app
from storage.labels import LabelRecord, save_labels
from storage.models import Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore


def _config(tmp_path: Path, url: str, **nlp: object) -> Path:
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump({
        "database": {"url": url},
        "brands": [{"name": "Lumio", "query": ["lumio"], "own_accounts": ["Lumio_FR"]},
                   {"name": "Rivo", "query": ["rivo"]}],
        "nlp": {"profile": "fast", **nlp},
    }))  # fmt: skip
    return path


def _veille(config: Path, *args: str) -> str:
    result = CliRunner().invoke(app, ["--config", str(config), *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.output


def test_review_lists_low_confidence_labels_widest_reach_first(
    sqlite_engine: Engine, sqlite_url: str, tmp_path: Path
) -> None:
    texts = [  # external id, followers, brand
        ("small", 10, "Lumio"), ("big", 50_000, "Lumio"), ("mid", 900, "Lumio"),
        ("rivo", 80_000, "Rivo"), ("sure", 1_000_000, "Lumio"),
    ]  # fmt: skip
    MentionStore(sqlite_engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=ext,
                      text=f"texte {ext}", author=AuthorRecord(handle=ext, followers=followers),
                      brands=[BrandMatch(brand)])
        for ext, followers, brand in texts
    )  # fmt: skip
    with sqlite_engine.connect() as conn:
        ids = dict(conn.execute(select(Mention.external_id, Mention.id)).tuples().all())
    config = _config(tmp_path, sqlite_url)
    records = [
        LabelRecord(ids["small"], "topic", "information", 0.31, model="m", review=True),
        LabelRecord(ids["big"], "topic", "autre", 0.52, model="m", review=True),
        LabelRecord(ids["big"], "sentiment", "neutral", 0.41, model="m", review=True),
        LabelRecord(ids["mid"], "topic", "prescription", 0.45, model="m", review=True),
        LabelRecord(ids["rivo"], "topic", "autre", 0.40, model="m", review=True),
        LabelRecord(ids["sure"], "topic", "service_client", 0.97, model="m", review=False),
    ]
    with sqlite_engine.begin() as conn:
        save_labels(conn, records)
    out = json.loads(_veille(config, "--quiet", "label", "--review", "--brand", "Lumio", "--json"))
    got = [(r["mention_id"], r["task"]) for r in out["review"]]
    # Widest reach first; within a mention, the lowest score first; confident labels never.
    assert got == [(ids["big"], "sentiment"), (ids["big"], "topic"), (ids["mid"], "topic"),
                   (ids["small"], "topic")]  # fmt: skip
    limited = json.loads(_veille(config, "--quiet", "label", "--review", "--limit", "1", "--json"))
    assert [r["mention_id"] for r in limited["review"]] == [ids["rivo"]]
    assert limited["total"] == 5 and out["total"] == 4  # every brand's; Lumio's
    # A person's correction leaves the list.
    _veille(config, "label", str(ids["big"]), "sentiment=negative")
    text = _veille(config, "label", "--review", "--brand", "Lumio")
    assert "autre (0.52)" in text and "neutral" not in text
    assert text.startswith("3 labels to review, widest reach first (then lowest score):")
    first = _veille(config, "label", "--review", "--brand", "Lumio", "--limit", "2")
    # `veille status` counts them per task, with the model in use.
    status = json.loads(_veille(config, "--quiet", "status", "--json"))
    tasks = {r["task"]: r for r in status["labels"]}
    assert tasks["topic"] == {"task": "topic", "model": "packaged", "trained_at": None,
                              "test_score": None, "labels": 5, "people": 0, "to_review": 4}  # fmt: skip
    assert tasks["sentiment"]["people"] == 1 and tasks["sentiment"]["to_review"] == 0
    assert tasks["language"]["labels"] == 0
    assert "Labels (`veille label --review`" in _veille(config, "status")
    assert first.startswith(
        "3 labels to review, widest reach first (then lowest score); the first 2:"
    )
    from pipeline.errors import UsageError

    refused = CliRunner().invoke(app, ["--config", str(config), "label", "--review", "42"])
    assert isinstance(refused.exception, UsageError)


def test_analyze_marks_labels_under_the_threshold_for_review(
    sqlite_engine: Engine, sqlite_url: str, tmp_path: Path
) -> None:
    MentionStore(sqlite_engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=str(i), text=text,
                      brands=[BrandMatch("Lumio")])
        for i, text in enumerate(["Toujours pas reçu ma commande, SAV injoignable !",
                                  "hmm ok", "Lumio demain peut-être"])
    )  # fmt: skip
    from storage.models import Label

    for threshold, expect_all in ((1.0, True), (0.0, False)):
        config = _config(tmp_path, sqlite_url, review_below=threshold)
        _veille(config, "--quiet", "analyze", "--relabel")
        with sqlite_engine.connect() as conn:
            rows = conn.execute(select(Label.task, Label.score, Label.review)).all()
        for task, score, review in rows:
            if task in ("topic", "sentiment"):
                assert review == (score < threshold), (task, score, review)
            else:
                assert not review
        assert any(r.review for r in rows) == expect_all


def test_held_out_labels_are_one_in_five_by_source_and_id() -> None:
    from nlp.retrain import HOLD_OUT_EVERY, held_out

    keys = [("forum", f"post-{i}") for i in range(4000)]
    chosen = [held_out(*key) for key in keys]
    assert abs(sum(chosen) / len(keys) - 1 / HOLD_OUT_EVERY) < 0.02
    assert [held_out(*key) for key in reversed(keys)] == chosen[::-1]  # the key alone decides
    assert any(held_out("forum", k) != held_out("twitter", k) for _, k in keys[:50])  # the source


def test_the_workspace_line_says_both_models_or_why_not() -> None:
    from pipeline.commands.train import _workspace_line

    few = _workspace_line({"n": 0, "held_out_every": 5, "from": 50}, 12)
    assert few.startswith("All 12 people's labels were trained on: from 50, one in 5")
    line = _workspace_line({
        "n": 40, "held_out_every": 5, "from": 50, "new": {"macro_f1": 0.8, "accuracy": 0.85},
        "active": {"macro_f1": 0.6, "accuracy": 0.7}, "delta_interval": (0.05, 0.31),
    }, 160)  # fmt: skip
    assert "(40, one in 5): macro-F1 0.8000 (accuracy 0.8500)" in line
    assert "active model's 0.6000 (0.7000); difference 95 % interval +0.0500 to +0.3100" in line


def test_the_forum_line_gives_both_models_per_language() -> None:
    from pipeline.commands.train import _beside_line

    line = _beside_line({
        "n": {"fr": 50, "en": 60},
        "new": {"fr": {"macro_f1": 0.5, "accuracy": 0.88}, "en": {"macro_f1": 0.5,
                                                                 "accuracy": 0.717}},
        "active": {"fr": {"macro_f1": 0.2, "accuracy": 0.38}, "en": {"macro_f1": 0.3,
                                                                    "accuracy": 0.483}},
    }, "forum posts (the forum rounds' own test parts")  # fmt: skip
    assert line.startswith("On the corpus's forum posts (the forum rounds' own test parts; ")
    assert "not part of the rule" in line
    assert line.endswith("fr (50) 0.88 against 0.38, en (60) 0.72 against 0.48.")


def test_a_refused_model_better_on_the_workspace_s_labels_says_so(tmp_path: Path) -> None:
    from nlp.retrain import Outcome
    from pipeline.commands.train import _verdict

    def outcome(activated: bool, workspace: dict[str, object], reason: str = "") -> Outcome:
        return Outcome("topic", tmp_path / "topic-1.npz", activated, {"score": 0.60},
                       {"score": 0.62}, tmp_path / "topic.npz", 80, workspace=workspace,
                       reason=reason)  # fmt: skip

    refused = _verdict(outcome(False, {"n": 20, "delta_interval": (0.05, 0.3)}), force=False)
    assert refused[0].startswith("Not activated: it is worse by 0.0200 macro-F1")
    assert "`--force` is worth considering" in refused[1]
    unclear = _verdict(outcome(False, {"n": 20, "delta_interval": (-0.1, 0.3)}), force=False)
    assert len(unclear) == 1
    forced = _verdict(outcome(True, {"n": 0}, "forced"), force=True)
    assert forced == ["Activated (forced): the topic labeler now uses topic-1.npz. Run "
                      "`veille analyze --relabel` to relabel the stored mentions with it."]  # fmt: skip
    ours = _verdict(outcome(True, {"n": 20}, "workspace"), force=False)
    assert ours[0].startswith("Activated (lower by 0.0200 on the corpus's test split, within "
                              "its noise, and better on this workspace's own held-out labels)")  # fmt: skip


def test_a_model_within_the_test_noise_and_better_on_the_workspace_is_activated() -> None:
    """`veille train`'s rule: not worse on the corpus's test split, or lower within its noise
    and better on the workspace's own held-out labels; forced otherwise."""
    from nlp.retrain import activation

    ours = {"n": 20, "new": {"macro_f1": 0.71}, "active": {"macro_f1": 0.62}}
    theirs = {"n": 20, "new": {"macro_f1": 0.60}, "active": {"macro_f1": 0.62}}
    assert activation(0.0, (-0.02, 0.02), {"n": 0}, force=False) == "not worse"
    assert activation(0.004, (-0.01, 0.02), theirs, force=True) == "not worse"
    # Lower within the noise: the workspace's own labels decide.
    assert activation(-0.006, (-0.03, 0.01), ours, force=False) == "workspace"
    assert activation(-0.006, (-0.03, 0.0), ours, force=False) == "workspace"
    assert activation(-0.006, (-0.03, 0.01), theirs, force=False) == ""
    assert activation(-0.006, (-0.03, 0.01), {"n": 0}, force=False) == ""  # none held out
    # Lower beyond the noise: refused, whatever the workspace says, unless forced.
    assert activation(-0.04, (-0.07, -0.01), ours, force=False) == ""
    assert activation(-0.04, (-0.07, -0.01), ours, force=True) == "forced"
    # More of the guide's examples read wrong than the active model: refused, whatever the
    # scores say, unless forced; as many or fewer: the scores decide.
    assert activation(0.03, (0.01, 0.05), ours, force=False, guide_worse=1) == ""
    assert activation(-0.006, (-0.03, 0.01), ours, force=False, guide_worse=2) == ""
    assert activation(0.03, (0.01, 0.05), ours, force=True, guide_worse=1) == "forced"
    assert activation(0.03, (0.01, 0.05), ours, force=False, guide_worse=0) == "not worse"
    assert activation(-0.04, (-0.07, -0.01), ours, force=False, guide_worse=-3) == ""
    # Scores that stopped meaning what they say in a language: refused, unless forced.
    assert activation(0.03, (0.01, 0.05), ours, force=False, calibration_lost=1) == ""
    assert activation(0.03, (0.01, 0.05), ours, force=True, calibration_lost=1) == "forced"


def test_scores_that_stop_meaning_what_they_say_are_a_lost_calibration() -> None:
    """`calibration_lost`: a language where the new model's test ECE is over its 99 % bound
    while the active model's is under its own; not when both are over (the split's texts, not
    the retrain), nor when the new one stays under."""
    from nlp.retrain import calibration_lost, refusal

    def figures(fr: tuple[float, float], en: tuple[float, float]) -> dict[str, Any]:
        return {lang: {"ece": ece, "ece_calibrated_bound_99": bound}
                for lang, (ece, bound) in (("fr", fr), ("en", en))}  # fmt: skip

    active = figures((0.036, 0.048), (0.102, 0.095))
    lost = calibration_lost(figures((0.060, 0.048), (0.110, 0.09)), active)
    assert lost == [{"lang": "fr", "ece": 0.060, "bound": 0.048, "active_ece": 0.036}]
    assert calibration_lost(figures((0.047, 0.048), (0.02, 0.09)), active) == []
    assert "its fr scores no longer mean what they say (test ECE 0.060" in refusal(0.01, 0, lost)[0]


def test_train_refuses_before_training_when_the_guide_cannot_be_read(
    corpus_sources: Path, sqlite_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from config.settings import Settings
    from nlp.corpus import guide
    from nlp.retrain import CannotTrain, retrain

    settings = Settings.model_validate({"nlp": {"models_dir": str(tmp_path / "models")}})
    broken = tmp_path / "annotation-guide.md"
    for content in (None, "# A guide without its section 3\n", guide.GUIDE.read_text(
            encoding="utf-8").replace(" → communication, neutral", " : communication")):  # fmt: skip
        if content is not None:
            broken.write_text(content, encoding="utf-8")
        monkeypatch.setattr(guide, "GUIDE", broken)
        with pytest.raises(CannotTrain, match=r"guide's examples cannot be read from .*"
                                              r"annotation-guide\.md.*Restore"):  # fmt: skip
            retrain(sqlite_engine, settings, "topic", now=datetime(2026, 12, 1, tzinfo=UTC),
                    data=corpus_sources)  # fmt: skip
        assert not (tmp_path / "models").exists()  # refused before any training


def test_a_model_that_reads_more_guide_examples_wrong_is_refused_and_says_which(
    tmp_path: Path,
) -> None:
    from nlp.retrain import Outcome
    from pipeline.commands.train import _guide_line, _verdict

    lost = [{"rule": "R8", "text": "Merci au SAV, colis reçu", "expected": "positive",
             "got": "negative"}]  # fmt: skip
    guide = {"n": 69, "new": 5, "active": 4, "lost": lost}
    line = _guide_line(guide)
    assert "guide's 69 examples" in line and "the new model reads 5 wrong, the active one 4" in line
    assert line.endswith("R8 'Merci au SAV, colis reçu' (guide: positive, new model: negative).")
    assert "every example" in _guide_line({**guide, "lost": []})

    def outcome(new: float) -> Outcome:
        return Outcome("sentiment", tmp_path / "s-1.npz", False, {"score": new}, {"score": 0.62},
                       tmp_path / "sentiment.npz", 80, workspace={"n": 0}, guide=guide)  # fmt: skip

    better = _verdict(outcome(0.64), force=False)
    assert better[0].startswith("Not activated: it reads 1 more of the annotation guide's "
                                "examples wrong than the active model;")  # fmt: skip
    assert "`veille train sentiment --force` activates it anyway" in better[0]
    worse = _verdict(outcome(0.60), force=False)
    assert worse[0].startswith("Not activated: it is worse by 0.0200 macro-F1 and it reads 1 ")


def test_train_refuses_without_the_corpus_texts(sqlite_engine: Engine, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    from config.settings import Settings
    from nlp.retrain import CannotTrain, retrain

    settings = Settings.model_validate({"nlp": {"models_dir": str(tmp_path / "models")}})
    with pytest.raises(CannotTrain, match=r"absent or incomplete.*VEILLE_SHARED"):
        retrain(sqlite_engine, settings, "topic", now=datetime(2026, 12, 1, tzinfo=UTC),
                data=tmp_path / "nowhere")  # fmt: skip
    assert not (tmp_path / "models").exists()


@pytest.mark.slow
def test_train_activates_only_a_model_that_is_not_worse(
    corpus_sources: Path, sqlite_engine: Engine, sqlite_url: str, tmp_path: Path
) -> None:
    from config.settings import Settings
    from nlp.corpus.guide import guide_examples
    from nlp.labelers import load
    from nlp.retrain import held_out

    config = _config(tmp_path, sqlite_url)
    texts = {
        "service_client": "Lumio vous comptez me rembourser ma commande {} quand ?",
        "prescription": "Je recommande Lumio, le casque {} est super !",
    }
    records = [
        MentionRecord(source="tw", source_kind="twitter_export", external_id=str(i),
                      text=texts[topic].format(i), brands=[BrandMatch("Lumio")], lang="fr")
        for i in range(1, 61) for topic in [sorted(texts)[i % 2]]
    ]  # fmt: skip
    MentionStore(sqlite_engine).store(records)
    people = tmp_path / "people.csv"
    people.write_text("mention_id,task,value\n" + "".join(
        f"{i},topic,{sorted(texts)[i % 2]}\n" for i in range(1, 61)), encoding="utf-8")  # fmt: skip
    _veille(config, "label", "--import", str(people))
    kept_out = sum(held_out("tw", str(i)) for i in range(1, 61))
    assert 5 <= kept_out <= 20
    active = tmp_path / "var" / "models" / "active.json"

    def train(*args: str) -> dict[str, object]:
        result: dict[str, object] = json.loads(
            _veille(config, "--quiet", "train", "topic", "--json", *args)
        )
        return result

    # A tiny model is worse than the packaged one: kept aside, not activated.
    tiny = train("--sample", "60", "--now", "2026-12-01T10:00")
    assert tiny["activated"] is False and float(tiny["delta"]) < 0  # type: ignore[arg-type]
    assert tiny["reason"] == ""
    # ... by more than the test split's noise: the paired interval lies below zero.
    low, high = tiny["delta_interval"]  # type: ignore[misc]
    assert low <= float(tiny["delta"]) <= high < 0  # type: ignore[arg-type]
    assert tiny["human_labels"] == 60 - kept_out and not active.exists()
    # Both models measured on the workspace's held-out labels too.
    workspace = tiny["workspace"]
    assert workspace["n"] == kept_out and workspace["held_out_every"] == 5  # type: ignore[index]
    for model in ("new", "active"):
        assert 0 <= workspace[model]["macro_f1"] <= 1  # type: ignore[index]
    low, high = workspace["delta_interval"]  # type: ignore[index]
    assert low <= high
    assert Path(str(tiny["model"])).exists()
    # ... and on the corpus's forum posts (test3 and test5), reported beside.
    forum = tiny["forum"]
    assert forum["n"] == {"fr": 50, "en": 120}  # type: ignore[index]
    for model in ("new", "active"):
        for lang in ("fr", "en"):
            assert 0 <= forum[model][lang]["accuracy"] <= 1  # type: ignore[index]
    # ... and on the English reviews (test7 and test8), reported beside too.
    reviews = tiny["reviews"]
    assert reviews["n"] == {"en": 160}  # type: ignore[index]
    assert {m: set(reviews[m]) for m in ("new", "active")} == {"new": {"en"}, "active": {"en"}}  # type: ignore[index]
    # ... and on the annotation guide's examples: more read wrong than the active model, and
    # each one the active model reads right named.
    guide: dict[str, Any] = tiny["guide"]  # type: ignore[assignment]
    assert guide["n"] == len(guide_examples()) and guide["new"] > guide["active"]
    assert 0 < len(guide["lost"]) <= guide["new"]
    topics = {e.text: e.topic for e in guide_examples()}
    assert all(topics[e["text"]] == e["expected"] != e["got"] for e in guide["lost"])
    # Forced, it becomes the active one, and the labeler uses it.
    forced = train("--sample", "60", "--now", "2026-12-01T10:05", "--force")
    assert forced["activated"] is True and forced["reason"] == "forced"
    settings = Settings.model_validate(
        {"nlp": {"profile": "fast", "models_dir": str(tmp_path / "var" / "models")}}
    )
    assert load("topic", settings).model == "veille-topic-fast@topic-20261201T100500"
    # A larger model beats it, and reads fewer of the guide's examples wrong: activated.
    better = train("--sample", "800", "--now", "2026-12-01T10:10")
    assert better["activated"] is True and float(better["delta"]) > 0  # type: ignore[arg-type]
    assert better["reason"] == "not worse"
    assert better["guide"]["new"] <= better["guide"]["active"]  # type: ignore[index]
    recorded = json.loads(active.read_text())["topic"]
    assert recorded["file"] == "topic-20261201T101000.npz"
    low, high = recorded["figures"]["test_interval"]
    assert low <= recorded["figures"]["test_score"] <= high
    assert recorded["figures"]["workspace"]["n"] == kept_out
    assert load("topic", settings).model == "veille-topic-fast@topic-20261201T101000"
    topic = {r["task"]: r for r in json.loads(_veille(config, "--quiet", "status", "--json"))[
        "labels"]}["topic"]  # fmt: skip
    assert topic["model"] == "topic-20261201T101000" and topic["people"] == 60
    assert topic["test_score"] == better["test_score"] and topic["trained_at"].startswith(
        "2026-12-01T10:10")  # fmt: skip
