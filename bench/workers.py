"""Labelling and crawl workers on this machine: 1, 2 and 4 labelling workers, 1 and 2 crawl workers.

    nice python bench/workers.py [--mentions 4000] [--batch 250] [--labellers 1,2,4]
                                 [--pages 400] [--crawlers 1,2] [--profile accurate]

Needs PostgreSQL (VEILLE_BENCH_PG, default the `test` database at 127.0.0.1), RabbitMQ and
Redis at their usual local addresses. Each part uses a fresh PostgreSQL schema and its own
namespace. Workers are started first and waited for (their start-up, model loading
included, is not in the figures), then one run goes through them:

- labelling: `veille analyze --distributed` on `--mentions` generated mentions (mostly distinct
  texts), the same mentions relabelled for each worker count; wall time, mentions/s and the CPU
  seconds of the workers (and of the coordinator) per mention;
- crawling: `veille crawl --distributed` of a generated `--pages`-page phpBB forum served by
  another process (bench/crawl.py), no delay, 16 requests per domain per worker; pages/s and
  the workers' CPU milliseconds per page (their crawl processes included); 0 workers is the
  same crawl as `veille crawl` runs it, in one process, for comparison.

This machine has 2 cores shared with other jobs: more workers than free cores cannot go
faster, and wall figures depend on the load (printed); CPU per item is the steadier figure.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


from bench.child_usage import children_cpu  # noqa: E402
from config.settings import Settings  # noqa: E402
from storage.engine import make_engine  # noqa: E402
from storage.schema import scratch_schema, upgrade  # noqa: E402

PG = os.environ.get("VEILLE_BENCH_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
BROKER = os.environ.get("VEILLE_BENCH_BROKER", "amqp://guest:guest@127.0.0.1:5672//")
REDIS = os.environ.get("VEILLE_BENCH_REDIS", "redis://127.0.0.1:6379/0")

PRODUCTS = ["Nova 10", "Ambra", "Pixel Go", "Lumio S", "Vega 3", "Orbit", "Kiwi Pro", "Zen 2"]
OPENINGS = ["Franchement", "Bon,", "Alors", "Honnêtement", "Je dois dire que", "Perso",
            "Honestly", "Well,", "So", "I have to say"]  # fmt: skip
CLAIMS = [
    "le SAV ne répond toujours pas pour ma commande {p}",
    "super produit, le {p} tient ses promesses",
    "livraison rapide mais emballage du {p} abîmé",
    "quelqu'un sait si le {p} est compatible avec ma box ?",
    "le {p} est en promo à {n} euros ce week-end",
    "the {p} is great value, highly recommend it",
    "still waiting for my {p} refund after {n} days",
    "does the {p} work with older chargers?",
    "merci à tous pour vos conseils sur le {p}",
    "vous devriez proposer le {p} en rouge",
]


def texts(n: int, seed: int = 16) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(OPENINGS)} {rng.choice(CLAIMS).format(p=rng.choice(PRODUCTS), n=rng.randint(5, 999))}"
        f" #{i}"
        for i in range(n)
    ]


def tree_cpu(pid: int) -> float:
    """CPU seconds of a process and of the children it waited for (Linux /proc)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def wait_reaped(pid: int, timeout: float = 60) -> None:
    """Until process `pid` has no child left (its CPU then counts in its cutime)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            tasks = list(Path(f"/proc/{pid}/task").iterdir())
            if not any((t / "children").read_text().split() for t in tasks):
                return
        except OSError:
            return
        time.sleep(0.1)


def wait_alive(engine: Any, kind: str, n: int, timeout: float = 180) -> None:
    from storage.workers import live_workers

    deadline = time.monotonic() + timeout
    while len(live_workers(engine, kind, 30)) < n:
        if time.monotonic() > deadline:
            raise SystemExit(f"{n} {kind} workers did not start in {timeout:g} s")
        time.sleep(0.2)


def labelling(n: int, batch: int, counts: list[int], profile: str) -> list[dict[str, Any]]:
    from nlp.distributed import label_distributed, local_workers
    from storage.records import AuthorRecord, BrandMatch, MentionRecord
    from storage.upsert import MentionStore

    out = []
    with scratch_schema(PG, "bench") as url:
        engine = make_engine(url)
        upgrade(engine)
        MentionStore(engine).store(
            MentionRecord(source="tw", source_kind="twitter_export", external_id=str(i), text=t,
                          author=AuthorRecord(handle=f"a{i % 300}"), brands=[BrandMatch("Lumio")])
            for i, t in enumerate(texts(n))
        )  # fmt: skip
        for k in counts:
            settings = Settings.model_validate({
                "database": {"url": url},
                "brands": [{"name": "Lumio", "query": ["lumio"]}],
                "nlp": {"profile": profile, "batch_size": batch},
                "workers": {"namespace": f"bench{uuid.uuid4().hex[:8]}", "broker_url": BROKER,
                            "local": 0},
            })  # fmt: skip
            with local_workers(settings, k, "WARNING") as started:
                wait_alive(engine, "analyze", k)
                before = [tree_cpu(w.proc.pid) for w in started]
                cpu0, t0, load = time.process_time(), time.perf_counter(), os.getloadavg()[0]
                counts_ = label_distributed(engine, settings, relabel=True, local=0)
                wall = time.perf_counter() - t0
                coordinator = time.process_time() - cpu0
                workers_cpu = sum(
                    tree_cpu(w.proc.pid) - b for w, b in zip(started, before, strict=True)
                )
            out.append({"workers": k, "mentions": counts_.get("topic", 0), "wall": wall,
                        "per_s": n / wall, "cpu_ms": 1000 * workers_cpu / n,
                        "coord_ms": 1000 * coordinator / n, "load": load,
                        "used": len(counts_["workers"])})  # fmt: skip
            print(_label_line(out[-1]), flush=True)
        engine.dispose()
    return out


def _label_line(r: dict[str, Any]) -> str:
    return (f"  {r['workers']} labelling worker(s): {r['mentions']:,} mentions in {r['wall']:.1f} s "
            f"= {r['per_s']:,.0f}/s; workers' CPU {r['cpu_ms']:.2f} ms a mention "
            f"({1000 / r['cpu_ms']:,.0f} per CPU s), coordinator {r['coord_ms']:.3f} ms; "
            f"{r['used']} worker(s) took batches; load {r['load']:.1f}")  # fmt: skip


def crawling(pages: int, counts: list[int]) -> list[dict[str, Any]]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_crawl", ROOT / "bench" / "crawl.py")
    assert spec is not None and spec.loader is not None
    bench_crawl = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench_crawl)
    NOW, generate, serve = bench_crawl.NOW, bench_crawl.generate, bench_crawl.serve
    from crawlers.crawling import crawl_sources
    from crawlers.distributed import local_crawl_workers
    from storage.clock import set_now

    out = []
    with tempfile.TemporaryDirectory(prefix="veille-bench-workers-") as tmp:
        site = Path(tmp) / "site"
        files = generate(site, pages)
        server, base = serve(site)
        set_now(NOW)
        try:
            for k in counts:
                with scratch_schema(PG, "bench") as url:
                    engine = make_engine(url)
                    upgrade(engine)
                    settings = Settings.model_validate({
                        "database": {"url": url},
                        "brands": [{"name": b, "query": [b.lower()]}
                                   for b in ("Lumino", "Rivéo", "Maxishop")],
                        "sources": [{"name": "banc", "kind": "forum", "engine": "phpbb",
                                     "url": f"{base}/forum/index.php", "lookback_days": 3650}],
                        "crawl": {"download_delay": 0, "autothrottle": False,
                                  "concurrency_per_domain": 16, "redis_url": REDIS},
                        "workers": {"namespace": f"bench{uuid.uuid4().hex[:8]}", "local": 0},
                    })  # fmt: skip
                    if k == 0:  # the same crawl without workers: one crawl process here
                        cpu0 = children_cpu()
                        t0, load = time.perf_counter(), os.getloadavg()[0]
                        outcome = crawl_sources(settings, engine)
                        wall = time.perf_counter() - t0
                        read = outcome.summary["sources"][0]["pages"]
                        cpu_ms = 1000 * (children_cpu() - cpu0) / max(read, 1)
                        out.append({"workers": 0, "pages": read, "wall": wall, "cpu_ms": cpu_ms,
                                    "per_s": read / wall, "load": load})  # fmt: skip
                        print(f"  no worker (one crawl process, as `veille crawl`): {read:,} "
                              f"pages, {outcome.summary['new']:,} posts stored, in {wall:.1f} s "
                              f"= {read / wall:,.0f} pages/s; CPU {cpu_ms:.1f} ms a page "
                              f"(process start included); load {load:.1f}", flush=True)  # fmt: skip
                        engine.dispose()
                        continue
                    with local_crawl_workers(settings, k, "WARNING") as started:
                        wait_alive(engine, "crawl", k)
                        before = [tree_cpu(w.proc.pid) for w in started]
                        t0, load = time.perf_counter(), os.getloadavg()[0]
                        outcome = crawl_sources(settings, engine, distributed=True, local=0)
                        wall = time.perf_counter() - t0
                        for w in started:  # until each worker has reaped its crawl process
                            wait_reaped(w.proc.pid)
                        workers_cpu = sum(
                            tree_cpu(w.proc.pid) - b for w, b in zip(started, before, strict=True)
                        )
                    s = outcome.summary
                    read = sum(s["workers"].values())
                    out.append({"workers": k, "pages": read, "new": s["new"], "wall": wall,
                                "per_s": read / wall, "cpu_ms": 1000 * workers_cpu / max(read, 1),
                                "load": load, "by": s["workers"]})  # fmt: skip
                    print(
                        f"  {k} crawl worker(s): {read:,} pages ({files:,} in the site), "
                        f"{s['new']:,} posts stored, in {wall:.1f} s = {read / wall:,.0f} "
                        f"pages/s; workers' CPU {out[-1]['cpu_ms']:.1f} ms a page (process "
                        f"start included); pages per worker "
                        f"{sorted(s['workers'].values())}; load {load:.1f}",
                        flush=True,
                    )
                    engine.dispose()
        finally:
            server.kill()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mentions", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=250)
    parser.add_argument("--labellers", default="1,2,4")
    parser.add_argument("--profile", default="accurate", choices=["accurate", "fast"])
    parser.add_argument("--pages", type=int, default=400)
    parser.add_argument("--crawlers", default="0,1,2", help="0: without workers")
    parser.add_argument("--skip", choices=["labelling", "crawling"])
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start")
    if args.skip != "labelling" and args.labellers:
        print(f"Labelling ({args.profile} profile, batches of {args.batch}):")
        labelling(args.mentions, args.batch, [int(k) for k in args.labellers.split(",")],
                  args.profile)  # fmt: skip
    if args.skip != "crawling" and args.crawlers:
        print("Crawling (phpBB forum on localhost):")
        crawling(args.pages, [int(k) for k in args.crawlers.split(",")])


if __name__ == "__main__":
    main()
