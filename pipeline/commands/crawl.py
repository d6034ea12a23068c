"""`veille crawl`: collect mentions from the configured forums, feeds and review pages."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError, UsageError


def crawl(
    ctx: typer.Context,
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Only this source (repeat for several)."),
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Last line of output: the summary as one JSON object.")
    ] = False,
) -> None:
    """Crawl the enabled web sources (forum, discourse, rss, reviews) and store new mentions."""
    state: AppState = ctx.obj
    engine = state.engine()
    from crawlers.crawling import crawl_sources
    from crawlers.process import CrawlFailed
    from pipeline.summary import show

    try:
        outcome = crawl_sources(
            state.settings, engine, source or None, log_level="DEBUG" if state.debug else "WARNING"
        )
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    except CrawlFailed as exc:
        raise CommandError(f"{exc}. Run again with --debug to see the crawl log.") from None
    if not outcome.summary["sources"] and not as_json:
        state.say("No enabled web source is configured (kinds forum, discourse, rss, reviews).")
    show(state, outcome.summary, as_json, what="Crawled")
    if outcome.failed:
        raise CommandError(
            f"{len(outcome.failed)} source(s) failed entirely: {', '.join(outcome.failed)}. "
            "The other sources were crawled; see the log above for the errors."
        )


def register(app: typer.Typer) -> None:
    app.command()(crawl)
