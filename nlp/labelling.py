"""Label the stored mentions with the configured labelers, and label lines of text.

`label_mentions` runs the labelers of `nlp.labelers` (the config's list, in order) batch by
batch: each batch of mentions that some labeler has not labelled yet at its current model and
version (all of them with `relabel`) goes through every labeler that still needs it, one after
the other, and its labels are committed together (with those of the batches next to it: a
transaction writes at least WRITE_MENTIONS mentions). The labelers of one batch share its
features (the sentiment and topic labelers count n-grams and encode sentences once), and the
language found first goes with the text to the others, as the mention's language. People's
labels stay as they are, and a person's language label also stays the mention's language.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings
    from nlp.labelers import Labeler
    from storage.labelling import MentionToLabel
    from storage.labels import LabelRecord

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (task, done, total)
# Tasks whose labelers give calibrated scores (model card): only their labels go to review.
REVIEWED_TASKS = ("sentiment", "topic")
# Labelled mentions written per transaction, at least (whole batches).
WRITE_MENTIONS = 10_000


def load_labelers(settings: Settings) -> tuple[list[tuple[str, Labeler]], dict[str, str]]:
    """The configured labelers in order, and those switched off by their configuration (task
    -> why)."""
    from nlp.labelers import NotConfigured, load

    loaded: list[tuple[str, Labeler]] = []
    disabled: dict[str, str] = {}
    for task in settings.nlp.labelers:
        try:
            loaded.append((task, load(task, settings)))
        except NotConfigured as exc:
            log.warning("Disabled labeler %s: %s", task, exc)
            disabled[task] = str(exc)
    return loaded, disabled


def wanted_of(labelers: Sequence[tuple[str, Labeler]]) -> list[tuple[str, str, str]]:
    """(task, model, version) of each labeler: what a mention's labels are checked against."""
    return [(task, labeler.model, labeler.version) for task, labeler in labelers]


