"""Crawls of hostile or refusing sites (issue 14, items 8-9), real Scrapy crawls on a local
server: a garbage or cut feed and a page with invalid bytes are errors and store nothing
garbled; robots.txt and redirect loops are named; no traceback without --debug."""

from __future__ import annotations

import contextlib
import io
import json
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest_sites import BRANDS
from sqlalchemy import Engine, select

from pipeline.cli import main
from storage.models import Mention
from veille_demo.server import SiteServer

ITEM = (
    "<item><title>Lumino {n}</title><link>https://blog.example.org/{n}</link>"
    "<guid>g{n}</guid><pubDate>Mon, 02 Mar 2026 10:0{n}:00 +0000</pubDate>"
    "<description>La lampe Lumino numéro {n} éclaire très bien le salon.</description></item>"
)
FEED = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>b</title>{}'
REVIEW = (
    '<html><head><meta charset="utf-8"><title>Avis Lumino</title></head><body>'
    '<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "Product",'
    ' "name": "Lumino", "review": [{{"@type": "Review", "author": {{"name": "Zoé"}},'
    ' "datePublished": "2026-03-02", "reviewBody": "{body}",'
    ' "reviewRating": {{"@type": "Rating", "ratingValue": 4}}}}]}}</script></body></html>'
)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Any:
    root = tmp_path_factory.mktemp("hostile")
    full = FEED.format("".join(ITEM.format(n=n) for n in (1, 2))) + "</channel></rss>"
    (root / "good.xml").write_text(full, encoding="utf-8")
    # A feed cut in the middle of its second entry, then binary junk.
    cut = FEED.format(ITEM.format(n=1) + ITEM.format(n=2)[:120])
    (root / "garbage.xml").write_bytes(cut.encode() + bytes(range(128, 256)) * 8)
    # A feed cut short, valid UTF-8: the complete entry is kept, the cut one is not.
    (root / "truncated.xml").write_text(cut, encoding="utf-8")
    # A page declared UTF-8 holding Latin-1 bytes.
    page = REVIEW.format(body="Très bonne lampe Lumino, je la recommande à tous").encode("latin-1")
    (root / "latin1.html").write_bytes(page)
    (root / "robots.txt").write_text("User-agent: *\nDisallow: /private/\n")
    (root / "private").mkdir()
    (root / "private" / "feed.xml").write_text(full, encoding="utf-8")
    server = SiteServer(root).start()
    yield server
    server.stop()


@dataclass
class Result:
    returncode: int
    summary: dict[str, Any]
    stderr: str


def _crawl(tmp_path: Path, db_url: str, sources: list[dict[str, Any]], *opts: str) -> Result:
    config = tmp_path / "veille.yaml"
    settings = {
        "database": {"url": db_url},
        "brands": BRANDS,
        "crawl": {"download_delay": 0, "autothrottle": False, "timeout_seconds": 1, "retries": 0},
        "sources": [{"lookback_days": 3650, **s} for s in sources],
    }
    config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["-c", str(config), *opts, "crawl", "--json"])
        except SystemExit as exc:
            code = int(exc.code or 0)
    summary = json.loads(out.getvalue().strip().splitlines()[-1])
    return Result(code, {s["source"]: s for s in summary["sources"]}, err.getvalue())


def _texts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Mention.text)).scalars())


def test_garbage_feeds_and_undecodable_pages_are_errors_and_store_nothing_garbled(
    engine: Engine, db_url: str, hostile: SiteServer, tmp_path: Path
) -> None:
    base = hostile.base_url
    result = _crawl(
        tmp_path,
        db_url,
        [
            {"name": "good", "kind": "rss", "url": f"{base}/good.xml"},
            {"name": "garbage", "kind": "rss", "url": f"{base}/garbage.xml"},
            {"name": "truncated", "kind": "rss", "url": f"{base}/truncated.xml"},
            {"name": "latin1", "kind": "reviews", "url": f"{base}/latin1.html"},
        ],
    )
    s = result.summary
    assert s["good"]["new"] == 2 and s["good"]["errors"] == 0
    assert s["garbage"]["new"] == 0 and s["garbage"]["errors"] >= 1
    assert s["latin1"]["new"] == 0 and s["latin1"]["errors"] >= 1
    assert any("bytes that are not utf-8 text" in m for m in s["latin1"]["messages"])
    assert s["truncated"]["new"] == 1 and s["truncated"]["errors"] >= 1
    assert any("not well-formed XML" in m for m in s["truncated"]["messages"])
    texts = _texts(engine)
    assert len(texts) == 3 and all(t.strip() for t in texts)  # no empty-text mention
    assert not any("\ufffd" in t or "Ã" in t for t in texts)  # no garbled text
    assert result.returncode == 1  # garbage and latin1 could not be read at all
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/private/feed.xml", "the site's robots.txt forbids Veille to read"),
        ("/loop/good.xml", "redirects in a loop"),
    ],
)
def test_robots_and_redirect_loops_are_named_and_counted(
    engine: Engine, db_url: str, hostile: SiteServer, tmp_path: Path, path: str, reason: str
) -> None:
    result = _crawl(
        tmp_path, db_url, [{"name": "refused", "kind": "rss", "url": hostile.base_url + path}]
    )
    assert result.returncode == 1
    assert result.summary["refused"]["errors"] >= 1
    assert reason in result.stderr
    assert "timeout, refused connection" not in result.stderr
    assert "Traceback" not in result.stderr
    assert _texts(engine) == []


