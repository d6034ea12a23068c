"""The model card's figures of the files that ship, written from `bench/labels.py`'s report.

    nice python bench/model_card.py REPORT.json [--card nlp/models/README.md]

`bench/labels.py --card FILE` measures and writes in one go (about five minutes); this script
writes again from a report that `bench/labels.py --json` kept (seconds). The block between the
card's two markers is replaced, the rest of the card left as it is; the block names the
identity of each model file it describes, so a file changed without its card is seen
(`tests/test_model_card.py`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

_HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))

from config.settings import DEFAULT_LABELING_PROFILE, LABELING_PROFILES  # noqa: E402
from nlp.evaluation import SCORED  # noqa: E402
from nlp.labelers.sentiment import SPECIALISTS  # noqa: E402
from nlp.train.data import UMSAB_LANGUAGES  # noqa: E402

BEGIN = "<!-- model card: begin -->"
END = "<!-- model card: end -->"
CARD = _HERE.parent / "nlp" / "models" / "README.md"
# The card's columns: the default profile first, then every other (today `thorough`, `fast`).
OTHERS = sorted(set(LABELING_PROFILES) - {DEFAULT_LABELING_PROFILE}, reverse=True)
PROFILES = (DEFAULT_LABELING_PROFILE, *OTHERS)
BESIDE = (
    ("test3", "forum posts (test3)"),
    ("test5", "a second brand's support forum (test5)"),
    ("test6", "English, a second measure (test6)"),
    ("test7", "English product reviews (test7)"),
    ("test8", "English hotel reviews (test8)"),
)
# The UMSAB languages the multilingual block reads (those without a specialist), by code.
UMSAB_OTHERS = tuple(sorted(set(UMSAB_LANGUAGES.values()) - set(SPECIALISTS)))

Row = list[str]


def identities(sentiment: Path, topic: Path) -> dict[str, str]:
    """The identities of the files measured: the two models and the tuned classifiers their
    `thorough` stacks read, by file name."""
    from nlp.e5_tuned import MODEL_PATH, TOPIC_PATH
    from nlp.model_io import file_identity

    files = (sentiment, topic, MODEL_PATH, TOPIC_PATH)
    return {path.name: file_identity(path) for path in files if path.exists()}


def _f(value: float | None, digits: int = 3) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _by_lang(result: dict[str, Any] | None, cell: Callable[[dict[str, Any]], str]) -> str:
    """`fr / en` of one profile's result (a language the split lacks: –)."""
    if not result:
        return "–"
    return " / ".join(cell(result[lang]) if lang in result else "–" for lang in SCORED)


def _interval(r: dict[str, Any]) -> str:
    low, high = r["macro_f1_interval"]
    return f"**{r['macro_f1']:.3f}** ({low:.3f}–{high:.3f})"


def _table(head: Sequence[str], rows: Sequence[Row]) -> list[str]:
    return [
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
        *("| " + " | ".join(row) + " |" for row in rows),
    ]


def _cv_rows(task: str, cv: dict[str, Any]) -> list[Row]:
    """The training script's cross-validated figures, stored in the file (`meta.cv`)."""
    if task == "sentiment":

        def cell(profile: str, key: str) -> str:
            return " / ".join(_f(cv.get(lang, {}).get(profile, {}).get(key)) for lang in SCORED)

        return [
            ["corpus rows", "CV", *(cell(p, "cv_corpus") for p in PROFILES)],
            ["UMSAB rows", "CV", *(cell(p, "cv_umsab") for p in PROFILES)],
            ["corpus / UMSAB rows, `thorough` as its cascade routes", "CV",
             "", f"{cell('cascade', 'cv_corpus')} and {cell('cascade', 'cv_umsab')}", ""],
        ]  # fmt: skip

    def topic_cell(profile: str) -> str:
        return " / ".join(_f(cv.get(profile, {}).get(f"macro_f1_{lang}")) for lang in SCORED)

    cascade = cv.get("cascade", {})
    routed = " / ".join(_f(cascade.get(lang, {}).get("chosen")) for lang in SCORED)
    return [
        ["every row", "CV", *(topic_cell(p) for p in PROFILES)],
        ["every row, `thorough` as its cascade routes", "CV", "", routed, ""],
    ]


