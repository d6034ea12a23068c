"""The `thorough` profile: the e5 encoder gives a text the same vector in any batch, and the
cascade sends on only the texts the `accurate` stacks are unsure of."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest

from config.settings import Settings
from nlp.labelers.base import Doc
from nlp.model_io import meta_array, meta_of
from storage.vocab import SENTIMENTS

DOCS = [
    Doc("Toujours pas reçu ma commande, trois semaines que j'attends", lang="fr"),
    Doc("Merci au SAV Lumio, super rapide !", lang="fr"),
    Doc("Lumio annonce un nouveau forfait", lang="fr"),
    Doc("Il serait bien que Lumio propose un mode sombre", lang="fr"),
    Doc("bof", lang="fr"),
    Doc("I love my new Lumio headphones", lang="en"),
    Doc("Does anyone know if Lumio ships to the UK", lang="en"),
    Doc("Worst customer service ever @Lumio", lang="en"),
    Doc("Lumio is a company", lang="en"),
    Doc("well that was something", lang="en"),
    Doc("meh, the update changed things", lang="en"),
    Doc("Lumio hat ein neues Angebot", lang="de"),
    Doc("ok"),
]


def test_e5_vectors_do_not_depend_on_the_batch() -> None:
    from nlp.e5_encoder import DIM, shared_e5

    started = time.perf_counter()
    encoder = shared_e5()
    assert time.perf_counter() - started < 30  # ≈ 0.3 s on the shared 2-core machine
    texts = [d.text for d in DOCS]
    together = encoder._model.query(texts)
    alone = np.vstack([encoder._model.query([t]) for t in texts])
    assert together.shape == (len(texts), DIM) and np.array_equal(together, alone)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-3)
    # The encoder's own memo gives the same vectors, a text repeated in a batch included.
    assert np.array_equal(encoder.encode([texts[2], texts[0], texts[2]]), together[[2, 0, 2]])


def _labelers(task: str) -> tuple[Any, Any]:
    if task == "sentiment":
        from nlp.labelers.sentiment import SentimentLabeler, load_model

        model = load_model()
        return SentimentLabeler(model, "accurate"), SentimentLabeler(model, "thorough")
    from nlp.labelers.topic_model import LearnedTopicLabeler
    from nlp.labelers.topic_model import load_model as topic_model

    model = topic_model()
    return LearnedTopicLabeler(model, "accurate"), LearnedTopicLabeler(model, "thorough")


def _thresholds(task: str, docs: list[Doc]) -> list[float]:
    """Each doc's cascade threshold (0: never sent on)."""
    if task == "topic":
        from nlp.labelers.topic_model import load_model as topic_model

        model = topic_model()
        assert model.thorough
        return [model.threshold] * len(docs)
    from nlp.labelers.sentiment import load_model

    model = load_model()
    assert model.thorough and not model.blocks["multi"].thorough
    blocks = [model.blocks[model.block_of(d.lang or "und")] for d in docs]
    return [b.threshold if b.thorough else 0.0 for b in blocks]


@pytest.mark.parametrize("task", ["sentiment", "topic"])
def test_thorough_sends_on_only_the_uncertain_texts(task: str) -> None:
    docs = DOCS[:-1]  # every one with a language and words to judge
    accurate, thorough = _labelers(task)
    first = accurate.label_batch(docs)
    second = thorough.label_batch(docs)
    uncertain = [p.score < t for p, t in zip(first, _thresholds(task, docs), strict=True)]
    assert 0 < sum(uncertain) < len(docs)
    assert thorough.routed == sum(uncertain)
    for a, b, sent in zip(first, second, uncertain, strict=True):
        if not sent:
            assert a.scores == b.scores  # the accurate stack's label, untouched
        assert abs(sum(b.scores.values()) - 1) < 1e-3
    assert any(a.scores != b.scores for a, b in zip(first, second, strict=True))
    # A label does not depend on the batch: each text alone gets the same.
    alone = [thorough.label_batch([d])[0] for d in docs]
    assert [(p.value, p.scores) for p in alone] == [(p.value, p.scores) for p in second]


def test_the_thorough_profile_is_a_setting() -> None:
    from nlp.labelers import load

    settings = Settings.model_validate({"nlp": {"profile": "thorough"}})
    for task in ("sentiment", "topic"):
        labeler = load(task, settings)
        assert labeler.profile == "thorough"
        assert labeler.model.startswith(f"veille-{task}-thorough")
        got = labeler.label_batch(DOCS)
        assert len(got) == len(DOCS) and got[-1].value in labeler.labels


