"""Review pages read by shape: each reader finds the reviews one kind of markup carries.

A reader takes a page and returns what it found (`PageReviews`), or None when the page has
none of its markup. `schema_org` reads schema.org Review in JSON-LD and microdata (e-merchants'
own pages, Google's review-snippet markup, most platforms' SEO markup); `next_data` reads the
review JSON that Next.js platforms (Trustpilot-style pages) embed in `__NEXT_DATA__`, which also
carries the company's replies. The spider keeps the reader that found the most.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


@dataclass
class Reply:
    """The company's answer to a review: stored as its own mention, by the brand."""

    text: str
    author: str | None = None  # the company's name as the page shows it
    published_at: datetime | None = None
    raw: Any = None


@dataclass
class Review:
    review_id: str | None
    body: str
    title: str | None = None
    author: str | None = None
    author_url: str | None = None
    author_reviews: int | None = None  # how many reviews the author wrote on the platform
    rating: float | None = None
    best: float = 5.0
    published_at: datetime | None = None
    date_text: str | None = None
    url: str | None = None
    lang: str | None = None
    likes: int | None = None
    about: str | None = None  # the product or company reviewed
    reply: Reply | None = None
    raw: Any = None


@dataclass
class PageReviews:
    reader: str
    reviews: list[Review] = field(default_factory=list)
    # How many reviews the page says there are (AggregateRating.reviewCount, the platform's
    # count): a page that says it has some and yields none has changed its markup.
    expected: int | None = None
    company: str | None = None  # the company the page is about (it writes the replies)
    company_id: str | None = None
    company_url: str | None = None
    aggregate: dict[str, Any] | None = None
