"""Label the stored mentions with the configured labelers, and label lines of text.

`label_mentions` runs every labeler of `nlp.labelers` (the config's list, in order) over the
mentions it has not labelled yet at its current model and version (all of them with
`relabel`), batch by batch, each batch committed; people's labels stay as they are, and a
person's language label also stays the mention's language.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from config.settings import Settings
    from storage.labels import LabelRecord

log = logging.getLogger(__name__)

Progress = Callable[[str, int, int], None]  # (task, done, total)
# Tasks whose labelers give calibrated scores (model card): only their labels go to review.
REVIEWED_TASKS = ("sentiment", "topic")


def label_mentions(
    engine: Engine,
    settings: Settings,
    *,
    relabel: bool = False,
    batch_size: int | None = None,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """Mentions labelled per task, in the labelers' order; a labeler switched off by its
    configuration appears under "disabled" with the reason, at its place in that order."""
    from nlp.labelers import Doc, NotConfigured, load
    from storage.labelling import count_to_label, iter_to_label, set_languages
    from storage.labels import LabelRecord, save_labels

    size = int(batch_size or settings.nlp.batch_size)
    review_below = settings.nlp.review_below
    counts: dict[str, Any] = {}
    for task in settings.nlp.labelers:
        try:
            labeler = load(task, settings)
        except NotConfigured as exc:
            log.warning("Disabled labeler %s: %s", task, exc)
            counts.setdefault("disabled", {})[task] = str(exc)
            continue
        total = count_to_label(engine, task, labeler.model, labeler.version, relabel)
        done = 0
        if progress:
            progress(task, done, total)
        for batch in iter_to_label(engine, task, labeler.model, labeler.version, relabel, size):
            docs = [
                Doc(text=m.text, title=m.title, author=m.author, source_kind=m.source_kind,
                    brands=m.brands, lang=_language_hint(settings, m.source_name, m.lang),
                    own_account=m.own_account)
                for m in batch
            ]  # fmt: skip
            predictions = labeler.label_batch(docs)
            records = [
                LabelRecord(mention_id=m.id, task=task, value=p.value, score=p.score,
                            scores=p.scores or None, model=labeler.model,
                            version=labeler.version,
                            review=task in REVIEWED_TASKS and p.score < review_below)
                for m, p in zip(batch, predictions, strict=True)
            ]  # fmt: skip
            with engine.begin() as conn:
                save_labels(conn, records, by_human=False)
                if task == "language":
                    set_languages(conn, _kept_languages(conn, records))
            done += len(batch)
            if progress:
                progress(task, done, total)
        counts[task] = done
    return counts


def _language_hint(settings: Settings, source_name: str, stored: str | None) -> str | None:
    """The source's own language field: the mention's, else the configured source's."""
    if stored:
        return stored
    for source in settings.sources:
        if source.name == source_name:
            return str(source.language) if source.language else None
    return None


def _kept_languages(conn: Connection, records: list[LabelRecord]) -> list[tuple[int, str]]:
    """The language each mention ends with: a person's label where one exists."""
    from storage.labelling import human_labels_of

    human = human_labels_of(conn, "language", [r.mention_id for r in records])
    return [(r.mention_id, human.get(r.mention_id, r.value)) for r in records]


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