@pytest.mark.parametrize("task", ["sentiment", "topic"])
def test_thorough_languages_send_on_only_those_languages(task: str) -> None:
    from nlp.labelers import load

    docs = DOCS[:-1]
    accurate, thorough = _labelers(task)
    settings = Settings.model_validate({"nlp": {"profile": "thorough",
                                                "thorough_languages": ["en"]}})  # fmt: skip
    english_only = load(task, settings)
    assert english_only.model == f"veille-{task}-thorough[en]"  # a new setting relabels
    first, every, mixed = (x.label_batch(docs) for x in (accurate, thorough, english_only))
    for doc, a, t, m in zip(docs, first, every, mixed, strict=True):
        assert m.scores == (t.scores if doc.lang == "en" else a.scores), doc.text
    uncertain = [p.score < t for p, t in zip(first, _thresholds(task, docs), strict=True)]
    english = [d.lang == "en" for d in docs]
    assert english_only.routed == sum(u and e for u, e in zip(uncertain, english, strict=True))
    assert english_only.routed > 0
    others = sum(u and not e for u, e in zip(uncertain, english, strict=True))
    assert thorough.routed - english_only.routed == others
    assert others > 0 or task == "sentiment"  # topic: French texts it is unsure of stay


def test_thorough_languages_are_iso_codes() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="thorough_languages"):
        Settings.model_validate({"nlp": {"thorough_languages": ["English"]}})


def test_profile_names_round_trip() -> None:
    from nlp.cascade import profile_name, split_profile

    assert profile_name("thorough", ["en", "de", "en"]) == "thorough[de,en]"
    assert profile_name("accurate", ["en"]) == "accurate"  # only thorough routes
    for name in ("accurate", "fast", "thorough", "thorough[en]", "thorough[de,en]"):
        assert profile_name(*split_profile(name)) == name


def test_the_thorough_stack_reads_the_tuned_classifier_when_trained_with_it() -> None:
    """A sentiment model fitted with the tuned e5 classifier's probabilities (`nlp.e5_tuned`)
    reads them in a language's `thorough` stack when they raise its out-of-fold macro-F1 on
    the brand talk (here French, whose texts say nothing of their label; not English, read
    right without them), for the routed texts of that language only; one fitted without never
    asks for them."""
    from nlp.e5_tuned import MODEL_PATH as TUNED_PATH
    from nlp.e5_tuned import identity
    from nlp.labelers.sentiment import SentimentModel
    from nlp.train.sentiment import Training, fit, with_meta

    words = {"negative": "nul honte panne", "neutral": "annonce horaires", "positive": "merci top"}
    training = Training()
    rng = np.random.default_rng(0)
    for lang in ("fr", "en", "de"):
        for i in range(45):
            label = list(words)[i % 3]
            said = "texte" if lang == "fr" else words[label]
            training.add([f"{said} {lang} {i}"], [label], [lang], ("corpus", "umsab")[i % 2])
    n = len(training.texts)
    vectors = rng.standard_normal((n, 512)).astype(np.float32)
    e5 = rng.standard_normal((n, 384)).astype(np.float32)
    gold = np.array([SENTIMENTS.index(v) for v in training.labels])
    tuned = (0.05 + 0.85 * np.eye(3)[gold]).astype(np.float32)  # the label, for every row
    asked: list[tuple[str, list[str]]] = []

    def fake_tuned(language: str, texts: Any) -> np.ndarray:
        asked.append((language, list(texts)))
        return np.tile([0.98, 0.01, 0.01], (len(texts), 1)).astype(np.float32)

    def fake_e5(texts: Any) -> np.ndarray:
        return np.zeros((len(texts), 384), dtype=np.float32)

    class Encoder:
        def encode(self, texts: Any) -> np.ndarray:
            return np.zeros((len(texts), 512), dtype=np.float32)

    texts = ["merci top", "nul honte", "annonce", "merci top", "nul honte", "annonce", "bof"]
    langs = ["fr", "fr", "fr", "en", "en", "en", "de"]
    for with_tuned in (True, False):
        arrays, figures = fit(training, vectors, e5, tuned if with_tuned else None)
        packaged = identity(TUNED_PATH) if with_tuned else None
        model = SentimentModel(with_meta(arrays, figures, n, thorough=True, tuned=packaged))
        if with_tuned:  # a model trained on other tuned classifiers than those installed
            with pytest.raises(ValueError, match=r"retrain it \(`veille train sentiment`"):
                SentimentModel(with_meta(arrays, figures, n, thorough=True, tuned="0" * 16))
        assert model.blocks["fr"].tuned is with_tuned and model.blocks["en"].tuned is False
        if with_tuned:
            assert (
                figures["fr"]["thorough"]["tuned"]
                and figures["fr"]["thorough"]["tuned_gain_oof"] > 0.3
            )
            assert not figures["en"]["thorough"]["tuned"]
            assert figures["en"]["thorough"]["tuned_gain_oof"] <= 0
        assert not model.blocks["multi"].thorough
        for block in model.blocks.values():
            block.threshold = 1.1  # send every text of a thorough block on
        asked.clear()
        probs, sent = model.cascade(texts, langs, Encoder(), fake_e5, None, fake_tuned)  # type: ignore[arg-type]
        assert sent.tolist() == [True] * 6 + [False]
        if with_tuned:
            assert asked == [("fr", texts[:3])]
        else:
            assert asked == []
        assert np.allclose(probs.sum(axis=1), 1, atol=1e-6)


