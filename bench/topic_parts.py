"""How does the topic model read each part of its own train rows? Out-of-fold figures by part.

    nice python bench/topic_parts.py [--rounds N] [--profile accurate|fast] [--data DIR]
        [--cache DIR] [--json FILE]

On the **train part** only (the test split and the later rounds' test parts are never read):
the topic model fitted as `nlp.train.topic` fits it (5 folds, its seed, its weights, the rule
sentences; `--rounds N`: the corpus as it stood after round N; no `thorough` stack, which needs
the tuned e5 file), and its out-of-fold labels (per-class biases fitted within the folds, as
the trainer's CV figures) and calibrated scores, printed for each part as `bench/labels.py`
prints a test split — macro-F1 per language with its interval, per-class F1, confusion,
reliability, ECE and the bound a calibrated model stays under:

- `test split's sources`: rounds 1 and 6, drawn at random from the sources the test split was
  drawn from (round 6: English only) — what the test split measures, on 4.5 times as many
  English rows;
- each round apart (rounds 2, 4 and 9 were drawn towards rare and uncertain topics; the others
  at random from their sources).

Written when English topic stayed at 0.57 on the test split whatever the data: is that the
split's noise or the model's level (nlp/models/HISTORY.md, "English topic on its own train rows")? About
three minutes with the sentence vectors cached (`--cache`).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from bench.labels import table  # noqa: E402
from nlp.corpus.items import FIRST_ROUND  # noqa: E402
from nlp.corpus.split import ENGLISH_TEST_ROUND  # noqa: E402
from nlp.train.data import DEFAULT_DATA  # noqa: E402

PROFILES = ("accurate", "fast")
TEST_SOURCES = "test split's sources"
# The rounds drawn at random from the test split's own sources: the test split's round, and
# the second measure of English (corpus card).
TEST_SOURCE_ROUNDS = (int(FIRST_ROUND), ENGLISH_TEST_ROUND)


def parts(
    rounds: int | None, data: Path, cache: Path | None, profiles: tuple[str, ...] = PROFILES
) -> dict[str, dict[str, dict[str, Any]]]:
    """Per profile, each part's figures (`nlp.evaluation.figures`; see the module's
    docstring)."""
    import numpy as np

    from nlp.cleanup import bounded
    from nlp.corpus.build import load_corpus, text_key
    from nlp.evaluation import figures
    from nlp.train import topic
    from nlp.train.vectors import sentence_vectors

    rows = topic.corpus_rows(data, "topic", "train", rounds)
    rows.extend(topic.rules_rows("topic"))
    _, oof = topic.fit(rows, topic.suggestion_sentences(data),
                       lambda t: sentence_vectors(t, cache))  # fmt: skip
    frame = load_corpus(data, rounds=rounds)
    # Keyed as the trainer's rows hold each text (cut to `bounded`'s length).
    round_of = {text_key(bounded(str(t))): int(r) for t, r in zip(frame["text"], frame["round"],
                                                                  strict=True)}  # fmt: skip
    item_round = np.array([round_of[text_key(t)] if o == "corpus" else 0
                           for t, o in zip(rows.texts, rows.origins, strict=True)])  # fmt: skip
    named = {TEST_SOURCES: np.isin(item_round, TEST_SOURCE_ROUNDS)}
    for r in sorted(set(item_round[item_round > 0].tolist())):
        named[f"round {r}"] = item_round == r
    classes = oof["classes"]
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for profile in profiles:
        predicted, probs = oof[profile]["nested"], oof[profile]["calibrated"]
        out[profile] = {}
        for name, mask in named.items():
            index = np.flatnonzero(mask)
            result = figures(
                "topic", [classes[oof["gold"][i]] for i in index],
                [classes[predicted[i]] for i in index], probs[index],
                [str(oof["langs"][i]) for i in index],
            )  # fmt: skip
            result.pop("items")
            out[profile][name] = result
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, help="the corpus as it stood after this round")
    parser.add_argument("--profile", choices=PROFILES, action="append",
                        help="one profile (repeatable; default both)")  # fmt: skip
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = parts(args.rounds, args.data, args.cache, tuple(args.profile or PROFILES))
    for profile, by_part in figures.items():
        for name, result in by_part.items():
            title = f"topic [{profile}], out of fold on the TRAIN part, {name}:"
            print("\n".join(table(title, result)))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
