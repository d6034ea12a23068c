"""Discourse: recognised from its first page; crawled through its JSON API by its own spider."""

from __future__ import annotations

from typing import TYPE_CHECKING

from crawlers.engines.base import ForumEngine

if TYPE_CHECKING:
    from scrapy.http import TextResponse


class DiscourseEngine(ForumEngine):
    """Not an HTML engine: the forum spider hands a Discourse site to its JSON API flow."""

    name = "discourse"
    order = 10  # a JSON answer or Discourse's meta tags are unambiguous: asked first

    def detect(self, response: TextResponse) -> bool:
        return is_discourse(response)


def is_discourse(response: TextResponse) -> bool:
    content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
    if "json" in content_type:
        return b'"topic_list"' in response.body
    generator = " ".join(response.css('meta[name="generator"]::attr(content)').getall())
    return "discourse" in generator.lower() or bool(
        response.css(
            'meta[name="discourse_theme_id"], #data-discourse-setup, [data-discourse-setup]'
        )
    )
