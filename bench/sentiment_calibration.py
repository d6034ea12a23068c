"""Do a sentiment specialist's scores mean what they say on each part of its training rows?
Out-of-fold expected calibration error by part, with the bound a calibrated model stays under.

    nice python bench/sentiment_calibration.py [--lang fr] [--rounds N] [--profile accurate]
        [--data DIR] [--cache DIR] [--json FILE]

On the **train part** only (the test split and the later rounds' test parts are never read):
the language's specialist is fitted as `nlp.train.sentiment` fits it (5 folds, its seed, its
weights; `--rounds N`: the corpus as it stood after round N), its out-of-fold scores
calibrated by the temperature the trainer fits on them, and per part — the UMSAB tweets, the
corpus's rows of each round, and the UMSAB tweets the corpus labelled too, read against the
corpus's labels (the guide's; the trainer learns them with UMSAB's) — printed: rows, accuracy,
mean top score, ECE and `nlp.intervals.calibrated_ece_bound` (what a perfectly calibrated model
with those scores stays under in 95 % of draws), and for that last part how often the two
labels agree. Written when a retrain's French ECE on the test split rose beyond that bound
(nlp/models/HISTORY.md, "Sentiment on rounds 1–9 with the forum rules' sentences"): does the train part
show it too? The test split holds such tweets (90 of its 655 French items) with the corpus's
labels. About a minute for French with the sentence vectors cached (`--cache`); `thorough`
encodes e5 vectors too.
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
from nlp.train.data import DEFAULT_DATA, UMSAB_LANGUAGES  # noqa: E402

UMSAB_FOLDER = {code: folder for folder, code in UMSAB_LANGUAGES.items()}
# The part of the UMSAB tweets the corpus labelled too, read against the corpus's labels.
AS_THE_CORPUS_LABELLED = "umsab, as the corpus labelled them"


def parts(lang: str, rounds: int | None, profile: str, data: Path, cache: Path | None
          ) -> dict[str, dict[str, float]]:  # fmt: skip
    """Each part's out-of-fold calibration figures (see the module's docstring)."""
    import numpy as np

    from nlp.calibration import calibrated, fit_temperature, reliability
    from nlp.corpus.build import load_corpus, text_key
    from nlp.intervals import calibrated_ece_bound
    from nlp.train import sentiment
    from nlp.train.vectors import e5_vectors, sentence_vectors
    from storage.vocab import SENTIMENTS

    training = sentiment.training_data(data, rounds=rounds)
    rows = [i for i, code in enumerate(training.langs) if code == lang]
    texts = [training.texts[i] for i in rows]
    origins = np.array([training.origins[i] for i in rows])
    e5 = e5_vectors(texts, cache) if profile == "thorough" else None
    _, oof = sentiment.fit_rows(lang, training, rows, sentence_vectors(texts, cache), e5)
    gold = np.array([SENTIMENTS.index(training.labels[i]) for i in rows])
    log_p = np.log(oof[profile] + 1e-9)
    probs = calibrated(log_p, np.zeros(len(SENTIMENTS)), fit_temperature(log_p, gold))
    frame = load_corpus(data, rounds=rounds)
    round_of = {text_key(str(t)): int(r) for t, r in zip(frame["text"], frame["round"],
                                                          strict=True)}  # fmt: skip
    keys = [round_of.get(text_key(t)) if o == "corpus" else None for t, o in
            zip(texts, origins, strict=True)]  # fmt: skip
    named = {"umsab": origins == "umsab"}
    for r in sorted({k for k in keys if k is not None}):
        named[f"corpus round {r}"] = np.array([k == r for k in keys])
    # The corpus's own label of the UMSAB train tweets it drew (their item key is the raw
    # tweet's text key), where the trainer reads UMSAB's.
    tweets = frame[(frame["source"] == f"umsab_{UMSAB_FOLDER[lang]}") & (frame["split"] == "train")]
    guide = {str(k): SENTIMENTS.index(str(v)) for k, v in zip(tweets["key"], tweets["sentiment"],
                                                              strict=True)}  # fmt: skip
    theirs = np.array([guide.get(text_key(t), -1) if o == "umsab" else -1
                       for t, o in zip(texts, origins, strict=True)])  # fmt: skip
    named[AS_THE_CORPUS_LABELLED] = theirs >= 0
    out: dict[str, dict[str, float]] = {}
    for name, mask in named.items():
        if mask.any():
            truth = theirs if name == AS_THE_CORPUS_LABELLED else gold
            top = probs[mask].max(axis=1)
            out[name] = {
                "rows": int(mask.sum()),
                "accuracy": round(float(np.mean(probs[mask].argmax(1) == truth[mask])), 3),
                "mean_top": round(float(top.mean()), 3),
                "ece": reliability(probs[mask], truth[mask])[1],
                "calibrated_bound": calibrated_ece_bound(top),
            }
    if AS_THE_CORPUS_LABELLED in out:
        both = named[AS_THE_CORPUS_LABELLED]
        out[AS_THE_CORPUS_LABELLED]["labels_agree"] = round(
            float(np.mean(theirs[both] == gold[both])), 3
        )
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")
    parser.add_argument("--rounds", type=int, help="the corpus as it stood after this round")
    parser.add_argument("--profile", choices=LABELING_PROFILES, default=DEFAULT_LABELING_PROFILE)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--cache", type=Path, help="folder caching sentence vectors")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    figures: Any = parts(args.lang, args.rounds, args.profile, args.data, args.cache)
    for name, f in figures.items():
        agree = (
            f" (UMSAB's label the same in {f['labels_agree']:.0%})" if "labels_agree" in f else ""
        )
        print(f"{args.lang} {args.profile}, {name}{agree}: {f['rows']} rows, accuracy "
              f"{f['accuracy']:.3f}, mean top score {f['mean_top']:.3f}, ECE {f['ece']:.3f} (a "
              f"calibrated model's: under {f['calibrated_bound']:.3f} in 95 %)")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
