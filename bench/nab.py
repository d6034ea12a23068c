"""NAB's scoring protocol for any set of labelled series (windows, sigmoid weights, profiles).

A port of the Numenta Anomaly Benchmark's scorer (nab/sweeper.py, nab/optimizer.py and the
normalisation of nab/runner.py), written from NAB's published description and checked against
../shared/tools/nab_score.py, which is limited to the tweet-volume series:

  * each labelled window scores its earliest detection, weighted by a scaled sigmoid of its
    position (1 at the window's start, 0 at its end); a window with no detection costs
    fnWeight; a detection outside every window costs fpWeight × a sigmoid of its distance
    past the previous window's end (the whole fpWeight when far or before any window);
  * the first min(floor(0.15 × rows), 750) rows of a file (the probationary period) are not
    scored;
  * a detection is a row whose anomaly score is ≥ the threshold; the threshold is chosen per
    profile to maximise the summed raw score (the highest one on ties), or given;
  * normalised score = 100 × (S − S_null) / (S_perfect − S_null), where S_null is NAB's null
    detector (constant score 0.5) and S_perfect = windows × tpWeight, on the same files.

Scores are computed for every candidate threshold at once (numpy), which makes the threshold
search and leave-one-series-out choices cheap. Standard library and numpy only.

    .venv/bin/python bench/nab.py --check        # reproduce the shared scorer on the tweets
    .venv/bin/python bench/nab.py --anchors NAB  # published detectors' figures (NAB checkout)
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import io
import json
import math
import subprocess
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
SHARED = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared",
)
DATA_DIRS = (SHARED / "data" / "nab_realtweets_dev", SHARED / "data" / "nab_other")

PROFILES = ("standard", "reward_low_FP_rate", "reward_low_FN_rate")
SHORT = {"standard": "standard", "reward_low_FP_rate": "low FP", "reward_low_FN_rate": "low FN"}
# NAB's config/profiles.json (read from a data folder's profiles.json when there is one)
DEFAULT_COSTS = {
    "standard": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.11, "tnWeight": 1.0},
    "reward_low_FP_rate": {"tpWeight": 1.0, "fnWeight": 1.0, "fpWeight": 0.22, "tnWeight": 1.0},
    "reward_low_FN_rate": {"tpWeight": 1.0, "fnWeight": 2.0, "fpWeight": 0.11, "tnWeight": 1.0},
}
PROBATIONARY_PERCENT = 0.15
SENTINEL = 1.1  # NAB's first threshold: nothing detected
# the realTweets series a Veille checkout may use; NAB's other five are held-out test data
DEV_TWEETS = frozenset(
    f"realTweets/Twitter_volume_{t}.csv" for t in ("AAPL", "CRM", "IBM", "KO", "PFE")
)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def scaled_sigmoid(r: float) -> float:
    """NAB's position weight: 1 → −1 (far after), 0 → 0, −1 → ≈0.987 (a window's start)."""
    return -1.0 if r > 3.0 else 2.0 * _sigmoid(-5.0 * r) - 1.0


MAX_TP = scaled_sigmoid(-1.0)


def parse_ts(text: str) -> datetime:
    text = text.strip().replace("T", " ").removesuffix("Z")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return datetime.strptime(text[:19], "%Y-%m-%d %H:%M:%S")


@dataclass
class Series:
    """One labelled NAB file: `name` is NAB's relative path, e.g. realKnownCause/nyc_taxi.csv."""

    name: str
    timestamps: list[datetime]
    values: list[float]
    windows: list[tuple[datetime, datetime]]

    @property
    def category(self) -> str:
        return self.name.split("/", 1)[0]

    @property
    def short(self) -> str:
        return self.name.rsplit("/", 1)[-1].removesuffix(".csv").removeprefix("Twitter_volume_")


@dataclass
class Corpus:
    series: list[Series]
    costs: dict[str, dict[str, float]] = field(default_factory=lambda: dict(DEFAULT_COSTS))

    def __post_init__(self) -> None:
        self.by_name = {s.name: s for s in self.series}

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.series]

    def windows(self, names: Iterable[str]) -> int:
        return sum(len(self.by_name[n].windows) for n in names)


