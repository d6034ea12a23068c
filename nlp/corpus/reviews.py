"""Product reviews in English for the corpus: a public review data set whose publisher put it
in the public domain, kept in nlp/corpus/data/reviews/ because ../shared/data has no English
review (its reviews are French Trustpilot pages).

Run once, from a clone of the repository at the commit below:
`python -m nlp.corpus.reviews --clothing DIR` writes `en_clothing_reviews.csv` (key, rating,
department, title, text). The corpus's source reader (`nlp.corpus.sources`) reads that file,
not the clone.

- `en_clothing_reviews`: customers' reviews of women's clothing on a US online retailer's site
  ("Women's E-Commerce Clothing Reviews", nicapotato on Kaggle, CC0 1.0: public domain; "real
  commercial data, anonymised: references to the company in the review text and body have been
  replaced with 'retailer'"), the first 1,000 of its 23,486 rows as copied into
  fehimkus/machine-learning. Kept: the row's number (the key), the stars (1–5: the sample's
  strata, never shown to annotators), the department, the title and the text; the reviewer's
  age, the product id and the helpful-vote count are left out. Rows without a text are left
  out (a title alone is not a review)."""

from __future__ import annotations

import argparse
import csv
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from nlp.corpus.committed import read_rows, write_rows
from nlp.corpus.paths import RECORDS
from nlp.corpus.textkey import tidy

FOLDER = RECORDS / "reviews"
FIELDS = ("key", "rating", "department", "title", "text")
ORIGINS = {
    "en_clothing_reviews": (
        "fehimkus/machine-learning@7d7f534", "Womens Clothing E-Commerce Reviews.csv",
        "CC0 1.0 (Kaggle data set nicapotato/womens-ecommerce-clothing-reviews)",
    ),
}  # fmt: skip


def read_reviews(name: str, folder: Path = FOLDER) -> Iterator[dict[str, str]]:
    """The committed reviews of one review source, in file order."""
    return read_rows(folder, name)


def clothing(clone: Path) -> list[dict[str, str]]:
    path = clone / ORIGINS["en_clothing_reviews"][1]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: list[dict[str, str]] = []
    for row in rows:
        text = tidy(row["Review Text"] or "")
        if not text:
            continue
        out.append({
            "key": f"clothing:{int(row['']):05d}", "rating": row["Rating"],
            "department": row["Department Name"], "title": tidy(row["Title"] or ""), "text": text,
        })  # fmt: skip
    return out


def write(name: str, reviews: list[dict[str, str]], folder: Path = FOLDER) -> Path:
    return write_rows(folder, name, FIELDS, reviews)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clothing", type=Path, required=True, help="clone of " +
                        ORIGINS["en_clothing_reviews"][0])  # fmt: skip
    args = parser.parse_args(argv)
    reviews = clothing(args.clothing)
    written = write("en_clothing_reviews", reviews)
    stars = Counter(r["rating"] for r in reviews)
    print(f"{written}: {len(reviews)} reviews, stars {dict(sorted(stars.items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
