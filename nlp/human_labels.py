"""People's labels: checked, recorded one by one or from a CSV (bad lines kept aside), exported.

A person's label always wins over a model's (storage.labels.save_labels).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from config.refusals import Refusal
from storage.vocab import MENTION_TASKS, UNDETERMINED_LANGUAGE, values_of

if TYPE_CHECKING:
    from sqlalchemy import Engine

EXPORT_COLUMNS = ["mention_id", "task", "value", "lang", "labelled_at", "text"]
# What a training corpus may keep once the texts are past their retention: ids and labels.
ID_COLUMNS = ["source", "external_id", "task", "value", "lang", "labelled_at"]
_LANGUAGE = re.compile(r"^[a-z]{2}$")


REFUSALS = {
    "task": ("tâche inconnue « {task} »\u00a0; les tâches sont\u00a0: {tasks}",
             "unknown task {task!r}; tasks are {tasks}"),
    "language": ("la langue « {value} » n'est pas un code ISO 639-1 (fr, en…) ni und",
                 "language {value!r} is not an ISO 639-1 code (fr, en…) nor und"),
    "value": ("{task} « {value} » n'est pas l'une des valeurs\u00a0: {allowed}",
              "{task} {value!r} is not one of {allowed}"),
}  # fmt: skip


def check_value(task: str, value: str) -> str:
    """The value normalised, or a ValueError saying what is allowed."""
    task, value = task.strip().lower(), value.strip()
    if task not in MENTION_TASKS:
        raise Refusal(REFUSALS, "task", task=task, tasks=", ".join(MENTION_TASKS))
    if task == "language":
        value = value.lower()
        if value != UNDETERMINED_LANGUAGE and not _LANGUAGE.match(value):
            raise Refusal(REFUSALS, "language", value=value)
        return value
    allowed = values_of(task)
    if value.lower() not in allowed:
        raise Refusal(REFUSALS, "value", task=task, value=value, allowed=", ".join(allowed))
    return value.lower()


def parse_assignment(text: str) -> tuple[str, str]:
    task, sep, value = text.partition("=")
    if not sep or not value.strip():
        raise ValueError(f"{text!r} is not TASK=VALUE (e.g. sentiment=negative)")
    return task.strip().lower(), check_value(task, value)


def record(engine: Engine, mention_id: int, pairs: Iterable[tuple[str, str]]) -> int:
    """Store a person's labels for one mention (LookupError when there is no such mention)."""
    from storage.labelling import existing_mentions, set_languages
    from storage.labels import LabelRecord, save_labels

    records = [LabelRecord(mention_id, t, v, score=1.0, model="human", version="human")
               for t, v in pairs]  # fmt: skip
    with engine.begin() as conn:
        if not existing_mentions(conn, [mention_id]):
            raise LookupError(f"there is no mention {mention_id}; `veille export` lists them")
        save_labels(conn, records, by_human=True)
        set_languages(conn, [(r.mention_id, r.value) for r in records if r.task == "language"])
    return len(records)


@dataclass
class ImportReport:
    saved: int = 0
    problems: list[str] = field(default_factory=list)


def import_human(engine: Engine, path: Path) -> ImportReport:
    """Record every good line of a CSV (mention_id,task,value); bad lines are kept aside."""
    from storage.labelling import existing_mentions, set_languages
    from storage.labels import LabelRecord, save_labels
    from storage.runs import keep_aside

    report = ImportReport()
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror}") from None
    reader = csv.DictReader(io.StringIO(raw.decode("utf-8-sig", errors="replace")))
    missing = {"mention_id", "task", "value"} - set(reader.fieldnames or [])
    if missing:
        raise ValueError(
            f"{path}: the header lacks {', '.join(sorted(missing))}; "
            "write a first line mention_id,task,value"
        )
    good: list[tuple[int, LabelRecord, str]] = []
    for row in reader:
        line = reader.line_num
        try:
            mid_text = (row.get("mention_id") or "").strip()
            if not mid_text.isdigit():
                raise ValueError(f"mention_id {mid_text!r} is not a number")
            task = (row.get("task") or "").strip().lower()
            value = check_value(task, row.get("value") or "")
        except ValueError as exc:
            _aside(keep_aside, engine, path, line, str(exc), row, report)
            continue
        rec = LabelRecord(int(mid_text), task, value, 1.0, model="human", version="human")
        good.append((line, rec, json.dumps(row, ensure_ascii=False)))
    with engine.begin() as conn:
        known = existing_mentions(conn, [rec.mention_id for _, rec, _ in good])
    kept = []
    for line, rec, row_json in good:
        if rec.mention_id in known:
            kept.append(rec)
        else:
            reason = f"there is no mention {rec.mention_id}"
            report.problems.append(f"{path}:{line}: {reason}")
            keep_aside(engine, "label", str(path), reason, row_json, location=f"line {line}")
    with engine.begin() as conn:
        report.saved = save_labels(conn, kept, by_human=True)
        set_languages(conn, [(r.mention_id, r.value) for r in kept if r.task == "language"])
    return report


def _aside(keep_aside: object, engine: Engine, path: Path, line: int, reason: str,
           row: dict[str, str | None], report: ImportReport) -> None:  # fmt: skip
    report.problems.append(f"{path}:{line}: {reason}")
    keep_aside(  # type: ignore[operator]
        engine,
        "label",
        str(path),
        reason,
        json.dumps(row, ensure_ascii=False),
        location=f"line {line}",
    )


def export_human(engine: Engine, path: Path, ids_only: bool = False) -> int:
    """Every human label with its mention's text, as a CSV training set; `ids_only`: the
    mention's source and external id instead of its text (no personal data but the ids)."""
    from storage.labelling import iter_human_labels

    n = 0
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as fh:
        columns = ID_COLUMNS if ids_only else EXPORT_COLUMNS
        writer = csv.DictWriter(fh, fieldnames=columns)
        writer.writeheader()
        for row in iter_human_labels(engine):
            row["labelled_at"] = row["labelled_at"].isoformat() if row["labelled_at"] else ""
            writer.writerow({k: row.get(k) for k in columns})
            n += 1
    return n
