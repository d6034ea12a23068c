"""The learned topic and sentiment models: the annotation guide's decision rules, calibration,
reproducible training."""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pytest

from nlp.calibration import calibrated, fit_biases, fit_temperature, macro_f1, reliability
from nlp.corpus.guide import GUIDE, guide_examples
from nlp.evaluation import guide_docs, guide_misread
from nlp.labelers.base import Doc
from nlp.model_store import packaged_model

EXAMPLES = guide_examples()
# Section 8's examples (forum posts, F1–F6) that the shipped models read wrong, by task
# (nlp/models/HISTORY.md, "The guide's forum rules", says why they are not taught by invented
# sentences).
# The tests hold every other example: a model that reads one of these right passes too.
KNOWN_MISREAD = {
    "topic": {
        "You need to POST to the token endpoint, not GET",
        "Clear your browser's cache and log in again, the old token is still stored there",
        "Webhooks are retried up to eight times over three days, with a longer wait after each "
        "failure.",
        "Nouveauté : le suivi de commande en temps réel arrive dans l'appli dès aujourd'hui 🎉",
        "Merci à tous pour vos réponses, je vous tiens au courant de la suite du chantier !",
        "Welcome aboard! Lots of friendly people here, make yourself at home",
    },
    "sentiment": {
        "You need to POST to the token endpoint, not GET",
        "Clear your browser's cache and log in again, the old token is still stored there",
        "Bonjour, j'ai vérifié votre virement : il était bloqué car votre RIB n'était pas encore "
        "validé. C'est corrigé, il partira ce soir.",
        "Webhooks are retried up to eight times over three days, with a longer wait after each "
        "failure.",
    },
}


def test_the_guide_has_three_examples_per_rule() -> None:
    rules = sorted({e.rule for e in EXAMPLES}, key=lambda r: (r[0] == "F", int(r[1:])))
    assert rules == [f"R{i}" for i in range(1, 18)] + [f"F{i}" for i in range(1, 7)]
    assert all(sum(e.rule == r for e in EXAMPLES) == 3 for r in rules)
    texts = {e.text for e in EXAMPLES if e.rule.startswith("F")}
    assert KNOWN_MISREAD["topic"] | KNOWN_MISREAD["sentiment"] <= texts


def test_the_package_reads_the_manual_s_guide() -> None:
    """One text: the package's guide (which `veille train` checks models against) is the
    manual's page, through a link an installed package resolves into a copy."""
    manual = Path(__file__).resolve().parents[1] / "docs" / "annotation-guide.md"
    assert GUIDE.is_symlink() and GUIDE.resolve() == manual.resolve()


def _misread(task: str, profile: str) -> list[tuple[str, str, str, str]]:
    """The examples the packaged model reads wrong, less section 8's known ones."""
    return [(e["rule"], e["text"], e["expected"], e["got"])
            for e in guide_misread(task, packaged_model(task), profile)
            if e["text"] not in KNOWN_MISREAD[task]]  # fmt: skip


@pytest.mark.parametrize("profile", ["accurate"])
def test_guide_rules_topic(profile: str) -> None:
    wrong = _misread("topic", profile)
    assert not wrong, wrong


@pytest.mark.parametrize("profile", ["accurate"])
def test_guide_rules_sentiment(profile: str) -> None:
    wrong = _misread("sentiment", profile)
    assert not wrong, wrong


def test_scores_are_probabilities_over_every_class() -> None:
    from nlp.labelers.sentiment import SentimentLabeler
    from nlp.labelers.sentiment import load_model as sentiment_model
    from nlp.labelers.topic_model import LearnedTopicLabeler, load_model

    docs = [*guide_docs(EXAMPLES)[:6], Doc(""), Doc("👍")]
    for labeler in (LearnedTopicLabeler(load_model(), "fast"),
                    SentimentLabeler(sentiment_model(), "fast")):  # fmt: skip
        for p in labeler.label_batch(docs):
            assert set(p.scores) == set(labeler.labels)
            assert abs(sum(p.scores.values()) - 1) < 1e-3 and p.score == max(p.scores.values())