def _two_conventions(general_says: str) -> tuple[Any, np.ndarray, np.ndarray, np.ndarray]:
    """French rows in two groups — brand talk whose words say its label, and general tweets
    whose words say another label (`general_says="another"`) or nothing (`"nothing"`) — and a
    few English and German ones; their sentence vectors (dimension 0 tells the groups apart),
    e5 vectors, and a tuned classifier right on the general tweets and wrong on the rest."""
    from nlp.train.sentiment import Training

    words = {"negative": "nul honte panne", "neutral": "annonce horaires", "positive": "merci top"}
    labels = list(words)
    training = Training()
    for i in range(240):
        label, general = labels[i % 3], i >= 120
        said = words[label]
        if general:
            said = words[labels[(i + 1) % 3]] if general_says == "another" else "texte"
        training.add([f"{said} {i % 7}"], [label], ["fr"], "umsab" if general else "corpus")
    for lang in ("en", "de"):
        for i in range(30):
            label = labels[i % 3]
            training.add(
                [f"{words[label]} {lang} {i}"], [label], [lang], ("corpus", "umsab")[i % 2]
            )
    rng = np.random.default_rng(1)
    n = len(training.texts)
    general = np.array([o == "umsab" for o in training.origins])
    vectors = rng.standard_normal((n, 512)).astype(np.float32) * 0.1
    vectors[:, 0] = np.where(general, 1.0, -1.0)
    e5 = rng.standard_normal((n, 384)).astype(np.float32)
    gold = np.array([SENTIMENTS.index(v) for v in training.labels])
    said_by_tuned = np.where(general, gold, (gold + 2) % 3)
    tuned = (0.05 + 0.85 * np.eye(3)[said_by_tuned]).astype(np.float32)
    return training, vectors, e5, tuned


def test_the_thorough_stack_weighs_its_inputs_apart_for_the_general_tweets() -> None:
    """General tweets (labelled by their benchmark) and brand talk (labelled by the guide) read
    the same words differently: the gated `thorough` stack reads each group as it was
    labelled, where one set of weights for both could not. The labeler builds the stack's
    inputs as the trainer did (its training rows read back right), and the gate is what
    tells the groups apart."""
    from nlp import features
    from nlp.labelers.sentiment import SentimentModel
    from nlp.train.sentiment import fit, with_meta

    training, vectors, e5, _ = _two_conventions("another")
    arrays, figures = fit(training, vectors, e5)
    assert figures["fr"]["thorough"]["gated"] and "fr_gate_coef" in arrays
    block = SentimentModel(with_meta(arrays, figures, len(training.texts), thorough=True)).blocks[
        "fr"
    ]
    assert block.gate is not None
    fr = np.array([lang == "fr" for lang in training.langs])
    texts = [t for t, mine in zip(training.texts, fr, strict=True) if mine]
    gold = np.array([SENTIMENTS.index(v) for v in training.labels])[fr]
    general = np.array([o == "umsab" for o in training.origins])[fr]
    counts = features.ngram_counts(texts)
    right = block.predict(texts, counts, vectors[fr], e5[fr]).argmax(1) == gold
    assert right[general].mean() > 0.95 and right[~general].mean() > 0.95
    # Told that every row is brand talk, the general tweets read as their words say.
    block.gate = (np.zeros_like(block.gate[0]), np.array([-50.0], dtype=np.float32))
    as_brand = block.predict(texts, counts, vectors[fr], e5[fr]).argmax(1)
    assert (as_brand[general] == gold[general]).mean() < 0.1


def test_the_tuned_classifier_stays_when_it_raises_the_general_tweets_alone() -> None:
    """A tuned classifier that the brand talk does not need (its words say its label) but the
    general tweets do (theirs say nothing) stays in the gated stack: a tie on the brand talk
    within TUNED_TIE, a gain on the general tweets."""
    from nlp.train.sentiment import TUNED_TIE, fit

    training, vectors, e5, tuned = _two_conventions("nothing")
    _, figures = fit(training, vectors, e5, tuned)
    fr = figures["fr"]["thorough"]
    assert fr["gated"] and fr["tuned"]
    assert fr["tuned_gain_oof"] >= -TUNED_TIE and fr["tuned_gain_general_oof"] > 0.3


