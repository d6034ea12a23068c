"""Crawl a generated phpBB forum on localhost with Veille and with a minimal Scrapy spider.

    nice python bench/crawl.py [--pages 2000] [--runs 1] [--bench-seconds 0] [--profile FILE]

Both crawls read the same local forum (served from another process, as a real forum is),
in the same run, one after the other: Veille's full crawl (listing → threads → posts,
engine markups, dates, quotes cut, brand matching, cleaning, SQLite upsert, thread state,
robots.txt, no delay, 16 requests per domain) and a minimal Scrapy spider (CSS selectors,
one item per post, items batched into SQLite, same concurrency and robots.txt). It prints
pages/s of each, their ratio (aim ≥ 0.8×, and ≥ 150 pages/s for Veille), and the CPU time
each crawl process used (this machine's 2 cores are shared: wall-clock rates vary with the
load, CPU seconds per page much less). `--bench-seconds N` also runs `scrapy bench` for N
seconds; `--profile FILE` writes a cProfile of Veille's crawl process.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.child_usage import children_cpu  # noqa: E402
from config.settings import Settings  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.schema import upgrade  # noqa: E402
from veille_demo.sitegen import Forum, Post, Site, Thread, render_phpbb  # noqa: E402

NOW = datetime(2026, 11, 21, 22, 0, tzinfo=UTC)
BRANDS = ["Lumino", "Rivéo", "Maxishop"]
CONCURRENCY = 16

SERVER = """
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from veille_demo.server import SiteServer
server = SiteServer(Path({site!r})).start()
print(server.base_url, flush=True)
time.sleep(24 * 3600)
"""

# The minimal spider: what a quick Scrapy project would write for this forum.
MINIMAL = """
import sqlite3
import scrapy


class SQLitePipeline:
    def open_spider(self, spider):
        self.db = sqlite3.connect(spider.settings.get("MINIMAL_DB"))
        self.db.execute("create table if not exists posts (id text primary key, thread text, "
                        "author text, date text, text text)")
        self.rows = []

    def process_item(self, item, spider):
        self.rows.append((item["id"], item["thread"], item["author"], item["date"], item["text"]))
        if len(self.rows) >= 1000:
            self.flush()
        return item

    def flush(self):
        self.db.executemany("insert or replace into posts values (?, ?, ?, ?, ?)", self.rows)
        self.db.commit()
        self.rows = []

    def close_spider(self, spider):
        self.flush()
        self.db.close()


class MinimalForumSpider(scrapy.Spider):
    name = "minimal"

    def __init__(self, start, **kwargs):
        super().__init__(**kwargs)
        self.start_urls = [start]

    def parse(self, response):
        for href in response.css("a.forumtitle::attr(href)").getall():
            yield response.follow(href, self.parse_listing)

    def parse_listing(self, response):
        for href in response.css("a.topictitle::attr(href)").getall():
            yield response.follow(href, self.parse_thread)
        next_page = response.css(".pagination a[rel=next]::attr(href)").get()
        if next_page:
            yield response.follow(next_page, self.parse_listing)

    def parse_thread(self, response):
        title = response.css("h2.topic-title a::text").get()
        for post in response.css("div.post"):
            yield {
                "id": post.attrib["id"],
                "thread": title,
                "author": post.css("p.author a.username::text").get(),
                "date": post.css("p.author time::attr(datetime)").get(),
                "text": " ".join(post.css("div.content ::text").getall()).strip(),
            }
        next_page = response.css(".pagination a[rel=next]::attr(href)").get()
        if next_page:
            yield response.follow(next_page, self.parse_thread)
"""


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


def serve(site: Path) -> tuple[subprocess.Popen[str], str]:
    """The forum served by another process (the crawls do not share its interpreter)."""
    code = SERVER.format(root=str(ROOT), site=str(site))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    return proc, proc.stdout.readline().strip()


def process_cpu(pid: int) -> float:
    """CPU seconds a running process used so far (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def veille_crawl(base: str, tmp: Path, profile: Path | None = None) -> dict[str, float]:
    db = tmp / f"veille-{time.monotonic_ns()}.db"
    url = f"sqlite:///{db}"
    upgrade(make_engine(url))
    settings = Settings.model_validate({
        "database": {"url": url},
        "brands": [{"name": b, "query": [b.lower()]} for b in BRANDS],
        "sources": [{"name": "banc", "kind": "forum", "engine": "phpbb",
                     "url": f"{base}/forum/index.php", "lookback_days": 3650}],
        "crawl": {"download_delay": 0, "autothrottle": False,
                  "concurrency_per_domain": CONCURRENCY},
    })  # fmt: skip
    spec = tmp / "spec.json"
    result_path = tmp / "result.json"
    spec.write_text(
        json.dumps(
            {
                "settings": settings.model_dump(mode="json", exclude={"smtp"}),
                "jobs": [{"spider": "phpbb", "source": "banc", "kwargs": {"now": NOW.isoformat()}}],
                "result_path": str(result_path),
                "log_level": "WARNING",
                "sequential": False,
            }
        ),
        encoding="utf-8",
    )
    command = [sys.executable, "-m", "crawlers.process", str(spec)]
    if profile is not None:
        command = [sys.executable, "-m", "cProfile", "-o", str(profile), *command[1:]]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
    }
    cpu, started = children_cpu(), time.perf_counter()
    subprocess.run(command, env=env, check=True)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    [result] = json.loads(result_path.read_text(encoding="utf-8"))
    return {
        "pages": result["pages"],
        "items": result["new"],
        "errors": result["errors"],
        "elapsed": float(result["elapsed_seconds"]),
        "wall": wall,
        "cpu": cpu,
    }


