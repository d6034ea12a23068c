"""Draw a later annotation round: new training items that favour what the shipped models lack.

Run: `python -m nlp.corpus.sample --extend 2 [--data DIR]` (appends round 2 to
nlp/corpus/data/items.csv and writes data/draw_round2.csv). Per source, a third of the items is
drawn at random (the extension stays representative), a third among texts the shipped topic
model predicts as a rare topic, and the rest among the texts the topic or sentiment model is
least sure of. Only train-side information is used — model predictions on unlabelled texts;
the test split is never read to choose, only to leave its texts (and near copies) out.

Round 3 (`--extend 3`) draws the forum posts (`nlp/corpus/forum_posts.py`) at random only: a
fifth of it becomes the round's own test part (`split --extend`). Round 4 (`--extend 4`) is drawn
as round 2 was, towards the topics the rounds 1–3 models read worst (`RARE`), training only;
round 5 (`--extend 5`) as round 3, from a second brand's support forum; round 6 (`--extend 6`)
at random from the test split's English sources, with its own test part; round 7
(`--extend 7`) English product reviews at random, evenly over the stars, with its own test
part; round 8 (`--extend 8`) the same for English reviews of a hotel (a company's service); round
9 (`--extend 9`) English tweets drawn as round 4, towards the weak English topics, training
only."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp.corpus.batches import resolve, shown_text
from nlp.corpus.items import of_round
from nlp.corpus.paths import RECORDS, SEED
from nlp.corpus.sample import allocate
from nlp.corpus.sources import BRAND_AUTHORED, Text, usable
from nlp.corpus.split import read_split
from nlp.corpus.textkey import fold


@dataclass(frozen=True)
class Extension:
    """How many new texts of one source (one language, some kinds) a round draws."""

    source: str
    lang: str
    n: int
    kinds: tuple[str, ...] = ()
    at_random: bool = False  # every item drawn at random (a round with its own test part)
    by_stratum: bool = False  # at random, spread evenly over the source's strata (stars)


ROUND2 = (
    Extension("fr_facebook_comments", "fr", 850),
    Extension("fr_trustpilot_retail", "fr", 300),
    Extension("fr_trustpilot_bank", "fr", 150, ("review",)),
    Extension("fr_trustpilot_bank", "fr", 50, ("company_reply",)),
    Extension("umsab_french", "fr", 150),
    Extension("en_airline_tweets", "en", 500),
    Extension("en_spotifycares_tweets", "en", 500),
    Extension("en_sxsw_brand_tweets", "en", 450),
    Extension("suggestions_en", "en", 250),
    Extension("umsab_english", "en", 100),
)  # fmt: skip
# Round 3: the forum posts (nlp/corpus/forum_posts.py), drawn at random only — a fifth of them
# is the round's own test part (`split --extend`), which must represent the source.
ROUND3 = (
    Extension("fr_forumconstruire", "fr", 252, at_random=True),
    Extension("en_dwolla_discuss", "en", 200, ("forum_post",), at_random=True),
    Extension("en_dwolla_discuss", "en", 100, ("company_reply",), at_random=True),
)  # fmt: skip
# Round 4: the sources with members' and fans' chatter (Facebook comments, general tweets, tweets
# about brands) and the weak topics' looks, drawn as round 2 (a third at random), training only.
ROUND4 = (
    Extension("fr_facebook_comments", "fr", 350),
    Extension("umsab_french", "fr", 100),
    Extension("en_sxsw_brand_tweets", "en", 150),
    Extension("umsab_english", "en", 100),
    Extension("en_airline_tweets", "en", 75),
    Extension("en_spotifycares_tweets", "en", 75),
)  # fmt: skip
# Round 5: a second English support forum (nlp/corpus/forum_posts.py), of another company and
# sector, drawn at random with its own test part like round 3.
ROUND5 = (
    Extension("en_docusign_community", "en", 200, ("forum_post",), at_random=True),
    Extension("en_docusign_community", "en", 100, ("company_reply",), at_random=True),
)  # fmt: skip
# Round 6: English texts of the test split's English sources, drawn at random, with a test
# part of its own (test6) — a second, independent measure of English beside the 236 English
# items of the frozen test split.
ROUND6 = (
    Extension("en_airline_tweets", "en", 300, at_random=True),
    Extension("en_spotifycares_tweets", "en", 250, at_random=True),
    Extension("en_sxsw_brand_tweets", "en", 200, at_random=True),
    Extension("suggestions_en", "en", 150, at_random=True),
    Extension("umsab_english", "en", 100, at_random=True),
)  # fmt: skip
# Round 7: product reviews in English (nlp/corpus/reviews.py), the kind the English part lacked,
# drawn at random evenly over the stars (as round 1 drew the French reviews) with a test part of
# its own (test7).
ROUND7 = (Extension("en_clothing_reviews", "en", 400, at_random=True, by_stratum=True),)
# Round 8: reviews of a company's service in English (one London hotel's guests on a booking
# site: stays, staff, rooms, bills), drawn as round 7, evenly over the guests' scores, with a
# test part of its own (test8).
ROUND8 = (Extension("en_hotel_reviews", "en", 400, at_random=True, by_stratum=True),)
# Round 9: English tweets of the test split's English sources, drawn as rounds 2 and 4 (a third
# at random, a third towards the topics the English models read worst, the rest among the least
# sure), training only: English topic is the aim furthest off, and its weak topics are rare.
ROUND9 = (
    Extension("en_airline_tweets", "en", 150),
    Extension("en_spotifycares_tweets", "en", 125),
    Extension("en_sxsw_brand_tweets", "en", 150),
    Extension("umsab_english", "en", 75),
)  # fmt: skip
ROUNDS = {
    2: ROUND2, 3: ROUND3, 4: ROUND4, 5: ROUND5, 6: ROUND6, 7: ROUND7, 8: ROUND8, 9: ROUND9,
}  # fmt: skip
# Per round and language, the topics with few training examples or a low test F1 in the model
# card of the time (round 4: per-class F1 of the rounds 1–3 models under 0.5 in English, under
# 0.75 in French; round 9: the three English topics with the lowest out-of-fold F1 in the
# card, communaute 0.36, prescription 0.46, information 0.52).
RARE: dict[int, dict[str, tuple[str, ...]]] = {
    2: {
        "en": ("information", "communaute", "crowdsourcing", "prescription", "communication"),
        "fr": ("information", "communaute", "crowdsourcing"),
    },
    4: {
        "en": ("information", "communaute", "prescription"),
        "fr": ("communaute", "crowdsourcing", "communication", "information"),
    },
    9: {"en": ("communaute", "prescription", "information")},
}
RANDOM_SHARE = 1 / 3
RARE_SHARE = 1 / 3  # the rest: uncertain texts
SCORED_PER_SOURCE = 5000  # a seeded subset of a large source is scored, not all of it
UNCERTAIN_POOL = 3  # uncertain texts are drawn from the n × 3 least sure, not the n least
CONTAINED = 30  # a candidate holding a test text this long (or held in one) is a near copy
DRAW_FIELDS = ("id", "source", "criterion", "topic", "topic_score", "sentiment", "sentiment_score")


@dataclass(frozen=True)
class Scores:
    """The shipped models' view of one text: top topic and sentiment, with their scores."""

    topic: str
    topic_score: float
    sentiment: str
    sentiment_score: float

    @property
    def certainty(self) -> float:
        return min(self.topic_score, self.sentiment_score)


