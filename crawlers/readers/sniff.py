"""What readers' `sniff(path, head)` look at: the start of a file, CSV columns, archive names."""

from __future__ import annotations

import zipfile
from pathlib import Path

from crawlers.readers.base import ReaderError

HEAD_BYTES = 65536  # what auto-detection reads of a file, and hands to every reader's sniff


def text_start(head: bytes) -> bytes:
    """The head without a BOM and leading blanks."""
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def is_json(head: bytes) -> bool:
    return text_start(head)[:1] in (b"{", b"[")


def first_line(head: bytes) -> bytes:
    return text_start(head).split(b"\n", 1)[0]


def csv_delimiter(header: str) -> str:
    """The delimiter of a CSV header line: comma, or tab (Excel's "Unicode text"), or
    semicolon (Excel's CSV in French), whichever splits it into the most columns."""
    counts = {d: header.count(d) for d in (",", "\t", ";")}
    best = max(counts, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def csv_columns(head: bytes) -> set[str]:
    """The column names of a CSV header (empty for JSON or an empty head)."""
    if not head.strip() or is_json(head):
        return set()
    header = first_line(head).decode("utf-8", "replace").rstrip("\r")
    return {c.strip().strip('"') for c in header.split(csv_delimiter(header))}


def is_archive(path: Path) -> bool:
    """A folder or a zip archive: `sniff` is handed no head, the reader looks at its names."""
    return path.is_dir() or zipfile.is_zipfile(path)


def archive_names(path: Path) -> list[str]:
    """The base names of the files of a folder or a zip archive (empty for a plain file)."""
    if path.is_dir():
        return [p.name for p in path.rglob("*") if p.is_file()]
    if not zipfile.is_zipfile(path):
        return []
    try:
        with zipfile.ZipFile(path) as archive:
            return [n.rsplit("/", 1)[-1] for n in archive.namelist()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ReaderError(path, f"a damaged zip archive ({exc})") from None