def minimal_crawl(base: str, tmp: Path) -> dict[str, float]:
    spider = tmp / "minimal_spider.py"
    spider.write_text(MINIMAL, encoding="utf-8")
    db = tmp / f"minimal-{time.monotonic_ns()}.db"
    settings = {
        "LOG_LEVEL": "INFO", "ROBOTSTXT_OBEY": "True", "COOKIES_ENABLED": "False",
        "TELNETCONSOLE_ENABLED": "False", "CONCURRENT_REQUESTS": str(CONCURRENCY * 4),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(CONCURRENCY), "DOWNLOAD_DELAY": "0",
        "ITEM_PIPELINES": json.dumps({"minimal_spider.SQLitePipeline": 900}),
        "MINIMAL_DB": str(db),
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
    }  # fmt: skip
    command = [sys.executable, "-m", "scrapy", "runspider", str(spider),
               "-a", f"start={base}/forum/index.php"]  # fmt: skip
    for key, value in settings.items():
        command += ["-s", f"{key}={value}"]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(tmp), os.environ.get("PYTHONPATH", "")]),
    }
    cpu, started = children_cpu(), time.perf_counter()
    proc = subprocess.run(command, env=env, capture_output=True, text=True, cwd=tmp)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu
    log = proc.stdout + proc.stderr
    pages = re.search(r"'response_received_count': (\d+)", log)
    items = re.search(r"'item_scraped_count': (\d+)", log)
    elapsed = re.search(r"'elapsed_time_seconds': ([\d.]+)", log)
    if proc.returncode or not pages or not elapsed:
        raise SystemExit(f"the minimal spider failed:\n{log[-3000:]}")
    return {
        # robots.txt is a response too: count forum pages as Veille does
        "pages": int(pages.group(1)) - 1,
        "items": int(items.group(1)) if items else 0,
        "errors": 0,
        "elapsed": float(elapsed.group(1)),
        "wall": wall,
        "cpu": cpu,
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


def line(name: str, r: dict[str, float]) -> str:
    return (
        f"{name:<15}: {int(r['pages']):,} pages, {int(r['items']):,} items, {int(r['errors'])} errors "
        f"in {r['elapsed']:.1f} s of crawl ({r['wall']:.1f} s with process start) -> "
        f"{r['pages'] / r['elapsed']:,.0f} pages/s; CPU {r['cpu']:.1f} s "
        f"({r['cpu'] / r['wall']:.0%} of one core, {1000 * r['cpu'] / r['pages']:.1f} ms per page); "
        f"the server's CPU {r['server_cpu']:.1f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=1, help="alternate the two crawls N times")
    parser.add_argument("--bench-seconds", type=int, default=0, help="also run scrapy bench")
    parser.add_argument("--profile", type=Path, help="cProfile Veille's crawl into this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="veille-bench-") as name:
        tmp = Path(name)
        n = generate(tmp / "site", args.pages)
        print(f"generated a phpBB forum of {n:,} pages (10 posts per thread page)")
        server, base = serve(tmp / "site")
        try:
            ratios = []
            for run in range(args.runs):
                served = process_cpu(server.pid)
                ours = veille_crawl(base, tmp, args.profile if run == 0 else None)
                ours["server_cpu"], served = (
                    process_cpu(server.pid) - served,
                    process_cpu(server.pid),
                )
                ref = minimal_crawl(base, tmp)
                ref["server_cpu"] = process_cpu(server.pid) - served
                print(line("veille crawl", ours))
                print(line("minimal spider", ref))
                ratio = (ours["pages"] / ours["elapsed"]) / (ref["pages"] / ref["elapsed"])
                cpu_ratio = (ref["cpu"] / ref["pages"]) / (ours["cpu"] / ours["pages"])
                ratios.append(ratio)
                print(
                    f"ratio          : {ratio:.2f}x of the minimal spider's pages/s "
                    f"(aim >= 0.8x); CPU per page: {cpu_ratio:.2f}x of its efficiency"
                )
            if args.runs > 1:
                print(f"ratios         : {', '.join(f'{r:.2f}' for r in ratios)}")
        finally:
            server.kill()
    if args.bench_seconds:
        ref_bench = scrapy_bench(args.bench_seconds)
        rate = ref_bench["pages"] / ref_bench["elapsed"]
        print(
            f"scrapy bench   : {ref_bench['pages']:,} pages in {ref_bench['elapsed']:.1f} s -> {rate:,.0f} pages/s"
        )


if __name__ == "__main__":
    main()