def test_the_topic_thorough_stack_reads_the_tuned_classifier_when_trained_with_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A topic model whose `thorough` stack was fitted on the tuned e5 topic classifier's
    probabilities reads them (the packaged classifier, any language) for the routed texts, and
    no e5 vectors; one fitted on e5 vectors never asks for the tuned classifier; one trained on
    another tuned file than the installed one is refused."""
    from nlp.e5_tuned import TOPIC_PATH, identity
    from nlp.labelers import topic_model
    from nlp.train.topic import SEED, fit, rules_rows

    rows = rules_rows("topic")
    tuned = np.random.default_rng(0).dirichlet(np.ones(7), len(rows)).astype(np.float32)
    suggestions = (["Please add a dark mode.", "I use version 3.", "You should add tabs.",
                    "The app opens fine."], [1, 0, 1, 0])  # fmt: skip

    def vectors(texts: Any, dim: int = 512) -> np.ndarray:
        return np.random.default_rng(len(texts)).standard_normal((len(texts), dim))

    asked: dict[str, list[list[str]]] = {"e5": [], "tuned": []}
    for name, real in (("e5", topic_model._e5_vectors), ("tuned", topic_model.tuned_probabilities)):

        def spy(texts: Any, name: str = name, real: Any = real) -> np.ndarray:
            asked[name].append(list(texts))
            return real(texts)  # type: ignore[no-any-return]

        monkeypatch.setattr(
            topic_model, "_e5_vectors" if name == "e5" else name + "_probabilities", spy
        )
    docs = DOCS[:-1]
    texts = [d.text for d in docs]
    for with_tuned in (True, False):
        e5 = None if with_tuned else (lambda t: vectors(t, 384))
        arrays, _ = fit(rows, suggestions, vectors, SEED, e5, tuned if with_tuned else None)
        meta = meta_of(arrays)
        if with_tuned:  # trained on another tuned file than the installed one: refused
            arrays["meta"] = meta_array({**meta, "e5_tuned": "0" * 16})
            with pytest.raises(ValueError, match=r"retrain it \(`veille train topic`"):
                topic_model.TopicModel(arrays)
            arrays["meta"] = meta_array({**meta, "e5_tuned": identity(TOPIC_PATH)})
        model = topic_model.TopicModel(arrays)
        assert model.thorough and model.tuned is with_tuned and model.e5 is not with_tuned
        model.threshold = 1.1  # send every text on
        labeler = topic_model.LearnedTopicLabeler(model, "thorough")
        for calls in asked.values():
            calls.clear()
        labels = labeler.label_batch(docs)
        assert labeler.routed == len(docs)
        assert asked == (
            {"e5": [], "tuned": [texts]} if with_tuned else {"e5": [texts], "tuned": []}
        )
        assert all(abs(sum(p.scores.values()) - 1) < 1e-3 for p in labels)


@pytest.mark.parametrize("thorough", [True, False])
def test_a_thorough_workspace_retrains_topic_on_the_tuned_classifier(
    thorough: bool, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`veille train topic` in a `thorough` workspace fits the thorough stack on the packaged
    tuned e5 topic classifier; any other workspace fits no thorough stack."""
    from nlp import retrain
    from nlp.e5_tuned import TOPIC_PATH
    from nlp.train import topic
    from nlp.train.topic import Rows

    called: list[tuple[Any, ...]] = []
    monkeypatch.setattr(topic, "train", lambda *args: called.append(args) or {})
    retrain._train("topic", tmp_path, tmp_path, tmp_path / "m.npz", Rows(), None, None, thorough)
    assert called[0][5:] == ((True, TOPIC_PATH) if thorough else (False, None))


@pytest.mark.parametrize("thorough", [True, False])
def test_a_thorough_workspace_retrains_sentiment_on_the_tuned_classifiers(
    thorough: bool, tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`veille train sentiment` in a `thorough` workspace offers the packaged tuned e5
    sentiment classifiers to the thorough stacks; any other workspace fits no thorough stack."""
    from nlp import retrain
    from nlp.e5_tuned import MODEL_PATH
    from nlp.train import sentiment
    from nlp.train.topic import Rows

    called: list[dict[str, Any]] = []
    monkeypatch.setattr(sentiment, "train", lambda *args, **kw: called.append(kw) or {})
    retrain._train("sentiment", tmp_path, tmp_path, tmp_path / "m.npz", Rows(), None, None,
                   thorough)  # fmt: skip
    assert called[0]["thorough"] is thorough
    assert called[0]["tuned"] == (MODEL_PATH if thorough else None)
