"""Forum engines by name, and detecting which one a site runs from its first page."""

from __future__ import annotations

from typing import Any

from scrapy.http import TextResponse

from crawlers.forum import HtmlEngine

HTML_ENGINES = ("xenforo", "vbulletin", "phpbb")


def html_engine(name: str, options: dict[str, Any] | None = None) -> HtmlEngine:
    """The engine called `name` (generic engines are built from the source's options)."""
    if name == "phpbb":
        from crawlers.spiders.phpbb import PhpbbEngine

        return PhpbbEngine()
    if name == "vbulletin":
        from crawlers.spiders.vbulletin import VBulletinEngine

        return VBulletinEngine()
    if name == "xenforo":
        from crawlers.spiders.xenforo import XenForoEngine

        return XenForoEngine()
    if name == "generic":
        from crawlers.spiders.generic import GenericEngine

        return GenericEngine(options or {})
    raise KeyError(
        f"unknown forum engine {name!r}; known engines: auto, phpbb, vbulletin, xenforo, "
        "discourse, generic"
    )


def detect_engine(response: TextResponse, options: dict[str, Any] | None = None) -> str | None:
    """phpbb, vbulletin, xenforo, discourse or generic (when selectors are configured)."""
    if is_discourse(response):
        return "discourse"
    for name in HTML_ENGINES:
        if html_engine(name).detect(response):
            return name
    if options and options.get("post"):
        return "generic"
    return None


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
