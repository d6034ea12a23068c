"""`veille crawl`: collect mentions from the configured forums, feeds and review pages."""

from __future__ import annotations

import sys
from typing import Annotated, Any

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
    probe: Annotated[
        str | None,
        typer.Option(
            "--probe",
            metavar="URL",
            help="Read a forum page and its first thread without storing anything: the engine "
            "detected, how many posts, authors and dates, the selectors used.",
        ),
    ] = None,
    engine_name: Annotated[
        str, typer.Option("--engine", help="With --probe: the engine to use (default: detect).")
    ] = "auto",
    timezone: Annotated[
        str | None,
        typer.Option("--timezone", help="With --probe: the zone of dates the page leaves bare."),
    ] = None,
    distributed: Annotated[
        bool | None,
        typer.Option(
            "--distributed/--no-distributed",
            help="Share the crawl among crawl workers (`veille worker crawl`, any machine; "
            "requests in Redis, PostgreSQL only), or crawl in one process here. "
            "Default: workers.crawl.",
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=0,
            help="With --distributed: crawl workers to start on this machine for the run "
            "(default: workers.local).",
        ),
    ] = None,
) -> None:
    """Crawl the enabled web and API sources (forums, feeds, reviews, networks): new mentions."""
    state: AppState = ctx.obj
    if probe is not None:
        run_probe(state, probe, engine_name, timezone, as_json)
        return
    engine = state.engine()
    from crawlers.crawling import crawl_sources
    from crawlers.process import CrawlFailed
    from pipeline.summary import show

    if distributed is None:
        distributed = state.settings.workers.crawl
    try:
        if distributed:
            with state.progress("Crawling") as bar:
                task = bar.add_task("pages (workers)", total=None)

                def progress(pages: int, pending: int) -> None:
                    bar.update(task, completed=pages, total=pages + pending)

                outcome = crawl_sources(
                    state.settings, engine, source or None,
                    log_level="DEBUG" if state.debug else "WARNING", distributed=True,
                    local=workers, progress=progress,
                )  # fmt: skip
        else:
            outcome = crawl_sources(
                state.settings, engine, source or None,
                log_level="DEBUG" if state.debug else "WARNING",
            )  # fmt: skip
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    except CrawlFailed as exc:
        raise CommandError(f"{exc}. Run again with --debug to see the crawl log.") from None
    if not outcome.summary["sources"] and not as_json:
        state.say(
            "No enabled web source is configured (kinds forum, discourse, rss, reviews, "
            "mastodon, bluesky, reddit, youtube)."
        )
    show(state, outcome.summary, as_json, what="Crawled")
    if "workers" in outcome.summary and not as_json:
        by = ", ".join(f"{w} {n:,}" for w, n in sorted(outcome.summary["workers"].items()))
        state.say(
            f"Pages read by {len(outcome.summary['workers'])} crawl worker(s): {by or 'none'}"
            + (
                f"; {outcome.summary['requeued']:,} page(s) taken over from a worker that died"
                if outcome.summary.get("requeued")
                else ""
            )
            + "."
        )
    broken = [s for s in outcome.summary.get("sources", []) if s.get("broken_pages")]
    for s in broken:
        first = s["broken_pages"][0]
        print(
            f"Warning: {s['source']}: {len(s['broken_pages'])} page(s) show posts the crawler "
            f"cannot read, e.g. {first['url']} ({first['reason']}): has the forum's theme changed? "
            f"`veille crawl --probe {first['url']}` shows what is read.",
            file=sys.stderr,
        )
    if outcome.failed:
        why = "; ".join(f"{name}: {outcome.reasons[name]}" for name in outcome.failed)
        raise CommandError(
            f"{len(outcome.failed)} source(s) failed entirely: {', '.join(outcome.failed)}. "
            f"The other sources were crawled. {why}"
        )
    if broken:
        raise CommandError(
            f"{len(broken)} source(s) have pages the crawler cannot read: "
            f"{', '.join(s['source'] for s in broken)} (see `veille status`)."
        )


