"""`veille analyze` with several labelling processes (`nlp.jobs`) stores the same labels, byte
for byte, as with one: each process labels a slice of the batch, this one writes them in
order."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import Engine, Text, cast, literal_column, select

from config.settings import Settings
from nlp.label_pool import MIN_SLICE, LabellingPool, jobs_of, slices
from nlp.labelling import label_mentions, load_labelers, predict
from storage.engine import make_engine
from storage.labelling import iter_needing_labels
from storage.labels import LabelRecord, save_labels
from storage.models import Label, Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.schema import upgrade
from storage.upsert import MentionStore

OPENINGS = [
    "Toujours pas reçu ma commande", "I love my new Lumio headphones", "Merci au SAV Lumio",
    "Does anyone know if Lumio ships to the UK", "Il serait bien que Lumio propose",
    "JEU CONCOURS : RT pour gagner", "Vous comptez rétablir le réseau quand", "ok", "",
    "Lumio ne répond plus depuis trois jours", "Worst customer service ever @Lumio",
    "¿Alguien sabe si Lumio envía a España", "Bravo pour la nouvelle appli",
]  # fmt: skip
ENDINGS = ["", " ?", " !", " 😡", " 👍", ", merci", " #lumio", " https://t.co/x1"]
N = 2 * MIN_SLICE + 37  # one batch, shared in two slices


def _texts() -> list[str]:
    pairs = itertools.islice(itertools.cycle(itertools.product(OPENINGS, ENDINGS)), N)
    return [f"{a}{b}" if i % 7 else f"{a}{b} (n°{i})" for i, (a, b) in enumerate(pairs)]


def _workspace(url: str) -> Engine:
    engine = make_engine(url)
    upgrade(engine)
    MentionStore(engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=f"m{i:03}",
                      text=text, lang="en" if i % 11 == 0 else None,
                      author=AuthorRecord(handle="Lumio_FR" if i % 13 == 0 else f"c{i}"),
                      brands=[BrandMatch("Lumio")])
        for i, text in enumerate(_texts())
    )  # fmt: skip
    with engine.begin() as conn:
        ids = dict(conn.execute(select(Mention.external_id, Mention.id)).tuples().all())
        save_labels(conn, [LabelRecord(ids["m003"], "language", "de")], by_human=True)
        save_labels(conn, [LabelRecord(ids["m150"], "sentiment", "negative")], by_human=True)
    return engine


def _labels(engine: Engine) -> list[tuple[object, ...]]:
    """Every label row as stored (JSON as its text), in the order written; then languages."""
    rowid = literal_column("rowid")
    with engine.connect() as conn:
        rows = conn.execute(
            select(rowid, Label.mention_id, Label.task, Label.value, Label.score,
                   cast(Label.scores, Text), Label.model, Label.version, Label.by_human,
                   Label.review).order_by(rowid)
        ).all()  # fmt: skip
        langs = conn.execute(select(Mention.id, Mention.lang).order_by(Mention.id)).all()
    return [tuple(r) for r in rows] + [tuple(r) for r in langs]


@pytest.mark.parametrize("profile", ["accurate", "fast"])
def test_two_jobs_store_the_labels_of_one(profile: str, tmp_path: Path) -> None:
    settings = Settings.model_validate({
        "brands": [{"name": "Lumio", "query": ["lumio"], "own_accounts": ["Lumio_FR"]}],
        "nlp": {"profile": profile},
    })  # fmt: skip
    one, two = (_workspace(f"sqlite:///{tmp_path}/{n}.db") for n in ("one", "two"))
    try:
        counts = label_mentions(one, settings, jobs=1)
        assert counts == label_mentions(two, settings, jobs=2)
        assert counts["topic"] == N and counts["sentiment"] == N - 1  # a person's label stays
        stored = _labels(one)
        assert len(stored) > 3 * N and stored == _labels(two)
        # Other batches, the second one shared too: labels the same again.
        assert label_mentions(two, settings, jobs=2, batch_size=N - 20, relabel=True) == counts
        assert _labels(two) == stored
        assert label_mentions(two, settings, jobs=2) == dict.fromkeys(settings.nlp.labelers, 0)
    finally:
        one.dispose()
        two.dispose()


def test_a_batch_is_shared_in_slices_labelled_elsewhere(tmp_path: Path) -> None:
    settings = Settings.model_validate({"nlp": {"profile": "fast", "jobs": 2}})
    assert jobs_of(settings) == 2 and jobs_of(settings, 3) == 3 and jobs_of(settings, 0) >= 1
    assert slices(N, 2) == [(0, N // 2), (N // 2, N)]
    assert slices(MIN_SLICE + 1, 4) == [(0, MIN_SLICE + 1)]
    assert slices(4 * MIN_SLICE, 3) == [(0, 133), (133, 267), (267, 400)]
    engine = _workspace(f"sqlite:///{tmp_path}/w.db")
    try:
        labelers = load_labelers(settings)[0]
        wanted = [(t, lab.model, lab.version) for t, lab in labelers]
        batch = next(iter_needing_labels(engine, wanted, False, N))
        with LabellingPool(settings, labelers, 2) as pool:
            pending = pool.submit(batch, {})
            assert len(pending.parts) == 2  # labelled by the pool's processes
            assert pending.get() == predict(settings, labelers, batch, {})
    finally:
        engine.dispose()
