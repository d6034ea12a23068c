"""Quality of the topic and sentiment models, each figure printed with the split it comes from.

    nice python bench/labels.py [--data DIR] [--topic FILE] [--sentiment FILE] [--json FILE]

- corpus test split (frozen, `nlp/corpus/data/split.csv`): macro-F1 per language with its
  95 % bootstrap interval (`nlp.intervals`), per-class F1, confusion matrix and reliability of
  the scores, for each profile — computed here, once the models were chosen; never used to
  choose anything;
- later rounds' own test parts, drawn at random before any label, each apart: the same
  figures — `test3`, `test5` (forum posts, which the test split lacks), `test6` (English
  texts of the test split's own English sources: a second measure of English), `test7` and
  `test8` (English reviews of products and of a hotel's service, which the test split lacks);
- English of the test split and `test6` pooled (435 items: the two measures of the same
  sources together, the narrower interval on the English aims);
- cross-validated figures (5 folds on the train part) as the training scripts stored them in
  the model files;
- UMSAB validation splits (sentiment): reported beside, never used to choose;
- SemEval-2019 Task 9 trial sentences: F1 of `crowdsourcing` (reported beside);
- the annotation guide's examples (`nlp.corpus.guide`) each profile reads wrong, by rule: the
  tests hold the packaged models to them, and `veille train` a new model.
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

from config.settings import LABELING_PROFILES  # noqa: E402
from nlp.evaluation import SCORED  # noqa: E402

# `thorough`: `accurate`, then the uncertain texts through the e5 stacks (a model file without
# them labels as `accurate`); `thorough[en]`: only the English ones (`nlp.thorough_languages`).
PROFILES = (*LABELING_PROFILES, "thorough[en]")


def table(title: str, result: dict[str, Any]) -> list[str]:
    lines = [title]
    classes = result["classes"]
    for lang in SCORED:
        if lang not in result:
            continue
        r = result[lang]
        low, high = r["macro_f1_interval"]
        lines.append(
            f"  {lang}: macro-F1 {r['macro_f1']:.3f} (95 % bootstrap interval {low:.3f}-"
            f"{high:.3f}), accuracy {r['accuracy']:.3f}, n {r['n']}, ECE {r['ece']:.3f} (a "
            f"calibrated model's: under {r['ece_calibrated_bound']:.3f} in 95 %)"
        )
        per = ", ".join(f"{c} {v:.2f}" if v is not None else f"{c} -"
                        for c, v in r["per_class_f1"].items())  # fmt: skip
        lines.append(f"      per-class F1: {per}")
        lines.append("      confusion (rows gold, columns predicted; " + " ".join(
            c[:6] for c in classes) + "):")  # fmt: skip
        for name, row in zip(classes, r["confusion"], strict=True):
            lines.append(f"        {name[:14]:<14} " + " ".join(f"{n:>6}" for n in row))
        lines.append("      reliability (score bin: n, mean score, share right): " + "; ".join(
            f"[{b['from']:.1f}-{b['to']:.1f}] {b['n']} {b['mean_score']:.2f} {b['right']:.2f}"
            for b in r["reliability"]))  # fmt: skip
    return lines


def suggestion_f1(topic_path: Path, data: Path, profile: str) -> dict[str, float]:
    from nlp.corpus.sources import SOURCES
    from nlp.evaluation import labeler_for
    from nlp.labelers.base import Doc
    from nlp.train.topic import suggestion_trial

    texts, flags = suggestion_trial(data)
    kind = SOURCES["suggestions_en"].source_kind  # the same feedback forum's sentences
    labeler = labeler_for("topic", topic_path, profile)
    predicted = [p.value == "crowdsourcing" for p in labeler.label_batch(
        [Doc(t, lang="en", source_kind=kind) for t in texts])]  # fmt: skip
    tp = sum(p and f == 1 for p, f in zip(predicted, flags, strict=True))
    fp = sum(p and f == 0 for p, f in zip(predicted, flags, strict=True))
    fn = sum((not p) and f == 1 for p, f in zip(predicted, flags, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4),
            "n": len(texts)}  # fmt: skip


def main() -> None:
    from bench import model_card
    from nlp.corpus.guide import guide_examples
    from nlp.corpus.split import (
        ENGLISH_TEST_ROUND,
        FORUM_ROUNDS,
        OWN_TEST_PART,
        REVIEW_ROUNDS,
        test_part,
    )
    from nlp.evaluation import by_kind, evaluate_on_test, guide_misread
    from nlp.model_io import load_npz, meta_of
    from nlp.model_store import packaged_model
    from nlp.train.data import DEFAULT_DATA
    from nlp.train.sentiment import evaluate as umsab_validation

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--topic", type=Path, default=packaged_model("topic"))
    parser.add_argument("--sentiment", type=Path, default=packaged_model("sentiment"))
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument("--card", type=Path, help="write the figures into this model card "
                        "(nlp/models/README.md) between its markers (bench/model_card.py)")  # fmt: skip
    args = parser.parse_args()
    examples = guide_examples()
    report: dict[str, Any] = {
        "files": model_card.identities(args.sentiment, args.topic),
        "guide_examples": len(examples),
    }
    lines: list[str] = []
    for task, path in (("topic", args.topic), ("sentiment", args.sentiment)):
        meta = meta_of(load_npz(path))
        report[f"{task}_cv_train"] = meta.get("cv")
        lines.append(f"{task}: 5-fold cross-validation on the train part (stored by the "
                     f"training script): {json.dumps(meta.get('cv'))}")  # fmt: skip
        for profile in PROFILES:
            result = evaluate_on_test(task, path, args.data, profile)
            report[f"{task}_test_{profile}"] = {k: v for k, v in result.items() if k != "items"}
            report[f"{task}_test_{profile}_by_kind"] = by_kind(result)
            lines += table(f"{task} [{profile}] on the corpus TEST split:", result)
        for profile in PROFILES:
            wrong = guide_misread(task, path, profile, examples)
            report[f"{task}_guide_misread_{profile}"] = wrong
            lines.append(f"{task} [{profile}]: the annotation guide's examples read wrong: "
                         f"{len(wrong)} ({', '.join(e['rule'] for e in wrong) or 'none'})")  # fmt: skip
        for round_no in OWN_TEST_PART:  # each later round's own test part
            part = test_part(round_no)
            what = (
                "FORUM POSTS" if round_no in FORUM_ROUNDS
                else "ENGLISH REVIEWS" if round_no in REVIEW_ROUNDS
                else "ENGLISH TEXTS (second measure)"
            )  # fmt: skip
            for profile in PROFILES:
                result = evaluate_on_test(task, path, args.data, profile, part)
                report[f"{task}_{part}_{profile}"] = {
                    k: v for k, v in result.items() if k != "items"
                }
                lines += table(f"{task} [{profile}] on {what} (round {round_no}'s own test "
                                f"part, {part}):", result)  # fmt: skip
        english = ("test", test_part(ENGLISH_TEST_ROUND))
        for profile in PROFILES:
            result = evaluate_on_test(task, path, args.data, profile, english)
            report[f"{task}_english_pooled_{profile}"] = result["en"]
            lines += table(f"{task} [{profile}] on ENGLISH, the test split and "
                            f"{english[1]} pooled:", {"classes": result["classes"],
                                                      "en": result["en"]})  # fmt: skip
    for profile in PROFILES:
        found = suggestion_f1(args.topic, args.data, profile)
        report[f"suggestions_trial_{profile}"] = found
        lines.append(f"crowdsourcing F1 [{profile}] on SubtaskA_Trial_Test_Labeled.csv "
                     f"(SemEval trial, reported beside): {found}")  # fmt: skip
    validation = umsab_validation(args.data, args.sentiment)
    report["sentiment_umsab_val"] = validation
    lines.append(f"sentiment macro-F1 on the UMSAB VALIDATION splits (reported beside): "
                 f"{json.dumps(validation)}")  # fmt: skip
    print("\n".join(lines))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    if args.card:
        model_card.write_card(args.card, model_card.render(report))
        print(f"wrote these figures into {args.card}")


if __name__ == "__main__":
    main()