@pytest.mark.parametrize("debug", [False, True])
def test_a_download_timeout_is_one_line_without_debug(
    sqlite_url: str, hostile: SiteServer, tmp_path: Path, debug: bool
) -> None:
    from storage.engine import make_engine
    from storage.schema import upgrade

    upgrade(make_engine(sqlite_url))
    slow = {"name": "slow", "kind": "rss", "url": f"{hostile.base_url}/hang/good.xml"}
    result = _crawl(tmp_path, sqlite_url, [slow], *(["--debug"] if debug else []))
    assert result.returncode == 1
    assert "slow" in result.stderr
    assert ("Traceback" in result.stderr) == debug, result.stderr[-3000:]


def _handlers() -> set[threading.Thread]:
    """The request threads of the test servers (ThreadingHTTPServer's) alive now."""
    return {t for t in threading.enumerate() if "process_request_thread" in t.name}


def _until_gone(threads: set[threading.Thread]) -> set[threading.Thread]:
    deadline = time.monotonic() + 5
    while any(t.is_alive() for t in threads) and time.monotonic() < deadline:
        time.sleep(0.02)
    return {t for t in threads if t.is_alive()}


def test_a_hanging_page_never_answers_and_lets_go_of_a_client_that_gives_up(
    tmp_path: Path,
) -> None:
    """`/hang/` is a sure timeout (a `/delay/` page was read by a crawler whose event loop
    stalled past the delay on a loaded machine), and holds no thread once the client left."""
    (tmp_path / "page.html").write_text("ok", encoding="utf-8")
    server = SiteServer(tmp_path).start()
    host, port = server.httpd.server_address[:2]
    address = (str(host), int(port))
    request = b"GET /hang/page.html HTTP/1.1\r\nHost: x\r\n\r\n"
    before = _handlers()  # other servers' threads, if any
    try:
        with socket.create_connection(address) as client:
            client.sendall(request)
            client.settimeout(0.5)
            with pytest.raises(TimeoutError):
                client.recv(1)
            mine = _handlers() - before
            assert len(mine) == 1
        assert _until_gone(mine) == set()  # the client gave up: its thread ended
        held = socket.create_connection(address)  # still waiting when the server stops
        held.sendall(request)
        deadline = time.monotonic() + 5
        while not (waiting := _handlers() - before) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert len(waiting) == 1
    finally:
        server.stop()
    assert _until_gone(waiting) == set()  # the server stopped: released
    held.close()


def test_records_lose_their_tracebacks_without_debug() -> None:
    import logging

    from storage.errors import ShortTracebacks

    try:
        raise TimeoutError("Getting http://x took longer than 1.0 seconds.")
    except TimeoutError:
        import sys

        info = sys.exc_info()
    record = logging.LogRecord(
        "scrapy", logging.ERROR, "f", 1, "Error downloading %s", ("u",), info
    )
    ShortTracebacks().filter(record)
    assert record.exc_info is None
    assert record.getMessage() == (
        "Error downloading u (TimeoutError: Getting http://x took longer than 1.0 seconds.)"
    )
    # Scrapy puts some tracebacks in the message itself: cut there.
    record = logging.LogRecord(
        "scrapy", logging.ERROR, "f", 1,
        "Error while reading start items: boom.\nTraceback (most recent call last):\n  File …",
        None, None,
    )  # fmt: skip
    ShortTracebacks().filter(record)
    assert record.getMessage() == "Error while reading start items: boom."


def test_crawl_child_formats_only_the_records_it_shows() -> None:
    """Scrapy's DEBUG record of each scraped item (an import's batch of 500 mentions) is
    never shown at WARNING: making it must not format its arguments (their repr cost the
    import more than parsing its files); a shown record still loses its traceback."""
    import logging

    from crawlers.process import _short_tracebacks

    class Costly:
        formatted = 0

        def __repr__(self) -> str:
            Costly.formatted += 1
            return "costly"

    make = logging.getLogRecordFactory()
    try:
        _short_tracebacks("WARNING")
        logging.getLogRecordFactory()(
            "scrapy", logging.DEBUG, "f", 1, "Scraped %r", (Costly(),), None
        )
        assert Costly.formatted == 0
        try:
            raise TimeoutError("slow")
        except TimeoutError:
            import sys

            info = sys.exc_info()
        shown = logging.getLogRecordFactory()(
            "scrapy", logging.ERROR, "f", 1, "Error downloading %s", ("u",), info
        )
        assert shown.exc_info is None
        assert shown.getMessage() == "Error downloading u (TimeoutError: slow)"
    finally:
        logging.setLogRecordFactory(make)
