"""Write stored mentions to CSV, JSON lines or Parquet, streaming (`veille export`)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from reports.pseudonym import Pseudonymiser
from storage.queries import iter_mentions
from storage.vocab import LABEL_TASKS


class ExportError(Exception):
    """An export that cannot be written, worded for a person (exit code 1)."""

    exit_code = 1


COLUMNS = [
    "source", "source_kind", "external_id", "url", "author", "author_name", "published_at",
    "collected_at", "title", "thread_id", "thread_title", "thread_url", "parent_id", "text", "lang",
    "brands", "likes", "shares", "comments", "views", "rating", "author_followers",
    "author_account_followers", "suspicious", "suspicious_reasons",
]  # fmt: skip


def _flat(row: dict[str, Any], joined_brands: bool) -> dict[str, Any]:
    out = {c: row.get(c) for c in COLUMNS}
    for key in ("published_at", "collected_at"):
        value = out[key]
        if isinstance(value, datetime):
            out[key] = value.isoformat()
    out["brands"] = "|".join(row["brands"]) if joined_brands else row["brands"]
    # Flagged as suspicious (reports leave these out when reports.exclude_suspicious is on).
    flags = row.get("flags") or []
    out["suspicious"] = bool(flags)
    reasons = [f"{f['kind']}: {f['reason']}" for f in flags]
    out["suspicious_reasons"] = " | ".join(reasons) if joined_brands else reasons
    labels = row["labels"]
    for task in sorted(set(LABEL_TASKS) | set(labels)):
        lab = labels.get(task)
        out[task] = lab["value"] if lab else None
        out[f"{task}_score"] = lab["score"] if lab else None
        out[f"{task}_by_human"] = lab["by_human"] if lab else None
        # A model's label it was unsure of (score under nlp.review_below): a person should look.
        out[f"{task}_review"] = lab.get("review", False) if lab else None
    return out


def write_export(
    engine: Engine,
    fmt: str,
    out: Path,
    brand: str | None = None,
    since: datetime | None = None,
    on_row: Callable[[], None] | None = None,
    pseudonymiser: Pseudonymiser | None = None,
) -> int:
    """Write the mentions; with a pseudonymiser, authors are pseudonyms and texts say `@user`."""
    if not out.parent.is_dir():
        out.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target and renamed at the end: a killed export leaves no half file.
    regular = not out.exists() or out.is_file()
    tmp = out.with_name(out.name + ".part") if regular else out
    rows = iter_mentions(engine, brand=brand, since=since)
    if pseudonymiser is not None:
        rows = map(pseudonymiser.mention_row, rows)
    if on_row is not None:
        rows = _tap(rows, on_row)
    try:
        if fmt == "jsonl":
            n = _jsonl(rows, tmp)
        elif fmt == "csv":
            n = _csv(rows, tmp)
        elif fmt == "parquet":
            n = _parquet(rows, tmp)
        else:
            raise ExportError(f"unknown export format {fmt!r}; use csv, jsonl or parquet")
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ExportError(f"Cannot write {out}: {exc.strerror}; check the folder.") from None
    if tmp != out:
        tmp.replace(out)
    return n


def _tap(rows: Iterator[dict[str, Any]], on_row: Callable[[], None]) -> Iterator[dict[str, Any]]:
    for row in rows:
        on_row()
        yield row


def _jsonl(rows: Any, path: Path) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for row in rows:
            flat = _flat(row, joined_brands=False)
            flat["labels"] = row["labels"]
            fh.write(json.dumps(flat, ensure_ascii=False, default=str) + "\n")
            n += 1
    return n


def _csv(rows: Any, path: Path) -> int:
    n = 0
    writer = None
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        for row in rows:
            flat = _flat(row, joined_brands=True)
            if writer is None:
                writer = csv.DictWriter(fh, fieldnames=list(flat), extrasaction="ignore")
                writer.writeheader()
            writer.writerow(flat)
            n += 1
        if writer is None:
            csv.writer(fh).writerow(COLUMNS)
    return n


def _parquet_schema() -> Any:
    import pyarrow as pa

    ints = {"likes", "shares", "comments", "views", "author_followers", "author_account_followers"}
    fields = []
    for c in COLUMNS:
        if c in ints:
            fields.append(pa.field(c, pa.int64()))
        elif c == "rating":
            fields.append(pa.field(c, pa.float64()))
        elif c in ("brands", "suspicious_reasons"):
            fields.append(pa.field(c, pa.list_(pa.string())))
        elif c == "suspicious":
            fields.append(pa.field(c, pa.bool_()))
        else:
            fields.append(pa.field(c, pa.string()))
    for task in LABEL_TASKS:
        fields += [
            pa.field(task, pa.string()),
            pa.field(f"{task}_score", pa.float64()),
            pa.field(f"{task}_by_human", pa.bool_()),
            pa.field(f"{task}_review", pa.bool_()),
        ]
    return pa.schema(fields)


def _parquet(rows: Any, path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = _parquet_schema()
    n = 0
    batch: list[dict[str, Any]] = []
    with pq.ParquetWriter(path, schema) as writer:
        for row in rows:
            flat = _flat(row, joined_brands=False)
            batch.append({name: flat.get(name) for name in schema.names})
            n += 1
            if len(batch) >= 10_000:
                writer.write_table(pa.Table.from_pylist(batch, schema=schema))
                batch.clear()
        if batch:
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
    return n
