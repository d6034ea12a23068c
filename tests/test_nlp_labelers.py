"""Labelers without a database: registry, bad input, language, sentiment and topic quality."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from config.settings import Settings
from nlp import cues
from nlp.labelers import Doc, Labeler, NotConfigured, available, load
from storage.vocab import SENTIMENTS, TOPICS

FIXTURES = Path(__file__).parent / "fixtures" / "nlp"
SETTINGS = Settings.model_validate(
    {"brands": [{"name": "Lumio", "query": ["lumio"], "own_accounts": ["@Lumio_FR", "LumioSAV"]}]}
)
FAST = SETTINGS.model_copy(deep=True)
FAST.nlp.profile = "fast"
BAD_INPUT = [
    "", " ", "x" * 100_000 + " nul", "\x00\xff\x01garbage\x7f", "😀😂🙏🔥",
    "http://t.co/abc", "Привет мир 你好 مرحبا hello", "\ufffd" * 50, "@user @user",
]  # fmt: skip


@pytest.fixture(scope="session")
def labelers() -> dict[str, Labeler]:
    """The default labelers, loaded once (the accurate sentiment model loads an encoder)."""
    return {task: load(task, SETTINGS) for task in ("language", "sentiment", "topic")}


def test_every_registered_labeler_builds_or_says_why() -> None:
    problems = []
    for task, backends in available().items():
        for backend, versions in backends.items():
            settings = SETTINGS.model_copy(deep=True)
            if backend == "transformers":
                settings.nlp.sentiment.backend = "transformers"
            for version in versions:
                try:
                    lab = load(task, settings, version=version)
                except NotConfigured:
                    continue  # the transformers backend without a model switches itself off
                if not (lab.task == task and lab.version == version and lab.model):
                    problems.append(f"{task}/{backend}/{version}: metadata {lab.__dict__}")
    assert not problems
    with pytest.raises(KeyError, match="known labelers"):
        load("mood", SETTINGS)


@pytest.mark.parametrize("settings", [SETTINGS, FAST], ids=["accurate", "fast"])
def test_bad_input_gets_a_label_and_never_stops_a_batch(settings: Settings) -> None:
    expected_default = {"language": "und", "sentiment": "neutral", "topic": "autre"}
    for task, default in expected_default.items():
        predictions = load(task, settings).label_batch([*BAD_INPUT, "Super produit, je recommande"])
        assert len(predictions) == len(BAD_INPUT) + 1
        for text, p in zip(BAD_INPUT, predictions, strict=False):
            assert isinstance(p.value, str) and p.value, (task, text)
        assert predictions[0].value == default  # empty
        assert predictions[4].value == default  # only emoji (no letters)
        assert predictions[5].value == default  # only a URL
        assert predictions[-1].value != "und"


def test_language_of_short_and_decorated_texts(labelers: dict[str, Labeler]) -> None:
    texts = [
        "@user Franchement le SAV ne répond jamais #déçu http://t.co/x",
        "Can't wait for the new season!!! 😍 #excited",
        "¿Alguien sabe cuándo abre la tienda?",
        "Привет, как дела?", "これはテストです", "",
    ]  # fmt: skip
    values = [p.value for p in labelers["language"].label_batch(texts)]
    assert values == ["fr", "en", "es", "ru", "ja", "und"]


def test_source_language_wins_when_the_text_is_ambiguous(labelers: dict[str, Labeler]) -> None:
    lab = labelers["language"]
    assert lab.label_batch([Doc("ok ok", lang="fr")])[0].value == "fr"
    assert lab.label_batch([Doc("ok ok", lang="en-GB")])[0].value == "en"
    # …but not against a text that clearly says otherwise.
    clear = Doc("Je n'ai toujours pas reçu ma commande, c'est inadmissible", lang="en")
    assert lab.label_batch([clear])[0].value == "fr"


def test_language_accuracy_on_umsab_validation(
    shared_data: Path, labelers: dict[str, Labeler]
) -> None:
    for folder, code in (("french", "fr"), ("english", "en")):
        texts = (shared_data / "umsab" / folder / "val_text.txt").read_text().splitlines()
        values = [p.value for p in labelers["language"].label_batch(texts)]
        accuracy = sum(v == code for v in values) / len(values)
        assert accuracy >= 0.95, f"{folder}: {accuracy:.3f}"


def test_service_complaints_read_negative_and_plain_questions_neutral(
    labelers: dict[str, Labeler],
) -> None:
    complaints = [
        "Bonjour, je n'ai toujours pas reçu ma commande passée il y a trois semaines, merci "
        "de me tenir informé.",
        "Bonjour, cela fait un mois que j'attends mon remboursement, pourriez-vous regarder ? "
        "Merci",
        "Le service client est injoignable depuis lundi, auriez-vous un autre numéro ?",
        "Hello, my parcel never arrived and I'm still waiting for my refund. Thanks in advance.",
    ]  # fmt: skip
    questions = [
        "Est-ce que le magasin de Lille est ouvert le dimanche ?",
        "Quelqu'un sait si la cafetière est compatible avec les dosettes ?",
        "Does anyone know if the store ships to Belgium?",
    ]  # fmt: skip
    sentiment = labelers["sentiment"]
    assert [p.value for p in sentiment.label_batch(complaints)] == ["negative"] * 4
    assert [p.value for p in sentiment.label_batch(questions)] == ["neutral"] * 3
    clear = sentiment.label_batch(["J'adore ce produit, merci, génial !", "Nul, honteux, arnaque."])
    assert [p.value for p in clear] == ["positive", "negative"]
    for p in clear:
        assert set(p.scores) == set(SENTIMENTS) and abs(sum(p.scores.values()) - 1) < 1e-3


@pytest.mark.slow
def test_sentiment_quality_on_umsab_validation(shared_data: Path) -> None:
    from nlp.train.sentiment import evaluate

    scores = evaluate(shared_data, profiles=("accurate", "fast"))  # e5's is the model card's
    # v4 trades general tweets for real brand talk (model card, trained on corpus rounds 1+2:
    # accurate 0.666 / 0.645, fast 0.625 / 0.581; round 1 only 0.681 / 0.634; v3 0.709 / 0.669):
    # a guard against regressions, reported beside, never used to choose. Each bound sits
    # 0.02–0.04 under the shipped model's figure (one tweet of the 324 French moves a figure by
    # about 0.003; the 95 % bootstrap interval of `fast` French is 0.53–0.64): `fast` French's
    # was 0.59, 0.003 under, until one tweet read the other way with the clause-bounded
    # negation (2026-12-05: 0.593 → 0.590, model card).
    assert scores["accurate"]["fr"] >= 0.65 and scores["accurate"]["en"] >= 0.62, scores
    assert scores["fast"]["fr"] >= 0.57 and scores["fast"]["en"] >= 0.57, scores


def _topic_rows() -> list[dict[str, str]]:
    with (FIXTURES / "topics_fr.tsv").open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def test_topic_evaluation_set_covers_every_topic() -> None:
    rows = _topic_rows()
    assert len(rows) >= 300
    counts = {t: sum(r["topic"] == t for r in rows) for t in TOPICS}
    assert min(counts.values()) >= 30, counts


@pytest.mark.parametrize(
    ("version", "macro", "per_class"),
    # The set was written by the hand that wrote the cues: the cue labeler (v1, still loadable)
    # keeps its figures on it; the learned labeler (v2) is measured on real text, the corpus's
    # test split (tests/test_nlp_learned.py, model card), and only guarded here (with the
    # language specialists 0.627, before them 0.657: real text decides, not this set).
    [("veille.topic.v1", 0.75, 0.5), ("veille.topic.v2", 0.60, 0.35)],
)
def test_topic_macro_f1_on_the_french_evaluation_set(
    version: str, macro: float, per_class: float
) -> None:
    from sklearn.metrics import f1_score

    rows = _topic_rows()
    docs = [Doc(r["text"], author=r["author"], source_kind=r["source_kind"], brands=("Lumio",))
            for r in rows]  # fmt: skip
    predicted = [p.value for p in load("topic", SETTINGS, version=version).label_batch(docs)]
    gold = [r["topic"] for r in rows]
    scores = f1_score(gold, predicted, labels=list(TOPICS), average=None)
    assert f1_score(gold, predicted, average="macro") >= macro
    assert min(scores) >= per_class, dict(zip(TOPICS, scores, strict=True))


def test_brand_accounts_announce_or_answer(labelers: dict[str, Labeler]) -> None:
    topic = labelers["topic"]
    announce = Doc(
        "Rendez-vous samedi dans tous nos magasins 🎉", author="Lumio_FR", brands=("Lumio",)
    )
    reply = Doc("@julie Bonjour Julie, pouvez-vous nous écrire en DM ?", author="lumiosav",
                brands=("Lumio",))  # fmt: skip
    other = Doc("Rendez-vous samedi dans tous nos magasins 🎉", author="julie", brands=("Lumio",))
    values = [p.value for p in topic.label_batch([announce, reply, other])]
    assert values[:2] == ["communication", "service_client"]
    assert topic.label_batch([announce])[0].score > topic.label_batch([other])[0].score


def test_cues_for_other_components() -> None:
    assert cues.is_question("Quelqu'un sait si c'est compatible")
    assert cues.is_question("Does anyone know a good shop")
    assert not cues.is_question("Livraison rapide, merci")
    assert cues.is_request("Pouvez-vous me rappeler svp")
    assert cues.is_suggestion("Ce serait bien que vous proposiez la livraison le samedi")
    assert not cues.is_suggestion("Livraison reçue hier")
    assert cues.complaint_count("Toujours pas reçu ma commande, SAV injoignable") >= 2
    assert cues.topic_cue_counts("jeu concours : RT pour gagner")["communication"] >= 1


@pytest.mark.parametrize(
    ("text", "positive", "negative"),
    [
        ("Je ne suis pas content", 0, 1),  # negated: counts for the other side
        ("pas mal du tout", 1, 0),
        ("not good at all", 0, 1),
        # A negation's scope ends with its clause: the polar word after the mark keeps its side.
        ("Échangé en 48 h sans discuter. Bravo !", 1, 0),
        ("Ils m'ont remboursé sans discuter, top.", 1, 0),
        ("Pas de souci, merci", 2, 0),
        ("Pas reçu. Nul !", 0, 1),
    ],
)
def test_negation_turns_a_polar_word_within_its_clause(
    text: str, positive: int, negative: int
) -> None:
    assert cues.lexicon_features(text)[:2] == [positive, negative]
