"""Which mentions still need which labels (`storage.labelling`), the same on both backends:
PostgreSQL reads a mention's labels once for every task (a LATERAL aggregate), SQLite asks
an EXISTS per task. Also: the language labeler writes a mention's language only where it
changes it (`nlp.labelling.predict`); the label counts of `veille status` and the review
list's total (`storage.labels`)."""

from __future__ import annotations

from sqlalchemy import Engine, case, func, select

from config.settings import Settings
from nlp.labelling import load_labelers, predict
from storage.dialect import ids_in
from storage.labelling import (
    MentionToLabel,
    count_to_label,
    iter_needing_labels,
    ranges_to_label,
)
from storage.labels import LabelRecord, save_labels
from storage.models import Author, Label, Mention
from storage.records import AuthorRecord, MentionRecord
from storage.upsert import MentionStore

WANTED = [("language", "lm", "1"), ("sentiment", "sm", "2"), ("topic", "tm", "3")]


def _workspace(engine: Engine) -> list[int]:
    """Six mentions: none labelled; all current; an old sentiment model; a person's
    sentiment of another model; an old topic model; a person's topic and current others."""
    MentionStore(engine).store(
        MentionRecord(source="tw", source_kind="twitter_export", external_id=f"m{i}",
                      text=f"post {i}", author=AuthorRecord(handle=f"a{i % 2}"))
        for i in range(6)
    )  # fmt: skip
    with engine.connect() as conn:
        ids = list(conn.execute(select(Mention.id).order_by(Mention.id)).scalars())

    def current(mid: int, *tasks: str) -> list[LabelRecord]:
        at = {t: (m, v) for t, m, v in WANTED}
        return [LabelRecord(mid, t, "x", model=at[t][0], version=at[t][1]) for t in tasks]

    with engine.begin() as conn:
        save_labels(conn, [
            *current(ids[1], "language", "sentiment", "topic"),
            *current(ids[2], "language", "topic"), LabelRecord(ids[2], "sentiment", "x", model="sm", version="1"),
            *current(ids[3], "language", "topic"),
            *current(ids[4], "language", "sentiment"), LabelRecord(ids[4], "topic", "x", model="old", version="3"),
            *current(ids[5], "language", "sentiment"),
        ])  # fmt: skip
        save_labels(conn, [LabelRecord(ids[3], "sentiment", "positive"),
                           LabelRecord(ids[5], "topic", "autre")], by_human=True)  # fmt: skip
    return ids


def _needs(engine: Engine, relabel: bool, size: int = 2) -> dict[int, tuple[str, ...]]:
    found: dict[int, tuple[str, ...]] = {}
    for batch in iter_needing_labels(engine, WANTED, relabel, size):
        assert len(batch) <= size
        found.update((m.id, m.needs) for m in batch)
    return found


def test_the_mentions_to_label_and_their_tasks(engine: Engine) -> None:
    ids = _workspace(engine)
    assert _needs(engine, relabel=False) == {
        ids[0]: ("language", "sentiment", "topic"),
        ids[2]: ("sentiment",),  # another version of the model
        ids[4]: ("topic",),  # another model
    }  # ids[3] and ids[5]: a person's label settles the task, whatever its model
    assert _needs(engine, relabel=True) == {
        ids[0]: ("language", "sentiment", "topic"),
        ids[1]: ("language", "sentiment", "topic"),
        ids[2]: ("language", "sentiment", "topic"),
        ids[3]: ("language", "topic"),
        ids[4]: ("language", "sentiment", "topic"),
        ids[5]: ("language", "sentiment"),
    }
    assert ranges_to_label(engine, WANTED, False, 2) == [(ids[0], ids[2], 2), (ids[4], ids[4], 1)]
    assert [count_to_label(engine, *w, relabel=False) for w in WANTED] == [1, 2, 2]
    # `between`: only the ids of that range
    between = [m.id for b in iter_needing_labels(engine, WANTED, False, 10, (ids[1], ids[3]))
               for m in b]  # fmt: skip
    assert between == [ids[2]]


def test_a_list_of_ids_or_handles_as_one_parameter(engine: Engine) -> None:
    ids = _workspace(engine)
    with engine.connect() as conn:
        picked = conn.execute(
            select(Mention.id).where(ids_in(conn, Mention.id, [ids[4], ids[1], -7]))
            .order_by(Mention.id)
        ).scalars()  # fmt: skip
        assert list(picked) == [ids[1], ids[4]]
        handles = conn.execute(
            select(Author.handle).where(ids_in(conn, Author.handle, ["a1", "zz"]))
        ).scalars()
        assert list(handles) == ["a1"]
        assert list(conn.execute(select(Mention.id).where(ids_in(conn, Mention.id, [])))) == []


def test_the_language_is_written_only_where_it_changes() -> None:
    settings = Settings.model_validate({"nlp": {"profile": "fast", "labelers": ["language"]}})
    labelers, _ = load_labelers(settings)

    def doc(mid: int, lang: str | None) -> MentionToLabel:
        return MentionToLabel(mid, "Toujours pas reçu ma commande, le service client ne répond pas",
                              None, None, "twitter_export", "tw", lang, ())  # fmt: skip

    records, languages = predict(settings, labelers, [doc(1, "fr"), doc(2, None), doc(3, "en")], {})
    assert [(r.mention_id, r.value) for r in records] == [(1, "fr"), (2, "fr"), (3, "fr")]
    assert languages == [(2, "fr"), (3, "fr")]  # 1 is French already
    # a person's language wins, and is written when it is not the stored one
    _, languages = predict(settings, labelers, [doc(1, "fr"), doc(2, "en")], {1: "en", 2: "en"})
    assert languages == [(1, "en")]


def test_label_counts_and_labels_to_review_count_alike(engine: Engine) -> None:
    """`veille status`'s counts per task and the review list's total, on both backends."""
    from storage.labels import count_to_review, label_counts, labels_to_review

    ids = _workspace(engine)
    with engine.begin() as conn:
        save_labels(conn, [
            LabelRecord(ids[0], "topic", "autre", 0.3, model="tm", version="3", review=True),
            LabelRecord(ids[1], "sentiment", "neutral", 0.4, model="sm", version="2",
                        review=True),
        ])  # fmt: skip
        # A person's label is never to review, whatever the flag given with it.
        save_labels(conn, [LabelRecord(ids[1], "sentiment", "negative", review=True)],
                    by_human=True)  # fmt: skip
    with engine.connect() as conn:
        stored = {
            task: (n, people, review)
            for task, n, people, review in conn.execute(
                select(Label.task, func.count(),
                       func.sum(case((Label.by_human.is_(True), 1), else_=0)),
                       func.sum(case((Label.review.is_(True), 1), else_=0)))
                .group_by(Label.task)
            )
        }  # fmt: skip
    counts = label_counts(engine)
    assert {t: (c["labels"], c["people"], c["to_review"]) for t, c in counts.items()} == {
        t: (n, int(people or 0), int(review or 0)) for t, (n, people, review) in stored.items()
    }
    assert counts["topic"]["to_review"] == 1 and counts["sentiment"]["to_review"] == 0
    assert count_to_review(engine) == len(labels_to_review(engine, limit=100)) == 1
    assert count_to_review(engine, tasks=["sentiment"]) == 0
