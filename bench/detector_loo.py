"""Leave-one-series-out check of the bad-buzz detector with NAB's protocol.

The NAB scorer picks each profile's threshold on the files it scores, which flatters a detector
tuned on those same files. Here each series is scored in turn with the thresholds chosen on the
other four (and, with --grid, with the detector settings chosen on the other four from a small
grid), so the figures say how the detector does on a series it was not tuned on — the situation
of the five held-out NAB series and of a new brand. Prints, per profile, the in-sample score
(thresholds optimised on all five, as bench/detector.py), each held-out series' raw score, and
the pooled leave-one-out score (the held-out raw scores summed, normalised like NAB's).

    nice .venv/bin/python bench/detector_loo.py [--data DIR] [--grid]
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib.util
import sys
import time
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports.detect import DetectorParams, score_series  # noqa: E402

SHARED = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared",
)
# --grid: settings chosen on the other four series (few knobs, coarse steps)
GRID: dict[str, tuple[Any, ...]] = {
    "fire_ratio": (1.25, 1.5, 1.75),
    "refractory_hours": (12.0, 24.0),
}


def _scorer(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("nab_score", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Bench:
    """The NAB corpus loaded once; scores detector settings in-process."""

    def __init__(self, nab: ModuleType, data: Path) -> None:
        self.nab = nab
        src = nab.open_data_dir(str(data))
        self.corpus = nab.Corpus(src, [nab.rt_file(t) for t in nab.tickers_in_data_dir(src)])
        self.files: list[str] = self.corpus.files
        self.null = nab.null_prepared(self.corpus)
        self.windows = {f: len(self.corpus.windows[f]) for f in self.files}
        self._cache: dict[tuple[int, tuple[str, ...], str], dict[str, Any]] = {}

    def prepare(self, params: DetectorParams) -> dict[str, list[Any]]:
        out = {}
        for f in self.files:
            points = list(zip(self.corpus.ts[f], self.corpus.values[f], strict=True))
            scores = [round(s.score, 6) for s in score_series(_naive(points), params)]
            out[f] = self.nab.prepare_file(f, self.corpus.ts[f], scores, self.corpus.windows[f])
        return out

    def score(
        self, prepared: dict[str, list[Any]], files: list[str], thresholds: dict[str, float] | None
    ) -> dict[str, Any]:
        key = (id(prepared), tuple(files), repr(thresholds))
        if key not in self._cache:
            self._cache[key] = self.nab.score_detector(
                prepared, files, self.corpus.profiles, thresholds
            )
        return self._cache[key]

    def normalised(self, raw: float, files: list[str], profile: str) -> float:
        null = self.score(self.null, files, None)[profile]["raw_score"]
        tp = self.corpus.profiles[profile]["CostMatrix"]["tpWeight"]
        perfect = sum(self.windows[f] for f in files) * tp
        return 100.0 * (raw - null) / (perfect - null)


def _naive(points: list[tuple[datetime, float]]) -> list[tuple[datetime, float]]:
    return [(t.replace(tzinfo=None), v) for t, v in points]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "nab_realtweets_dev")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "nab_score.py")
    parser.add_argument("--grid", action="store_true", help="also choose settings on the others")
    args = parser.parse_args()
    if not (args.data / "realTweets").is_dir() or not args.scorer.is_file():
        print(f"skipped: no NAB data or scorer at {args.data} / {args.scorer} (../shared absent)")
        return 0
    bench = Bench(_scorer(args.scorer), args.data)
    profiles = bench.nab.PROFILES
    started = time.perf_counter()
    base = DetectorParams()
    candidates = [base]
    if args.grid:
        keys = list(GRID)
        combos: list[dict[str, Any]] = [{}]
        for key in keys:
            combos = [{**c, key: v} for c in combos for v in GRID[key]]
        candidates += [dataclasses.replace(base, **c) for c in combos]  # [0] = the defaults
    prepared = [bench.prepare(p) for p in candidates]
    print(f"{len(candidates)} setting(s) scored in {time.perf_counter() - started:.1f} s")
    files = bench.files
    every = bench.score(prepared[0], files, None)
    print("\nin-sample, default settings (thresholds optimised on all five, as bench/detector.py):")
    for prof in profiles:
        print(f"  {prof:<20} {bench.normalised(every[prof]['raw_score'], files, prof):6.2f}")
    print("\nleave-one-series-out: raw NAB score of each series with what the other four chose")
    print(f"{'series':<28}" + "".join(f"{p:>22}" for p in profiles))
    pooled = dict.fromkeys(profiles, 0.0)
    for held in files:
        others = [f for f in files if f != held]
        row = f"{held.split('_')[-1]:<28}"
        for prof in profiles:
            best = max(
                range(len(candidates)),
                key=lambda k: bench.score(prepared[k], others, None)[prof]["raw_score"],
            )
            thr = bench.score(prepared[best], others, None)[prof]["threshold"]
            res = bench.score(prepared[best], [held], dict.fromkeys(profiles, thr))[prof]
            pooled[prof] += res["raw_score"]
            note = f" [{best}]" if args.grid else ""
            row += f"{res['raw_score']:>11.3f} thr {thr:.3f}{note}"
        print(row)
    print("\npooled leave-one-out score (held-out raw scores summed, normalised on all five):")
    for prof in profiles:
        ins = bench.normalised(every[prof]["raw_score"], files, prof)
        loo = bench.normalised(pooled[prof], files, prof)
        print(f"  {prof:<20} {loo:6.2f}   (in-sample {ins:.2f})")
    if args.grid:
        for k, c in enumerate(candidates):
            print(f"  [{k}] " + ", ".join(f"{key}={getattr(c, key)}" for key in GRID))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
