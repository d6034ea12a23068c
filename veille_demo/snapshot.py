"""What a demo run computed, named without database ids: to compare two runs or two backends.

`snapshot(config)` reads the workspace's database (the URL of its settings, so an environment
override such as `VEILLE_DATABASE__URL` applies) and returns the suspicious-mention flags and
the contributor profiles by source name, external id and handle, and the figures of the
demo brand's reports for the demo's periods (`reports.figures`), the demo sites' addresses
named without their port (each run serves them on another). Two runs of the demo on SQLite and
PostgreSQL must give equal snapshots; `differences` says where they do not.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_DEMO_SITES = re.compile(r"http://127\.0\.0\.1:\d+/")


def _portless(value: Any) -> Any:
    if isinstance(value, str):
        return _DEMO_SITES.sub("http://127.0.0.1/", value)
    if isinstance(value, dict):
        return {k: _portless(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_portless(v) for v in value]
    return value


PERIODS = ("yesterday", "last-7-days", "last-30-days")


def snapshot(config: Path, brand: str = "Lumino") -> dict[str, Any]:
    from config.loading import load_settings
    from reports.build import build_report
    from reports.figures import figures
    from reports.periods import parse_period
    from storage import authors as repo
    from storage.engine import make_engine
    from veille_demo.history import DEMO_NOW

    settings = load_settings(config)
    engine = make_engine(settings.database.url)
    try:
        with engine.connect() as conn:
            flags = [list(r) for r in repo.flags_by_key(conn)]
            profiles = [
                [source, handle, profile, tier, round(float(influence), 6), bool(suspicious)]
                for source, handle, profile, tier, influence, suspicious in repo.profiles_by_key(
                    conn
                )
            ]
        tz = settings.schedules.timezone
        reports = {
            spec: figures(
                build_report(engine, settings, brand, parse_period(spec, DEMO_NOW, tz), DEMO_NOW)
            )
            for spec in PERIODS
        }
    finally:
        engine.dispose()
    return {"flags": flags, "profiles": profiles, "reports": _portless(reports)}


def differences(a: Any, b: Any, path: str = "") -> list[str]:
    """Where two snapshots differ, as `path: left != right` lines (at most one per list)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b), key=str):
            out += differences(a.get(key), b.get(key), f"{path}.{key}" if path else str(key))
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items != {len(b)} items"]
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = differences(x, y, f"{path}[{i}]")
            if found:
                return found
        return []
    return [] if a == b else [f"{path}: {a!r} != {b!r}"]
