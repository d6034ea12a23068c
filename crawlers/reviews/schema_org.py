"""schema.org Review in JSON-LD and microdata (extruct): e-merchants' pages, Google's review
snippet markup, the SEO markup of review platforms.

A company's answer is read where schema.org puts comments on a creative work: a `comment`
(Comment or Answer) of the Review whose author is an Organization (or the reviewed company
itself), with its `text` and `dateCreated`/`datePublished`.
"""

from __future__ import annotations

from typing import Any

from scrapy.http import TextResponse

from crawlers.dates import parse_date
from crawlers.posts import clean_body
from crawlers.reviews import PageReviews, Reply, Review

SYNTAXES = ["json-ld", "microdata"]
QUOTES = ("blockquote",)  # a review quoting another review, or the company's answer


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
            elif isinstance(value, dict | list):
                walk(value, name or about)

    for syntax in SYNTAXES:
        walk(data.get(syntax, []), None)
    return reviews, aggregate


def _reply(review: dict[str, Any], company: str | None, zone: str) -> Reply | None:
    """The company's comment on a review, if it wrote one."""
    comments = review.get("comment") or []
    for comment in comments if isinstance(comments, list) else [comments]:
        if not isinstance(comment, dict):
            continue
        props = _props(comment)
        author = props.get("author")
        by_company = isinstance(author, dict) and "Organization" in _type(author)
        name = _text(author)
        if not by_company and not (company and name and name.casefold() == company.casefold()):
            continue
        text = _text(props.get("text")) or _text(props.get("description")) or ""
        when = _text(props.get("dateCreated")) or _text(props.get("datePublished"))
        return Reply(
            text=clean_body(text, QUOTES) if "<" in text else text,
            author=name or company,
            published_at=parse_date(when, zone),
            raw=comment,
        )
    return None


def read(response: TextResponse, zone: str = "Europe/Paris") -> PageReviews | None:
    """The schema.org reviews of a page; None when it carries no Review nor AggregateRating."""
    import extruct

    data = extruct.extract(response.text, base_url=response.url, syntaxes=SYNTAXES, uniform=True)
    found, aggregate = find_reviews(data)
    if not found and not aggregate:
        return None
    company = _text(aggregate.get("about")) if aggregate else None
    page = PageReviews(reader="schema.org", aggregate=aggregate or None, company=company)
    count = aggregate.get("reviewCount") or aggregate.get("ratingCount") if aggregate else None
    page.expected = int(_number(count) or 0) if count is not None else None
    for raw in found:
        rating = raw.get("reviewRating")
        rating_props = _props(rating) if isinstance(rating, dict) else {}
        body = _text(raw.get("reviewBody")) or _text(raw.get("description")) or ""
        date_text = _text(raw.get("datePublished")) or _text(raw.get("dateCreated"))
        author = raw.get("author")
        page.reviews.append(
            Review(
                review_id=_text(raw.get("@id")) or _text(raw.get("url")),
                body=clean_body(body, QUOTES) if "<" in body else body,
                title=_text(raw.get("name")) or _text(raw.get("headline")),
                author=_text(author),
                author_url=_text(_props(author).get("url")) if isinstance(author, dict) else None,
                rating=_number(rating_props.get("ratingValue") if rating_props else rating),
                best=_number(rating_props.get("bestRating")) or 5.0,
                date_text=date_text,
                published_at=parse_date(date_text, zone),
                url=_text(raw.get("url")),
                lang=_text(raw.get("inLanguage")),
                about=raw.get("about"),
                reply=_reply(raw, raw.get("about") or company, zone),
                raw=raw,
            )
        )
    return page
