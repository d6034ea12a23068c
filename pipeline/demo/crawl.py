"""The demo's crawl step: serve the bundled demo sites on localhost and crawl them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.context import AppState

DEMO_SOURCES = ("demo-forum", "demo-blog", "demo-avis")


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    """The demo config's web sources, pointing at the local demo server.

    The look-back is long so the bundled pages (dated November 2026) are always read.
    """
    common = {"language": "fr", "lookback_days": 3650}
    return [
        {"name": "demo-forum", "kind": "forum", "engine": "auto",
         "url": f"{base_url}/forum/index.php", **common},
        {"name": "demo-blog", "kind": "rss", "url": f"{base_url}/blog/feed.xml", **common},
        {"name": "demo-avis", "kind": "reviews", "url": f"{base_url}/avis/nova-10.html", **common},
    ]  # fmt: skip


def crawl_demo_sites(state: AppState) -> dict[str, Any]:
    """Start the demo server, crawl its forum, feed and review pages, stop it; the summary.

    The sources exist only for this run (the server's port changes every time), so the
    workspace's veille.yaml is left as it is.
    """
    from config.settings import SourceSettings
    from pipeline.crawling import crawl_sources
    from pipeline.demo.server import serve_demo_sites
    from pipeline.summary import show

    base_url, stop = serve_demo_sites()
    try:
        settings = state.settings.model_copy(deep=True)
        settings.sources = [
            *(s for s in settings.sources if s.name not in DEMO_SOURCES),
            *(SourceSettings.model_validate(s) for s in demo_sources(base_url)),
        ]
        settings.crawl.download_delay = 0  # our own local server: no need to wait
        settings.crawl.autothrottle = False
        state.say(f"Crawling the demo sites served at {base_url} …")
        outcome = crawl_sources(settings, state.engine(), list(DEMO_SOURCES))
    finally:
        stop()
    show(state, outcome.summary, as_json=False, what="Demo crawl")
    return outcome.summary
