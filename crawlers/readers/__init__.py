"""Export readers, one module per format, found by name in `FORMATS`.

A reader is a module declaring `name` (the format, as `--format` takes it), `title` (for
people), `source_kind` (the kind of source it feeds: twitter_export, facebook_export), a
`sniff(path, head) -> float` saying how sure it is, from 0 to 1, that the export at `path` is
its format (`head` holds the first 64 KiB of a file, and is empty for a folder or a zip
archive), a streaming `iter_records(path)` yielding `RawRecord`s and a pure
`map_record(record, source)` returning a `MentionRecord`; optionally `order`, its place in
format lists. The built-in readers are the modules of this package; third-party readers are
modules named by the `veille.readers` entry-point group. The format list, the format → source
kind table, `veille import --format` and auto-detection all come from `FORMATS`.
"""

from __future__ import annotations

from types import ModuleType
from typing import Any

from config.plugins import Registry
from crawlers.readers.base import BadRecord, RawRecord, ReaderError

# What a reader module must declare (checked by tests/test_plugins.py for every reader).
READER_ATTRIBUTES = ("name", "title", "source_kind", "sniff", "iter_records", "map_record")


def _reader_of(module: Any) -> list[tuple[str, ModuleType]]:
    """A module with a `name` and `iter_records` is a reader; the others are helpers."""
    name = getattr(module, "name", None)
    if isinstance(module, ModuleType) and isinstance(name, str) and hasattr(module, "iter_records"):
        return [(name, module)]
    return []


# format name -> reader module, listed by `order` (default last), then by name.
FORMATS: Registry[ModuleType] = Registry(
    "export format",
    "formats",
    __name__,
    "veille.readers",
    _reader_of,
    order=lambda name, module: (getattr(module, "order", 1000), name),
)


def reader(name: str) -> ModuleType:
    """The reader of format `name`; an unknown name fails listing the known formats."""
    return FORMATS.get_plugin(name)


def format_kinds() -> dict[str, str]:
    """format -> the kind of source its exports feed."""
    return {name: str(module.source_kind) for name, module in FORMATS.items()}


__all__ = ["FORMATS", "BadRecord", "RawRecord", "ReaderError", "format_kinds", "reader"]
