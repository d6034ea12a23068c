"""Fault scenarios, run for real, with what a person would count afterwards (not a timed test).

Delivery: a planted bad buzz, a real SMTP server (aiosmtpd) that is down, slow past
`smtp.timeout_seconds` during DATA, closed mid-DATA or refusing the data, a `veille alerts
check` child process killed with SIGKILL before or past its "data sent" mark, and the
operators' "run failed" e-mail while SMTP is down. Per scenario it prints the copies of the
message the server received — want exactly 1, or 0 with `unconfirmed` shown by `veille
status` and `veille alerts list` — and the message's final state.

    PYTHONPATH=$PWD .venv/bin/python bench/reliability.py [--only delivery] [--scenario slow]
        [--db-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def delivery(args: argparse.Namespace) -> bool:
    from veille_demo.delivery_faults import SCENARIOS, run_scenario

    names = args.scenario or list(SCENARIOS)
    print("== delivery: copies of one alert e-mail received by a real SMTP server")
    print(f"{'scenario':<50} {'copies':>6}  {'state':<12} {'shown':<6} {'ok':<4} notes")
    good = True
    for name in names:
        with tempfile.TemporaryDirectory() as folder:
            o = run_scenario(name, Path(folder), args.db_url)
        good &= o.ok
        shown = "yes" if o.unconfirmed_shown else "no"
        print(
            f"{o.scenario:<50} {o.copies:>6}  {o.state:<12} {shown:<6} {'yes' if o.ok else 'NO':<4}"
            f" {'; '.join(o.notes)}",
            flush=True,
        )
    return good


SECTIONS = {"delivery": delivery}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", choices=list(SECTIONS), action="append")
    parser.add_argument("--scenario", action="append", help="Delivery scenarios to run.")
    parser.add_argument("--db-url", help="Database for the scenarios (default: SQLite).")
    args = parser.parse_args()
    logging.disable(logging.CRITICAL)  # the scenarios fail on purpose: their logs are noise
    ok = True
    for name in args.only or list(SECTIONS):
        ok &= SECTIONS[name](args)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