Scorer = Callable[[Sequence[Text]], list[Scores]]


@dataclass(frozen=True)
class Drawn:
    text: Text
    criterion: str  # random, rare, uncertain
    scores: Scores


def model_scorer(batch: int = 2000) -> Scorer:
    """Scores from the packaged topic and sentiment models, profile accurate, on the text the
    annotators will see (handles pseudonymised), the brand's own texts marked as such."""
    from nlp import features
    from nlp.cleanup import bounded
    from nlp.labelers.sentiment import SentimentModel
    from nlp.labelers.topic_model import TopicModel
    from nlp.model_store import packaged_model
    from storage.vocab import SENTIMENTS

    topic = TopicModel.from_file(packaged_model("topic"))
    sentiment = SentimentModel.from_file(packaged_model("sentiment"))
    encoder = features.shared_encoder()

    def score(texts: Sequence[Text]) -> list[Scores]:
        out: list[Scores] = []
        for start in range(0, len(texts), batch):
            part = texts[start : start + batch]
            shown = [bounded(shown_text(t)) for t in part]
            vectors = encoder.encode(shown)  # remembered: the sentiment model reuses it
            own = [t.kind in BRAND_AUTHORED for t in part]
            french = [t.lang == "fr" for t in part]
            tp = topic.predict(topic.inputs(shown, french, own, vectors), "accurate", french)
            sp = sentiment.predict(shown, [t.lang for t in part], encoder)
            for trow, srow in zip(tp, sp, strict=True):
                ti, si = int(np.argmax(trow)), int(np.argmax(srow))
                out.append(
                    Scores(topic.classes[ti], round(float(trow[ti]), 4),
                           SENTIMENTS[si], round(float(srow[si]), 4))
                )  # fmt: skip
        return out

    return score


