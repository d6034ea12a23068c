"""Review pages: schema.org Review / AggregateRating from JSON-LD and microdata (extruct)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

from scrapy.http import Response, TextResponse

from crawlers.dates import parse_date
from crawlers.spiders.base import SourceSpider
from crawlers.text import html_to_text
from storage.records import AuthorRecord, MentionRecord

SYNTAXES = ["json-ld", "microdata"]


def _type(node: dict[str, Any]) -> set[str]:
    value = node.get("@type") or node.get("type") or []
    values = value if isinstance(value, list) else [value]
    return {str(v).rsplit("/", 1)[-1] for v in values}


def _props(node: dict[str, Any]) -> dict[str, Any]:
    """JSON-LD nodes are flat; extruct's microdata nests them under `properties`."""
    return node.get("properties", node) if "properties" in node else node


def _text(value: Any) -> str | None:
    if isinstance(value, dict):
        value = _props(value).get("name") or _props(value).get("@id")
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def _number(value: Any) -> float | None:
    if isinstance(value, dict):
        value = _props(value).get("ratingValue")
    try:
        return float(str(value).replace(",", "."))
    except (TypeError, ValueError):
        return None


def find_reviews(data: dict[str, list[Any]]) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """(reviews with the item they are about, the AggregateRating found) in extruct output."""
    reviews: list[dict[str, Any]] = []
    aggregate: dict[str, Any] = {}

    def walk(node: Any, about: str | None) -> None:
        if isinstance(node, list):
            for child in node:
                walk(child, about)
            return
        if not isinstance(node, dict):
            return
        if "@graph" in node:
            walk(node["@graph"], about)
        props = _props(node)
        kinds = _type(node)
        name = _text(props.get("name")) if kinds - {"Review", "Rating", "AggregateRating"} else None
        if "Review" in kinds:
            reviews.append({"about": about, **props})
            return
        if "AggregateRating" in kinds:
            aggregate.update({"about": about, **props})
            return
        for key, value in props.items():
            if key == "@graph":
                continue
            if key in ("review", "reviews"):
                walk(value if isinstance(value, list) else [value], name or about)
            elif key == "aggregateRating" and isinstance(value, dict):
                aggregate.update({"about": name or about, **_props(value)})
            elif isinstance(value, (dict, list)):
                walk(value, name or about)

    for syntax in SYNTAXES:
        walk(data.get(syntax, []), None)
    for review in reviews:
        if isinstance(review.get("review"), dict):  # never happens in valid data; be safe
            review.pop("review")
    return reviews, aggregate


class ReviewSpider(SourceSpider):
    name = "reviews"
    source_kind = "reviews"

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not isinstance(response, TextResponse):
            return
        import extruct

        if self.crawler.stats is not None:
            self.crawler.stats.inc_value("veille/pages")
        data = extruct.extract(
            response.text, base_url=response.url, syntaxes=SYNTAXES, uniform=True
        )
        reviews, aggregate = find_reviews(data)
        if aggregate and self.crawler.stats is not None:
            self.crawler.stats.set_value("veille/aggregate_rating", _number(aggregate))
            self.crawler.stats.set_value("veille/review_count", _text(aggregate.get("reviewCount")))
        cutoff = self.now - timedelta(days=self.source.lookback_days)
        too_old = bool(reviews)
        for i, review in enumerate(reviews):
            mention = self.review_mention(review, aggregate, response, i)
            if mention.published_at is not None and mention.published_at < cutoff:
                continue
            too_old = False
            yield mention
        query = self.source.options.get(
            "next_page", "a[rel=next]::attr(href), link[rel=next]::attr(href)"
        )
        next_url = response.css(query).get()
        if next_url and not too_old:
            yield response.follow(next_url, callback=self.parse)

    def review_mention(
        self, review: dict[str, Any], aggregate: dict[str, Any], response: TextResponse, index: int
    ) -> MentionRecord:
        rating = review.get("reviewRating")
        rating_props = _props(rating) if isinstance(rating, dict) else {}
        value = _number(rating_props.get("ratingValue") if rating_props else rating)
        best = _number(rating_props.get("bestRating")) or 5.0
        author = _text(review.get("author"))
        body = _text(review.get("reviewBody")) or _text(review.get("description")) or ""
        date_text = _text(review.get("datePublished")) or _text(review.get("dateCreated"))
        url = _text(review.get("url"))
        review_id = _text(review.get("@id")) or url
        if not review_id:
            key = f"{response.url}|{author}|{date_text}|{body[:500]}"
            review_id = hashlib.sha1(key.encode()).hexdigest()
        raw = {
            "review": review,
            "aggregate": aggregate or None,
            "page": response.url,
            "rating_value": value,
            "best_rating": best,
        }
        # One scale for every site: out of 5 (a 8/10 is stored as 4.0).
        five = round(value * 5 / best, 2) if value is not None and best > 0 else None
        return self.mention(
            external_id=review_id,
            text=html_to_text(body),
            title=_text(review.get("name")) or _text(review.get("headline")),
            url=response.urljoin(url) if url else response.url,
            thread_title=review.get("about"),
            thread_url=response.url,
            published_at=parse_date(date_text, self.source.timezone, self.now),
            rating=five,
            author=AuthorRecord(handle=author, name=author) if author else None,
            raw=raw,
        )