def _beside_rows(task: str, report: dict[str, Any]) -> list[Row]:
    rows: list[Row] = []
    for part, what in BESIDE:
        results = [report.get(f"{task}_{part}_{p}") for p in PROFILES]
        if not any(results):
            continue
        first = next(r for r in results if r)
        n = " / ".join(str(first[lang]["n"]) if lang in first else "–" for lang in SCORED)
        rows.append([f"{what}, n {n}", "beside",
                     *(_by_lang(r, lambda x: _f(x["macro_f1"])) for r in results)])  # fmt: skip
    pooled = [report.get(f"{task}_english_pooled_{p}") for p in PROFILES]
    if all(pooled):
        n = pooled[0]["n"]  # type: ignore[index]
        rows.append([f"English, test split and test6 pooled, n {n}", "test + test6",
                     *(f"– / {_interval(r)}" for r in pooled if r)])  # fmt: skip
    return rows


def _rule_order(rule: str) -> tuple[str, int]:
    """R2 before R12: the guide's rules in its order (a letter, then a number)."""
    return rule[:1], int(rule[1:]) if rule[1:].isdigit() else 0


def _guide_row(task: str, report: dict[str, Any], n_examples: int) -> Row:
    cells = []
    for p in PROFILES:
        wrong = report.get(f"{task}_guide_misread_{p}", [])
        rules = ", ".join(sorted({e["rule"] for e in wrong}, key=_rule_order)) or "none"
        cells.append(f"{len(wrong)} ({rules})")
    return [f"the annotation guide's {n_examples} examples read wrong", "guide", *cells]


def _per_class(task: str, report: dict[str, Any]) -> list[str]:
    tests = {p: report[f"{task}_test_{p}"] for p in PROFILES}
    classes = tests[DEFAULT_LABELING_PROFILE]["classes"]
    head = ["class", *(f"`{p}` {lang}" for p in PROFILES for lang in SCORED)]
    rows = [
        [f"`{c}`", *(_f(tests[p][lang]["per_class_f1"].get(c), 2)
                     for p in PROFILES for lang in SCORED)]
        for c in classes
    ]  # fmt: skip
    return _table(head, rows)


def _kinds(task: str, report: dict[str, Any]) -> list[str]:
    kinds = {p: report.get(f"{task}_test_{p}_by_kind") for p in PROFILES}
    default = kinds[DEFAULT_LABELING_PROFILE]
    if not default:
        return []
    rows = []
    for lang in SCORED:
        for kind, figures in default.get(lang, {}).items():
            cells = [
                f"{_f(k[lang][kind]['macro_f1'])} / {_f(k[lang][kind]['accuracy'])}"
                if k and kind in k.get(lang, {}) else "–"
                for k in kinds.values()
            ]  # fmt: skip
            rows.append([lang, f"`{kind}`", str(figures["n"]), *cells])
    head = ["lang", "kind of text", "n", *(f"`{p}` macro-F1 / accuracy" for p in PROFILES)]
    return ["", "By kind of text (test split, kinds with 20 items or more; where a label has "
            "one or two items in a kind, its macro-F1 swings with each of them: read the "
            "accuracy beside it):", "", *_table(head, rows)]  # fmt: skip


def _confusions(task: str, report: dict[str, Any]) -> list[str]:
    out = ["", "<details><summary>Confusion matrices and reliability (test split; rows: the "
           "gold label, columns: the model's)</summary>", ""]  # fmt: skip
    for p in PROFILES:
        test = report[f"{task}_test_{p}"]
        classes = test["classes"]
        for lang in SCORED:
            r = test[lang]
            out += [f"`{p}`, {lang} (n {r['n']}):", ""]
            out += _table(["gold \\ model", *(f"`{c}`" for c in classes)],
                          [[f"`{c}`", *map(str, row)]
                           for c, row in zip(classes, r["confusion"], strict=True)])  # fmt: skip
            out += ["", "Reliability of its scores:", ""]
            out += _table(["score", "labels", "mean score", "share right"],
                          [[f"{b['from']:.1f}–{b['to']:.1f}", str(b["n"]), f"{b['mean_score']:.2f}",
                            f"{b['right']:.2f}"] for b in r["reliability"] if b["n"]])  # fmt: skip
            out.append("")
    return [*out, "</details>"]


