"""Render invented RSS/Atom feeds and schema.org review pages (JSON-LD or microdata)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from html import escape

from veille_demo.sitegen import PARIS, page


@dataclass
class Entry:
    id: str
    title: str
    body: str  # HTML
    at: datetime
    author: str
    comments: int | None = None


@dataclass
class Review:
    id: str
    author: str
    at: datetime
    rating: float
    title: str
    body: str


def render_rss(title: str, link: str, entries: list[Entry], next_url: str | None = None) -> str:
    items = "".join(
        f"<item><title>{escape(e.title)}</title><link>{link}{e.id}</link>"
        f'<guid isPermaLink="false">{escape(e.id)}</guid>'
        f"<pubDate>{format_datetime(e.at.astimezone(PARIS))}</pubDate>"
        f"<dc:creator>{escape(e.author)}</dc:creator>"
        f"<description>{escape(e.body)}</description>"
        + (f"<slash:comments>{e.comments}</slash:comments>" if e.comments is not None else "")
        + "</item>"
        for e in entries
    )
    nxt = f'<atom:link rel="next" href="{escape(next_url)}"/>' if next_url else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:slash="http://purl.org/rss/1.0/modules/slash/">'
        f"<channel><title>{escape(title)}</title><link>{link}</link>{nxt}{items}</channel></rss>\n"
    )


def render_atom(title: str, link: str, entries: list[Entry], next_url: str | None = None) -> str:
    items = "".join(
        f"<entry><title>{escape(e.title)}</title><id>urn:veille:{escape(e.id)}</id>"
        f'<link rel="alternate" href="{link}{e.id}"/>'
        f"<published>{e.at.isoformat()}</published><updated>{e.at.isoformat()}</updated>"
        f"<author><name>{escape(e.author)}</name></author>"
        f'<content type="html">{escape(e.body)}</content></entry>'
        for e in entries
    )
    nxt = f'<link rel="next" href="{escape(next_url)}"/>' if next_url else ""
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>{escape(title)}</title><link href="{link}"/>{nxt}{items}</feed>\n'
    )


def render_reviews_jsonld(
    product: str,
    reviews: list[Review],
    next_url: str | None,
    average: float,
    count: int,
    timestamps: bool = False,
) -> str:
    """A product's (or company's) review page; `timestamps`: each review's date with its time,
    as the platforms' JSON gives it, else its day only."""
    data = {
        "@context": "https://schema.org",
        "@type": "Product",
        "name": product,
        "aggregateRating": {
            "@type": "AggregateRating",
            "ratingValue": average,
            "reviewCount": count,
            "bestRating": 5,
        },
        "review": [
            {
                "@type": "Review",
                "@id": f"#avis-{r.id}",
                "name": r.title,
                "author": {"@type": "Person", "name": r.author},
                "datePublished": r.at.astimezone(PARIS).isoformat()
                if timestamps
                else r.at.astimezone(PARIS).date().isoformat(),
                "reviewBody": r.body,
                "reviewRating": {
                    "@type": "Rating",
                    "ratingValue": r.rating,
                    "bestRating": 5,
                    "worstRating": 1,
                },
            }
            for r in reviews
        ],
    }
    # "</" must not close the script element early: collected text is hostile.
    script = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    visible = "".join(
        f'<div class="avis"><h3>{escape(r.title)}</h3><p>{escape(r.body)}</p></div>'
        for r in reviews
    )
    nxt = f'<a rel="next" href="{escape(next_url)}">Avis suivants</a>' if next_url else ""
    head = f'<script type="application/ld+json">{script}</script>'
    return page(f"Avis {product}", f"<h1>{escape(product)}</h1>{visible}{nxt}", head)


def render_reviews_microdata(
    product: str, reviews: list[Review], next_url: str | None, scale: int = 10
) -> str:
    items = "".join(
        f'<div itemprop="review" itemscope itemtype="https://schema.org/Review">'
        f'<h3 itemprop="name">{escape(r.title)}</h3>'
        f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
        f'<span itemprop="name">{escape(r.author)}</span></span>'
        f'<meta itemprop="datePublished" content="{r.at.astimezone(PARIS).date().isoformat()}">'
        f'<div itemprop="reviewRating" itemscope itemtype="https://schema.org/Rating">'
        f'<meta itemprop="worstRating" content="0"><span itemprop="ratingValue">'
        f'{r.rating * scale / 5:g}</span>/<span itemprop="bestRating">{scale}</span></div>'
        f'<p itemprop="reviewBody">{escape(r.body)}</p></div>'
        for r in reviews
    )
    nxt = f'<a rel="next" href="{escape(next_url)}">Suivant</a>' if next_url else ""
    return page(
        f"Avis {product}",
        f'<div itemscope itemtype="https://schema.org/Product"><h1 itemprop="name">'
        f"{escape(product)}</h1>{items}</div>{nxt}",
    )
