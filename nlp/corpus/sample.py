"""Draw the corpus sample from the sources, deterministically, and write the item list.

Run: `python -m nlp.corpus.sample [--data DIR] [--force]` (writes nlp/corpus/data/items.csv
once: annotators label what it lists, so it is never redrawn without --force). Later rounds:
`python -m nlp.corpus.sample --extend 2` appends round 2 (`nlp.corpus.extend`)."""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nlp.corpus.items import read_items, write_items
from nlp.corpus.paths import DEFAULT_DATA, ITEMS, SEED
from nlp.corpus.sources import Text, usable


@dataclass(frozen=True)
class Quota:
    """How many texts of one source (one language, some kinds) to draw, and how to spread
    them: evenly over the strata named by `by`, or by `shares` of the source's own label."""

    source: str
    lang: str
    n: int | None  # None: every usable text
    kinds: tuple[str, ...] = ()
    by: tuple[str, ...] = ("group", "stratum")
    shares: dict[str, float] = field(default_factory=dict)


QUOTAS = (
    Quota("fr_engie_tweets", "fr", None),
    Quota("fr_facebook_comments", "fr", 1000, by=("group",)),
    Quota("fr_trustpilot_retail", "fr", 700),
    Quota("fr_trustpilot_bank", "fr", 300, kinds=("review",)),
    Quota("fr_trustpilot_bank", "fr", 120, kinds=("company_reply",)),
    Quota("fr_trustpilot_appliances", "fr", None),
    Quota("umsab_french", "fr", 450),
    Quota("en_airline_tweets", "en", 350),
    Quota("en_spotifycares_tweets", "en", 300),
    Quota(
        "en_sxsw_brand_tweets", "en", 250, by=("stratum",),
        shares={
            "No emotion toward brand or product": 0.45, "Positive emotion": 0.3,
            "Negative emotion": 0.2, "I can't tell": 0.05,
        },
    ),
    Quota("suggestions_en", "en", 200, by=("stratum",), shares={"1": 0.4, "0": 0.6}),
    Quota("umsab_english", "en", 100),
)  # fmt: skip


def allocate(
    sizes: dict[str, int], n: int, shares: dict[str, float] | None = None
) -> dict[str, int]:
    """Split `n` over strata of the given sizes: by `shares` (evenly when none), never more
    than a stratum holds, what a small stratum cannot take going to the others."""
    weights = {s: (shares or {}).get(s, 0.0 if shares else 1.0) for s in sizes}
    if not any(weights.values()):
        weights = dict.fromkeys(sizes, 1.0)
    take = dict.fromkeys(sizes, 0)
    n = min(n, sum(sizes.values()))
    while sum(take.values()) < n:
        open_ = [s for s in sorted(sizes) if take[s] < sizes[s] and weights[s] > 0]
        if not open_:  # strata the shares left out fill what the others could not
            weights = {s: 1.0 for s in sizes}
            continue
        left = n - sum(take.values())
        total = sum(weights[s] for s in open_)
        given = 0
        for s in open_:
            extra = min(int(left * weights[s] / total), sizes[s] - take[s])
            take[s] += extra
            given += extra
        if given == 0:  # rounding left a few: one each, largest weight first
            for s in sorted(open_, key=lambda s: (-weights[s], s))[:left]:
                take[s] += 1
    return take


def _stratum(text: Text, by: Iterable[str]) -> str:
    return "|".join(str(getattr(text, name)) for name in by)


def draw(texts: list[Text], quota: Quota, rng: random.Random) -> list[Text]:
    """The texts a quota takes, whatever the order the source file holds them in."""
    pool = [t for t in texts if t.lang == quota.lang and (not quota.kinds or t.kind in quota.kinds)]
    pool.sort(key=lambda t: t.key)
    if quota.n is None or quota.n >= len(pool):
        return pool
    strata: dict[str, list[Text]] = defaultdict(list)
    for t in pool:
        strata[_stratum(t, quota.by)].append(t)
    take = allocate({s: len(v) for s, v in strata.items()}, quota.n, quota.shares or None)
    chosen: list[Text] = []
    for s in sorted(strata):
        chosen.extend(rng.sample(strata[s], take[s]))
    return chosen


def sample(data: Path, quotas: Iterable[Quota] = QUOTAS, seed: int = SEED) -> list[dict[str, str]]:
    """The item list: per language, the drawn texts shuffled and numbered fr-0001, en-0001…"""
    by_lang: dict[str, list[Text]] = defaultdict(list)
    cache: dict[str, list[Text]] = {}
    seen: set[str] = set()
    for quota in quotas:
        if quota.source not in cache:
            cache[quota.source] = usable(quota.source, data)
        rng = random.Random(f"{seed}:{quota.source}:{quota.lang}:{','.join(quota.kinds)}")
        for text in draw(cache[quota.source], quota, rng):
            fold = text.text.casefold()
            if fold not in seen:  # the same text in two sources is labelled once
                seen.add(fold)
                by_lang[quota.lang].append(text)
    items: list[dict[str, str]] = []
    for lang in sorted(by_lang):
        texts = by_lang[lang]
        random.Random(f"{seed}:order:{lang}").shuffle(texts)
        for i, t in enumerate(texts, 1):
            items.append(
                {
                    "id": f"{lang}-{i:04d}",
                    "source": t.source,
                    "key": t.key,
                    "lang": lang,
                    "kind": t.kind,
                    "round": "1",
                }
            )
    return items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--out", type=Path, default=ITEMS)
    parser.add_argument("--force", action="store_true", help="redraw an existing item list")
    parser.add_argument(
        "--extend", type=int, metavar="ROUND", help="append a later annotation round (e.g. 2)"
    )
    args = parser.parse_args(argv)
    if args.extend:
        return _extend(args.data, args.out, args.extend, args.force)
    items = sample(args.data)
    try:
        write_items(items, args.out, args.force)
    except FileExistsError as exc:
        print(exc, file=sys.stderr)
        return 1
    counts = Counter((i["lang"], i["source"], i["kind"]) for i in items)
    for (lang, source, kind), n in sorted(counts.items()):
        print(f"{lang}  {source:26} {kind:20} {n:5}")
    print(f"{len(items)} items written to {args.out}")
    return 0


def _extend(data: Path, out: Path, round_no: int, force: bool) -> int:
    from nlp.corpus.extend import draw_file, run, write_draw

    items = read_items(out)
    try:
        listed, drawn = run(data, items, round_no, force, out.parent)
    except (FileExistsError, ValueError) as exc:
        print(exc, file=sys.stderr)
        return 1
    write_items(listed, out, force=True)
    new = listed[len(listed) - len(drawn) :]
    write_draw(new, drawn, draw_file(round_no, out.parent))
    counts = Counter(
        (i["lang"], i["source"], i["kind"], d.criterion) for i, d in zip(new, drawn, strict=True)
    )
    for (lang, source, kind, criterion), n in sorted(counts.items()):
        print(f"{lang}  {source:26} {kind:20} {criterion:10} {n:5}")
    print(f"round {round_no}: {len(new)} items added to {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