def task_section(task: str, report: dict[str, Any], n_examples: int) -> list[str]:
    tests = [report[f"{task}_test_{p}"] for p in PROFILES]
    head = ["figure", "split", *(f"`{p}`{' (default)' if p == DEFAULT_LABELING_PROFILE else ''} fr / en"
                                 for p in PROFILES)]  # fmt: skip
    n = " / ".join(str(tests[0][lang]["n"]) for lang in SCORED)
    rows: list[Row] = [
        [f"macro-F1 (95 % bootstrap interval), n {n}", "**test**",
         *(_by_lang(t, _interval) for t in tests)],
        ["accuracy", "test", *(_by_lang(t, lambda r: _f(r["accuracy"])) for t in tests)],
        ["calibration error, ECE (a calibrated model's 95 % bound)", "test",
         *(_by_lang(t, lambda r: f"{r['ece']:.3f} ({r['ece_calibrated_bound']:.3f})")
           for t in tests)],
        *_cv_rows(task, report.get(f"{task}_cv_train") or {}),
    ]  # fmt: skip
    if task == "sentiment" and "sentiment_umsab_val" in report:
        val = report["sentiment_umsab_val"]
        rows.append(["UMSAB validation tweets", "beside",
                     *(" / ".join(_f(val[p].get(lang)) for lang in SCORED) for p in PROFILES)])  # fmt: skip
    if task == "topic":
        found = [report.get(f"suggestions_trial_{p}") for p in PROFILES]
        if all(found):
            rows.append([f"`crowdsourcing` F1 on the SemEval trial sentences, n {found[0]['n']}"  # type: ignore[index]
                         " (en)", "beside",
                         *(f"{r['f1']:.3f} (P {r['precision']:.2f}, R {r['recall']:.2f})"
                           for r in found if r)])  # fmt: skip
    rows += _beside_rows(task, report)
    rows.append(_guide_row(task, report, n_examples))
    lines = _table(head, rows)
    if task == "sentiment" and "sentiment_umsab_val" in report:
        val = report["sentiment_umsab_val"][DEFAULT_LABELING_PROFILE]
        lines += ["", f"UMSAB validation, the other languages (`{DEFAULT_LABELING_PROFILE}`, the multilingual "
                  "block): " + ", ".join(f"{lang} {val[lang]:.3f}" for lang in UMSAB_OTHERS
                                         if lang in val) + "."]  # fmt: skip
    lines += ["", "Per-class F1 (test split):", "", *_per_class(task, report)]
    lines += _kinds(task, report)
    lines += _confusions(task, report)
    return lines


def render(report: dict[str, Any]) -> str:
    """The card's block: the figures of `report` (`bench/labels.py`'s), with the identities of
    the files they describe (`report["files"]`)."""
    named = ", ".join(f"`{name}` {identity}" for name, identity in report["files"].items())
    n_examples = report["guide_examples"]
    lines = [
        BEGIN,
        "<!-- Written by `nice python bench/labels.py --card nlp/models/README.md`; do not edit "
        "by hand. -->",
        "",
        f"**The files these figures describe** (identity: the start of each file's SHA-256): "
        f"{named}.",
        "",
        "Splits: **test** is the corpus's frozen test split (round 1; 20 % of each language, "
        "kind and source stratum, seed 17), measured once the models were chosen and never "
        "used to choose; **CV** is the 5-fold cross-validation on the train part that the "
        "training script stored in the file; **beside**: later rounds' own test parts, the "
        "UMSAB validation tweets and the SemEval trial sentences, never used to choose; "
        "**guide**: the annotation guide's examples, which the tests hold the models to.",
    ]
    for task, title in (("sentiment", "Sentiment"), ("topic", "Topic")):
        lines += ["", f"### {title} (`{task}.npz`)", ""]
        lines += task_section(task, report, n_examples)
    return "\n".join([*lines, "", END])


def write_card(card: Path, block: str) -> None:
    text = card.read_text(encoding="utf-8")
    start, stop = text.find(BEGIN), text.find(END)
    if start < 0 or stop < start:
        raise SystemExit(f"{card}: the markers {BEGIN} and {END} are missing; put them where "
                         "the figures go")  # fmt: skip
    card.write_text(text[:start] + block + text[stop + len(END) :], encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("report", type=Path, help="the JSON of `bench/labels.py --json`")
    parser.add_argument("--card", type=Path, default=CARD)
    args = parser.parse_args()
    report = json.loads(args.report.read_text(encoding="utf-8"))
    write_card(args.card, render(report))
    print(f"wrote the figures of {', '.join(report['files'])} into {args.card}")


if __name__ == "__main__":
    main()
