"""What a forum page yields (threads in a listing, posts in a thread) and the loader cleaning it."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from itemloaders.processors import Identity, MapCompose, TakeFirst
from parsel import Selector
from scrapy.loader import ItemLoader

from crawlers.dates import parse_date
from crawlers.text import html_to_text, normalise_text

# Quoted text and signatures are someone else's words (or boilerplate): never the post's text.
QUOTES_AND_SIGNATURES = (
    "blockquote:not(.postcontent)",  # phpBB, XenForo (vBulletin 4's body itself is a blockquote)
    "aside.quote",  # Discourse
    ".bbCodeBlock--quote",  # XenForo 2
    ".bbcode_quote",  # vBulletin 4
    ".quote_container",
    ".b-post__quote",  # vBulletin 5
    ".quotecontent",
    ".signature",
    ".signaturecontainer",
    ".message-signature",
    "script",
    "style",
)
_COUNT = re.compile(r"\d[\d\s.,\u00a0\u202f]*")


@dataclass
class ThreadRow:
    """A thread as a listing page shows it."""

    thread_id: str
    url: str
    title: str | None = None
    last_post_at: datetime | None = None
    replies: int | None = None
    sticky: bool = False


@dataclass
class ForumPost:
    """One post as extracted from a thread page (the raw record stored with its mention)."""

    post_id: str | None = None
    url: str | None = None
    author: str | None = None
    author_url: str | None = None
    author_posts: int | None = None
    published_at: datetime | None = None
    date_text: str | None = None
    body: str | None = None
    likes: int | None = None
    html: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def raw(self) -> dict[str, Any]:
        out = asdict(self)
        out["published_at"] = self.published_at.isoformat() if self.published_at else None
        return out


def clean_body(markup: str, remove: tuple[str, ...] = ()) -> str:
    """Plain text of a post body without quotes, signatures or any markup."""
    if not markup:
        return ""
    sel = Selector(text=f"<div>{markup}</div>")
    # One grouped query (one XPath evaluation) instead of one per selector: this runs per post.
    for node in sel.css(", ".join((*QUOTES_AND_SIGNATURES, *remove))):
        try:
            node.drop()
        except Exception:  # an element already dropped with its parent; nothing to do
            continue
    body = sel.css("body > div").get() or ""
    return html_to_text(body)


def parse_count(value: str | int | None) -> int | None:
    """'1 234 messages', '1,234', '12' -> an int; None when there is no number."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    match = _COUNT.search(value)
    if not match:
        return None
    digits = re.sub(r"\D", "", match.group())
    return int(digits) if digits else None


def _date_in_context(value: str, loader_context: dict[str, Any]) -> datetime | None:
    return parse_date(
        html_to_text(value) if "<" in value else value,
        timezone=loader_context.get("timezone", "Europe/Paris"),
        now=loader_context.get("now"),
        date_order=loader_context.get("date_order", "DMY"),
    )


def _clean_in_context(value: str, loader_context: dict[str, Any]) -> str:
    return clean_body(value, tuple(loader_context.get("remove", ())))


def _text(value: str) -> str | None:
    return normalise_text(html_to_text(value)) or None


class PostLoader(ItemLoader):
    """Callbacks add selectors; these processors turn what they select into clean fields.

    Every field takes the first value that survives its input processor, so a callback can
    add fallbacks (`time::attr(datetime)` then `span.date::text`).
    """

    default_item_class = ForumPost
    default_output_processor = TakeFirst()
    post_id_in = MapCompose(lambda v: re.sub(r"\D", "", v) or v.strip() or None)
    author_in = MapCompose(_text)
    author_url_in = MapCompose(str.strip)
    author_posts_in = MapCompose(parse_count)
    published_at_in = MapCompose(_date_in_context)
    date_text_in = MapCompose(_text)
    body_in = MapCompose(_clean_in_context)
    likes_in = MapCompose(parse_count)
    html_in = Identity()
    extra_out = Identity()


def load_post(
    selector: Selector, context: dict[str, Any], fields: dict[str, list[str]]
) -> ForumPost:
    """Build a post from `field -> [css or xpath queries, first match wins]` on one container.

    Later queries are fallbacks: they are not even evaluated once one has matched (a post
    page has many posts and each query costs an XPath evaluation and its processors).
    """
    loader = PostLoader(selector=selector, **context)  # type: ignore[arg-type]
    for name, queries in fields.items():
        for query in queries:
            found = (
                selector.xpath(query) if query.startswith(("/", "./", "(")) else selector.css(query)
            ).getall()
            values = [v for v in found if v.strip()]
            if values:
                loader.add_value(name, values)
                if loader.get_output_value(name) is not None:
                    break
    loader.add_value("html", selector.get())
    post: ForumPost = loader.load_item()
    return post