def load(dirs: Sequence[Path] = DATA_DIRS, only: Iterable[str] | None = None) -> Corpus:
    """The labelled series of NAB-layout folders (CATEGORY/FILE.csv + combined_windows.json).

    realTweets files other than the five development ones are refused: they are test data."""
    wanted = set(only) if only is not None else None
    series: list[Series] = []
    costs = dict(DEFAULT_COSTS)
    for folder in dirs:
        labels = folder / "combined_windows.json"
        if not labels.is_file():
            raise SystemExit(f"{labels}: not found (a NAB data folder needs its windows file)")
        if (folder / "profiles.json").is_file():
            profiles = json.loads((folder / "profiles.json").read_text())
            costs = {p: profiles[p]["CostMatrix"] for p in PROFILES}
        for name, wins in sorted(json.loads(labels.read_text()).items()):
            if (wanted is not None and name not in wanted) or not (folder / name).is_file():
                continue
            if name.startswith("realTweets/") and name not in DEV_TWEETS:
                raise SystemExit(f"{folder / name}: NAB test series, not to be read here")
            series.append(_read(folder / name, name, wins))
    return Corpus(sorted(series, key=lambda s: s.name), costs)


def _read(path: Path, name: str, wins: list[list[str]]) -> Series:
    with path.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    ts = [parse_ts(r["timestamp"]) for r in rows]
    windows = [(parse_ts(a), parse_ts(b)) for a, b in wins]
    known = set(ts)
    for a, b in windows:
        if a not in known or b not in known:
            raise SystemExit(f"{path}: window {a} … {b} does not start and end on rows")
    return Series(name, ts, [float(r["value"]) for r in rows], windows)


@dataclass
class Prepared:
    """The scorable rows of one file: score, position weight u, window index (−1: none)."""

    scores: NDArray[np.float64]
    u: NDArray[np.float64]
    window: NDArray[np.int64]
    n_windows: int  # windows with at least one scorable row (NAB counts only these as FN)


def probation(n: int) -> int:
    return int(min(math.floor(PROBATIONARY_PERCENT * n), PROBATIONARY_PERCENT * 5000))


def prepare(series: Series, scores: Sequence[float]) -> Prepared:
    """The profile-independent part of NAB's Sweeper.calcSweepScore."""
    ts = series.timestamps
    if len(scores) != len(ts):
        raise ValueError(f"{series.name}: {len(scores)} scores for {len(ts)} rows")
    first: dict[datetime, int] = {}
    for i, t in enumerate(ts):
        first.setdefault(t, i)
    pending = list(series.windows)
    prob = probation(len(ts))
    u_out: list[float] = []
    w_out: list[int] = []
    k = -1
    cur: tuple[datetime, datetime] | None = None
    cur_right = cur_width = 0.0
    prev_right: float | None = None
    prev_width = 0.0
    for i, t in enumerate(ts):
        if pending and t == pending[0][0]:
            cur = pending.pop(0)
            k += 1
            cur_right = first[cur[1]]
            cur_width = float(cur_right - first[cur[0]] + 1)
        if cur is not None:
            u = scaled_sigmoid(-(cur_right - i + 1) / cur_width)
        elif prev_right is None:
            u = -1.0
        else:
            u = scaled_sigmoid(abs(prev_right - i) / (prev_width - 1.0))
        if i >= prob:
            u_out.append(u)
            w_out.append(k if cur is not None else -1)
        if cur is not None and t == cur[1]:
            prev_right, prev_width = float(i), cur_width
            cur = None
    window = np.array(w_out, dtype=np.int64)
    # renumber the scorable windows 0..n-1 (a window inside the probationary period is dropped)
    seen = np.unique(window[window >= 0])
    remap = {int(w): j for j, w in enumerate(seen)}
    window = np.array([remap.get(int(w), -1) for w in window], dtype=np.int64)
    s = np.asarray(scores, dtype=np.float64)[prob:]
    return Prepared(s, np.array(u_out), window, len(seen))


@dataclass
class Curves:
    """A file's score parts at each threshold of a grid (descending), profile-free:
    tp = Σ over detected windows of the best position weight (÷ MAX_TP), missed = windows
    without a detection, fp = Σ of the (negative) position weights of detections outside."""

    tp: NDArray[np.float64]
    missed: NDArray[np.int64]
    fp: NDArray[np.float64]

    def raw(self, cost: dict[str, float]) -> NDArray[np.float64]:
        # NAB adds the fp part first, then each window's part
        return (
            self.fp * cost["fpWeight"] - self.missed * cost["fnWeight"] + self.tp * cost["tpWeight"]
        )


