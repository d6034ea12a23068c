"""Benchmark: 200 generated brand queries against generated mentions, on one core.

    nice .venv/bin/python bench/queries.py [--mentions 1000000] [--queries 200] [--seed 7]

Prints the matching throughput (mentions/s) of BrandMatcher.match: tokenising each mention once,
looking candidate queries up in the term index, evaluating only those. Generation of the mentions
is not timed; building a MatchDoc per mention is.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config.settings import BrandSettings
from nlp.brands import BrandMatcher
from nlp.query import MatchDoc

WORDS = """
je tu il elle nous vous ils on le la les un une des de du au aux et ou mais donc car ni pas plus
très trop bien mal encore toujours jamais déjà hier demain aujourd’hui vraiment commande colis
livraison livré reçu retard remboursement service client sav magasin produit prix promo soldes
offre code réduction avis note étoiles qualité déçu content super génial nul horrible arnaque
conseil question réponse merci bonjour bonsoir équipe écran télé téléphone ordinateur frigo canapé
chaussures robe livre jeu console casque the a an and or but not very good bad great awful order
parcel delivery refund customer support store product price deal discount review stars quality
disappointed happy thanks hello team screen phone laptop fridge sofa shoes dress book game headset
cœur élève l’appli d’accord qu’il c’est j’ai n’est s’il
""".split()  # noqa: SIM905
EMOJI = ["😡", "😍", "👍", "🔥", "😭", "🙏", "💸"]
SUBDOMAINS = ["forum", "www", "m"]
TOPICS = "(livraison OR colis OR commande OR delivery OR parcel)"
SYLLABLES = "lu mi no ri ve ka to sa be lo da fi ra zo mu ne ti pa co ge".split()  # noqa: SIM905


def brand_names(rng: random.Random, n: int) -> list[str]:
    names: set[str] = set()
    while len(names) < n:
        names.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))))
    return sorted(names)


def make_queries(names: list[str], rng: random.Random) -> list[BrandSettings]:
    shapes = [
        lambda a, b: f"{a} OR @{a} OR #{a}",
        lambda a, b: f'"{a} {b}" OR {a}.fr OR @{a}_officiel',
        lambda a, b: f"{a}* NOT (bourse OR action OR stock)",
        lambda a, b: f"({a} OR @{a}) AND {TOPICS}",
        lambda a, b: f"{a} NEAR/5 (sav OR remboursement OR refund)",
        lambda a, b: f'"{a} service"~3 -spam',
        lambda a, b: f"{a} lang:fr",
        lambda a, b: f"({a} OR {b}) site:{a}.example.org",
        lambda a, b: f"title:{a} OR (#{a} -author:{a})",
        lambda a, b: [a, f"{a} {b}", f"@{a}"],
    ]
    out = []
    for i, name in enumerate(names):
        other = names[(i * 7 + 3) % len(names)]
        query = shapes[i % len(shapes)](name, other)
        out.append(BrandSettings(name=f"Brand{i}", query=query))
    rng.shuffle(out)
    return out


def make_mentions(names: list[str], rng: random.Random, n: int) -> list[MatchDoc]:
    docs = []
    for _ in range(n):
        words = [rng.choice(WORDS) for _ in range(rng.randint(6, 40))]
        if rng.random() < 0.15:  # about one mention in seven names a brand
            name = rng.choice(names)
            form = rng.choice([name, name.capitalize(), "#" + name, "@" + name, name + ".fr"])
            words.insert(rng.randrange(len(words) + 1), form)
        if rng.random() < 0.3:
            words.insert(rng.randrange(len(words) + 1), rng.choice(EMOJI))
        text = " ".join(words).capitalize() + rng.choice([".", " !", " ?", "...", ""])
        docs.append(
            MatchDoc(
                text=text,
                title=" ".join(rng.choice(WORDS) for _ in range(4)) if rng.random() < 0.2 else None,
                author=rng.choice(names) if rng.random() < 0.05 else f"user{rng.randrange(10**6)}",
                url=f"https://{rng.choice(SUBDOMAINS)}.{rng.choice(names)}.example.org/t/1",
                lang=rng.choice(["fr", "fr", "en", None]),
                source_kind=rng.choice(["forum", "twitter_export", "facebook_export", "rss"]),
            )
        )
    return docs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mentions", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--distinct", type=int, default=100_000, help="distinct mentions generated")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    rng = random.Random(args.seed)
    names = brand_names(rng, args.queries)
    brands = make_queries(names, rng)
    t0 = time.perf_counter()
    matcher = BrandMatcher.from_brands(brands)
    compiled = time.perf_counter() - t0
    pool = make_mentions(names, rng, min(args.distinct, args.mentions))
    fields = [(d.text, d.title, d.author, d.url, d.lang, d.source_kind) for d in pool]
    size = len(fields)

    matches = matched_docs = 0
    c0, t0 = time.process_time(), time.perf_counter()
    for i in range(args.mentions):
        text, title, author, url, lang, kind = fields[i % size]
        found = matcher.match(MatchDoc(text, title, author, url, lang, kind))
        if found:
            matched_docs += 1
            matches += len(found)
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0

    print(f"queries: {len(brands):,} compiled in {compiled * 1000:.1f} ms")
    print(
        f"mentions: {args.mentions:,} ({size:,} distinct), {matched_docs:,} matched a brand, "
        f"{matches:,} brand matches"
    )
    print(f"time: {elapsed:.2f} s wall, {cpu:.2f} s CPU, on one core")
    print(f"throughput: {args.mentions / elapsed:,.0f} mentions/s wall clock")
    print(f"throughput: {args.mentions / cpu:,.0f} mentions/s of CPU time (load-independent)")


if __name__ == "__main__":
    main()