def label_mentions(
    engine: Engine,
    settings: Settings,
    *,
    relabel: bool = False,
    batch_size: int | None = None,
    progress: Progress | None = None,
    between: tuple[int, int] | None = None,
    jobs: int | None = None,
) -> dict[str, Any]:
    """Mentions labelled per task, in the labelers' order; a labeler switched off by its
    configuration appears under "disabled" with the reason, at its place in that order.
    `between`: only the mentions whose ids run from first to last (both included); `jobs`:
    labelling processes (default `nlp.jobs`), each labelling a slice of every batch while this
    one writes the labels in order — the same labels whatever their number."""
    from nlp.label_pool import LabellingPool, jobs_of
    from nlp.processes import ahead as in_order_ahead
    from storage.labelling import count_to_label, iter_needing_labels

    size = int(batch_size or settings.nlp.batch_size)
    labelers, disabled = load_labelers(settings)
    counts: dict[str, Any] = {}
    totals: dict[str, int] = {}
    for task in settings.nlp.labelers:
        if task in disabled:
            counts.setdefault("disabled", {})[task] = disabled[task]
        else:
            counts[task] = 0
    if progress:
        for task, labeler in labelers:
            totals[task] = count_to_label(engine, task, labeler.model, labeler.version, relabel)
            progress(task, 0, totals[task])

    # Labelled batches held until they make WRITE_MENTIONS mentions, then written in one
    # transaction: a commit rewrites the pages of the inbox's score indexes each batch
    # touches, and fewer, larger ones rewrite each page fewer times (storage.attention).
    held: list[tuple[list[LabelRecord], list[tuple[int, str]]]] = []
    held_mentions = 0

    def write(mentions: int, done: tuple[list[LabelRecord], list[tuple[int, str]]]) -> None:
        nonlocal held_mentions
        held.append(done)
        held_mentions += mentions
        if held_mentions >= WRITE_MENTIONS:
            flush()

    def flush() -> None:
        nonlocal held_mentions
        if not held:
            return
        records = [r for batch, _ in held for r in batch]
        languages = [lang for _, batch in held for lang in batch]
        held.clear()
        held_mentions = 0
        for task, n in save_batch(engine, labelers, records, languages).items():
            counts[task] += n
            if progress and n:
                progress(task, counts[task], totals[task])

    wanted = wanted_of(labelers)
    # Batches submitted ahead of the one collected: enough that the labelling processes keep
    # working while this one writes a transaction's worth of labels.
    depth = -(-WRITE_MENTIONS // size) + 1
    with LabellingPool(settings, labelers, jobs_of(settings, jobs)) as pool:

        def submit(batch: list[MentionToLabel]) -> Any:
            return pool.submit(batch, human_languages(engine, labelers, batch))

        batches = iter_needing_labels(engine, wanted, relabel, size, between)
        for batch, labelled in in_order_ahead(batches, submit, depth):
            write(len(batch), labelled.get())
        flush()
    return counts


def label_batch(
    engine: Engine,
    settings: Settings,
    labelers: Sequence[tuple[str, Labeler]],
    batch: Sequence[MentionToLabel],
) -> dict[str, int]:
    """Label one batch with every labeler each mention still needs (`MentionToLabel.needs`;
    all of them when it names none), in the labelers' order, and commit its labels in one
    transaction. Mentions labelled per task."""
    records, languages = predict_batch(engine, settings, labelers, batch)
    return save_batch(engine, labelers, records, languages)


def save_batch(
    engine: Engine,
    labelers: Sequence[tuple[str, Labeler]],
    records: list[LabelRecord],
    languages: list[tuple[int, str]],
) -> dict[str, int]:
    """Commit one batch's labels and languages in one transaction; mentions labelled per
    task."""
    from storage.labelling import set_languages
    from storage.labels import LABELLED_TABLES, save_labels
    from storage.planner import bulk_write

    with bulk_write(engine, LABELLED_TABLES) as conn:  # PostgreSQL's statistics kept up
        save_labels(conn, records, by_human=False)
        if languages:
            set_languages(conn, languages)
    done = dict.fromkeys((task for task, _ in labelers), 0)
    for r in records:
        done[r.task] += 1
    return done


def human_languages(
    engine: Engine, labelers: Sequence[tuple[str, Labeler]], batch: Sequence[MentionToLabel]
) -> dict[int, str]:
    """The language a person gave to the mentions of the batch (only when a language labeler
    runs: its label gives way to theirs)."""
    from storage.labelling import human_labels_of

    if not any(task == "language" for task, _ in labelers):
        return {}
    with engine.connect() as conn:
        return human_labels_of(conn, "language", [m.id for m in batch])


def predict_batch(
    engine: Engine,
    settings: Settings,
    labelers: Sequence[tuple[str, Labeler]],
    batch: Sequence[MentionToLabel],
) -> tuple[list[LabelRecord], list[tuple[int, str]]]:
    """The labels of one batch, and the language each mention labelled for language ends with
    (a person's language label where one exists) where it is not the stored one: what
    `label_batch` writes."""
    return predict(settings, labelers, batch, human_languages(engine, labelers, batch))


def predict(
    settings: Settings,
    labelers: Sequence[tuple[str, Labeler]],
    batch: Sequence[MentionToLabel],
    human: Mapping[int, str],
) -> tuple[list[LabelRecord], list[tuple[int, str]]]:
    """`predict_batch` given the languages people gave (`human`, mention id -> language): no
    database, so that labelling processes can run it."""
    from nlp.labelers import Doc
    from storage.labels import LabelRecord

    review_below = settings.nlp.review_below
    every = tuple(task for task, _ in labelers)
    # The language the language labeler found (or a person gave) is the mention's language
    # for the labelers after it, as it would be read back from the database.
    found: dict[int, str] = {}
    records: list[LabelRecord] = []
    languages: list[tuple[int, str]] = []
    for task, labeler in labelers:
        todo = [m for m in batch if task in (m.needs or every)]
        if not todo:
            continue
        docs = [
            Doc(text=m.text, title=m.title, author=m.author, source_kind=m.source_kind,
                brands=m.brands, own_account=m.own_account,
                lang=found.get(m.id) or _language_hint(settings, m.source_name, m.lang))
            for m in todo
        ]  # fmt: skip
        predictions = labeler.label_batch(docs)
        part = [
            LabelRecord(mention_id=m.id, task=task, value=p.value, score=p.score,
                        scores=p.scores or None, model=labeler.model, version=labeler.version,
                        review=task in REVIEWED_TASKS and p.score < review_below)
            for m, p in zip(todo, predictions, strict=True)
        ]  # fmt: skip
        records += part
        if task == "language":
            # The language each mention ends with: a person's label where one exists; only
            # those that differ from the stored one are written (a night reads a million).
            kept = [(r.mention_id, human.get(r.mention_id, r.value)) for r in part]
            stored = {m.id: m.lang for m in todo}
            languages += [(mid, lang) for mid, lang in kept if lang != stored[mid]]
            found.update(kept)
    return records, languages


def _language_hint(settings: Settings, source_name: str, stored: str | None) -> str | None:
    """The source's own language field: the mention's, else the configured source's."""
    if stored:
        return stored
    for source in settings.sources:
        if source.name == source_name:
            return str(source.language) if source.language else None
    return None


def classify_lines(
    settings: Settings, task: str, stream: IO[bytes], scores: bool, batch_size: int = 1000
) -> Iterator[str]:
    """One output line per input line: the label, or a JSON object with every score."""
    from nlp.labelers import NotConfigured, load

    try:
        labeler = load(task, settings)
    except NotConfigured as exc:
        raise ValueError(str(exc)) from None
    batch: list[str] = []

    def flush() -> Iterator[str]:
        for p in labeler.label_batch(batch):
            if scores:
                yield json.dumps({"label": p.value, "score": p.score, "scores": p.scores},
                                 ensure_ascii=False)  # fmt: skip
            else:
                yield p.value
        batch.clear()

    for raw in stream:
        batch.append(raw.rstrip(b"\r\n").decode("utf-8", errors="replace"))
        if len(batch) >= batch_size:
            yield from flush()
    if batch:
        yield from flush()
