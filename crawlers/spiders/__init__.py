"""Spider discovery: every spider class with a `name` in this package, by name."""

from __future__ import annotations

import logging
import pkgutil
from functools import cache
from importlib import import_module

from scrapy import Spider
from scrapy.utils.spider import iter_spider_classes

log = logging.getLogger(__name__)


@cache
def spider_classes() -> dict[str, type[Spider]]:
    found: dict[str, type[Spider]] = {}
    for info in pkgutil.iter_modules(__path__, prefix=f"{__name__}."):
        module = import_module(info.name)
        for cls in iter_spider_classes(module):
            if cls.name in found and found[cls.name] is not cls:
                log.warning("Two spiders are named %r: %s and %s", cls.name, found[cls.name], cls)
            found[cls.name] = cls
    return found


def spider_class(name: str) -> type[Spider]:
    classes = spider_classes()
    if name not in classes:
        raise KeyError(f"unknown spider {name!r}; known spiders: {', '.join(sorted(classes))}")
    return classes[name]
