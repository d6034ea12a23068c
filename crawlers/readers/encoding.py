"""The text encoding of an export file, and the file read as UTF-8 whatever it was saved in.

Readers see UTF-8: a UTF-8 BOM is skipped, UTF-16 with a BOM (Excel's "Unicode text", a
PowerShell redirect) and UTF-32 with a BOM are decoded, and a file that is not valid UTF-8
is read as Windows-1252 (what Excel writes as "CSV"), or Latin-1 when it has bytes
Windows-1252 leaves undefined. The choice is made once, on the first 64 KiB.
"""

from __future__ import annotations

import codecs
import io
from pathlib import Path
from typing import IO

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: it starts with the same bytes
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
SAMPLE = 65536
UTF8 = "utf-8-sig"  # UTF-8, a BOM skipped if there is one


def guess(head: bytes) -> str:
    """The codec to read a file starting with `head` (the BOM codecs skip their BOM)."""
    for bom, encoding in _BOMS:
        if head.startswith(bom):
            return encoding
    try:
        head.decode("utf-8")
        return UTF8
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3 and b"\x00" not in head:  # a character cut at the end
            return UTF8
    if b"\x00" in head:
        return UTF8  # binary, or UTF-16 without a BOM: left to the binary check
    try:
        head.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        return "latin-1"


def decoded_head(head: bytes) -> bytes:
    """The head re-encoded as UTF-8 (without a BOM), for sniffing."""
    encoding = guess(head)
    if encoding == UTF8:
        return head.removeprefix(codecs.BOM_UTF8)
    # An incremental decoder: a character cut at the end of the head is left out, not broken.
    text = codecs.getincrementaldecoder(encoding)("replace").decode(head, final=False)
    return text.encode("utf-8")


def encoding_of(path: Path) -> str:
    with open(path, "rb") as stream:
        return guess(stream.read(SAMPLE))


def open_text(path: Path) -> IO[str]:
    """The file as text, decoded as `guess` says (undecodable bytes replaced), BOM skipped."""
    return open(path, encoding=encoding_of(path), errors="replace", newline="")


class _Utf8(io.RawIOBase):
    """A text stream's characters as UTF-8 bytes, read in blocks."""

    def __init__(self, text: IO[str]) -> None:
        self.text = text
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            chunk = self.text.read(16384)
            if not chunk:
                return 0
            self.pending = chunk.encode("utf-8", "surrogatepass")
        n = min(len(buffer), len(self.pending))
        buffer[:n] = self.pending[:n]
        self.pending = self.pending[n:]
        return n

    def close(self) -> None:
        self.text.close()
        super().close()


def open_bytes(path: Path) -> IO[bytes]:
    """The file as UTF-8 bytes: as it is when it is UTF-8 (a BOM kept: readers skip it),
    else decoded and re-encoded on the fly."""
    if encoding_of(path) == UTF8:
        return open(path, "rb")
    return io.BufferedReader(_Utf8(open_text(path)), buffer_size=65536)
