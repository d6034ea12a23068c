"""Source texts committed in the repository (forum posts, reviews) because ../shared/data lacks
their kind: written once as CSV files under nlp/corpus/data/<folder>/, read back by the
corpus's source readers."""

from __future__ import annotations

import csv
from collections.abc import Iterator, Sequence
from pathlib import Path


def write_rows(folder: Path, name: str, fields: Sequence[str], rows: list[dict[str, str]]) -> Path:
    """FOLDER/NAME.csv with `fields` as its header and one line per row."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(fields), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def read_rows(folder: Path, name: str) -> Iterator[dict[str, str]]:
    """The rows of FOLDER/NAME.csv, in file order."""
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
        yield from csv.DictReader(fh)
