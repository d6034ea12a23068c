"""Streaming CSV rows as dicts, with line numbers and broken rows reported, not fatal."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.readers.base import RawRecord, ReaderError, as_str, open_text

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_MAX_CONSECUTIVE_ERRORS = 50


def iter_rows(path: Path) -> Iterator[RawRecord]:
    """One record per data row (`raw` is the row as a dict of the header's columns)."""
    label = str(path)
    with open_text(path) as handle:
        if "\x00" in handle.read(8192):
            raise ReaderError(label, "binary content (NUL bytes), not a CSV export")
        handle.seek(0)
        reader = csv.reader(handle)
        try:
            header = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise ReaderError(label, f"the header row cannot be read ({exc})", "line 1") from None
        header = [h.strip() for h in header]
        width = len(header)
        index = 0
        failures = 0
        start = reader.line_num + 1
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                failures += 1
                yield RawRecord(label, index, f"line {start:,}", None, error=f"broken row ({exc})")
                index += 1
                start = reader.line_num + 1
                if failures >= _MAX_CONSECUTIVE_ERRORS:
                    raise ReaderError(
                        label,
                        f"{failures} broken rows in a row; is this really a CSV export?",
                        f"line {start:,}",
                    ) from None
                continue
            where = f"line {start:,}"
            start = reader.line_num + 1
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            if len(row) != width:
                failures += 1
                yield RawRecord(
                    label, index, where, dict(zip(header, row, strict=False)),
                    error=f"broken row: {len(row)} fields where the header has {width}",
                )  # fmt: skip
            else:
                failures = 0
                yield RawRecord(label, index, where, dict(zip(header, row, strict=True)))
            index += 1


def pick(row: dict[str, Any], *columns: str) -> str | None:
    """The first non-empty value among `columns` (renamed or missing columns degrade to None)."""
    for column in columns:
        value = as_str(row.get(column))
        if value is not None:
            return value
    return None