def curves(prep: Prepared, grid: NDArray[np.float64]) -> Curves:
    """Score parts of `prep` when every row scoring ≥ t is a detection, for each t of `grid`."""
    outside = prep.window < 0
    fp_s = np.sort(prep.scores[outside])
    fp_u = prep.u[outside][np.argsort(prep.scores[outside], kind="stable")]
    # rows ≥ t are the last ones of the ascending order: suffix sums
    suffix = np.concatenate([np.cumsum(fp_u[::-1])[::-1], [0.0]])
    fp = suffix[np.searchsorted(fp_s, grid, side="left")]
    tp = np.zeros(len(grid))
    missed = np.zeros(len(grid), dtype=np.int64)
    for w in range(prep.n_windows):
        inside = prep.window == w
        order = np.argsort(-prep.scores[inside], kind="stable")
        s_desc = prep.scores[inside][order]
        best = np.maximum.accumulate(prep.u[inside][order] / MAX_TP)
        detected = np.searchsorted(-s_desc, -grid, side="right")  # rows with score ≥ t
        tp += np.where(detected > 0, best[np.maximum(detected - 1, 0)], 0.0)
        missed += detected == 0
    return Curves(tp, missed, fp)


def grid_of(preps: Iterable[Prepared]) -> NDArray[np.float64]:
    """NAB's candidate thresholds: the sentinel, then every distinct score, descending."""
    values = np.unique(np.concatenate([p.scores for p in preps] + [np.array([SENTINEL])]))
    return values[::-1].copy()


@dataclass
class Result:
    threshold: float
    raw: float  # NAB raw score summed over the files
    per_file: dict[str, float]


class Scorer:
    """NAB scores of one detector's output (`scores[name]` per series) on a corpus."""

    def __init__(self, corpus: Corpus, scores: Mapping[str, Sequence[float]]) -> None:
        self.corpus = corpus
        self.preps = {n: prepare(corpus.by_name[n], scores[n]) for n in scores}
        self.grid = grid_of(self.preps.values())
        self.curves = {n: curves(p, self.grid) for n, p in self.preps.items()}
        # how many files hold each grid value: a threshold only one file holds is not a row
        # of the other files' sweep (see `optimise(exclude=…)`)
        self.owners = np.zeros(len(self.grid), dtype=np.int64)
        self.owners[0] = 1
        self._own: dict[str, NDArray[np.int64]] = {}
        for n, p in self.preps.items():
            at = len(self.grid) - 1 - np.searchsorted(self.grid[::-1], np.unique(p.scores))
            self._own[n] = at
            self.owners[at] += 1

    def raw_curves(self, names: Iterable[str], profile: str) -> NDArray[np.float64]:
        cost = self.corpus.costs[profile]
        total = np.zeros(len(self.grid))
        for n in names:
            total += self.curves[n].raw(cost)
        return total

    def optimise(
        self, names: Sequence[str], profile: str, total: NDArray[np.float64] | None = None
    ) -> Result:
        """NAB's optimiser on `names`: the threshold of the best summed score (highest on ties).

        `total` may be given (the summed curves of `names`, e.g. all files' minus one's)."""
        if total is None:
            total = self.raw_curves(names, profile)
        rows = self.owners.copy()
        for n in set(self.preps) - set(names):
            rows[self._own[n]] -= 1
        rows[0] = 1  # the sentinel is always a row
        candidates = np.where(rows > 0, np.round(total, 9), -np.inf)
        best = int(np.argmax(candidates))  # the first maximum: the highest threshold
        return self.at(names, profile, float(self.grid[best]))

    def at(self, names: Iterable[str], profile: str, threshold: float) -> Result:
        """NAB's score of `names` with a given threshold."""
        cost = self.corpus.costs[profile]
        per_file = {}
        for n in names:
            p = self.preps[n]
            one = curves(p, np.array([threshold]))
            per_file[n] = float(one.raw(cost)[0])
        return Result(threshold, sum(per_file.values()), per_file)


_NULL: dict[tuple[int, str, str], tuple[float, float]] = {}


def null_raw(corpus: Corpus, names: Sequence[str], profile: str) -> float:
    """NAB's null detector (constant 0.5), threshold optimised on `names`: its sweep has two
    rows, nothing detected (1.1) and everything (0.5); the first best one is taken."""
    nothing = everything = 0.0
    for n in names:
        key = (id(corpus), n, profile)
        if key not in _NULL:
            half = prepare(corpus.by_name[n], [0.5] * len(corpus.by_name[n].timestamps))
            raw = curves(half, np.array([SENTINEL, 0.5])).raw(corpus.costs[profile])
            _NULL[key] = (float(raw[0]), float(raw[1]))
        nothing += _NULL[key][0]
        everything += _NULL[key][1]
    return everything if round(everything, 9) > round(nothing, 9) else nothing


