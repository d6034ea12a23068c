"""Review platforms built with Next.js (Trustpilot-style pages): the reviews the page embeds in
`<script id="__NEXT_DATA__" type="application/json">`, under `props.pageProps`.

The shape read (the platform's own field names):

    businessUnit: {id, displayName, identifyingName, numberOfReviews, trustScore, stars}
    reviews: [{id, title, text, rating, likes, language,
               dates: {publishedDate, experiencedDate, updatedDate},
               consumer: {id, displayName, numberOfReviews, countryCode, isVerified},
               reply: {message, publishedDate, updatedDate} | null}]
    filters: {pagination: {currentPage, perPage, totalCount, totalPages}}

This carries more than the page's JSON-LD: the company's replies, the likes, the reviewers'
review counts.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urljoin, urlparse

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.reviews import PageReviews, Reply, Review
from crawlers.text import normalise_text


def next_data(response: TextResponse) -> dict[str, Any] | None:
    """The page's `__NEXT_DATA__` JSON, or None."""
    script = response.css("script#__NEXT_DATA__::text").get()
    if not script:
        return None
    try:
        data = json.loads(script)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def read(response: TextResponse, zone: str = "Europe/Paris") -> PageReviews | None:
    """The embedded reviews; None when the page embeds no Next.js data about reviews."""
    data = next_data(response)
    props = ((data or {}).get("props") or {}).get("pageProps") or {}
    if not isinstance(props, dict) or not ({"reviews", "businessUnit"} & set(props)):
        return None
    unit = props.get("businessUnit") or {}
    pagination = (props.get("filters") or {}).get("pagination") or {}
    company = unit.get("displayName") or unit.get("identifyingName")
    origin = "{0.scheme}://{0.netloc}".format(urlparse(response.url))
    page = PageReviews(
        reader="__NEXT_DATA__",
        expected=_int(pagination.get("totalCount")) or _int(unit.get("numberOfReviews")),
        company=company,
        company_id=unit.get("id"),
        company_url=(
            urljoin(origin, f"/review/{unit['identifyingName']}")
            if unit.get("identifyingName")
            else None
        ),
        aggregate={k: unit.get(k) for k in ("numberOfReviews", "trustScore", "stars") if k in unit}
        or None,
    )
    for raw in props.get("reviews") or []:
        if not isinstance(raw, dict):
            continue
        dates = raw.get("dates") or {}
        consumer = raw.get("consumer") or {}
        reply = raw.get("reply") or None
        published = dates.get("publishedDate")
        page.reviews.append(
            Review(
                review_id=str(raw["id"]) if raw.get("id") else None,
                body=normalise_text(str(raw.get("text") or "")),
                title=raw.get("title") or None,
                author=consumer.get("displayName"),
                author_url=urljoin(origin, f"/users/{consumer['id']}")
                if consumer.get("id")
                else None,
                author_reviews=_int(consumer.get("numberOfReviews")),
                rating=float(raw["rating"]) if isinstance(raw.get("rating"), int | float) else None,
                best=5.0,
                date_text=published,
                published_at=parse_date(published, zone),
                url=urljoin(origin, f"/reviews/{raw['id']}") if raw.get("id") else None,
                lang=raw.get("language"),
                likes=_int(raw.get("likes")),
                about=company,
                reply=Reply(
                    text=normalise_text(str(reply.get("message") or "")),
                    author=company,
                    published_at=parse_date(reply.get("publishedDate"), zone),
                    raw=reply,
                )
                if isinstance(reply, dict) and reply.get("message")
                else None,
                raw=raw,
            )
        )
    return page
