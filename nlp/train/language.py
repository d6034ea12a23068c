"""Train the bundled language identifier: naive Bayes on hashed character n-grams of the
UMSAB training tweets (8 languages). Run: `python -m nlp.train.language [--data DIR]`."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np
from sklearn.naive_bayes import MultinomialNB

from nlp.cleanup import words_only
from nlp.labelers.language import MODEL_PATH, N_FEATURES, NGRAMS, vectorizer
from nlp.train.data import DEFAULT_DATA, UMSAB_LANGUAGES


def train(data: Path, out: Path = MODEL_PATH) -> dict[str, float]:
    texts: list[str] = []
    labels: list[str] = []
    for folder, code in UMSAB_LANGUAGES.items():
        lines = (data / "umsab" / folder / "train_text.txt").read_text(encoding="utf-8")
        for line in lines.splitlines():
            cleaned = words_only(line)
            if len(cleaned) >= 3:
                texts.append(cleaned)
                labels.append(code)
    features = vectorizer().transform(texts)
    model = MultinomialNB(alpha=0.05, fit_prior=False).fit(features, labels)
    log_prob = model.feature_log_prob_.astype(np.float16)
    np.savez_compressed(
        out, log_prob=log_prob, classes=np.array(model.classes_),
        meta=np.array(json.dumps({"n_features": N_FEATURES, "ngrams": NGRAMS, "alpha": 0.05})),
    )  # fmt: skip
    accuracy: dict[str, float] = {}
    from nlp.labelers.language import LanguageLabeler

    labeler = LanguageLabeler.from_file(out)
    for folder, code in UMSAB_LANGUAGES.items():
        val = (data / "umsab" / folder / "val_text.txt").read_text(encoding="utf-8").splitlines()
        preds = [p.value for p in labeler.label_batch(val)]
        accuracy[code] = round(sum(p == code for p in preds) / len(preds), 4)
    return accuracy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    print(json.dumps({"val_accuracy": train(args.data)}, indent=1))


if __name__ == "__main__":
    main()
