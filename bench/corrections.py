"""How fast people's corrections adapt the topic or sentiment model to a brand it has never
seen.

    nice python bench/corrections.py [--task topic|sentiment] [--sources S ...]
        [--labels 0 50 100 200] [--weights 1 3 10] [--seeds 17] [--pick random|unsure]
        [--pool 200] [--data DIR] [--cache DIR] [--json FILE]

For each source of the corpus's **train part** (the test split is never read): the model is
trained without that source's corpus items (everything else `veille train` trains on: the
corpus's other train items, the rule sentences, and the suggestion sentences for topic or
the general tweets and reviews for sentiment), plus k of the source's labelled texts as
people's labels (`origin="human"`, weighing w corpus items each: `nlp.train.topic`'s
HUMAN_WEIGHT, `nlp.train.sentiment`'s HUMAN_WEIGHT_SENTIMENT); it is measured on the source's
other texts (the same ones for every k and w of a seed: the first 200 — `--pool` — of a seeded
shuffle are the people's labels to draw from, the rest are measured; a small source such as a
forum's 240 train posts takes `--pool 100`). So "k = 0" is a new brand before
any correction, and the rows after it what a team's k corrections buy. Profile `accurate`
(no e5 stack: `thorough` is trained only for a workspace that uses it). One model a setting,
≈ 75 s on the 2-core machine (either task).
"""

from __future__ import annotations

import argparse
import json
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

POOL = 200
SOURCES = ("en_airline_tweets", "en_spotifycares_tweets", "fr_engie_tweets")


def split(frame: Any, source: str, seed: int, pool: int = POOL) -> tuple[Any, Any]:
    """The source's people's labels to draw from (the first `pool` of a seeded shuffle) and
    the texts measured (the rest)."""
    mine = frame[frame["source"] == source].sort_values("id")
    order = list(range(len(mine)))
    random.Random(seed).shuffle(order)
    return mine.iloc[order[:pool]], mine.iloc[order[pool:]]


def least_sure_first(task: str, model: Path, pool: Any) -> Any:
    """The pool in the review list's order: the least sure label of `model` first (the
    corpus has no reach to sort by first)."""
    from nlp.corpus.sources import SOURCES
    from nlp.evaluation import labeler_for
    from nlp.labelers.base import Doc

    docs = [
        Doc(str(r.text), lang=str(r.lang), source_kind=SOURCES[str(r.source)].source_kind)
        for r in pool.itertuples()
    ]
    scores = [p.score for p in labeler_for(task, model, "accurate").label_batch(docs)]
    return pool.iloc[sorted(range(len(scores)), key=lambda i: (scores[i], i))]


def run(
    task: str, frame: Any, source: str, people: Any, measured: Any, weight: float, seed: int,
    cache: Path | None, path: Path, inputs: Any,
) -> dict[str, Any]:  # fmt: skip
    """Train without `source` plus `people` (its texts as people's labels); measure on
    `measured`, the source's other texts."""
    from nlp.corpus.sources import SOURCES
    from nlp.evaluation import on_texts

    started = time.time()
    train = _train_topic if task == "topic" else _train_sentiment
    elsewhere = train(frame, source, people, weight, cache, path, inputs)
    result = on_texts(task, {"model": path}, [str(t) for t in measured["text"]],
                      [str(x) for x in measured["lang"]], [str(x) for x in measured[task]],
                      source_kinds=[SOURCES[str(x)].source_kind for x in measured["source"]])  # fmt: skip
    return {
        "task": task, "source": source, "labels": len(people), "weight": weight, "seed": seed,
        "measured": len(measured), "macro_f1": result["model"]["macro_f1"],
        "accuracy": result["model"]["accuracy"], **elsewhere,
        "train_seconds": round(time.time() - started, 1),
    }  # fmt: skip


def shared_inputs(task: str, data: Path) -> Any:
    """What every model of the task trains on besides the corpus items, read once: the
    suggestion sentences (topic), or the whole training data (sentiment)."""
    from nlp.train import sentiment, topic

    return topic.suggestion_sentences(data) if task == "topic" else sentiment.training_data(data)


