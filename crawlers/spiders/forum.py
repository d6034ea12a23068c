"""The forum spiders: `forum` for `engine: auto` or any engine, and one pinned to each engine.

A forum source is crawled by the spider named after its engine when there is one, else by
`forum`, which takes the engine from the source's config (or detects it): a new engine
needs no spider of its own.
"""

from __future__ import annotations

from crawlers.forum import ForumSpider
from crawlers.spiders.discourse import DiscourseMixin


class AutoForumSpider(DiscourseMixin):
    """Detects phpBB, vBulletin, XenForo or Discourse from the first page, then crawls it."""

    name = "forum"


class PhpbbSpider(ForumSpider):
    name = "phpbb"
    engine_name = "phpbb"


class VBulletinSpider(ForumSpider):
    name = "vbulletin"
    engine_name = "vbulletin"


class XenForoSpider(ForumSpider):
    name = "xenforo"
    engine_name = "xenforo"


class GenericForumSpider(ForumSpider):
    name = "generic"
    engine_name = "generic"