def test_temperature_and_biases_are_fitted_on_scores() -> None:
    rng = np.random.default_rng(3)
    logits = rng.normal(0, 1.5, (4000, 3))
    truth = calibrated(logits, np.zeros(3), 1.0)  # the gold is drawn from these probabilities
    gold = np.array([rng.choice(3, p=row) for row in truth])
    # Overconfident scores (logits × 3) get a temperature near 3 back.
    assert 2.5 < fit_temperature(logits * 3, gold) < 3.5
    log_p = np.log(calibrated(logits * 3, np.zeros(3), 1.0))
    _, ece_before = reliability(np.exp(log_p), gold)
    _, ece_after = reliability(calibrated(log_p, np.zeros(3), fit_temperature(log_p, gold)), gold)
    assert ece_after < ece_before / 2
    # A rare class that argmax never predicts gets a bias that raises macro-F1.
    rare = np.where(rng.random(4000) < 0.05, 2, gold % 2)
    scores = np.log(np.full((4000, 3), [0.45, 0.45, 0.10]))
    scores[rare == 2, 2] += 1.2
    bias = fit_biases(scores, rare)
    assert macro_f1(rare, (scores + bias).argmax(1), 3) > macro_f1(rare, scores.argmax(1), 3)


def test_biases_are_fitted_for_french_and_the_other_languages_apart() -> None:
    """Two languages whose scores lean different ways: one shared set of biases cannot mend
    both, one per language can; a model with one shared set still reads as before."""
    from nlp.calibration import fit_biases, fit_biases_by_language, row_biases

    rng = np.random.default_rng(5)
    gold = rng.integers(0, 2, 2000)
    french = np.arange(2000) % 2 == 0
    # French scores lean towards class 1, the others' towards class 0, by the same margin.
    lean = np.where(french, 0.8, -0.8)
    scores = (
        np.stack([-lean / 2, lean / 2], axis=1) + np.eye(2)[gold] + rng.normal(0, 0.6, (2000, 2))
    )
    by_language = fit_biases_by_language(scores, gold, french)
    assert by_language.shape == (2, 2)
    assert by_language[1, 1] - by_language[1, 0] < 0 < by_language[0, 1] - by_language[0, 0]
    shared = fit_biases(scores, gold)

    def per_language_f1(bias: np.ndarray) -> list[float]:
        predicted = (scores + row_biases(bias, french)).argmax(1)
        return [macro_f1(gold[french == g], predicted[french == g], 2) for g in (True, False)]

    by_f1, shared_f1 = per_language_f1(by_language), per_language_f1(shared)
    assert by_f1[0] >= shared_f1[0] and by_f1[1] >= shared_f1[1], (by_f1, shared_f1)
    assert sum(by_f1) > sum(shared_f1) + 0.05
    assert np.array_equal(row_biases(shared, french), shared)  # one shared set: as before
    assert np.array_equal(row_biases(by_language, french)[:2], by_language[[1, 0]])
    # A language with no row gets no bias.
    assert not fit_biases_by_language(scores, gold, np.zeros(2000, dtype=bool))[1].any()
    # The topic trainer keeps the other languages' set and none for French (chosen by CV).
    from nlp.train.topic import stack_biases

    trained = stack_biases(scores, gold, french)
    assert not trained[1].any() and np.array_equal(trained[0], by_language[0])


def _tiny_topic(out: Path, seed: int) -> str:
    from nlp.model_io import save_npz
    from nlp.train.topic import fit, rules_rows
    from nlp.train.vectors import e5_vectors, sentence_vectors

    rows = rules_rows("topic")
    suggestions = (["Please add a dark mode.", "I use version 3.", "You should add tabs.",
                    "The app opens fine."], [1, 0, 1, 0])  # fmt: skip
    cache = out.parent / "cache"  # the e5 vectors of the 157 sentences: encoded once
    arrays, _ = fit(rows, suggestions, lambda t: sentence_vectors(t, None), seed,
                    lambda t: e5_vectors(t, cache))  # fmt: skip
    save_npz(out, arrays)
    return hashlib.sha256(out.read_bytes()).hexdigest()


