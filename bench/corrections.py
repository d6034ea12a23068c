"""How fast people's corrections adapt the topic model to a brand it has never seen.

    nice python bench/corrections.py [--sources S ...] [--labels 0 50 100 200]
        [--weights 1 3 10] [--seeds 17] [--data DIR] [--cache DIR] [--json FILE]

For each source of the corpus's **train part** (the test split is never read): the model is
trained without that source (the corpus's other train items, the rule sentences, the
suggestion sentences: what `veille train` trains on), plus k of the source's labelled texts
as people's labels (`origin="human"`, weighing w corpus items each: `nlp.train.topic`'s
HUMAN_WEIGHT); it is measured on the source's other texts (the same ones for every k and w
of a seed: the first 200 of a seeded shuffle are the people's labels to draw from, the rest
are measured). So "k = 0" is a new brand before any correction, and the rows after it what a
team's k corrections buy. Profile `accurate` (no e5 stack: `thorough` is trained only for a
workspace that uses it). One model a setting, ≈ 75 s on the 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from nlp.train.data import DEFAULT_DATA  # noqa: E402

os.environ.setdefault("OMP_NUM_THREADS", "2")
POOL = 200
SOURCES = ("en_airline_tweets", "en_spotifycares_tweets", "fr_engie_tweets")


def split(frame: Any, source: str, seed: int) -> tuple[Any, Any]:
    """The source's people's labels to draw from (the first POOL of a seeded shuffle) and the
    texts measured (the rest)."""
    mine = frame[frame["source"] == source].sort_values("id")
    order = list(range(len(mine)))
    random.Random(seed).shuffle(order)
    return mine.iloc[order[:POOL]], mine.iloc[order[POOL:]]


def least_sure_first(model: Path, pool: Any) -> Any:
    """The pool in the review list's order: the least sure label of `model` first (the
    corpus has no reach to sort by first)."""
    from nlp.evaluation import labeler_for
    from nlp.labelers.base import Doc

    docs = [Doc(str(t), lang=str(x)) for t, x in zip(pool["text"], pool["lang"], strict=True)]
    scores = [p.score for p in labeler_for("topic", model, "accurate").label_batch(docs)]
    return pool.iloc[sorted(range(len(scores)), key=lambda i: (scores[i], i))]


def run(
    frame: Any, source: str, people: Any, measured: Any, weight: float, seed: int,
    cache: Path | None, suggestions: tuple[list[str], list[int]], path: Path,
) -> dict[str, Any]:  # fmt: skip
    """Train without `source` plus `people` (its texts as people's labels); measure on
    `measured`, the source's other texts."""
    from nlp.evaluation import on_texts
    from nlp.model_io import save_npz
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    rows = topic.Rows()
    for r in frame[frame["source"] != source].itertuples():
        rows.add(str(r.text), str(r.topic), str(r.lang), bool(r.brand_authored))
    rows.extend(topic.rules_rows("topic"))
    for r in people.itertuples():
        rows.add(str(r.text), str(r.topic), str(r.lang), False, "human")
    saved, topic.HUMAN_WEIGHT = topic.HUMAN_WEIGHT, weight
    started = time.time()
    try:
        arrays, oof = topic.fit(rows, suggestions, lambda t: sentence_vectors(t, cache),
                                topic.SEED)  # fmt: skip
    finally:
        topic.HUMAN_WEIGHT = saved
    cv = topic.cv_figures(oof)["accurate"]
    save_npz(path, arrays)
    result = on_texts("topic", {"model": path}, [str(t) for t in measured["text"]],
                      [str(x) for x in measured["lang"]], [str(x) for x in measured["topic"]])  # fmt: skip
    return {
        "source": source, "labels": len(people), "weight": weight, "seed": seed,
        "measured": len(measured), "macro_f1": result["model"]["macro_f1"],
        "accuracy": result["model"]["accuracy"],
        # The cost elsewhere: the other sources' out-of-fold figures (corpus rows only).
        "cv_fr": cv.get("macro_f1_fr"), "cv_en": cv.get("macro_f1_en"),
        "train_seconds": round(time.time() - started, 1),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--sources", nargs="+", default=list(SOURCES))
    parser.add_argument("--labels", nargs="+", type=int, default=[0, 50, 100, 200])
    parser.add_argument("--weights", nargs="+", type=float, default=[1.0, 3.0, 10.0])
    parser.add_argument("--seeds", nargs="+", type=int, default=[17])
    parser.add_argument(
        "--pick",
        choices=("random", "unsure"),
        default="random",
        help="which of the source's texts people label: at random, or the least sure first "
        "(the review list's order; the model without the source decides)",
    )
    parser.add_argument("--json", type=Path, help="append each result to this JSON-lines file")
    args = parser.parse_args()
    if any(k > POOL for k in args.labels):
        parser.error(f"--labels: at most {POOL} people's labels a source")

    from nlp.corpus.build import load_corpus
    from nlp.train import topic

    frame = load_corpus(args.data)
    frame = frame[frame["split"] == "train"]
    unknown = sorted(set(args.sources) - set(frame["source"]))
    if unknown:
        parser.error(f"--sources: not in the corpus's train part: {', '.join(unknown)}")
    suggestions = topic.suggestion_sentences(args.data)
    print("source, people's labels, weight, seed, pick: macro-F1, accuracy on the source's other "
          "texts (corpus train part)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in args.seeds:
            for source in args.sources:
                pool, measured = split(frame, source, seed)
                before = folder / f"{source}-0-{seed}.npz"
                settings = [(k, w) for k in args.labels
                            for w in (args.weights if k else args.weights[:1])]  # fmt: skip
                if args.pick == "unsure" and (0, args.weights[0]) not in settings:
                    settings.insert(0, (0, args.weights[0]))  # the model that orders the pool
                for k, weight in settings:
                    people = pool.iloc[:k]
                    if k and args.pick == "unsure":
                        people = least_sure_first(before, pool).iloc[:k]
                    path = before if k == 0 else folder / f"{source}-{k}-{weight:g}-{seed}.npz"
                    r = run(frame, source, people, measured, weight, seed, args.cache,
                            suggestions, path)  # fmt: skip
                    r["pick"] = args.pick if k else "-"
                    print(f"{source}, {k}, {weight:g}, {seed}, {r['pick']}: macro-F1 "
                          f"{r['macro_f1']:.3f}, accuracy {r['accuracy']:.3f} (n "
                          f"{r['measured']}); other sources CV fr {r['cv_fr']:.3f} en "
                          f"{r['cv_en']:.3f} ({r['train_seconds']:.0f} s)", flush=True)  # fmt: skip
                    if args.json:
                        with args.json.open("a", encoding="utf-8") as fh:
                            fh.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
