"""The forum spider for `engine: auto` (or any engine named in the source's config)."""

from __future__ import annotations

from crawlers.spiders.discourse import DiscourseMixin


class AutoForumSpider(DiscourseMixin):
    """Detects phpBB, vBulletin, XenForo or Discourse from the first page, then crawls it."""

    name = "forum"