def candidates(
    texts: list[Text], quota: Extension, taken_keys: set[str], taken_folds: set[str],
    test_folds: Sequence[str], rng: random.Random,
) -> list[Text]:  # fmt: skip
    """The quota's usable texts not already in the corpus: no key of an item, no text whose
    fold is an item's, no near copy of a test text; a seeded subset when the source is large.
    Sorted by key, whatever order the source file holds them in."""
    pool: list[Text] = []
    seen: set[str] = set()
    for text in sorted(texts, key=lambda t: t.key):
        if text.lang != quota.lang or (quota.kinds and text.kind not in quota.kinds):
            continue
        folded = fold(shown_text(text))
        if not folded or text.key in taken_keys or folded in taken_folds or folded in seen:
            continue
        if near_copy(folded, test_folds):
            continue
        seen.add(folded)
        pool.append(text)
    if len(pool) > SCORED_PER_SOURCE:
        pool = sorted(rng.sample(pool, SCORED_PER_SOURCE), key=lambda t: t.key)
    return pool


def near_copy(folded: str, test_folds: Sequence[str]) -> bool:
    """A text that holds a long test text (a retweet with a comment) or is held in one."""
    return any(
        (len(t) >= CONTAINED and t in folded) or (len(folded) >= CONTAINED and folded in t)
        for t in test_folds
    )


def choose(
    pool: list[Text], scores: list[Scores], n: int, rare: Sequence[str], rng: random.Random,
    random_share: float = RANDOM_SHARE,
) -> list[Drawn]:  # fmt: skip
    """n texts of the pool: `random_share` (a third) at random, a third evenly over the rare
    topics the model predicts (what a small rare pool cannot fill goes to the uncertain share;
    none when `rare` is empty), the rest at
    random among the n × 3 texts the models are least sure of (not the very least sure
    alone: those are mostly garbled)."""
    n = min(n, len(pool))
    by_key = {t.key: s for t, s in zip(pool, scores, strict=True)}
    chosen: list[Drawn] = []
    used: set[str] = set()

    def take(texts: list[Text], k: int, criterion: str) -> None:
        for text in rng.sample(texts, min(k, len(texts))):
            chosen.append(Drawn(text, criterion, by_key[text.key]))
            used.add(text.key)

    take(pool, round(n * random_share), "random")
    left = [t for t in pool if t.key not in used]
    strata = {topic: [t for t in left if by_key[t.key].topic == topic] for topic in rare}
    share = allocate({k: len(v) for k, v in strata.items()}, round(n * RARE_SHARE)) if rare else {}
    for topic in rare:
        take(strata[topic], share[topic], "rare")
    unsure = sorted(
        (t for t in pool if t.key not in used), key=lambda t: (by_key[t.key].certainty, t.key)
    )
    rest = n - len(chosen)
    take(unsure[: rest * UNCERTAIN_POOL], rest, "uncertain")
    return chosen


def by_stratum(pool: list[Text], scores: list[Scores], n: int, rng: random.Random) -> list[Drawn]:
    """n texts of the pool at random, spread evenly over the source's strata (its stars): what
    a small stratum cannot fill goes to the others."""
    by_key = {t.key: s for t, s in zip(pool, scores, strict=True)}
    strata: dict[str, list[Text]] = {}
    for text in pool:
        strata.setdefault(text.stratum, []).append(text)
    share = allocate({k: len(v) for k, v in strata.items()}, n)
    return [
        Drawn(text, "random", by_key[text.key])
        for stratum in sorted(strata)
        for text in rng.sample(strata[stratum], share[stratum])
    ]


def existing(data: Path, items: list[dict[str, str]], records: Path) -> tuple[set[str], list[str]]:
    """The folds of every item's text, and those of the test split's texts."""
    texts = resolve(data, items)
    test = read_split(records / "split.csv")
    folds = {i: fold(shown_text(t)) for i, t in texts.items()}
    return set(folds.values()), sorted({f for i, f in folds.items() if test.get(i) == "test"})


