"""Streaming CSV rows as dicts, with line numbers and broken rows reported, not fatal."""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from crawlers.readers.base import RawRecord, ReaderError, as_str, open_text
from crawlers.readers.sniff import csv_delimiter

csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

_MAX_CONSECUTIVE_ERRORS = 50


def iter_rows(
    path: Path, text_columns: tuple[str, ...] = (), title: str = "CSV export"
) -> Iterator[RawRecord]:
    """One record per data row (`raw` is the row as a dict of the header's columns).

    Comma, tab and semicolon delimiters are recognised from the header. With `text_columns`,
    a header holding none of them is refused, naming the columns it has: every row would be
    dropped for want of a text.
    """
    label = str(path)
    with open_text(path) as handle:
        sample = handle.read(8192)
        if "\x00" in sample:
            raise ReaderError(label, "binary content (NUL bytes), not a CSV export")
        handle.seek(0)
        reader = csv.reader(handle, delimiter=csv_delimiter(sample.split("\n", 1)[0]))
        try:
            header = next(reader)
        except StopIteration:
            raise ReaderError(label, "the file is empty: no header, no rows") from None
        except csv.Error as exc:
            raise ReaderError(label, f"the header row cannot be read ({exc})", "line 1") from None
        header = [h.strip().lstrip("\ufeff") for h in header]
        if text_columns and not set(text_columns) & set(header):
            found = ", ".join(f"`{h}`" for h in header if h) or "none"
            wanted = " or ".join(f"`{c}`" for c in text_columns)
            raise ReaderError(
                label,
                f"no text column: a {title} needs {wanted}; the header has {found}. "
                "Check the export's columns, or pass the right --format",
                "line 1",
            )
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
