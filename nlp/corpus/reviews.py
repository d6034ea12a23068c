"""Reviews in English for the corpus: public review data sets whose publishers put them in the
public domain, kept in nlp/corpus/data/reviews/ because ../shared/data has no English review
(its reviews are French Trustpilot pages).

Run once, from clones of the repositories at the commits below:
`python -m nlp.corpus.reviews --clothing DIR --hotel DIR` writes `en_clothing_reviews.csv` and
`en_hotel_reviews.csv` (key, rating, group, title, text). The corpus's source readers
(`nlp.corpus.sources`) read those files, not the clones.

- `en_clothing_reviews`: customers' reviews of women's clothing on a US online retailer's site
  ("Women's E-Commerce Clothing Reviews", nicapotato on Kaggle, CC0 1.0: public domain; "real
  commercial data, anonymised: references to the company in the review text and body have been
  replaced with 'retailer'"), the first 1,000 of its 23,486 rows as copied into
  fehimkus/machine-learning. Kept: the row's number (the key), the stars (1–5: the sample's
  strata, never shown to annotators), the department (`group`), the title and the text; the
  reviewer's age, the product id and the helpful-vote count are left out. Rows without a text
  are left out (a title alone is not a review).
- `en_hotel_reviews`: guests' reviews of one London hotel (Britannia International Hotel Canary
  Wharf) on Booking.com, 2016 ("515K Hotel Reviews Data in Europe", Jiashen Liu on Kaggle,
  CC0 1.0: public domain), the hotel's 4,789 reviews as copied into juliabarrufet/NLP-project.
  Booking.com asks for what the guest liked and what they disliked in two fields (the data set
  dropped the punctuation); the text shows them as the site does, "Liked: …" then
  "Disliked: …", leaving out a field the guest left empty ("No Positive", "No Negative"). Kept:
  the row's number (the key), the guest's score rounded down (2–10: the sample's strata, never
  shown to annotators), the hotel (`group`) and the text; the guest's nationality, the stay's
  tags and the dates are left out."""

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
FIELDS = ("key", "rating", "group", "title", "text")
ORIGINS = {
    "en_clothing_reviews": (
        "fehimkus/machine-learning@7d7f534", "Womens Clothing E-Commerce Reviews.csv",
        "CC0 1.0 (Kaggle data set nicapotato/womens-ecommerce-clothing-reviews)",
    ),
    "en_hotel_reviews": (
        "juliabarrufet/NLP-project@83a63da", "Hotel_Reviews.csv",
        "CC0 1.0 (Kaggle data set jiashenliu/515k-hotel-reviews-data-in-europe)",
    ),
}  # fmt: skip
EMPTY_FIELDS = frozenset({"No Positive", "No Negative"})  # Booking.com's placeholders


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
            "group": row["Department Name"], "title": tidy(row["Title"] or ""), "text": text,
        })  # fmt: skip
    return out


def hotel(clone: Path) -> list[dict[str, str]]:
    path = clone / ORIGINS["en_hotel_reviews"][1]
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    out: list[dict[str, str]] = []
    for number, row in enumerate(rows):
        parts = [
            f"{label}: {tidy(value)}"
            for label, value in (("Liked", row["Positive_Review"]),
                                 ("Disliked", row["Negative_Review"]))
            if tidy(value) and tidy(value) not in EMPTY_FIELDS
        ]  # fmt: skip
        if not parts:
            continue
        out.append({
            "key": f"booking:{number:05d}", "rating": str(int(float(row["Reviewer_Score"]))),
            "group": tidy(row["Hotel_Name"]), "title": "", "text": "\n".join(parts),
        })  # fmt: skip
    return out


def write(name: str, reviews: list[dict[str, str]], folder: Path = FOLDER) -> Path:
    return write_rows(folder, name, FIELDS, reviews)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    for flag, name in (("--clothing", "en_clothing_reviews"), ("--hotel", "en_hotel_reviews")):
        parser.add_argument(flag, type=Path, required=True, help="clone of " + ORIGINS[name][0])
    args = parser.parse_args(argv)
    for name, reviews in (("en_clothing_reviews", clothing(args.clothing)),
                          ("en_hotel_reviews", hotel(args.hotel))):  # fmt: skip
        written = write(name, reviews)
        stars = Counter(r["rating"] for r in reviews)
        print(f"{written}: {len(reviews)} reviews, ratings {dict(sorted(stars.items()))}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
