"""Run crawls in a child process, so a long-lived process (the scheduler) can crawl again."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from config.settings import Settings


@dataclass
class CrawlJob:
    spider: str
    source: str
    kwargs: dict[str, Any] = field(default_factory=dict)


class CrawlFailed(Exception):
    exit_code = 1


def run_crawl(
    settings: Settings,
    jobs: list[CrawlJob],
    log_level: str = "WARNING",
    timeout: float | None = None,
) -> list[dict[str, Any]]:
    """Run the jobs in one child process; returns one summary per job (see crawlers.run)."""
    if not jobs:
        return []
    with tempfile.TemporaryDirectory(prefix="veille-crawl-") as tmp:
        spec_path = Path(tmp) / "spec.json"
        result_path = Path(tmp) / "result.json"
        spec = {
            "settings": settings.model_dump(mode="json", exclude={"smtp"}),
            "jobs": [job.__dict__ for job in jobs],
            "result_path": str(result_path),
            "log_level": log_level,
        }
        spec_path.write_text(json.dumps(spec), encoding="utf-8")
        root = str(Path(__file__).resolve().parents[1])
        env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])),
        }
        proc = subprocess.run(
            [sys.executable, "-m", "crawlers.run", str(spec_path)],
            env=env,
            timeout=timeout,
            stderr=subprocess.PIPE,
            text=True,
        )
        if proc.returncode != 0 or not result_path.exists():
            tail = (proc.stderr or "").strip().splitlines()[-3:]
            raise CrawlFailed(
                f"The crawl process failed (exit code {proc.returncode}): {' | '.join(tail)}"
            )
        if proc.stderr:
            sys.stderr.write(proc.stderr)
        results: list[dict[str, Any]] = json.loads(result_path.read_text(encoding="utf-8"))
        return results
