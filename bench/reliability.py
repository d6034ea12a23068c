"""Fault scenarios, run for real, with what a person would count afterwards (not a timed test).

Delivery: a planted bad buzz, a real SMTP server (aiosmtpd) that is down, slow past
`smtp.timeout_seconds` during DATA, closed mid-DATA or refusing the data, a `veille alerts
check` child process killed with SIGKILL before or past its "data sent" mark, and the
operators' "run failed" e-mail while SMTP is down. Per scenario it prints the copies of the
message the server received — want exactly 1, or 0 with `unconfirmed` shown by `veille
status` and `veille alerts list` — and the message's final state.

Data: an import killed with SIGKILL half-way then imported three more times, two imports of one
inbox at once, the whole demo on SQLite and on PostgreSQL, the suspicion flags on shuffled rows,
hostile configuration, query and files. Per scenario it prints the mentions lost and duplicated
(want 0) and whether SQLite and PostgreSQL (the server at $VEILLE_TEST_PG_URL, default
127.0.0.1:5432/test, a fresh schema per run) gave identical results. It takes a few minutes.

    PYTHONPATH=$PWD .venv/bin/python -P bench/reliability.py [--only delivery|data]
        [--scenario NAME] [--db-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--tweets 20000]
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG_ADMIN = os.environ.get("VEILLE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def delivery(args: argparse.Namespace) -> bool:
    from veille_demo.delivery_faults import SCENARIOS as DELIVERY
    from veille_demo.delivery_faults import run_scenario

    names = [n for n in args.scenario or list(DELIVERY) if n in DELIVERY]
    print("== delivery: copies of one alert e-mail received by a real SMTP server")
    print(f"{'scenario':<50} {'copies':>6}  {'state':<12} {'shown':<6} {'ok':<4} notes")
    good = True
    for name in names:
        with tempfile.TemporaryDirectory() as folder:
            o = run_scenario(name, Path(folder), args.db_url)
        good &= o.ok
        shown = "yes" if o.unconfirmed_shown else "no"
        print(
            f"{o.scenario:<50} {o.copies:>6}  {o.state:<12} {shown:<6} {'yes' if o.ok else 'NO':<4}"
            f" {'; '.join(o.notes)}",
            flush=True,
        )
    return good


@dataclass
class Outcome:
    lost: int | None = None
    duplicated: int | None = None
    identical: bool | None = None  # SQLite and PostgreSQL gave the same result
    note: str = ""


@dataclass
class Context:
    tmp: Path
    tweets: int


SCENARIOS: dict[str, Callable[[Context], Outcome]] = {}


def scenario(name: str) -> Callable[[Callable[[Context], Outcome]], Callable[[Context], Outcome]]:
    def register(fn: Callable[[Context], Outcome]) -> Callable[[Context], Outcome]:
        SCENARIOS[name] = fn
        return fn

    return register


# -- helpers ------------------------------------------------------------------------------


def pg_schema() -> contextlib.AbstractContextManager[str]:
    """A PostgreSQL URL on a fresh schema, dropped afterwards."""
    from storage.schema import scratch_schema

    return scratch_schema(PG_ADMIN, "bench")


@contextlib.contextmanager
def backends(tmp: Path) -> Iterator[dict[str, str]]:
    """{"sqlite": url, "postgresql": url}, both empty."""
    with pg_schema() as pg:
        yield {"sqlite": f"sqlite:///{tmp / 'bench.db'}", "postgresql": pg}


def write_config(folder: Path, db_url: str, batch_size: int = 500) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "inbox").mkdir(exist_ok=True)
    config = folder / "veille.yaml"
    config.write_text(
        f"database:\n  url: '{db_url}'\n  batch_size: {batch_size}\n"
        "brands:\n  - name: Lumino\n    query: [lumino]\n"
        "sources:\n  - name: tw-inbox\n    kind: twitter_export\n    path: inbox\n",
        encoding="utf-8",
    )
    return config


def veille(config: Path, *args: str, **popen: Any) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
        cwd=ROOT, env=env, text=True, **popen,
    )  # fmt: skip


def run(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = veille(config, *args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=1800)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def generate(path: Path, tweets: int) -> None:
    spec = importlib.util.spec_from_file_location("bench_twarc2", ROOT / "bench/import_twarc2.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(path, tweets)


def stored(db_url: str) -> tuple[int, set[tuple[str, str, int]]]:
    """(rows, distinct (external id, text, likes)) of the mentions."""
    from sqlalchemy import text

    from storage.engine import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(text("select external_id, text, likes from mentions")).all()
    finally:
        engine.dispose()
    return len(rows), {(r[0], r[1], int(r[2] or 0)) for r in rows}


def upgrade(db_url: str) -> None:
    from storage.engine import make_engine
    from storage.schema import upgrade as migrate

    engine = make_engine(db_url)
    migrate(engine)
    engine.dispose()


def committed(db_url: str) -> int:
    from sqlalchemy import text

    from storage.engine import make_engine

    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            row = conn.execute(text("select max(committed) from imported_files")).first()
    finally:
        engine.dispose()
    return int(row[0] or 0) if row else 0


# -- scenarios ----------------------------------------------------------------------------


@scenario("import killed -9 mid-file, then re-imported")
def killed_import(ctx: Context) -> Outcome:
    data = ctx.tmp / "big.jsonl"
    generate(data, ctx.tweets)
    results = {}
    lost = duplicated = 0
    with backends(ctx.tmp) as urls:
        for name, url in urls.items():
            upgrade(url)
            config = write_config(ctx.tmp / name, url)
            proc = veille(config, "import", str(data), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, start_new_session=True)  # fmt: skip
            deadline = time.monotonic() + 600
            while proc.poll() is None and time.monotonic() < deadline:
                if committed(url) >= ctx.tweets // 3:
                    break
                time.sleep(0.05)
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            run(config, "import", str(data))  # resumes after what was committed
            for _ in range(2):  # two more, read again whole: nothing changes
                run(config, "import", str(data), "--force")
            rows, distinct = stored(url)
            lost += ctx.tweets - len({d[0] for d in distinct})
            duplicated += rows - len({d[0] for d in distinct})
            results[name] = distinct
    return Outcome(lost, duplicated, identical=results["sqlite"] == results["postgresql"])


@scenario("two imports of one inbox at once")
def concurrent_imports(ctx: Context) -> Outcome:
    results = {}
    lost = duplicated = 0
    notes = []
    with backends(ctx.tmp) as urls:
        for name, url in urls.items():
            upgrade(url)
            config = write_config(ctx.tmp / f"concurrent-{name}", url)
            generate(config.parent / "inbox" / "search.jsonl", ctx.tweets)
            procs = [
                veille(config, "import", "--json", stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                for _ in range(2)
            ]
            outs = [p.communicate(timeout=1800)[0] for p in procs]
            news = sorted(json.loads(o.strip().splitlines()[-1])["new"] for o in outs)
            notes.append(f"{name}: new {news[0]:,} + {news[1]:,}")
            rows, distinct = stored(url)
            lost += ctx.tweets - len({d[0] for d in distinct})
            duplicated += rows - len({d[0] for d in distinct}) + max(0, sum(news) - ctx.tweets)
            results[name] = distinct
    return Outcome(lost, duplicated, identical=results["sqlite"] == results["postgresql"],
                   note="; ".join(notes))  # fmt: skip


@scenario("the demo on SQLite and on PostgreSQL")
def demo_backends(ctx: Context) -> Outcome:
    from veille_demo.snapshot import differences, snapshot

    snaps = {}
    with pg_schema() as pg:
        for name, url in (("sqlite", None), ("postgresql", pg)):
            folder = ctx.tmp / f"demo-{name}"
            env = dict(os.environ)
            env.pop("VEILLE_DATABASE__URL", None)
            if url:
                env["VEILLE_DATABASE__URL"] = url
            done = subprocess.run(
                [sys.executable, "-m", "pipeline.cli", "--quiet", "demo", str(folder)],
                cwd=ctx.tmp, env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True,
                text=True, timeout=1800,
            )  # fmt: skip
            if done.returncode != 0:
                return Outcome(note=f"the demo failed on {name}: {done.stderr[-300:]}")
            if url:
                os.environ["VEILLE_DATABASE__URL"] = url
            try:
                snaps[name] = snapshot(folder / "veille.yaml")
            finally:
                os.environ.pop("VEILLE_DATABASE__URL", None)
    found = differences(snaps["sqlite"], snaps["postgresql"])
    flags = len(snaps["sqlite"]["flags"])
    yesterday = snaps["sqlite"]["reports"]["yesterday"]["headline"]["volume"][0]
    note = f"{flags} flags, {len(snaps['sqlite']['profiles'])} profiles, volume {yesterday}"
    return Outcome(
        identical=not found, note=note + (f"; first difference {found[0]}" if found else "")
    )


@scenario("suspicion flags on shuffled rows")
def shuffled(ctx: Context) -> Outcome:
    sys.path.insert(0, str(ROOT / "tests"))
    import pandas as pd
    from authors_population import campaign, genuine

    from config.settings import AuthorsSettings
    from nlp.authors.compute import analyse

    frame = pd.concat([genuine(ctx.tweets), campaign(30)], ignore_index=True)
    brands = pd.DataFrame({"mention_id": frame["mention_id"], "brand": "Lumino"})
    seen = set()
    for k in range(4):
        shuffled = frame.sample(frac=1, random_state=k)
        flags = analyse(shuffled, brands.sample(frac=1, random_state=k), AuthorsSettings()).flags
        seen.add(tuple(sorted(map(tuple, flags.to_numpy().tolist()))))
    return Outcome(note=f"{len(seen)} distinct flag set(s) over 4 row orders (want 1)")


@scenario("hostile config, query and files")
def hostile(ctx: Context) -> Outcome:
    levels = [
        '      l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'
    ]
    levels += [f"      l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 10)}]" for i in range(1, 12)]
    bomb = ctx.tmp / "bomb.yaml"
    bomb.write_text(
        "sources:\n  - name: f\n    kind: forum\n    url: https://f.example.org/\n"
        "    options:\n" + "\n".join(levels) + "\n"
    )

    def capped() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))

    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(bomb), "status"], cwd=ctx.tmp,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=120, preexec_fn=capped,
    )  # fmt: skip
    query = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "match", "NOT " * 10_000 + "x"], input="x\n",
        cwd=ctx.tmp, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    return Outcome(note=f"alias bomb: exit {done.returncode} in {time.monotonic() - start:.1f} s "
                        f"(want 2); 10,000 NOTs: exit {query.returncode} (want 2)")  # fmt: skip


def data(args: argparse.Namespace) -> bool:
    """The data scenarios (SCENARIOS), or those whose name holds one of --scenario."""

    def show(value: Any) -> str:
        if value is None:
            return "–"
        if isinstance(value, bool):
            return "yes" if value else "NO"
        return f"{value:,}"

    print("== data: mentions lost and duplicated, SQLite = PostgreSQL")
    print(f"{'scenario':<48} {'lost':>5} {'dup':>5} {'same':>5}  note")
    good = True
    for name, fn in SCENARIOS.items():
        if args.scenario and not any(s in name for s in args.scenario):
            continue
        with tempfile.TemporaryDirectory(prefix="veille-reliability-") as tmp:
            start = time.monotonic()
            try:
                o = fn(Context(Path(tmp), args.tweets))
            except Exception as exc:  # one scenario's failure must not hide the others
                o = Outcome(note=f"crashed: {type(exc).__name__}: {exc}")
            took = time.monotonic() - start
        good &= not o.lost and not o.duplicated and o.identical is not False
        print(f"{name:<48} {show(o.lost):>5} {show(o.duplicated):>5} {show(o.identical):>5}  "
              f"{o.note} ({took:.0f} s)", flush=True)  # fmt: skip
    return good


SECTIONS = {"delivery": delivery, "data": data}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(SECTIONS), action="append")
    parser.add_argument("--scenario", action="append", help="Scenarios to run (by name).")
    parser.add_argument("--db-url", help="Database for the delivery scenarios (default: SQLite).")
    parser.add_argument("--tweets", type=int, default=20_000, help="Size of the data scenarios.")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the scenarios fail on purpose: their logs are noise
    ok = True
    for name in args.only or list(SECTIONS):
        ok &= SECTIONS[name](args)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
