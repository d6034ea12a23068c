"""The analyze stage: every labeler of `nlp.labelers`, in order, over the mentions it has not
labelled yet at its current version (all of them with `relabel`); people's labels stay."""

from __future__ import annotations

import logging
from typing import Any

from pipeline.stages import StageContext, StageResult

name = "analyze"

log = logging.getLogger(__name__)


def run(ctx: StageContext) -> StageResult:
    from nlp.labelers import Doc, NotConfigured, load
    from storage.labelling import count_to_label, iter_to_label, set_languages
    from storage.labels import LabelRecord, save_labels

    settings = ctx.settings
    engine = ctx.engine
    relabel = bool(ctx.options.get("relabel", False))
    progress = ctx.options.get("progress")  # a callable(task, done, total) or None
    batch_size = int(ctx.options.get("batch_size") or settings.nlp.batch_size)
    result = StageResult()
    for task in settings.nlp.labelers:
        try:
            labeler = load(task, settings)
        except NotConfigured as exc:
            log.warning("Disabled labeler %s: %s", task, exc)
            result.counts.setdefault("disabled", {})[task] = str(exc)
            continue
        total = count_to_label(engine, task, labeler.model, labeler.version, relabel)
        done = 0
        if progress:
            progress(task, done, total)
        for batch in iter_to_label(engine, task, labeler.model, labeler.version, relabel,
                                   batch_size):  # fmt: skip
            docs = [
                Doc(text=m.text, title=m.title, author=m.author, source_kind=m.source_kind,
                    brands=m.brands, lang=_language_hint(settings, m.source_name, m.lang))
                for m in batch
            ]  # fmt: skip
            predictions = labeler.label_batch(docs)
            records = [
                LabelRecord(mention_id=m.id, task=task, value=p.value, score=p.score,
                            scores=p.scores or None, model=labeler.model,
                            version=labeler.version)
                for m, p in zip(batch, predictions, strict=True)
            ]  # fmt: skip
            with engine.begin() as conn:
                save_labels(conn, records, by_human=False)
                if task == "language":
                    set_languages(conn, _kept_languages(conn, records))
            done += len(batch)
            if progress:
                progress(task, done, total)
        result.counts[task] = done
        result.items += done
    return result


def _language_hint(settings: Any, source_name: str, stored: str | None) -> str | None:
    """The source's own language field: the mention's, else the configured source's."""
    if stored:
        return stored
    for source in settings.sources:
        if source.name == source_name:
            return str(source.language) if source.language else None
    return None


def _kept_languages(conn: Any, records: list[Any]) -> list[tuple[int, str]]:
    """The language each mention ends with: a person's label where one exists."""
    from storage.labelling import human_labels_of

    human = human_labels_of(conn, "language", [r.mention_id for r in records])
    return [(r.mention_id, human.get(r.mention_id, r.value)) for r in records]
