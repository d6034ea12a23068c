"""What every export reader shares: the raw record, the errors, value helpers."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import orjson


@dataclass(slots=True)
class RawRecord:
    """One record as it came out of an export, with where it was found.

    `raw` is stored unchanged next to the mapped mention; `context` carries what the record
    needs from elsewhere in the export (the archive owner, an included author, a note's text).
    """

    file: str  # the file (or `archive.zip!member`) it came from
    index: int  # 0-based position in the whole export: how far an import got
    location: str  # "line 12" or "record 3" within `file`
    raw: Any
    context: dict[str, Any] = field(default_factory=dict)
    error: str | None = None  # set when the record could not be parsed: kept aside, not mapped


class ReaderError(Exception):
    """A file that cannot be read (further): names the file, the place and what to do."""

    exit_code = 1

    def __init__(self, file: str | Path, message: str, location: str | None = None) -> None:
        self.file = str(file)
        self.location = location
        where = f"{self.file}, {location}" if location else self.file
        super().__init__(f"{where}: {message}")


class BadRecord(ValueError):
    """A record that parsed but cannot be mapped (no id, wrong shape): kept aside."""


def as_int(value: Any) -> int | None:
    """Counts as ints: "1,234" and "1 234" and 12.0 read as numbers; blanks and junk as None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    text = str(value).strip().replace(",", "").replace("\u202f", "").replace("\u00a0", "")
    text = text.replace(" ", "")
    if not text:
        return None
    try:
        return int(float(text)) if "." in text or "e" in text.lower() else int(text)
    except ValueError:
        return None


def as_str(value: Any) -> str | None:
    if value is None:
        return None
    text = (value if type(value) is str else str(value)).strip()
    return text or None


def dig(data: Any, *keys: str) -> Any:
    """data[k1][k2]… or None when any step is missing."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def open_text(path: Path) -> IO[str]:
    """A text file, decoded from UTF-8, UTF-16/32 with a BOM, Windows-1252 or Latin-1."""
    from crawlers.readers.encoding import open_text as decoded

    return decoded(path)


def iter_json_lines(stream: IO[bytes], name: str) -> Iterator[tuple[int, Any, str | None]]:
    """(line number, parsed value or the raw line, error) for each non-blank line.

    orjson parses the bytes of a line directly; a line it refuses (invalid UTF-8, a lone
    surrogate escape) is read again as text with the standard parser, undecodable bytes
    replaced, so what is accepted does not depend on the parser.
    """
    loads = orjson.loads
    for number, line in enumerate(stream, start=1):
        try:
            yield number, loads(line), None
            continue
        except orjson.JSONDecodeError:
            pass
        text = line.decode("utf-8", "replace")
        if number == 1:
            text = text.removeprefix("\ufeff")  # a BOM some tools write
        if not text.strip():
            continue
        try:
            value = json.loads(text)
        except ValueError as exc:
            yield number, text[:2000], f"not valid JSON ({exc.args[0] if exc.args else exc})"
            continue
        except RecursionError:  # orjson stops at 1,024 levels; the standard parser recurses
            yield number, text[:2000], "not valid JSON (nested too deeply)"
            continue
        yield number, value, None