def run_probe(state: AppState, url: str, engine: str, timezone: str | None, as_json: bool) -> None:
    from crawlers.crawling import probe, probe_works
    from crawlers.engines import engine_names
    from crawlers.process import CrawlFailed

    if not url.startswith(("http://", "https://")):
        raise UsageError(f"--probe {url!r}: give the page's address, starting with http(s)://")
    if engine not in engine_names():
        raise UsageError(f"--engine {engine!r} is not one of {', '.join(engine_names())}")
    try:
        found = probe(state.settings, url, engine, timezone)
    except CrawlFailed as exc:
        raise CommandError(f"{exc}. Run again with --debug to see the crawl log.") from None
    if as_json:
        state.emit_json(found)
    else:
        for line in probe_lines(found):
            state.say(line)
    if not probe_works(found):
        raise CommandError(probe_verdict(found))


def probe_verdict(found: dict[str, Any]) -> str:
    thread = found.get("thread") or {}
    if found.get("error") or (not found.get("status") and found.get("http_errors")):
        return f"{found['url']} could not be read ({found.get('error') or found['http_errors']})"
    if not found.get("engine"):
        return (
            f"unknown forum engine at {found['url']}: set the source's engine, or use engine: "
            "generic with CSS selectors in its options"
        )
    if not thread:
        return f"no thread found to read on {found['url']} (engine {found['engine']})"
    missing = [k for k in ("posts", "authors", "dates") if not thread.get(k)]
    return (
        f"the {found['engine']} engine reads no {', no '.join(missing)} on {thread['url']}: "
        "the forum's theme may differ; add selectors to the source's options (engine: generic)"
    )


def probe_lines(found: dict[str, Any]) -> list[str]:
    """The probe's findings for a person."""
    from rich.markup import escape

    lines = [f"Probe of {escape(str(found.get('url')))}"]
    if found.get("error"):
        return [*lines, f"  {escape(str(found['error']))}"]
    tried = found.get("tried") or []
    if found.get("engine"):
        how = "detected" if found.get("detected") == found["engine"] else "as asked"
        lines.append(f"  engine: {found['engine']} ({how})")
    else:
        lines.append("  engine: unknown: no engine recognised the page. Tried:")
        for t in tried:
            lines.append(f"    {t['engine']}: {escape(t['clues'] or '(selectors given)')} -> no")
        for m in found.get("markups") or []:
            lines.append(
                f"    {m['engine']} markups ({', '.join(m['markups'])}) read {m['posts']} posts, "
                f"{m['authors']} authors on the page anyway"
            )
    if found.get("api") == "json":
        lines.append("  read through Discourse's JSON API (/latest.json, /t/ID.json)")
    listing = found.get("listing")
    if listing:
        lines.append(f"  listing: {listing['threads']} threads, {listing['forums']} sub-forums")
    thread = found.get("thread")
    if thread:
        rules = ", ".join(f"{k}: {v}" for k, v in sorted(thread["date_rules"].items()))
        lines += [
            f"  first thread: {escape(str(thread['url']))}",
            f"    title: {escape(str(thread.get('title')))}",
            f"    markup: {thread.get('markup')}",
            f"    posts {thread['posts']}, authors {thread['authors']}, dates {thread['dates']}"
            f" ({rules or 'none'}), texts {thread['texts']}",
            f"    zone stated on the page: {thread.get('zone') or 'none'}",
            f"    next page: {escape(str(thread.get('next_page') or 'none'))}",
            "    selectors used (posts answered):",
        ]
        for field, queries in thread.get("selectors", {}).items():
            for query, n in queries.items():
                lines.append(f"      {field:<12} {escape(query)}  ({n})")
        for post in thread.get("sample", []):
            text = escape(" ".join(str(post.get("text") or "").split()))
            lines.append(
                f"    · {escape(str(post.get('author')))} | {post.get('published_at')} | {text}"
            )
    return lines


def register(app: typer.Typer) -> None:
    app.command()(crawl)