def normalised(corpus: Corpus, names: Sequence[str], profile: str, raw: float) -> float | None:
    """100 × (raw − null) / (perfect − null); None where the files hold no window."""
    perfect = corpus.windows(names) * corpus.costs[profile]["tpWeight"]
    null = null_raw(corpus, names, profile)
    if perfect == null:
        return None
    return 100.0 * (raw - null) / (perfect - null)


def loo_thresholds(scorer: Scorer, profile: str) -> dict[str, Result]:
    """Each file scored with the threshold NAB's optimiser picks on all the other files."""
    names = list(scorer.preps)
    total = scorer.raw_curves(names, profile)
    cost = scorer.corpus.costs[profile]
    out = {}
    for held in names:
        others = [n for n in names if n != held]
        chosen = scorer.optimise(others, profile, total - scorer.curves[held].raw(cost))
        out[held] = scorer.at([held], profile, chosen.threshold)
    return out


# --- checks and published detectors ---------------------------------------------------------


def check_against_shared_tool(detector_scores: dict[str, list[float]] | None = None) -> int:
    """Score the five tweet series as ../shared/tools/nab_score.py does; print both; 0 if equal."""
    tool = SHARED / "tools" / "nab_score.py"
    dev = SHARED / "data" / "nab_realtweets_dev"
    if not tool.is_file():
        print(f"skipped: {tool} absent")
        return 0
    corpus = load([dev])
    sys.path.insert(0, str(ROOT))
    from reports.detect import score_series

    if detector_scores is None:
        detector_scores = {
            s.name: [
                round(x.score, 6) for x in score_series(zip(s.timestamps, s.values, strict=True))
            ]
            for s in corpus.series
        }
    spec = importlib.util.spec_from_file_location("nab_score", tool)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    src = module.open_data_dir(str(dev))
    theirs = module.Corpus(src, corpus.names)
    prepared = {
        n: module.prepare_file(n, theirs.ts[n], detector_scores[n], theirs.windows[n])
        for n in corpus.names
    }
    null = module.score_detector(module.null_prepared(theirs), theirs.files, theirs.profiles)
    ref = module.normalise(
        module.score_detector(prepared, theirs.files, theirs.profiles),
        null,
        theirs.n_windows,
        theirs.profiles,
    )
    scorer = Scorer(corpus, detector_scores)
    worst = 0.0
    for prof in PROFILES:
        mine = scorer.optimise(corpus.names, prof)
        norm = normalised(corpus, corpus.names, prof, mine.raw)
        assert norm is not None
        diff = abs(norm - ref[prof]["normalized"])
        worst = max(worst, diff, abs(mine.threshold - ref[prof]["threshold"]))
        for n in corpus.names:
            worst = max(worst, abs(mine.per_file[n] - ref[prof]["per_file"][n]["score"]))
        print(
            f"{prof:<20} bench/nab.py {norm:.10f} thr {mine.threshold:.6f}   "
            f"nab_score.py {ref[prof]['normalized']:.10f} thr {ref[prof]['threshold']:.6f}"
        )
    print(f"largest difference (score, threshold, per-file raw): {worst:.2e}")
    return 0 if worst < 1e-9 else 1


def published_scores(nab: Path, detector: str, names: Iterable[str]) -> dict[str, list[float]]:
    """A NAB detector's published anomaly scores (results/DET/CATEGORY/DET_FILE.csv) from a NAB
    checkout or bare mirror; only the files named (never the held-out tweet series)."""
    out = {}
    for name in names:
        if name.startswith("realTweets/") and name not in DEV_TWEETS:
            raise SystemExit(f"{name}: NAB test series, not to be read")
        cat, base = name.split("/", 1)
        rel = f"results/{detector}/{cat}/{detector}_{base}"
        if (nab / rel).is_file():
            text = (nab / rel).read_text()
        else:
            text = subprocess.run(
                ["git", "--git-dir", str(nab), "show", f"HEAD:{rel}"],
                check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
        out[name] = [float(r["anomaly_score"]) for r in csv.DictReader(io.StringIO(text))]
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the shared scorer")
    parser.add_argument("--anchors", type=Path, metavar="NAB", help="score published detectors")
    args = parser.parse_args()
    if args.check:
        return check_against_shared_tool()
    if args.anchors:
        from detector_anchors import compute  # type: ignore[import-not-found]

        compute(args.anchors)
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
