"""The nightly run end to end: a generated workspace of N mentions over 90 days, imported,
labelled, profiled, checked for a bad buzz, alerted and reported; then a second night adding
5 % new mentions. On SQLite and PostgreSQL.

    nice .venv/bin/python bench/nightly.py [--mentions 1000000] [--profile accurate|fast]
        [--backends sqlite,postgresql] [--work var/bench/nightly] [--second-share 0.05]
        [--skip analyze] [--nights first,second] [--keep]

The workspace: 12 brands (the demo's three and nine more), three X/Twitter export inboxes
(twarc2 lines: brand searches, replies to the brands' accounts, the brands' own posts), about
N/10 authors (a few regulars, many one-offs), replies threaded in conversations; texts from
the demo's templates dressed as different people write them (`veille_demo.generate`), most
with a remark of their author's own (`OWN_SHARE`: ordinary talk is mostly not copies); a
planted praise campaign (fresh accounts posting one text within the hour) and a bad buzz about
Lumino (angry posts in the last hour before the night's clock, 0.2 % of N). The export files
are generated once per (N, seed) and kept under --work.

Each stage runs as its own `veille run --stages NAME` process (the nightly job's stages, in
its order), so its wall time, CPU time (the process and its children: the import's child, not
the PostgreSQL server) and peak RSS are its own. Prints per stage: wall and CPU seconds, items
and items per second (wall and per CPU second), peak RSS; then the whole night.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import random
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
ROOT = _HERE.parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

from veille_demo.generate import (  # noqa: E402
    BRANDS,
    ENGLISH_SHARE,
    TOPIC_WEIGHTS,
    campaign,
    written,
)
from veille_demo.history import bad_buzz  # noqa: E402

PG = os.environ.get("VEILLE_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
STAGES = ("import", "answers", "analyze", "authors", "handoff", "detect", "alerts", "report")
NIGHT = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)  # the first night's clock (the demo's)
DAYS = 90
MORE_BRANDS = ["Kalyo", "Orvane", "Zélia", "Nubio", "Tessaro", "Virelo", "Ombrane", "Pyxo",
               "Soléo"]  # fmt: skip
# Ordinary talk is mostly not a copy: most posts carry a remark of their author's own (one
# draw per slot, ~90,000 combinations), so two posts of one template share about a third of
# their word 3-grams, far below the near-duplicate threshold; the rest (RT-style contest
# texts, short posts) stay as templated as real copies are. Without it, a million posts
# drawn from the demo's ~2,000 template texts put every post in a "campaign" of three
# accounts within 48 hours (the 2026-12-03 run at 1M flagged 368,801 posts).
OWN_SHARE = 0.9
OWN_FR = (
    ["mon frère", "ma voisine", "mon collègue", "ma sœur", "mon fils", "ma mère", "un ami",
     "ma copine", "mon oncle", "ma cousine", "mon père", "ma fille", "mon coloc", "ma tante",
     "mon beau-frère"],
    ["en a pris un aussi", "m'en avait parlé", "hésitait encore", "l'a vu en magasin",
     "n'y croyait pas", "attend le sien", "en parlait hier", "compare avec le sien",
     "l'a essayé avant moi", "s'en moque un peu", "rigolait en le voyant", "l'a offert",
     "le voulait aussi", "a posé la question", "le garde au bureau"],
    ["le mardi soir", "à la pause de midi", "après le boulot", "pendant les vacances",
     "en rentrant de Lyon", "un dimanche pluvieux", "avant la rentrée", "au retour du marché",
     "entre deux réunions", "la veille du départ", "dans le train", "au petit matin",
     "devant le match", "chez mes parents", "en pleine semaine", "à Bordeaux", "à Lille",
     "près de Nantes", "du côté de Rennes", "en Savoie"],
    ["bref", "voilà", "on verra", "à suivre", "c'est la vie", "affaire à suivre", "enfin bon",
     "on en reparle", "je dis ça", "ça change", "tant pis", "pourquoi pas", "ça arrive",
     "sans plus", "au moins"],
)  # fmt: skip
OWN_EN = (
    ["my brother", "my neighbour", "a colleague", "my sister", "my son", "my mum", "a friend",
     "my partner", "my uncle", "my cousin", "my dad", "my daughter", "my flatmate"],
    ["got one too", "had told me about it", "was still unsure", "saw it in store",
     "did not believe it", "is waiting for theirs", "mentioned it yesterday",
     "compares it with theirs", "tried it before me", "laughed when they saw it"],
    ["on a Tuesday night", "at lunch break", "after work", "during the holidays",
     "on the way back from Leeds", "on a rainy Sunday", "on the train", "early in the morning",
     "at my parents' place", "in the middle of the week", "in Bristol", "near York"],
    ["anyway", "we will see", "such is life", "fair enough", "no matter", "oh well",
     "at least", "just so you know"],
)  # fmt: skip
SOURCES = (  # name, share of mentions
    ("x-search", 0.70), ("x-replies", 0.22), ("x-own", 0.08),
)  # fmt: skip


def brand_names() -> list[str]:
    return [*BRANDS, *MORE_BRANDS]


def _plain(brand: str) -> str:
    return brand.lower().replace("é", "e")


def config_text(url: str, profile: str) -> str:
    brands = []
    for i, name in enumerate(brand_names()):
        plain = name.lower().replace("é", "e")
        terms = sorted({name.lower(), plain, f"@{plain}", f"#{plain}"})
        brands.append({
            "name": name, "query": terms, "own_accounts": [f"@{plain}", f"@{plain}_aide"],
            "reports": i < 2, "competitors": [b for b in BRANDS if b != name][:2] if i < 2 else [],
        })  # fmt: skip
    config = {
        "database": {"url": url},
        "brands": brands,
        "sources": [
            {"name": name, "kind": "twitter_export", "path": f"inbox/{name}"} for name, _ in SOURCES
        ],
        "nlp": {"profile": profile},
        "alerts": {
            "recipients": {b: [f"community@{_plain(b)}.example"] for b in brand_names()},
            "operators": ["ops@lumino.example"],
            "outbox_dir": "var/outbox",
            "targets": {"helpdesk": {"channel": "email", "to": ["tickets@lumino.example"]}},
        },
        # The care team's tickets: the complaints of large accounts (the `handoff` stage).
        "handoff": {
            "rules": [
                {
                    "topics": ["service_client"],
                    "sentiments": ["negative"],
                    "min_followers": 10_000,
                    "targets": ["helpdesk"],
                }
            ]
        },
        "reports": {
            "languages": ["fr"],
            "periods": ["yesterday"],
            "formats": ["html", "pdf"],
            "output_dir": "var/reports",
        },
    }
    return json.dumps(config, ensure_ascii=False, indent=1)  # YAML reads JSON


@dataclass
class Generator:
    """Mentions of the workspace, deterministic per seed."""

    mentions: int
    seed: int = 7

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.n_authors = max(50, self.mentions // 10)
        self.weights = [1.0 / (i + 1) ** 0.9 for i in range(self.n_authors)]
        self.cum: list[float] = []
        total = 0.0
        for w in self.weights:
            total += w
            self.cum.append(total)
        names = brand_names()
        self.brands = names
        # The demo's shares for its brands, the others sharing the rest.
        self.brand_weights = [0.3, 0.12, 0.08] + [0.5 / len(MORE_BRANDS)] * len(MORE_BRANDS)
        self.topics = list(TOPIC_WEIGHTS)
        self.topic_weights = [TOPIC_WEIGHTS[t] for t in self.topics]
        self.ids = 0
        self.recent: dict[str, list[tuple[str, str]]] = {name: [] for name, _ in SOURCES}

    def author(self) -> int:
        return self.rng.choices(range(self.n_authors), cum_weights=self.cum)[0]

    def text(self, brand: str) -> tuple[str, str]:
        rng = self.rng
        topic = rng.choices(self.topics, weights=self.topic_weights)[0]
        english = rng.random() < ENGLISH_SHARE
        _key, text = written(rng, brand, topic, english)
        if "RT" not in text and rng.random() < OWN_SHARE:
            who, what, when, end = (rng.choice(pool) for pool in (OWN_EN if english else OWN_FR))
            text = f"{text} {who.capitalize()} {what} {when}, {end}."
        return text, "en" if english else "fr"

    def tweet(
        self, when: datetime, source: str, text: str, lang: str, handle: str, followers: int,
        reply_to: tuple[str, str] | None = None, likes: int = 0, shares: int = 0,
    ) -> dict[str, Any]:  # fmt: skip
        self.ids += 1
        tid = str(1_870_000_000_000_000_000 + self.ids)
        out: dict[str, Any] = {
            "_source": source, "id": tid, "text": text, "lang": lang, "conversation_id": tid,
            "created_at": when.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "author_id": handle, "edit_history_tweet_ids": [tid],
            "author": {"id": handle, "username": handle, "name": handle.title(),
                       "public_metrics": {"followers_count": followers}},
            "public_metrics": {"like_count": likes, "retweet_count": shares,
                               "reply_count": self.rng.randint(0, 4), "quote_count": 0,
                               "impression_count": self.rng.randint(20, 4000)},
        }  # fmt: skip
        if reply_to is not None:
            out["conversation_id"] = reply_to[1]
            out["referenced_tweets"] = [{"type": "replied_to", "id": reply_to[0]}]
        return out

    def history(self, n: int, start: datetime, end: datetime) -> Iterator[dict[str, Any]]:
        """n ordinary mentions published in [start, end), one at a time (a million of them
        held at once would weigh gigabytes)."""
        rng = self.rng
        span = (end - start).total_seconds()
        source_names = [s for s, _ in SOURCES]
        source_weights = [w for _, w in SOURCES]
        for _ in range(n):
            when = start + timedelta(seconds=rng.random() * span)
            brand = rng.choices(self.brands, weights=self.brand_weights)[0]
            source = rng.choices(source_names, weights=source_weights)[0]
            text, lang = self.text(brand)
            plain = brand.lower().replace("é", "e")
            recent = self.recent[source]
            reply_to = None
            if source == "x-own":
                handle, followers = plain, 25_000
            else:
                a = self.author()
                handle = f"user{a}"
                followers = int(self.rng.lognormvariate(5, 1.6)) + a % 7
                if source == "x-replies":
                    text = f"@{plain} {text}"
                    if recent and rng.random() < 0.6:
                        reply_to = recent[rng.randrange(len(recent))]
            tweet = self.tweet(when, source, text, lang, handle, followers, reply_to,
                               likes=rng.randint(0, 40), shares=rng.randint(0, 10))  # fmt: skip
            if reply_to is None and len(recent) < 500:
                recent.append((tweet["id"], tweet["conversation_id"]))
            elif reply_to is None:
                recent[rng.randrange(500)] = (tweet["id"], tweet["conversation_id"])
            yield tweet

    def planted(self, night: datetime, buzz: int) -> list[dict[str, Any]]:
        """The praise campaign (12 h before the night's clock) and the bad buzz (its last
        hour)."""
        out = []
        shift = night - NIGHT
        for row in campaign(seed=self.seed + 6, accounts=max(25, self.mentions // 40_000)):
            when = datetime.fromisoformat(str(row["published_at"])) + shift
            a = row["author"]
            assert isinstance(a, dict)
            out.append(self.tweet(when, "x-search", str(row["text"]), "fr", str(a["handle"]),
                                  int(a["followers"])))  # fmt: skip
        rows = bad_buzz(seed=self.seed + 4, count=buzz)
        for i, row in enumerate(rows):
            when = datetime.fromisoformat(str(row["published_at"])) + shift
            a = row["author"]
            assert isinstance(a, dict)
            # Spread the buzz over the hour (bad_buzz spaces its posts 23 s apart).
            when = night - timedelta(minutes=59) + timedelta(seconds=i * 3540 / max(1, buzz))
            out.append(self.tweet(when, "x-search", str(row["text"]), "fr", str(a["handle"]),
                                  int(str(a["followers"])), likes=int(str(row["likes"])),
                                  shares=int(str(row["shares"]))))  # fmt: skip
        return out


def write_lines(path: Path, tweets: Iterable[dict[str, Any]]) -> None:
    """twarc2 `flatten` lines, one file per source (its inbox), written as they come."""
    path.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        files = {name: stack.enter_context((path / f"{name}.jsonl").open("wb"))
                 for name, _ in SOURCES}  # fmt: skip
        for t in tweets:
            files[t.pop("_source")].write(orjson.dumps(t) + b"\n")


def generate(folder: Path, mentions: int, second_share: float, seed: int) -> None:
    """night1/<source>.jsonl (N mentions over 90 days) and night2/ (the next day's).

    In a child process: a parent that grew while generating would count in every stage's
    peak RSS (the kernel records the forked parent's high-water mark at exec)."""
    if (folder / "complete").exists():
        return
    cmd = [sys.executable, __file__, "--generate-only", "--mentions", str(mentions),
           "--second-share", str(second_share), "--seed", str(seed), "--work", str(folder)]  # fmt: skip
    subprocess.run(cmd, check=True)


def _generate(folder: Path, mentions: int, second_share: float, seed: int) -> None:
    done = folder / "complete"
    started = time.perf_counter()
    gen = Generator(mentions, seed)
    buzz = max(150, mentions // 500)
    planted = gen.planted(NIGHT, buzz)
    history = gen.history(mentions - len(planted), NIGHT - timedelta(days=DAYS), NIGHT)
    write_lines(folder / "night1", itertools.chain(history, planted))
    more = int(mentions * second_share)
    second = NIGHT + timedelta(days=1)
    write_lines(folder / "night2", gen.history(more, NIGHT, second))
    done.write_text("ok\n")
    print(f"generated {mentions:,} + {more:,} mentions in {time.perf_counter() - started:.0f} s "
          f"({folder})")  # fmt: skip


def run_stage(workspace: Path, stage: str, now: datetime) -> dict[str, Any]:
    """One stage as its own process: wall, CPU (with its children), peak RSS, items."""
    cmd = [sys.executable, "-m", "pipeline.cli", "--config", str(workspace / "veille.yaml"),
           "--now", now.isoformat(), "run", "--stages", stage, "--json"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out_path, err_path = workspace / f"{stage}.out", workspace / f"{stage}.err"
    started = time.perf_counter()
    with out_path.open("wb") as out, err_path.open("wb") as err:
        proc = subprocess.Popen(cmd, cwd=workspace, stdout=out, stderr=err, env=env)
        # wait4: this process's own usage, its waited-for children's (the import's) included.
        _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    summary: dict[str, Any] = {}
    with contextlib.suppress(ValueError, IndexError):
        summary = json.loads(out_path.read_text().strip().splitlines()[-1])
    items = sum(int(s.get("items") or 0) for s in summary.get("stages", []))
    if proc.returncode != 0:
        print(err_path.read_text()[-3000:], file=sys.stderr)
    return {
        "stage": stage, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
        "rss_mb": usage.ru_maxrss / 1024, "items": items,
        "status": summary.get("status", f"exit {proc.returncode}"),
        "counts": [s.get("counts") for s in summary.get("stages", [])],
    }  # fmt: skip


def night(
    workspace: Path, data: Path, now: datetime, label: str, skip: tuple[str, ...] = ()
) -> list[dict[str, Any]]:
    for name, _ in SOURCES:
        inbox = workspace / "inbox" / name
        inbox.mkdir(parents=True, exist_ok=True)
        src = data / f"{name}.jsonl"
        target = inbox / f"{label}-{name}.jsonl"
        if src.exists() and not target.exists():
            os.link(src, target) if _same_device(src, inbox) else shutil.copy(src, target)
    rows = []
    for stage in (s for s in STAGES if s not in skip):
        r = run_stage(workspace, stage, now)
        rows.append(r)
        print(_row(label, r), flush=True)
    return rows


def _same_device(a: Path, b: Path) -> bool:
    return a.stat().st_dev == b.stat().st_dev


def _row(label: str, r: dict[str, Any]) -> str:
    per_s = r["items"] / r["wall"] if r["wall"] else 0.0
    per_cpu = r["items"] / r["cpu"] if r["cpu"] else 0.0
    return (f"  {label:<7}{r['stage']:<9}{r['wall']:>9.1f}{r['cpu']:>9.1f}{r['items']:>11,}"
            f"{per_s:>11,.0f}{per_cpu:>11,.0f}{r['rss_mb']:>9,.0f}  {r['status']}")  # fmt: skip


HEADER = (f"  {'night':<7}{'stage':<9}{'wall s':>9}{'CPU s':>9}{'items':>11}{'per s':>11}"
          f"{'per CPU s':>11}{'RSS MB':>9}")  # fmt: skip


def prepare(workspace: Path, backend: str, profile: str) -> str:
    if workspace.exists():
        shutil.rmtree(workspace)
    workspace.mkdir(parents=True)
    if backend == "sqlite":
        url = "sqlite:///var/veille.db"
    else:
        from sqlalchemy import create_engine, text

        name = f"veille_nightly_{profile}"
        admin = create_engine(f"{PG}/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name}"))
            conn.execute(text(f"CREATE DATABASE {name}"))
        admin.dispose()
        url = f"{PG}/{name}"
    (workspace / "veille.yaml").write_text(config_text(url, profile), encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pipeline.cli", "--config", "veille.yaml", "db",
                    "upgrade"], cwd=workspace, check=True, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})  # fmt: skip
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--profile", choices=("accurate", "fast"), default="accurate")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench" / "nightly")
    parser.add_argument("--second-share", type=float, default=0.05)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--skip", default="", help="stages not to run (e.g. analyze)")
    parser.add_argument("--nights", default="first,second",
                        help="nights to run (with --keep: 'first' alone imports the first "
                             "night; a later run goes on from there)")  # fmt: skip
    parser.add_argument("--keep", action="store_true",
                        help="keep the workspace and its database (files already imported are "
                             "skipped): the stages after one run already")  # fmt: skip
    parser.add_argument("--generate-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.generate_only:  # the child of `generate`: --work is the data folder
        _generate(args.work, args.mentions, args.second_share, args.seed)
        return
    args.work = args.work.resolve()  # the stages run inside the workspace
    data = args.work / f"data-{args.mentions}-{args.seed}"
    generate(data, args.mentions, args.second_share, args.seed)
    figures: dict[str, Any] = {}
    for backend in args.backends.split(","):
        workspace = args.work / f"{backend}-{args.profile}"
        if not (args.keep and (workspace / "veille.yaml").exists()):
            prepare(workspace, backend, args.profile)
        print(f"{backend}, profile {args.profile}, {args.mentions:,} mentions "
              f"(CPU: the stage's processes, not the database server's)")  # fmt: skip
        print(HEADER)
        nights = {}
        for label, folder, now in (("first", data / "night1", NIGHT),
                                   ("second", data / "night2", NIGHT + timedelta(days=1))):  # fmt: skip
            if label not in args.nights.split(","):
                continue
            rows = night(workspace, folder, now, label, tuple(args.skip.split(",")))
            wall = sum(r["wall"] for r in rows)
            cpu = sum(r["cpu"] for r in rows)
            rss = max(r["rss_mb"] for r in rows)
            print(f"  {label:<7}{'night':<9}{wall:>9.1f}{cpu:>9.1f}{'':>11}{'':>11}{'':>11}"
                  f"{rss:>9,.0f}  ({wall / 60:.1f} min wall, {cpu / 60:.1f} min CPU)")  # fmt: skip
            nights[label] = {"stages": rows, "wall": wall, "cpu": cpu, "peak_rss_mb": rss}
        figures[backend] = nights
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str) + "\n")


if __name__ == "__main__":
    main()
