"""The demo's mentions against the labels they were written to have: what a new user reads first.

    nice python bench/demo_labels.py [--profile accurate|thorough|fast] [--limit N] [--json FILE]

The demo's texts are written by the project from templates (`veille_demo.generate`), each with
the topic and sentiment it was meant to have (`demo_truth`). They are no measure of real text
(the corpus's test split is: `bench/labels.py`), but a template the packaged models misread is
misread hundreds of times in the demo's reports. Printed per language: macro-F1 and accuracy
of each task, the confusion of sentiment, and each template kind's share read as meant, worst
first. Half a minute with `accurate`.
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

from config.settings import DEFAULT_LABELING_PROFILE, LABELING_PROFILES  # noqa: E402
from nlp.evaluation import SCORED  # noqa: E402


def measure(profile: str, limit: int | None = None) -> dict[str, Any]:
    """Each task's figures on the demo's generated mentions (the first `limit` of them), as
    `nlp.evaluation` computes them on the corpus, and per template kind the share read as
    meant, worst first."""
    import numpy as np

    from config.settings import Settings
    from nlp.evaluation import by_kind, figures
    from nlp.labelers import load
    from nlp.labelers.base import Doc
    from storage.vocab import SENTIMENTS, TOPICS
    from veille_demo.generate import generate
    from veille_demo.make_sites import review_title

    rows = generate()[:limit]
    # Labelled as the demo stores them: each on the channel it was drawn for (its forum, feed
    # and review pages, its X and Facebook exports), a review with its title.
    docs = [
        Doc(
            str(r["text"]),
            lang=str(r["lang"]),
            source_kind=str(r["source_kind"]),
            title=review_title(r) if r["source_kind"] == "reviews" else None,
        )
        for r in rows
    ]
    settings = Settings.model_validate({"nlp": {"profile": profile}})
    truth = [r["demo_truth"] for r in rows]
    kinds = [f"{t['topic']}/{t['sentiment']}" for t in truth]  # type: ignore[index]
    langs = [str(r["lang"]) for r in rows]
    out: dict[str, Any] = {"profile": profile, "n": len(rows)}
    for task, classes in (("sentiment", SENTIMENTS), ("topic", TOPICS)):
        predictions = load(task, settings).label_batch(docs)
        probs = np.array([[p.scores.get(c, 0.0) for c in classes] for p in predictions])
        gold = [str(t[task]) for t in truth]  # type: ignore[index]
        result = figures(task, gold, [p.value for p in predictions], probs, langs, kinds)
        templates = by_kind(result, least=1)
        out[task] = {"classes": result["classes"]}
        for lang in SCORED:
            if lang not in result:
                continue
            r = result[lang]
            shares = sorted(templates[lang].items(), key=lambda kv: kv[1]["accuracy"])
            out[task][lang] = {
                **{k: r[k] for k in ("n", "macro_f1", "accuracy", "confusion")},
                "by_template_kind": {k: {"n": v["n"], "right": v["accuracy"]} for k, v in shares},
            }
    return out


def lines_of(result: dict[str, Any]) -> list[str]:
    lines = [f"the demo's {result['n']} mentions, profile {result['profile']} (intended labels: "
             "veille_demo.generate's demo_truth; not a measure of real text):"]  # fmt: skip
    # The tasks `measure` labelled, in its order: the entries holding their classes.
    tasks = [k for k, v in result.items() if isinstance(v, dict) and "classes" in v]
    for task in tasks:
        for lang in SCORED:
            r = result[task].get(lang)
            if not r:
                continue
            lines.append(f"  {task} {lang}: macro-F1 {r['macro_f1']:.3f}, accuracy "
                         f"{r['accuracy']:.3f}, n {r['n']}")  # fmt: skip
            if task == "sentiment":
                for name, row in zip(result[task]["classes"], r["confusion"], strict=True):
                    lines.append(f"      {name:<9} read as " + ", ".join(
                        f"{c} {n}" for c, n in zip(result[task]["classes"], row, strict=True)))  # fmt: skip
            lines.append("      read as meant, by template kind (topic/sentiment), worst first: "
                         + "; ".join(f"{k} {v['right']:.2f} (n {v['n']})"
                                     for k, v in r["by_template_kind"].items()))  # fmt: skip
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default=DEFAULT_LABELING_PROFILE, choices=LABELING_PROFILES)
    parser.add_argument("--limit", type=int, help="only the first N mentions")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    result = measure(args.profile, args.limit)
    print("\n".join(lines_of(result)))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
