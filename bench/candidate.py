"""Would the project's rule take a candidate model over the packaged one? The figures of the
model card's retrain tables, from one command.

    nice python bench/candidate.py topic|sentiment FILE [--profile P] [--data DIR] [--json F]

For a model file written by the training scripts (`python -m nlp.train.topic --out FILE`):

- the corpus test split: each model's macro-F1 per language, the difference of their means and
  its paired 95 % bootstrap interval (`nlp.evaluation.compare`);
- the annotation guide's examples each model reads wrong, and those the candidate loses
  (`nlp.retrain.guide_figures`);
- each model's expected calibration error per language, beside what a calibrated model with
  its scores stays under in 99 % of draws (the rule's `nlp.retrain.calibration_lost`);
- the project's rule (`nlp.retrain.activation`, as `veille train` applies it, without a
  workspace's own labels): taken or refused, and why;
- sentiment refused as a whole: the languages where it is not worse on its own
  (`nlp.retrain.by_language`), and the model combining those blocks with the active model's
  others, written beside the candidate as `<stem>-<languages>.npz` and measured by the same
  rule (what `veille train sentiment` activates then);
- the test split by kind of text (kinds with at least 20 items of a language: general tweets,
  reviews, Facebook comments…) and later rounds' own test parts (`test3` … `test8`): each
  model's macro-F1 and accuracy per language — reported beside the rule, never part of it.

Nothing here chooses anything: run it once a candidate is trained, as the last step.
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


def compare_models(task: str, candidate: Path, active: Path, data: Path, profile: str
                   ) -> dict[str, Any]:  # fmt: skip
    """Every figure above for one profile, as a dict (the JSON's shape)."""
    from nlp.corpus.guide import guide_examples
    from nlp.corpus.split import OWN_TEST_PART, test_part
    from nlp.evaluation import SCORED, by_kind, compare, evaluate_on_test
    from nlp.retrain import (
        by_language,
        calibration_lost,
        guide_figures,
        guide_worse,
        reported_part,
        score_delta,
    )

    new = evaluate_on_test(task, candidate, data, profile)
    old = evaluate_on_test(task, active, data, profile)
    low, high = compare(new, old)
    delta = score_delta(new, old)
    examples = guide_examples()
    guide = guide_figures(task, candidate, active, profile, examples)
    calibration = calibration_lost(new, old)
    reason = verdict(delta, (low, high), guide_worse(guide), calibration)
    languages: dict[str, Any] = {}
    if task == "sentiment" and reason.startswith("refused"):
        combined = by_language(candidate, active, new, old, guide, calibration, data, profile,
                               examples)  # fmt: skip
        languages = reported_part(combined)
        if languages and "cannot" not in languages:
            languages["rule"] = verdict(combined["delta"], combined["delta_interval"],
                                        guide_worse(combined["guide"]),
                                        combined["calibration"])  # fmt: skip
    parts: dict[str, Any] = {}
    for round_no in OWN_TEST_PART:
        part = test_part(round_no)
        figures = {name: evaluate_on_test(task, path, data, profile, part)
                   for name, path in (("candidate", candidate), ("active", active))}  # fmt: skip
        parts[part] = {
            name: {lang: {"macro_f1": r[lang]["macro_f1"], "accuracy": r[lang]["accuracy"],
                          "n": r[lang]["n"]}
                   for lang in SCORED if lang in r}
            for name, r in figures.items()
        }  # fmt: skip
    return {
        "test": {
            name: {lang: r[lang]["macro_f1"] for lang in SCORED} | {"score": r["score"]}
            for name, r in (("candidate", new), ("active", old))
        },
        "delta": delta, "delta_interval": [round(low, 4), round(high, 4)],
        "guide": {"n": guide["n"], "candidate": guide["new"], "active": guide["active"],
                  "lost": [{k: e[k] for k in ("rule", "text", "expected", "got")}
                           for e in guide["lost"]]},
        "calibration": {
            name: {lang: {"ece": r[lang]["ece"], "bound_99": r[lang]["ece_calibrated_bound_99"]}
                   for lang in SCORED}
            for name, r in (("candidate", new), ("active", old))
        },
        "rule": reason,
        "languages": languages,
        "by_kind": {"candidate": by_kind(new), "active": by_kind(old)},
        "own_test_parts": parts,
    }  # fmt: skip


def verdict(
    delta: float, interval: tuple[float, float], guide_worse: int,
    calibration: list[dict[str, Any]] | None = None,
) -> str:  # fmt: skip
    """The project's rule (`nlp.retrain.activation`, no workspace labels, not forced): why the
    candidate is taken, or why it is refused (`calibration`: `nlp.retrain.calibration_lost`)."""
    from nlp.retrain import activation, refusal

    lost = calibration or []
    reason = activation(delta, interval, {}, force=False, guide_worse=guide_worse,
                        calibration_lost=len(lost))  # fmt: skip
    return reason or "refused: " + " and ".join(refusal(delta, guide_worse, lost))


def lines_of(profile: str, result: dict[str, Any]) -> list[str]:
    from nlp.evaluation import SCORED
    from nlp.intervals import STRICT_LEVEL

    test, guide = result["test"], result["guide"]
    low, high = result["delta_interval"]
    out = [
        f"[{profile}] corpus TEST split, macro-F1 fr / en: candidate "
        f"{test['candidate']['fr']:.3f} / {test['candidate']['en']:.3f}, active "
        f"{test['active']['fr']:.3f} / {test['active']['en']:.3f}; mean less the active one's "
        f"{result['delta']:+.4f} (paired 95 % interval {low:+.3f} to {high:+.3f})",
        f"[{profile}] the guide's {guide['n']} examples read wrong: candidate "
        f"{guide['candidate']}, active {guide['active']}; lost: "
        + ("; ".join(f"{e['rule']} {e['text'][:60]!r} ({e['expected']} → {e['got']})"
                     for e in guide["lost"]) or "none"),
        f"[{profile}] the project's rule: {result['rule']}",
        f"[{profile}] ECE fr / en (a calibrated model's, {STRICT_LEVEL * 100:.0f} % of draws): "
        + "; ".join(
            f"{name} " + " / ".join(f"{c[lang]['ece']:.3f} ({c[lang]['bound_99']:.3f})"
                                    for lang in SCORED)
            for name, c in result["calibration"].items()),
    ]  # fmt: skip
    if "cannot" in result.get("languages", {}):
        parts = result["languages"]
        out.append(
            f"[{profile}] not worse on its own in {', '.join(parts['taken'])}, but not taken "
            f"alone: {parts['cannot']}"
        )
    elif result.get("languages"):
        parts = result["languages"]
        test = parts["test"]
        low, high = parts["delta_interval"]
        out.append(
            f"[{profile}] not worse on its own in {', '.join(parts['taken'])}: "
            f"{Path(parts['model']).name} (those blocks, the active model's others) scores "
            f"fr / en {test['fr']:.3f} / {test['en']:.3f}, mean less the active one's "
            f"{parts['delta']:+.4f} ({low:+.3f} to {high:+.3f}); guide examples read wrong "
            f"{parts['guide']['new']}; the project's rule: {parts['rule']}"
        )
    kinds = result.get("by_kind", {})
    for lang, mine in kinds.get("candidate", {}).items():
        for kind, c in mine.items():
            a = kinds["active"][lang][kind]
            out.append(
                f"[{profile}]   test split {lang} {kind} (n {c['n']}, beside the rule): macro-F1 "
                f"{c['macro_f1']:.3f} against {a['macro_f1']:.3f}, accuracy "
                f"{c['accuracy']:.3f} against {a['accuracy']:.3f}"
            )
    for part, models in result["own_test_parts"].items():
        for lang in SCORED:
            if lang in models["candidate"]:
                c, a = models["candidate"][lang], models["active"][lang]
                out.append(
                    f"[{profile}]   {part} {lang} (n {c['n']}, beside the rule): macro-F1 "
                    f"{c['macro_f1']:.3f} against {a['macro_f1']:.3f}, accuracy "
                    f"{c['accuracy']:.3f} against {a['accuracy']:.3f}"
                )
    return out


def main() -> None:
    from nlp.model_store import packaged_model
    from nlp.train.data import DEFAULT_DATA

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("task", choices=("topic", "sentiment"))
    parser.add_argument("candidate", type=Path, help="the model file to measure")
    parser.add_argument("--active", type=Path, help="the model to beat (default: packaged)")
    parser.add_argument("--profile", action="append", help="accurate (default), fast, thorough")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    active = args.active or packaged_model(args.task)
    report: dict[str, Any] = {}
    for profile in args.profile or ["accurate"]:
        report[profile] = compare_models(args.task, args.candidate, active, args.data, profile)
        print("\n".join(lines_of(profile, report[profile])), flush=True)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
