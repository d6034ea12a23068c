"""Benchmark the web workspace (`veille serve`) over N generated mentions, on SQLite and
PostgreSQL:

    .venv/bin/python bench/web.py [--mentions 1000000] [--backends sqlite,postgresql]
                                  [--clients 20] [--seconds 15] [--database URL]

For each backend it loads N mentions (two brands, sentiment and topic labels, 60 days), starts
`veille serve`'s app under uvicorn in a child process, signs in, and measures over HTTP:
the inbox's first page (default view: the last 30 days, open mentions, most urgent first), a
query in Veille's language, a full-text search, the contributors (the 20,000 authors profiled
by the nightly `authors` stage: the list, a brand's, one author's page and posts), the inbox and
contributors as an account that sees one brand only reads them, each request repeated (p50,
p95); then the
mention page under load: `--clients` threads each asking for random mentions for
`--seconds`, in requests per second. Clients and server share the machine's cores.
`--database URL` measures a database loaded before by `load()` (kept: measure it again after
a change without loading a million mentions again).
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

PG = os.environ.get("VEILLE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PASSWORD = "bench password 1"
ANALYZE_EVERY = 100_000  # mentions (PostgreSQL: see load())
WORDS = ["livraison", "colis", "commande", "remboursement", "super", "produit", "déçu",
         "service", "client", "merci", "attente", "retard", "appli", "bug", "prix", "offre"]  # fmt: skip
QUERIES = {
    "inbox first page": "/inbox",
    "query (Veille's language)": "/inbox?q=" + "remboursement+AND+NOT+%22super+produit%22",
    "full text": "/inbox?words=remboursement+retard",
    "full text, a rarer word": "/inbox?words=comm50",
    "contributors first page": "/authors",
    "contributors of a brand": "/authors?brand=Globex",
    "a contributor's page": "/authors/1",
    "a contributor's posts in the inbox": "/inbox?author=1&status=all&period=all",
    # the newest 20,000 mentions of 30 days matched, against the brand's links
    "the query workbench, 30 days": "/queries?target=brand:Lumino&days=30&q=lumino+-comm50",
}
# The same pages read by an account that sees Globex only (a quarter of the mentions): every
# mention, author and count kept by storage.scope's conditions.
SCOPED = {
    "inbox first page, one brand's account": "/inbox",
    "full text, one brand's account": "/inbox?words=remboursement+retard",
    "contributors, one brand's account": "/authors",
}


def generate(n: int) -> Iterator[object]:
    from storage.clock import utcnow
    from storage.records import AuthorRecord, BrandMatch, MentionRecord

    rng = random.Random(19)
    now = utcnow()
    # Six of 16 common words and eight from a Zipf-like tail of 3,000, so that full-text
    # searches range from common (the pair of common words: ~10 % of texts) to selective
    # (`comm50`, the 51st word of the tail: ~2 %).
    tail = [f"{WORDS[k % len(WORDS)][:4]}{k}" for k in range(3000)]
    weights = [1 / (k + 1) for k in range(len(tail))]
    for i in range(n):
        brand = "Lumino" if i % 4 else "Globex"
        words = [rng.choice(WORDS) for _ in range(6)] + rng.choices(tail, weights, k=8)
        rng.shuffle(words)
        text = " ".join(words) + f" {brand.lower()} #{i}"
        if i % 17 == 0:
            text += " ?"
        yield MentionRecord(
            source=f"src{i % 5}", source_kind="forum", external_id=str(i), text=text,
            url=f"https://forum.example.org/t/{i // 20}#p{i}", thread_id=str(i // 20),
            lang="fr", published_at=now - timedelta(seconds=int(60 * 86400 * i / n)),
            likes=i % 13, author=AuthorRecord(handle=f"user{i % 20_000}",
                                              followers=(i * 7919) % 40_000),
            brands=[BrandMatch(brand, brand.lower(), [brand.lower()])],
        )  # fmt: skip


def load(url: str, n: int) -> float:
    from storage.engine import make_engine
    from storage.labels import LabelRecord, save_labels
    from storage.schema import upgrade
    from storage.upsert import MentionStore
    from storage.vocab import SENTIMENTS, TOPICS

    start = time.perf_counter()
    engine = make_engine(url, create=True)
    upgrade(engine)

    def analyze(every: int, done: int) -> None:
        # PostgreSQL: the statistics as autovacuum would keep them while the tables grow (the
        # test server runs without it); stale, the planner reads every mention of a source
        # to find a batch's, and a million takes an hour rather than minutes.
        if engine.dialect.name == "postgresql" and done % every == 0:
            with engine.begin() as conn:
                conn.exec_driver_sql("ANALYZE")

    store = MentionStore(engine, batch_size=10_000)
    records = generate(n)
    for done in range(0, n, ANALYZE_EVERY):
        store.store(itertools.islice(records, ANALYZE_EVERY))  # type: ignore[arg-type]
        analyze(ANALYZE_EVERY, done + ANALYZE_EVERY)
    rng = random.Random(7)
    batch: list[LabelRecord] = []
    for mid in range(1, n + 1):
        for task, values in (("sentiment", SENTIMENTS), ("topic", TOPICS)):
            batch.append(LabelRecord(mid, task, rng.choice(values), rng.random(), model="bench",
                                     version="1"))  # fmt: skip
        if len(batch) >= 20_000:
            with engine.begin() as conn:
                save_labels(conn, batch)
            batch = []
            analyze(ANALYZE_EVERY, mid)
    with engine.begin() as conn:
        save_labels(conn, batch)
        conn.exec_driver_sql("ANALYZE")
    from nlp.authors.compute import recompute
    from storage.clock import utcnow

    recompute(engine, now=utcnow())  # the contributors' profiles, as the nightly stage
    with engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    from storage.users import add_user, set_brands
    from web.security import hash_password

    add_user(engine, "bench", "analyst", hash_password(PASSWORD))
    add_user(engine, "bench-globex", "analyst", hash_password(PASSWORD))
    set_brands(engine, "bench-globex", ["Globex"], ["Lumino", "Globex"])
    engine.dispose()
    return time.perf_counter() - start


def serve(url: str, port: int) -> None:
    """The child process: the app under uvicorn, as `veille serve` runs it."""
    import uvicorn

    from config.settings import Settings
    from storage.engine import make_engine
    from web.app import create_app

    settings = Settings.model_validate({"brands": [{"name": "Lumino", "query": "lumino"},
                                                   {"name": "Globex", "query": "globex"}]})  # fmt: skip
    engine = make_engine(url)
    app = create_app(engine, settings, secret="bench" * 8)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")


def _client(base: str, name: str = "bench") -> httpx.Client:
    import httpx

    client = httpx.Client(base_url=base, timeout=60, follow_redirects=True)
    page = client.get("/login").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    done = client.post("/login", data={"username": name, "password": PASSWORD,
                                       "csrf": token.group(1)})  # fmt: skip
    assert done.status_code == 200, done.status_code
    return client


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc): the server's own work,
    steadier than wall time on a shared machine (PostgreSQL's own work is not in it)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, round(0.95 * len(values)) - 1)]


def measure(
    base: str, n: int, repeat: int, clients: int, seconds: float, pid: int
) -> dict[str, object]:
    client = _client(base)
    scoped = _client(base, "bench-globex")
    out: dict[str, object] = {}
    asked = [(client, name, path) for name, path in QUERIES.items()]
    asked += [(scoped, name, path) for name, path in SCOPED.items()]
    for reader, name, path in asked:
        reader.get(path)  # warm
        times = []
        cpu = cpu_seconds(pid)
        for _ in range(repeat):
            start = time.perf_counter()
            response = reader.get(path)  # type: ignore[attr-defined]
            times.append(time.perf_counter() - start)
            assert response.status_code == 200
        cpu = (cpu_seconds(pid) - cpu) / repeat
        rows = response.text.count('class="mention-row"') + response.text.count(
            'class="author-row"'
        )
        out[name] = {"p50_ms": 1000 * statistics.median(times), "p95_ms": 1000 * p95(times),
                     "cpu_ms": 1000 * cpu, "rows": rows}  # fmt: skip
    counts = [0] * clients
    errors = [0] * clients
    stop = time.perf_counter() + seconds

    def work(k: int) -> None:
        import httpx

        rng = random.Random(k)
        c = httpx.Client(base_url=base, cookies=client.cookies, timeout=60)  # type: ignore[attr-defined]
        while time.perf_counter() < stop:
            r = c.get(f"/mentions/{rng.randint(1, n)}")
            if r.status_code == 200:
                counts[k] += 1
            else:
                errors[k] += 1

    threads = [threading.Thread(target=work, args=(k,)) for k in range(clients)]
    cpu = cpu_seconds(pid)
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pid) - cpu
    out["mention page"] = {"requests_per_s": sum(counts) / elapsed, "errors": sum(errors),
                           "clients": clients, "per_cpu_s": sum(counts) / max(cpu, 1e-9)}  # fmt: skip
    return out


def run_backend(
    backend: str, n: int, repeat: int, clients: int, seconds: float, database: str | None = None
) -> None:
    """Load N mentions into a new database and measure; or measure `database`, loaded before
    (by `load`: N is then its number of mentions)."""
    import socket

    from sqlalchemy import create_engine, text

    schema = None
    with tempfile.TemporaryDirectory() as tmp:
        if database:
            url = database
        elif backend == "sqlite":
            url = f"sqlite:///{tmp}/bench.db"
        else:
            schema = f"bench_web_{uuid.uuid4().hex[:8]}"
            admin = create_engine(PG)
            with admin.begin() as conn:
                conn.execute(text(f"CREATE SCHEMA {schema}"))
            url = f"{PG}?options=-csearch_path%3D{schema}"
        server = None
        try:
            if database:
                with create_engine(url).connect() as conn:
                    n = int(conn.execute(text("SELECT count(*) FROM mentions")).scalar_one())
                print(f"{backend:>10}: {n:,} mentions already loaded", flush=True)
            else:
                took = load(url, n)
                print(f"{backend:>10}: loaded {n:,} mentions in {took:.0f} s", flush=True)
            with socket.socket() as s:
                s.bind(("127.0.0.1", 0))
                port = s.getsockname()[1]
            server = subprocess.Popen([sys.executable, __file__, "--serve", url,
                                       "--port", str(port)])  # fmt: skip
            base = f"http://127.0.0.1:{port}"
            import httpx

            for _ in range(200):
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.HTTPError:
                    time.sleep(0.1)
            result = measure(base, n, repeat, clients, seconds, server.pid)
            for name, r in result.items():
                assert isinstance(r, dict)
                if "p95_ms" in r:
                    print(f"{backend:>10}: {name:<38} p50 {r['p50_ms']:7.0f} ms  "
                          f"p95 {r['p95_ms']:7.0f} ms  server CPU {r['cpu_ms']:5.0f} ms a "
                          f"request  ({r['rows']} rows)", flush=True)  # fmt: skip
                else:
                    print(f"{backend:>10}: {name:<38} {r['requests_per_s']:7.1f} requests/s "
                          f"with {r['clients']} clients, {r['per_cpu_s']:.0f} per server CPU "
                          f"second ({r['errors']} errors)", flush=True)  # fmt: skip
        finally:
            if server is not None:
                server.terminate()
                server.wait(10)
            if schema:
                with admin.begin() as conn:
                    conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--database", help="measure this database, loaded before by load()")
    parser.add_argument("--serve")
    parser.add_argument("--port", type=int)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port)
        return
    what = args.database or f"{args.mentions:,} mentions"
    print(f"Web workspace over {what}; {args.clients} clients for the "
          f"mention page; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores",
          flush=True)  # fmt: skip
    if args.database:
        backend = "sqlite" if args.database.startswith("sqlite") else "postgresql"
        run_backend(backend, args.mentions, args.repeat, args.clients, args.seconds,
                    args.database)  # fmt: skip
        return
    for backend in args.backends.split(","):
        run_backend(backend, args.mentions, args.repeat, args.clients, args.seconds)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
