"""Export readers, one module per format, registered by name (see `FORMATS`).

A reader module has `name`, `source_kind`, a streaming `iter_records(path)` yielding
`RawRecord`s and a pure `map_record(record, source)` returning a `MentionRecord`.
"""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

from crawlers.readers.base import BadRecord, RawRecord, ReaderError

# format name -> module; the built-ins register exactly as a plugin would.
FORMATS: dict[str, str] = {
    "twitter-archive": "crawlers.readers.twitter_archive",
    "twarc2": "crawlers.readers.twarc2",
    "twitter-csv": "crawlers.readers.twitter_csv",
    "facebook-dyi": "crawlers.readers.facebook_dyi",
    "facebook-graph": "crawlers.readers.facebook_graph",
    "crowdtangle": "crawlers.readers.crowdtangle",
}


def reader(name: str) -> ModuleType:
    if name not in FORMATS:
        raise KeyError(f"unknown export format {name!r}; known formats: {', '.join(FORMATS)}")
    return import_module(FORMATS[name])


__all__ = ["FORMATS", "BadRecord", "RawRecord", "ReaderError", "reader"]
