"""The files of an export, whether it is a .zip, its unpacked folder or one file; JSON streams."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from crawlers.readers.base import ReaderError


@dataclass(frozen=True)
class Member:
    """One file of an export: `relpath` inside the archive or folder, `label` for messages."""

    relpath: str
    label: str
    opener: Callable[[], IO[bytes]]

    @property
    def basename(self) -> str:
        return self.relpath.rsplit("/", 1)[-1]

    def open(self) -> IO[bytes]:
        return self.opener()


def members(path: Path) -> list[Member]:
    """Every file of the export at `path`, sorted by relative path (macOS junk left out)."""
    if path.is_dir():
        found = [
            Member(p.relative_to(path).as_posix(), str(p), _file_opener(p))
            for p in sorted(path.rglob("*"))
            if p.is_file()
        ]
    elif zipfile.is_zipfile(path):
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as exc:
            raise ReaderError(path, f"the zip archive cannot be opened ({exc})") from None
        found = [
            Member(info.filename, f"{path}!{info.filename}", _zip_opener(archive, info))
            for info in sorted(archive.infolist(), key=lambda i: i.filename)
            if not info.is_dir()
        ]
    else:
        found = [Member(path.name, str(path), _file_opener(path))]
    return [m for m in found if "__MACOSX/" not in m.relpath and not m.basename.startswith("._")]


def _file_opener(path: Path) -> Callable[[], IO[bytes]]:
    from crawlers.readers.encoding import open_bytes

    return lambda: open_bytes(path)


def _zip_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(info)


def iter_json_items(stream: Any, label: str, prefix: str) -> Iterator[Any]:
    """The items under `prefix` of a (possibly huge) JSON stream, one at a time.

    A truncated or broken stream stops with a ReaderError naming the record after the last
    good one; everything before it has been yielded.
    """
    import ijson

    count = 0
    try:
        # Small buffers: at a broken spot, at most the records of one buffer are not yielded.
        items = ijson.items(stream, prefix, use_float=True, multiple_values=True, buf_size=16384)
        for item in items:
            count += 1
            yield item
    except ijson.IncompleteJSONError as exc:
        raise ReaderError(
            label,
            f"the JSON ends too early or is broken ({_short(exc)}); {count:,} records were read "
            "before it. Re-export or re-download the file, then import it again.",
            location=f"after record {count:,}",
        ) from None
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        raise ReaderError(
            label,
            f"this is not valid JSON ({_short(exc)}); {count:,} records were read before it. "
            "Check that the file is the export you meant, or pass the right --format.",
            location=f"after record {count:,}",
        ) from None


class Prefixed:
    """A byte stream that first gives back `head`, then the rest of `stream`."""

    def __init__(self, head: bytes, stream: IO[bytes]) -> None:
        self.head = head
        self.stream = stream

    def read(self, size: int = -1) -> bytes:
        if self.head:
            if size < 0:
                data, self.head = self.head + self.stream.read(), b""
                return data
            data, self.head = self.head[:size], self.head[size:]
            return data
        return self.stream.read(size)


def js_payload(stream: IO[bytes], label: str) -> Any:
    """The JSON of a `window.YTD.tweets.part0 = [...]` file (plain JSON passes unchanged)."""
    head = stream.read(512)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text[:1] in (b"[", b"{"):
        return Prefixed(text, stream)
    equals = head.find(b"=")
    if equals < 0 or not head[:equals].strip().startswith(b"window."):
        raise ReaderError(
            label, "it does not start with `window.YTD… = [`; is this a file of an X archive?"
        )
    return Prefixed(head[equals + 1 :], stream)


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


_FIRST_KEY = re.compile(rb'^\s*\{\s*"((?:[^"\\]|\\.)*)"\s*:\s*\[')


def iter_json_list(stream: IO[bytes], label: str) -> Iterator[Any]:
    """Items of a top-level array, or of the array under an object's first key."""
    head = stream.read(4096).lstrip(b"\xef\xbb\xbf")
    found = _FIRST_KEY.match(head)
    prefix = f"{found.group(1).decode('utf-8', 'replace')}.item" if found else "item"
    if not found and not head.lstrip()[:1] == b"[":
        raise ReaderError(
            label,
            'this is not a JSON list of records (it should start with `[` or `{"key": [`); '
            "check the file or pass the right --format",
            location="record 1",
        )
    yield from iter_json_items(Prefixed(head, stream), label, prefix)
