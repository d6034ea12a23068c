"""Score Veille's bad-buzz detector with NAB's protocol on the tweet-volume series.

Runs `veille score-series`'s detector over ../shared/data/nab_realtweets_dev and calls
../shared/tools/nab_score.py (standard, reward_low_FP_rate, reward_low_FN_rate profiles,
with the published detectors beside it). Skips with a message when ../shared is absent.

    nice .venv/bin/python bench/detector.py [--data DIR] [--keep OUT_DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from reports.detect.csvio import detect_csv  # noqa: E402

# ../shared beside the project (or beside the folder of worktrees)
SHARED = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=SHARED / "data" / "nab_realtweets_dev")
    parser.add_argument("--scorer", type=Path, default=SHARED / "tools" / "nab_score.py")
    parser.add_argument("--keep", type=Path, help="write the result CSVs here")
    args = parser.parse_args()
    if not (args.data / "realTweets").is_dir() or not args.scorer.is_file():
        print(f"skipped: no NAB data or scorer at {args.data} / {args.scorer} (../shared absent)")
        return 0
    out = args.keep or Path(tempfile.mkdtemp(prefix="veille-nab-"))
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    rows = 0
    for series in sorted((args.data / "realTweets").glob("*.csv")):
        with (out / series.name).open("w", newline="", encoding="utf-8") as handle:
            rows += detect_csv(series, handle)
    elapsed = time.perf_counter() - started
    print(f"detector: {rows:,} rows scored in {elapsed:.1f} s ({rows / elapsed:,.0f} rows/s)")
    cmd = [sys.executable, str(args.scorer), str(out), "--data", str(args.data),
           "--name", "veille", "--per-file"]  # fmt: skip
    print("$ " + " ".join(cmd), flush=True)
    return subprocess.call(cmd)


if __name__ == "__main__":
    raise SystemExit(main())
