"""Spider discovery: every spider class with a `name`, by name (`SPIDERS`).

The built-ins are the spiders of this package's modules; third-party spiders are classes (or
modules of them) named by the `veille.spiders` entry-point group. A spider declares `name`
and `source_kind`; the spider of a source is the one named after its kind (a forum's: after
its engine, else `forum`).
"""

from __future__ import annotations

from typing import Any

from scrapy import Spider
from scrapy.utils.spider import iter_spider_classes

from config.plugins import Registry


def _spiders_of(obj: Any) -> list[tuple[str, type[Spider]]]:
    if isinstance(obj, type):
        return [(obj.name, obj)] if issubclass(obj, Spider) and getattr(obj, "name", None) else []
    return [(cls.name, cls) for cls in iter_spider_classes(obj)]


# spider name -> class, sorted by name.
SPIDERS: Registry[type[Spider]] = Registry(
    "spider", "spiders", __name__, "veille.spiders", _spiders_of, order=lambda name, _: name
)


def spider_classes() -> dict[str, type[Spider]]:
    return dict(SPIDERS)


def spider_class(name: str) -> type[Spider]:
    """The spider `name`; a forum engine without a spider of its own is crawled by `forum`."""
    if name not in SPIDERS:
        from crawlers.engines import ENGINES

        if name in ENGINES:
            return SPIDERS["forum"]
    return SPIDERS.get_plugin(name)
