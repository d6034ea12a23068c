"""Recognise an export's format from its content (`--format auto`): every reader sniffs it."""

from __future__ import annotations

import logging
import zipfile
from pathlib import Path

from crawlers.readers import FORMATS
from crawlers.readers.base import ReaderError
from crawlers.readers.encoding import decoded_head
from crawlers.readers.sniff import HEAD_BYTES, is_archive, is_json

log = logging.getLogger(__name__)


def detect_format(path: Path) -> str:
    """The format name of the export at `path`, or a ReaderError saying what it looks like.

    The reader most sure of itself wins (the earlier listed on a tie); a reader whose sniff
    fails is passed over with a warning.
    """
    head = b"" if is_archive(path) else _head(path)
    if not head and zipfile.is_zipfile(path):
        try:
            zipfile.ZipFile(path).close()
        except (zipfile.BadZipFile, OSError) as exc:
            raise ReaderError(path, f"a damaged zip archive ({exc})") from None
    best: tuple[float, int, str] | None = None
    for position, (name, module) in enumerate(FORMATS.items()):
        try:
            score = float(module.sniff(path, head))
        except ReaderError:
            raise
        except Exception as exc:  # one reader's bug must not hide the others' answers
            log.warning("The %s reader could not sniff %s: %s", name, path, exc)
            continue
        if score > 0 and (best is None or (score, -position) > best[:2]):
            best = (score, -position, name)
    if best is not None:
        return best[2]
    titles = ", ".join(str(getattr(m, "title", n)) for n, m in FORMATS.items())
    if not head:
        what = "folder" if path.is_dir() else "zip archive"
        raise ReaderError(
            path, f"this {what} holds no export Veille recognises ({titles}); pass --format, "
            "or point to the file itself"
        )  # fmt: skip
    if is_json(head):
        raise ReaderError(path, f"JSON of no export format Veille knows ({titles}); pass --format")
    raise ReaderError(
        path, f"not a format Veille recognises ({titles}); pass --format if it is one of them"
    )


def _head(path: Path) -> bytes:
    """The first bytes of a text file, as UTF-8 (UTF-16 and Latin-1 files re-encoded); a
    ReaderError for an empty or a binary file."""
    with open(path, "rb") as stream:
        head = decoded_head(stream.read(HEAD_BYTES))
    if not head.strip():
        raise ReaderError(path, "the file is empty")
    if b"\x00" in head or not _mostly_text(head):
        raise ReaderError(path, "binary content, not an export (JSON, JS or CSV) Veille reads")
    return head


def check_content(path: Path) -> None:
    """What a forced --format still needs: a folder, a zip archive or a non-empty text file."""
    if not is_archive(path):
        _head(path)


def _mostly_text(head: bytes) -> bool:
    sample = head[:4096]
    try:
        sample.decode("utf-8")
        return True
    except UnicodeDecodeError as exc:
        if exc.start >= len(sample) - 4:  # a character cut at the end of the sample
            return True
    odd = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return odd < len(sample) * 0.02
