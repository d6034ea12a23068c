"""`veille analyze` labels batch by batch (every labeler over one batch, then the next batch):
the same labels, scores and languages as labelling task by task over all mentions."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from config.settings import Settings
from nlp.labelling import label_mentions
from storage.engine import make_engine
from storage.labels import LabelRecord, save_labels
from storage.models import Label, Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.schema import upgrade
from storage.upsert import MentionStore

TEXTS = [
    ("Toujours pas reçu ma commande, le SAV est injoignable 😡", None),
    ("Super produit, je recommande vivement !", "fr"),
    ("JEU CONCOURS : RT pour gagner une trottinette 🎁", None),
    ("I love my new Lumio headphones, great sound", None),
    ("", None),
    ("Vous comptez rétablir le réseau quand ?", "en"),  # a wrong source language
    ("Toujours pas reçu ma commande, le SAV est injoignable 😡", None),  # a copy
    ("Does anyone know if Lumio ships to the UK?", None),
    ("Merci au SAV Lumio, échange en 48 h. Bravo !", None),
    ("ok", None),
    ("Il serait bien que Lumio propose la livraison le dimanche.", None),
]


def _workspace(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    MentionStore(engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=f"m{i}", text=text,
                      lang=lang, author=AuthorRecord(handle="Lumio_FR" if i == 2 else f"c{i}"),
                      brands=[BrandMatch("Lumio")])
        for i, (text, lang) in enumerate(TEXTS)
    )  # fmt: skip
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Mention.external_id, Mention.id)).tuples().all())
        # A person's language label stays the mention's language for the other labelers.
        save_labels(conn, [LabelRecord(ids["m3"], "language", "en")], by_human=True)
        save_labels(conn, [LabelRecord(ids["m1"], "sentiment", "negative")], by_human=True)
    return engine


def _state(engine: Engine) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with engine.connect() as conn:
        labels = conn.execute(
            select(Mention.external_id, Label.task, Label.value, Label.score, Label.scores,
                   Label.model, Label.version, Label.by_human, Label.review)
            .join(Mention, Mention.id == Label.mention_id)
            .order_by(Mention.external_id, Label.task)
        ).tuples().all()  # fmt: skip
        langs = (
            conn.execute(select(Mention.external_id, Mention.lang).order_by(Mention.external_id))
            .tuples()
            .all()
        )
    return [tuple(r) for r in labels], [tuple(r) for r in langs]


@pytest.fixture(params=["accurate", "fast"])
def settings(request: pytest.FixtureRequest) -> Settings:
    return Settings.model_validate({
        "brands": [{"name": "Lumio", "query": ["lumio"], "own_accounts": ["Lumio_FR"]}],
        "nlp": {"profile": request.param},
    })  # fmt: skip


@pytest.fixture
def two_workspaces(tmp_path: Path) -> Iterator[tuple[Engine, Engine]]:
    one, two = (_workspace(f"sqlite:///{tmp_path}/{n}.db") for n in ("tasks", "batches"))
    yield one, two
    one.dispose()
    two.dispose()


def test_batch_by_batch_labels_as_task_by_task(
    settings: Settings, two_workspaces: tuple[Engine, Engine]
) -> None:
    by_task, by_batch = two_workspaces
    tasks = list(settings.nlp.labelers)
    for task in tasks:  # each task over every mention before the next, as analyze once did
        one = settings.model_copy(deep=True)
        one.nlp.labelers = [task]
        label_mentions(by_task, one, batch_size=4)
    seen: list[tuple[str, int, int]] = []
    counts = label_mentions(by_batch, settings, batch_size=4, progress=lambda *a: seen.append(a))
    assert _state(by_batch) == _state(by_task)
    n = len(TEXTS)
    assert counts == {"language": n - 1, "sentiment": n - 1, "topic": n}
    assert (("topic", n, n)) in seen and ("sentiment", 0, n - 1) in seen
    # Nothing left to label: a second run labels nothing.
    assert label_mentions(by_batch, settings) == dict.fromkeys(tasks, 0)


def test_word_rows_kept_across_batches_equal_the_vectorizer() -> None:
    from nlp.features import _vectorizers, char_wb_counts, model_text

    _, char = _vectorizers()
    texts = [model_text(t) for t, _ in TEXTS]
    for part in (texts[:5], texts[3:], texts, ["un mot inconnu jusqu'ici"], [""]):
        expect = char.transform(part)
        expect.sort_indices()
        got = char_wb_counts(char, part)
        assert got.shape == expect.shape and (got != expect).nnz == 0
        assert got.dtype == expect.dtype