def extend(
    data: Path, items: list[dict[str, str]], round_no: int, scorer: Scorer,
    quotas: Sequence[Extension] | None = None, seed: int = SEED, records: Path = RECORDS,
) -> tuple[list[dict[str, str]], list[Drawn]]:  # fmt: skip
    """The new items of round `round_no` (ids continuing each language's numbering) and how
    each was drawn. Deterministic: the same sources, items, scores and seed give the same."""
    earlier = [i for i in items if int(i["round"]) < round_no]
    taken_keys = {i["key"] for i in earlier}
    taken_folds, test_folds = existing(data, earlier, records)
    cache: dict[str, list[Text]] = {}
    scored: dict[str, dict[str, Scores]] = {}
    drawn: dict[str, list[Drawn]] = {}
    for quota in ROUNDS[round_no] if quotas is None else quotas:
        if quota.source not in cache:
            cache[quota.source] = usable(quota.source, data)
            scored[quota.source] = {}
        tag = f"{seed}:round{round_no}:{quota.source}:{quota.lang}:{','.join(quota.kinds)}"
        pool = candidates(cache[quota.source], quota, taken_keys, taken_folds, test_folds,
                          random.Random(f"{tag}:pool"))  # fmt: skip
        known = scored[quota.source]
        todo = [t for t in pool if t.key not in known]
        known.update(zip((t.key for t in todo), scorer(todo), strict=True))
        rare, share = ((), 1.0) if quota.at_random else (RARE[round_no][quota.lang], RANDOM_SHARE)
        rng = random.Random(f"{tag}:choose")
        picks = (
            by_stratum(pool, [known[t.key] for t in pool], quota.n, rng)
            if quota.by_stratum
            else choose(pool, [known[t.key] for t in pool], quota.n, rare, rng, share)
        )
        for pick in picks:  # the same text in two sources is labelled once
            taken_folds.add(fold(shown_text(pick.text)))
            taken_keys.add(pick.text.key)
        drawn.setdefault(quota.lang, []).extend(picks)
    new_items: list[dict[str, str]] = []
    ordered: list[Drawn] = []
    for lang in sorted(drawn):
        picks = drawn[lang]
        random.Random(f"{seed}:round{round_no}:order:{lang}").shuffle(picks)
        start = max((int(i["id"].split("-")[1]) for i in items if i["lang"] == lang), default=0)
        for number, pick in enumerate(picks, start + 1):
            t = pick.text
            new_items.append({"id": f"{lang}-{number:04d}", "source": t.source, "key": t.key,
                              "lang": lang, "kind": t.kind, "round": str(round_no)})  # fmt: skip
            ordered.append(pick)
    return new_items, ordered


def draw_file(round_no: int, records: Path = RECORDS) -> Path:
    return records / f"draw_round{round_no}.csv"


def write_draw(new_items: list[dict[str, str]], drawn: list[Drawn], path: Path) -> None:
    """Per new item, why it was drawn and what the shipped models predicted (no text)."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(DRAW_FIELDS)
        for item, pick in zip(new_items, drawn, strict=True):
            s = pick.scores
            writer.writerow([
                item["id"], item["source"], pick.criterion,
                s.topic, f"{s.topic_score:.4f}", s.sentiment, f"{s.sentiment_score:.4f}",
            ])  # fmt: skip


def read_draw(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def run(
    data: Path, items: list[dict[str, str]], round_no: int, force: bool, records: Path = RECORDS
) -> tuple[list[dict[str, str]], list[Drawn]]:
    """The item list with round `round_no` (re)drawn, and the draw; refuses to redraw a round
    already listed unless `force`, and a round that does not follow the last one."""
    if round_no not in ROUNDS:
        raise ValueError(f"no quotas for round {round_no} (known: {sorted(ROUNDS)})")
    last = max(int(i["round"]) for i in items)
    if of_round(items, round_no) and not force:
        raise FileExistsError(
            f"round {round_no} is already in the item list and annotators label what it lists: "
            "pass --force to redraw it"
        )
    if round_no > last + 1:
        raise ValueError(f"round {round_no} does not follow the last round drawn ({last})")
    kept = [i for i in items if int(i["round"]) < round_no]
    new_items, drawn = extend(data, kept, round_no, model_scorer(), records=records)
    return kept + new_items, drawn
