"""What the rows of some sources cost or bring the topic model elsewhere: its cross-validated
figures on the other corpus rows, trained without and with those sources' rows.

    nice python bench/source_rows.py [--sources fr_forumconstruire en_dwolla_discuss]
        [--data DIR] [--cache DIR] [--json FILE]

On the corpus's **train part** only (the test split and round 3's test part are never read):
the topic model is fitted as `nlp.train.topic` fits it (5 folds, its seed, biases fitted
within the folds, the e5 stack when --cache holds or can take its vectors), once without the
sources' rows and once with them; printed per profile and language: macro-F1 on the rows of
the *other* sources (the same rows in both fits; the folds differ, so differences under
about 0.005 are the folds' noise), and, with them, the accuracy on the sources' own rows out
of fold. Written for round 3 (forum posts: do they cost the tweets, reviews and comments
anything?); ≈ 30 s a fit on the 2-core machine, vectors cached.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from config.settings import LABELING_PROFILES as PROFILES  # noqa: E402
from nlp.train.data import DEFAULT_DATA  # noqa: E402


def figures(
    rows: Any, theirs: set[str], suggestions: tuple[list[str], list[int]], cache: Path | None
) -> dict[str, float]:
    """Out-of-fold macro-F1 on the other corpus rows, and accuracy on the sources' rows."""
    import numpy as np

    from nlp.calibration import macro_f1
    from nlp.evaluation import SCORED
    from nlp.train import topic
    from nlp.train.vectors import e5_vectors, sentence_vectors

    _, oof = topic.fit(rows, suggestions, lambda t: sentence_vectors(t, cache), topic.SEED,
                       lambda t: e5_vectors(t, cache))  # fmt: skip
    gold, langs, corpus = oof["gold"], oof["langs"], oof["corpus"]
    mine = np.array([t in theirs for t in rows.texts])
    out: dict[str, float] = {}
    for profile in PROFILES:
        for lang in SCORED:
            other = corpus & ~mine & (langs == lang)
            predicted = oof[profile]["nested"]
            out[f"{profile} {lang} other rows macro-F1"] = round(
                macro_f1(gold[other], predicted[other], len(oof["classes"])), 4
            )
            own = corpus & mine & (langs == lang)
            if own.any():
                out[f"{profile} {lang} their rows accuracy"] = round(
                    float(np.mean(gold[own] == predicted[own])), 4
                )
    return out


def main() -> None:
    from nlp.cleanup import bounded
    from nlp.corpus.build import load_corpus
    from nlp.corpus.forum_posts import ORIGINS
    from nlp.train import topic

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sources", nargs="+", default=list(ORIGINS))  # the forum posts
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    frame = load_corpus(args.data)
    train = frame[(frame["split"] == "train") & frame["source"].isin(args.sources)]
    theirs = {bounded(str(t)) for t in train["text"]}
    rows = topic.corpus_rows(args.data, "topic", "train")
    rows.extend(topic.rules_rows("topic"))
    without = rows.take([i for i, t in enumerate(rows.texts) if t not in theirs])
    print(f"{len(rows) - len(without)} rows of {', '.join(args.sources)} in the train part")
    suggestions = topic.suggestion_sentences(args.data)  # read once for both fits
    report = {"without": figures(without, theirs, suggestions, args.cache),
              "with": figures(rows, theirs, suggestions, args.cache)}  # fmt: skip
    for name, value in report["with"].items():
        before = report["without"].get(name)
        shown = f"{before:.4f} -> {value:.4f}" if before is not None else f"{value:.4f}"
        print(f"{name:<38} {shown}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