def _train_topic(
    frame: Any, source: str, people: Any, weight: float, cache: Path | None, path: Path,
    suggestions: tuple[list[str], list[int]],
) -> dict[str, Any]:  # fmt: skip
    from nlp.corpus.sources import SOURCES
    from nlp.model_io import save_npz
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    rows = topic.Rows()
    for r in frame[frame["source"] != source].itertuples():
        rows.add(str(r.text), str(r.topic), str(r.lang), bool(r.brand_authored),
                 source_kind=SOURCES[str(r.source)].source_kind)  # fmt: skip
    rows.extend(topic.rules_rows("topic"))
    for r in people.itertuples():  # a person's label keeps where its mention was written
        rows.add(str(r.text), str(r.topic), str(r.lang), False, "human",
                 SOURCES[str(r.source)].source_kind)  # fmt: skip
    saved, topic.HUMAN_WEIGHT = topic.HUMAN_WEIGHT, weight
    try:
        arrays, oof = topic.fit(rows, suggestions,
                                lambda t: sentence_vectors(t, cache), topic.SEED)  # fmt: skip
    finally:
        topic.HUMAN_WEIGHT = saved
    save_npz(path, arrays)
    cv = topic.cv_figures(oof)["accurate"]
    # The cost elsewhere: the other sources' out-of-fold figures (corpus rows only).
    return {"cv_fr": cv.get("macro_f1_fr"), "cv_en": cv.get("macro_f1_en")}


def _train_sentiment(
    frame: Any, source: str, people: Any, weight: float, cache: Path | None, path: Path,
    everything: Any,
) -> dict[str, Any]:  # fmt: skip
    from nlp.model_io import save_npz
    from nlp.train import sentiment
    from nlp.train.vectors import sentence_vectors

    left_out = {str(t) for t in frame.loc[frame["source"] == source, "text"]}
    rows = sentiment.Training()
    for i, text in enumerate(everything.texts):
        if not (everything.origins[i] == "corpus" and text in left_out):
            rows.add([text], [everything.labels[i]], [everything.langs[i]],
                     everything.origins[i])  # fmt: skip
    rows.add([str(t) for t in people["text"]], [str(x) for x in people["sentiment"]],
             [str(x) for x in people["lang"]], "human")  # fmt: skip
    saved, sentiment.HUMAN_WEIGHT_SENTIMENT = sentiment.HUMAN_WEIGHT_SENTIMENT, weight
    try:
        arrays, figures = sentiment.fit(rows, sentence_vectors(rows.texts, cache))
    finally:
        sentiment.HUMAN_WEIGHT_SENTIMENT = saved
    save_npz(path, sentiment.with_meta(arrays, figures, len(rows.texts), thorough=False))
    # The cost elsewhere: the specialists' out-of-fold figures on the other sources' corpus rows.
    return {f"cv_{code}": figures[code]["accurate"].get("cv_corpus") for code in ("fr", "en")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--task", choices=("topic", "sentiment"), default="topic")
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
    parser.add_argument("--pool", type=int, default=POOL,
                        help="how many of a source's texts people's labels are drawn from")  # fmt: skip
    parser.add_argument("--json", type=Path, help="append each result to this JSON-lines file")
    args = parser.parse_args()
    if any(k > args.pool for k in args.labels):
        parser.error(f"--labels: at most {args.pool} people's labels a source (--pool)")

    from nlp.corpus.build import load_corpus

    frame = load_corpus(args.data)
    frame = frame[frame["split"] == "train"]
    unknown = sorted(set(args.sources) - set(frame["source"]))
    if unknown:
        parser.error(f"--sources: not in the corpus's train part: {', '.join(unknown)}")
    inputs = shared_inputs(args.task, args.data)
    print("source, people's labels, weight, seed, pick: macro-F1, accuracy on the source's other "
          "texts (corpus train part)")  # fmt: skip
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for seed in args.seeds:
            for source in args.sources:
                pool, measured = split(frame, source, seed, args.pool)
                before = folder / f"{source}-0-{seed}.npz"
                # With no people's label the weight changes nothing: one model, trained first
                # (with --pick unsure it orders the pool).
                labels = sorted(set(args.labels) | ({0} if args.pick == "unsure" else set()))
                settings = [(k, w) for k in labels
                            for w in (args.weights if k else args.weights[:1])]  # fmt: skip
                ordered = pool
                for k, weight in settings:
                    if k and args.pick == "unsure" and ordered is pool:
                        ordered = least_sure_first(args.task, before, pool)
                    people = ordered.iloc[:k]
                    path = before if k == 0 else folder / f"{source}-{k}-{weight:g}-{seed}.npz"
                    r = run(args.task, frame, source, people, measured, weight, seed,
                            args.cache, path, inputs)  # fmt: skip
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