def test_topic_training_is_reproducible(tmp_path: Path) -> None:
    first = _tiny_topic(tmp_path / "a.npz", 7)
    assert _tiny_topic(tmp_path / "b.npz", 7) == first
    assert _tiny_topic(tmp_path / "c.npz", 8) != first
    from nlp.labelers.topic_model import TopicModel

    model = TopicModel.from_file(tmp_path / "a.npz")  # loads as a labeler's model
    assert model.thorough and 0 <= model.threshold <= 2


def test_people_s_labels_weigh_more_than_a_corpus_item(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's label (`veille train`) weighs HUMAN_WEIGHT corpus items: the same few
    labels of a brand's own kind of text move the model further than at weight 1."""
    from nlp.labelers.topic_model import LearnedTopicLabeler, TopicModel
    from nlp.model_io import save_npz
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    assert topic.HUMAN_WEIGHT > 1
    assert list(topic.row_weights(["corpus", "rules", "human"])) == [
        1.0, topic.RULES_WEIGHT, topic.HUMAN_WEIGHT]  # fmt: skip
    said = ["Flight {} to Boston is now boarding at gate 4",
            "Flight {} to Denver leaves from gate 12 tonight"]  # fmt: skip
    unseen = [Doc("Flight 881 to Miami is boarding at gate 9", lang="en"),
              Doc("Flight 77 to Seattle leaves from gate 3", lang="en")]  # fmt: skip

    def information_score(weight: float) -> list[float]:
        # The first 140 rule sentences (every topic): sentences appended later leave this
        # tiny model as it is (with all of them its scores moved by ±0.0005).
        rows = topic.rules_rows("topic").take(range(140))
        for text in said:  # two labels: neither weight saturates the score (0.99 / 0.93)
            rows.add(text.format(100), "information", "en", origin="human")
        monkeypatch.setattr(topic, "HUMAN_WEIGHT", weight)
        suggestions = (["Please add a dark mode.", "The app opens fine."], [1, 0])
        arrays, _ = topic.fit(rows, suggestions, lambda t: sentence_vectors(t, None), 7)
        path = tmp_path / f"{weight}.npz"
        save_npz(path, arrays)
        labeler = LearnedTopicLabeler(TopicModel.from_file(path), "accurate")
        return [p.scores["information"] for p in labeler.label_batch(unseen)]

    shipped = topic.HUMAN_WEIGHT
    for heavier, lighter in zip(information_score(shipped), information_score(1.0), strict=True):
        assert heavier > lighter


def test_people_s_labels_weigh_more_in_the_sentiment_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same for sentiment: HUMAN_WEIGHT_SENTIMENT corpus items a person's label."""
    from nlp.labelers.sentiment import SentimentLabeler, SentimentModel
    from nlp.model_io import save_npz
    from nlp.train import sentiment
    from nlp.train.topic import rules_rows
    from nlp.train.vectors import sentence_vectors

    assert sentiment.HUMAN_WEIGHT_SENTIMENT > 1
    said = ["My flight {} was moved to gate 4", "Flight {} now boards at gate 12"]
    unseen = [Doc("My flight 881 was moved to gate 9", lang="en"),
              Doc("Flight 77 now boards at gate 3", lang="en")]  # fmt: skip

    def negative_score(weight: float) -> list[float]:
        rules = rules_rows("sentiment")
        rows = sentiment.Training()
        rows.add(rules.texts, rules.labels, rules.langs, "rules")
        for number in range(4):
            rows.add([t.format(100 + number) for t in said], ["negative"] * 2, ["en"] * 2,
                     "human")  # fmt: skip
        monkeypatch.setattr(sentiment, "HUMAN_WEIGHT_SENTIMENT", weight)
        arrays, figures = sentiment.fit(rows, sentence_vectors(rows.texts, None))
        path = tmp_path / f"{weight}.npz"
        save_npz(path, sentiment.with_meta(arrays, figures, len(rows.texts), thorough=False))
        labeler = SentimentLabeler(SentimentModel.from_file(path), "accurate")
        return [p.scores["negative"] for p in labeler.label_batch(unseen)]

    shipped = sentiment.HUMAN_WEIGHT_SENTIMENT
    for heavier, lighter in zip(negative_score(shipped), negative_score(1.0), strict=True):
        assert heavier > lighter


def test_topic_specialists_answer_for_their_language() -> None:
    """French rows get the French specialist's scores, every other language the English one's."""
    from nlp import features
    from nlp.labelers.topic_model import load_model

    model = load_model()
    assert set(model.specialists) == {"fr", "en"}
    texts = ["Ma commande n'est jamais arrivée", "My order never arrived", "Mein Paket fehlt"]
    x = features.tfidf(features.ngram_counts(texts), model.idf)
    ngram, _ = model._specialist_scores(x, None, np.array([True, False, False]))
    for row, code in enumerate(("fr", "en", "en")):
        coef_t, intercept, _, _ = model.specialists[code]
        assert np.allclose(ngram[0][row], np.asarray(x[row] @ coef_t).ravel() + intercept)
    # card: 5-fold CV on the train part (rounds 1–9, forum posts and reviews included): 0.6145
    assert model.meta["cv"]["accurate"]["macro_f1_en"] >= 0.60


@pytest.mark.slow
def test_quality_on_the_corpus_test_split(corpus_sources: Path) -> None:
    """The model card's test-split figures (computed once, after choosing), as a guard."""
    from nlp.evaluation import evaluate_on_test
    from nlp.model_store import packaged_model

    topic = evaluate_on_test("topic", packaged_model("topic"), corpus_sources)
    sentiment = evaluate_on_test("sentiment", packaged_model("sentiment"), corpus_sources)
    # Card: topic (rounds 1–9) 0.756 / 0.570, sentiment (rounds 1–3) 0.790 / 0.717 (fr / en).
    assert topic["fr"]["macro_f1"] >= 0.73 and topic["en"]["macro_f1"] >= 0.52, topic
    assert sentiment["fr"]["macro_f1"] >= 0.77 and sentiment["en"]["macro_f1"] >= 0.68
    # The scores mean what they say: each ECE under what a perfectly calibrated model with
    # these scores stays under in 95 % of draws (card: topic 0.031 / 0.054 under 0.038 / 0.077,
    # sentiment 0.036 / 0.019 under 0.041 / 0.083).
    for result in (topic, sentiment):
        for lang in ("fr", "en"):
            figures = result[lang]
            assert figures["ece"] <= figures["ece_calibrated_bound"], (lang, figures["ece"])


@pytest.mark.slow
def test_quality_on_the_second_english_measure(corpus_sources: Path) -> None:
    """Round 6's own test part (test6: 200 English texts of the test split's sources, drawn at
    random; card: topic 0.691, sentiment 0.735, accuracy 0.834 / 0.754), as a guard."""
    from nlp.corpus.split import ENGLISH_TEST_ROUND, test_part
    from nlp.evaluation import evaluate_on_test
    from nlp.model_store import packaged_model

    part = test_part(ENGLISH_TEST_ROUND)
    topic = evaluate_on_test("topic", packaged_model("topic"), corpus_sources, split=part)["en"]
    sentiment = evaluate_on_test(
        "sentiment", packaged_model("sentiment"), corpus_sources, split=part
    )["en"]
    assert topic["n"] == sentiment["n"] >= 195
    assert topic["macro_f1"] >= 0.62 and topic["accuracy"] >= 0.79, topic["macro_f1"]
    assert sentiment["macro_f1"] >= 0.69 and sentiment["accuracy"] >= 0.71, sentiment["macro_f1"]


@pytest.mark.slow
def test_english_of_both_measures_pooled(corpus_sources: Path) -> None:
    """The test split's English and test6 read together (`bench/labels.py`'s pooled English:
    435 items; card: topic 0.585, sentiment 0.729 for the packaged models), as a guard."""
    from nlp.corpus.split import ENGLISH_TEST_ROUND, test_part
    from nlp.evaluation import evaluate_on_test
    from nlp.model_store import packaged_model

    both = ("test", test_part(ENGLISH_TEST_ROUND))
    topic = evaluate_on_test("topic", packaged_model("topic"), corpus_sources, split=both)
    sentiment = evaluate_on_test(
        "sentiment", packaged_model("sentiment"), corpus_sources, split=both
    )
    assert topic["en"]["n"] == sentiment["en"]["n"] == 435
    assert topic["en"]["macro_f1"] >= 0.54 and sentiment["en"]["macro_f1"] >= 0.69


# Rounds 7 and 8's own test parts (80 English reviews each: products, every one
# `prescription`; a hotel's service, 73 `prescription` and 7 `service_client`) and the floors
# under the card's figures for the packaged models: topic accuracy 1.000 / 0.925 since the
# topic model learned rounds 7 and 8's train parts (0.575 / 0.650 before), sentiment macro-F1
# 0.476 / 0.518 — English reviews stay the sentiment model's blind spot, guarded until a retrain
# that passes the project's rules learns them.
REVIEW_FLOORS = {7: (0.95, 0.43), 8: (0.85, 0.45)}


@pytest.mark.slow
@pytest.mark.parametrize("round_no", sorted(REVIEW_FLOORS))
def test_english_reviews_are_read_as_the_card_says(corpus_sources: Path, round_no: int) -> None:
    from nlp.corpus.split import REVIEW_ROUNDS, test_part
    from nlp.evaluation import evaluate_on_test
    from nlp.model_store import packaged_model

    assert round_no in REVIEW_ROUNDS
    part = test_part(round_no)
    topic = evaluate_on_test("topic", packaged_model("topic"), corpus_sources, split=part)["en"]
    sentiment = evaluate_on_test(
        "sentiment", packaged_model("sentiment"), corpus_sources, split=part
    )["en"]
    assert topic["n"] == sentiment["n"] == 80
    topic_floor, sentiment_floor = REVIEW_FLOORS[round_no]
    assert topic["accuracy"] >= topic_floor, topic["accuracy"]
    assert sentiment["macro_f1"] >= sentiment_floor, sentiment["macro_f1"]


@pytest.mark.slow
def test_forum_posts_are_labelled(corpus_sources: Path) -> None:
    """On round 3's own test part (forum posts; card: accuracy topic 0.84 / 0.72, sentiment
    0.82 / 0.78, fr / en) and round 5's (DocuSign's forum: topic 0.80, learned from its train
    part since rounds 1–9; sentiment 0.75, en, not trained on it). The models trained before
    round 3 read French forum advice as reviews and as negative: topic 0.38, sentiment 0.32."""
    from nlp.corpus.split import test_part
    from nlp.evaluation import evaluate_on_test
    from nlp.model_store import packaged_model

    floors = {
        3: (("topic", {"fr": 0.8, "en": 0.65}), ("sentiment", {"fr": 0.75, "en": 0.7})),
        5: (("topic", {"en": 0.6}), ("sentiment", {"en": 0.7})),
    }
    for round_no, tasks in floors.items():
        for task, floor in tasks:
            result = evaluate_on_test(
                task, packaged_model(task), corpus_sources, split=test_part(round_no)
            )
            for lang, low in floor.items():
                got = result[lang]["accuracy"]
                assert got >= low, (round_no, task, lang, got)
