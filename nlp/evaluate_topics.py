"""Per-class F1 of the topic labeler on a labelled TSV (topic, source_kind, author, text).

python -m nlp.evaluate_topics [FILE] [--brand Lumio --own Lumio_FR,LumioSAV]
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

from nlp.labelers.base import Doc
from storage.vocab import TOPICS

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "nlp" / "topics_fr.tsv"


def evaluate(path: Path, brand: str, own: list[str]) -> str:
    from sklearn.metrics import classification_report

    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    from config.settings import Settings
    from nlp.labelers import load

    settings = Settings.model_validate({"brands": [{"name": brand, "query": [brand.lower()],
                                                     "own_accounts": own}]})  # fmt: skip
    labeler = load("topic", settings)
    docs = [Doc(r["text"], author=r["author"], source_kind=r["source_kind"], brands=(brand,))
            for r in rows]  # fmt: skip
    predicted = [p.value for p in labeler.label_batch(docs)]
    gold = [r["topic"] for r in rows]
    report: str = classification_report(gold, predicted, labels=list(TOPICS), digits=3)
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("file", nargs="?", type=Path, default=DEFAULT)
    parser.add_argument("--brand", default="Lumio")
    parser.add_argument("--own", default="Lumio_FR,LumioSAV,Lumio")
    args = parser.parse_args()
    print(evaluate(args.file, args.brand, args.own.split(",")))


if __name__ == "__main__":
    main()
