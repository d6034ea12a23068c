"""Crawl a generated 2,000-page phpBB forum on localhost; compare with `scrapy bench`.

    nice python bench/crawl.py [--pages 2000] [--bench-seconds 10]

Prints pages/s of a full Veille crawl (listing → threads → posts → brand matching →
SQLite upsert, robots.txt, no delay) next to pages/s of `scrapy bench` (Scrapy's own
link-following spider on its own server, no processing) on the same machine, same run.
"""

from __future__ import annotations

import argparse
import math
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from config.settings import Settings  # noqa: E402
from crawlers.process import CrawlJob, run_crawl  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.schema import upgrade  # noqa: E402
from veille_demo.server import SiteServer  # noqa: E402
from veille_demo.sitegen import Forum, Post, Site, Thread, render_phpbb  # noqa: E402

NOW = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
BRANDS = ["Lumino", "Rivéo", "Maxishop"]


def generate(folder: Path, pages: int, per_listing: int = 25, posts: int = 10) -> int:
    """A one-forum phpBB site of `pages` pages (index + listings + one-page threads)."""
    threads = pages - 1
    while 1 + threads + math.ceil(threads / per_listing) > pages:
        threads -= 1
    forum = Forum(1, "Banc d'essai", [])
    for t in range(1, threads + 1):
        last = NOW - timedelta(minutes=t * 7)
        forum.threads.append(Thread(t, f"Sujet {t} sur {BRANDS[t % 3]}", [
            Post(t * 100 + i, f"membre{(t + i) % 500}", last - timedelta(minutes=10 - i),
                 f"<p>Message {i} : mon avis sur {BRANDS[(t + i) % 3]}, plutôt "
                 f"{'positif' if i % 2 else 'mitigé'}.</p>", user_id=(t + i) % 500 + 1,
                 author_posts=t % 900)
            for i in range(posts)
        ]))  # fmt: skip
    site = Site("Banc", [forum], NOW, threads_per_page=per_listing, posts_per_page=posts)
    files = render_phpbb(site, "/forum")
    for name, content in files.items():
        path = folder / "forum" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    (folder / "robots.txt").write_text("User-agent: *\nDisallow:\n", encoding="utf-8")
    return len(files)


def veille_crawl(folder: Path, db: Path) -> dict[str, float]:
    server = SiteServer(folder).start()
    try:
        url = f"sqlite:///{db}"
        upgrade(make_engine(url))
        settings = Settings.model_validate({
            "database": {"url": url},
            "brands": [{"name": b, "query": [b.lower()]} for b in BRANDS],
            "sources": [{"name": "banc", "kind": "forum", "engine": "phpbb",
                         "url": f"{server.base_url}/forum/index.php", "lookback_days": 3650}],
            "crawl": {"download_delay": 0, "autothrottle": False, "concurrency_per_domain": 16},
        })  # fmt: skip
        started = time.perf_counter()
        [result] = run_crawl(settings, [CrawlJob("phpbb", "banc", {"now": NOW.isoformat()})])
        wall = time.perf_counter() - started
    finally:
        server.stop()
    return {
        "pages": result["pages"],
        "stored": result["new"],
        "errors": result["errors"],
        "elapsed": float(result["elapsed_seconds"]),
        "wall": wall,
    }


def scrapy_bench(seconds: int) -> dict[str, float]:
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "bench", "-s", f"CLOSESPIDER_TIMEOUT={seconds}",
         "-s", "LOG_LEVEL=INFO"],
        capture_output=True, text=True, timeout=seconds + 120,
    )  # fmt: skip
    log = proc.stdout + proc.stderr
    pages = re.search(r"'response_received_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if not pages or not elapsed:
        raise SystemExit(f"could not read the scrapy bench statistics:\n{log[-2000:]}")
    return {"pages": int(pages.group(1)), "elapsed": float(elapsed.group(1))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--bench-seconds", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veille-bench-") as tmp:
        folder = Path(tmp) / "site"
        n = generate(folder, args.pages)
        print(f"generated a phpBB forum of {n:,} pages")
        ours = veille_crawl(folder, Path(tmp) / "bench.db")
    ours_rate = ours["pages"] / ours["elapsed"]
    print(
        f"veille crawl : {ours['pages']:,} pages, {ours['stored']:,} mentions stored, "
        f"{ours['errors']} errors in {ours['elapsed']:.1f} s of crawl "
        f"({ours['wall']:.1f} s with process start) -> {ours_rate:,.0f} pages/s"
    )
    ref = scrapy_bench(args.bench_seconds)
    ref_rate = ref["pages"] / ref["elapsed"]
    pages, elapsed = ref["pages"], ref["elapsed"]
    print(f"scrapy bench : {pages:,} pages in {elapsed:.1f} s -> {ref_rate:,.0f} pages/s")
    print(f"ratio        : {ours_rate / ref_rate:.2f}x of scrapy bench (aim >= 0.5x)")


if __name__ == "__main__":
    main()
