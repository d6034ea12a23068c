"""Forum engines by name (`ENGINES`), and detecting which one a site runs from its first page.

An engine is a `crawlers.engines.base.ForumEngine` subclass with a `name`, an `order` (the
order auto-detection asks them in) and `detect(response)`; an HTML engine
(`HtmlEngine`) also says where listings, threads and posts are on its pages. The built-ins
are the classes of this package's modules; third-party engines are classes (or modules of
them) named by the `veille.engines` entry-point group. A source's `engine:` may name any of
them, or `auto`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from config.plugins import Registry, classes_in
from crawlers.engines.base import ForumEngine, HtmlEngine
from crawlers.engines.discourse import is_discourse

if TYPE_CHECKING:
    from scrapy.http import TextResponse

AUTO = "auto"  # the `engine:` value that asks for detection


def _engines_of(obj: Any) -> list[tuple[str, type[ForumEngine]]]:
    return [(c.name, c) for c in classes_in(obj, ForumEngine)]


# engine name -> class, in detection order.
ENGINES: Registry[type[ForumEngine]] = Registry(
    "forum engine",
    "engines",
    __name__,
    "veille.engines",
    _engines_of,
    skip=("base",),
    order=lambda name, cls: (cls.order, name),
)


def engine_names() -> list[str]:
    """What a source's `engine:` may say: auto, then every engine."""
    return [AUTO, *ENGINES]


def build_engine(name: str, options: Mapping[str, Any] | None = None) -> ForumEngine:
    """The engine called `name`, built from the source's options and checked."""
    engine = ENGINES.get_plugin(name)(options)
    engine.check()
    return engine


def html_engine(name: str, options: Mapping[str, Any] | None = None) -> HtmlEngine:
    """The HTML engine called `name` (generic engines are built from the source's options)."""
    engine = build_engine(name, options)
    if not isinstance(engine, HtmlEngine):
        html = [n for n, c in ENGINES.items() if issubclass(c, HtmlEngine)]
        raise KeyError(f"forum engine {name!r} has no HTML pages; HTML engines: {', '.join(html)}")
    return engine


# In text that may come from any engine (a forum's RSS or Atom feed), a bare blockquote is
# as likely the author's quotation of outside text: only cited ones count as quoted posts.
CITED_BLOCKQUOTES = ("./descendant::blockquote[cite or div/cite or contains(@class, 'uncited')]",)


def quoted_blocks() -> tuple[str, ...]:
    """Every registered markup's quote and signature selectors but the bare `blockquote`."""
    found: dict[str, None] = {}
    for cls in ENGINES.values():
        for markup in getattr(cls, "markups", ()):
            for query in markup.quotes:
                if query != "blockquote":
                    found[query] = None
    return (*found, *CITED_BLOCKQUOTES)


def detect_engine(response: TextResponse, options: Mapping[str, Any] | None = None) -> str | None:
    """The first engine, in detection order, that recognises the page (None: none does)."""
    for name, cls in ENGINES.items():
        if cls(options).detect(response):
            return name
    return None


__all__ = [
    "AUTO", "ENGINES", "ForumEngine", "HtmlEngine", "build_engine", "detect_engine",
    "engine_names", "html_engine", "is_discourse", "quoted_blocks",
]  # fmt: skip
