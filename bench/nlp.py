"""Labelling throughput (language + sentiment + topic), model load time and validation
macro-F1 for both profiles, with VADER's throughput measured in the same run.

    nice python bench/nlp.py [--tweets 100000] [--accurate-tweets N] [--thorough-tweets N]
                             [--thorough-languages en] [--data DIR] [--jobs N]
                             [--duplicates SHARE]
    nice python bench/nlp.py --scaling 1,2,4,8 [--profile fast] [--batch 2000] [--tweets N]

Per profile: one process labelling batch after batch (mentions per second of wall time and per
CPU second of this process), then the whole machine: `veille analyze`'s labelling processes
(`nlp.label_pool`, --jobs, default one per core) on the same tweets, each labelling a slice
of every batch (mentions per second of wall time, and per CPU second of all the processes).
Both start with the models loaded and their caches empty. --duplicates: that share of each
batch's tweets are copies of others of the batch (retweets); default 0, every tweet distinct.
Profile `thorough` (0 tweets: skipped) also prints the share of texts each of its cascades
(sentiment, topic) sent on to the e5 encoder; --thorough-languages adds a run of it with
`nlp.thorough_languages` set (only those languages' uncertain texts sent on), on the same
tweets.

VADER (`pip install vadersentiment`) is for this comparison only, not a dependency.

--scaling: only the labelling processes, at each of these counts in turn, on the same tweets
with one profile: mentions per second, per CPU second, and the speed-up over the first count
(for a machine with more cores than the development one: the sizing in docs/workers.md).
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from pathlib import Path
from typing import Any

# This file is named nlp.py: keep its folder off the path so `import nlp` finds the package.
_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")  # the fast profile's target is one core
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


def tweets(data: Path, n: int, duplicates: float = 0.0, batch: int = 2000) -> list[str]:
    """n UMSAB tweets (train and validation splits, all languages); with `duplicates`, that
    share of each batch are copies of tweets earlier in the batch (seeded)."""
    import random

    from nlp.train.data import UMSAB_LANGUAGES, umsab

    pool: list[str] = []
    for folder in UMSAB_LANGUAGES:
        for split in ("train", "val"):
            pool += umsab(data, folder, split)[0]
    out = list(itertools.islice(itertools.cycle(pool), n))
    rng = random.Random(20240601)
    for i in range(len(out)):
        start = i - i % batch
        if i > start and rng.random() < duplicates:
            out[i] = out[rng.randrange(start, i)]
    return out


def _clear_caches() -> None:
    from nlp import features
    from nlp.labelers import language, sentiment, topic_model

    language.language_labeler.cache_clear()
    sentiment.load_model.cache_clear()
    sentiment._labeler.cache_clear()
    topic_model.load_model.cache_clear()
    features.shared_encoder.cache_clear()
    features._WORD_ROWS.clear()
    features._last_counts = None
    from nlp import e5_encoder

    e5_encoder.shared_e5.cache_clear()


def _settings(profile: str) -> Any:
    """Settings for a run: `thorough[en,de]` is profile thorough with those languages only."""
    from config.settings import Settings
    from nlp.cascade import split_profile

    name, only = split_profile(profile)
    return Settings.model_validate({"nlp": {"profile": name, "thorough_languages": only}})


def run_profile(profile: str, texts: list[str], batch: int = 2000) -> dict[str, float]:
    from nlp.labelers import Doc, load
    from storage.vocab import MENTION_TASKS

    _clear_caches()
    settings = _settings(profile)
    started = time.perf_counter()
    labelers = [load(task, settings) for task in MENTION_TASKS]
    labelers[1].label_batch(["warm up"])  # the encoder loads its weights on first use
    load_s = time.perf_counter() - started
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), batch):
        # As `veille analyze` does: the language found first goes with the text to the others.
        chunk = texts[i : i + batch]
        found = labelers[0].label_batch(chunk)
        docs = [Doc(text, lang=p.value) for text, p in zip(chunk, found, strict=True)]
        labelers[1].label_batch(docs)
        labelers[2].label_batch(docs)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    routed = [getattr(labeler, "routed", 0) / len(texts) for labeler in labelers[1:]]
    return {"load_s": load_s, "per_s": len(texts) / elapsed, "cpu_per_s": len(texts) / cpu,
            "n": len(texts), "routed_sentiment": routed[0], "routed_topic": routed[1]}  # fmt: skip


def run_machine(profile: str, texts: list[str], jobs: int, batch: int = 2000) -> dict[str, float]:
    """The labelling processes of `veille analyze` (nlp.label_pool) over the texts, batch
    after batch, one batch labelled while the one before is collected."""
    from collections import deque

    from nlp.label_pool import LabellingPool
    from nlp.labelling import load_labelers
    from storage.labelling import MentionToLabel

    _clear_caches()
    settings = _settings(profile)
    labelers = load_labelers(settings)[0]
    mentions = [
        MentionToLabel(id=i, text=t, title=None, author=None, source_kind="twitter_export",
                       source_name="bench", lang=None, brands=())
        for i, t in enumerate(texts, 1)
    ]  # fmt: skip
    with LabellingPool(settings, labelers, jobs) as pool:
        pool.start()  # forked with the models loaded, as in `veille analyze`
        before = os.times()
        started = time.perf_counter()
        pending: deque[object] = deque()
        labelled = 0
        for i in range(0, len(mentions), batch):
            pending.append(pool.submit(mentions[i : i + batch], {}))
            if len(pending) > 1:
                labelled += len(pending.popleft().get()[0])  # type: ignore[attr-defined]
        while pending:
            labelled += len(pending.popleft().get()[0])  # type: ignore[attr-defined]
        elapsed = time.perf_counter() - started
    after = os.times()  # the processes have ended: their CPU time is counted
    cpu = sum(after[k] - before[k] for k in range(4))
    assert labelled >= len(texts)
    return {"per_s": len(texts) / elapsed, "cpu_per_s": len(texts) / cpu, "n": len(texts)}


def scaling(profile: str, texts: list[str], counts: list[int], batch: int) -> None:
    """The labelling processes at each count in turn (`--scaling`)."""
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; profile {profile}, "
          f"{len(texts):,} tweets, batches of {batch:,}")  # fmt: skip
    print(f"{'processes':>9}{'mentions/s':>12}{'per CPU s':>11}{'speed-up':>10}")
    first = 0.0
    for jobs in counts:
        m = run_machine(profile, texts, jobs, batch)
        first = first or m["per_s"]
        print(f"{jobs:>9}{m['per_s']:>12,.0f}{m['cpu_per_s']:>11,.0f}{m['per_s'] / first:>10.2f}",
              flush=True)  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


def run_vader(texts: list[str]) -> float | None:
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyzer = SentimentIntensityAnalyzer()
    started = time.perf_counter()
    for text in texts:
        analyzer.polarity_scores(text)
    return len(texts) / (time.perf_counter() - started)


def main() -> None:
    from nlp.train.data import DEFAULT_DATA
    from nlp.train.sentiment import evaluate

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tweets", type=int, default=100_000, help="for the fast profile")
    parser.add_argument("--accurate-tweets", type=int, help="default: --tweets")
    parser.add_argument("--thorough-tweets", type=int, default=2000, help="0: skip thorough")
    parser.add_argument("--thorough-languages", help="also thorough with only these, e.g. en")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--jobs", type=int, default=0, help="default: one per core")
    parser.add_argument("--duplicates", type=float, default=0.0, help="share of copies")
    parser.add_argument("--scaling", help="labelling processes to try in turn, e.g. 1,2,4,8")
    parser.add_argument("--profile", default="fast", help="with --scaling")
    parser.add_argument("--batch", type=int, default=2000, help="with --scaling (nlp.batch_size)")
    args = parser.parse_args()
    from nlp.label_pool import cores

    jobs = args.jobs or cores()
    fast_texts = tweets(args.data, args.tweets, args.duplicates)
    if args.scaling:
        scaling(args.profile, fast_texts, [int(n) for n in args.scaling.split(",")], args.batch)
        return
    accurate_texts = fast_texts[: args.accurate_tweets or args.tweets]
    scores = evaluate(args.data)
    # Wall time depends on who else uses the cores; CPU time (all threads of this process)
    # says what the labelling itself costs.
    distinct = len(set(fast_texts)) / max(len(fast_texts), 1)
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"{distinct:.0%} of the tweets distinct")  # fmt: skip
    print(
        f"{'profile':<14}{'tweets':>9}{'mentions/s':>12}{'per CPU s':>11}{'load s':>8}"
        f"{'F1 fr':>7}{'F1 en':>7}{f'{jobs} procs/s':>14}{'per CPU s':>11}"
    )
    runs = [("accurate", accurate_texts), ("fast", fast_texts)]
    if args.thorough_tweets:
        # A seeded draw from every language's tweets (the first ones are all Arabic, which
        # the sentiment cascade never sends on).
        import random

        everyone = tweets(args.data, 8 * 2 * 2_500)
        mixed = random.Random(20240601).sample(sorted(set(everyone)), args.thorough_tweets)
        runs.append(("thorough", mixed))
        if args.thorough_languages:
            runs.append((f"thorough[{args.thorough_languages}]", mixed))
    for profile, texts in runs:
        r = run_profile(profile, texts)
        m = run_machine(profile, texts, jobs)
        f1 = scores.get(profile, {"fr": float("nan"), "en": float("nan")})
        print(f"{profile:<14}{r['n']:>9,}{r['per_s']:>12,.0f}{r['cpu_per_s']:>11,.0f}"
              f"{r['load_s']:>8.2f}{f1['fr']:>7.3f}{f1['en']:>7.3f}"
              f"{m['per_s']:>14,.0f}{m['cpu_per_s']:>11,.0f}")  # fmt: skip
        if profile.startswith("thorough"):
            print(f"{'':<14}sent to e5: sentiment {r['routed_sentiment']:.1%}, "
                  f"topic {r['routed_topic']:.1%} of the tweets")  # fmt: skip
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    vader = run_vader(fast_texts)
    if vader is None:
        print("vader: not installed (pip install vadersentiment)")
    else:
        print(
            f"{'vader':<10}{len(fast_texts):>9,}{vader:>12,.0f}   (sentiment only, English lexicon)"
        )


if __name__ == "__main__":
    main()
