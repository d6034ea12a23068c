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

from config.settings import Settings, SourceKind, SourceSettings


@dataclass
class CrawlJob:
    spider: str
    source: str
    kwargs: dict[str, Any] = field(default_factory=dict)


WEB_KINDS = tuple(kind.value for kind in SourceKind if not kind.is_export)


def spider_for(source: SourceSettings) -> str:
    """The spider crawling a source: named after its kind, and a forum's after its engine.

    (`forum` for `engine: auto`; an engine with no spider of its own is crawled by `forum`,
    see crawlers.spiders.spider_class.)
    """
    if source.kind == SourceKind.FORUM and source.engine != "auto":
        return source.engine
    return source.kind.value


def web_jobs(
    settings: Settings, names: list[str] | None = None, now: str | None = None
) -> list[CrawlJob]:
    """One job per enabled web source (or per named source, enabled or not)."""
    if names:
        sources = [settings.source(name) for name in names]
        for source in sources:
            if source.kind.value not in WEB_KINDS:
                raise KeyError(
                    f"source {source.name!r} is a {source.kind.value} inbox, not a web source; "
                    "use `veille import` for it"
                )
    else:
        sources = [s for s in settings.sources if s.enabled and s.kind.value in WEB_KINDS]
    kwargs = {"now": now} if now else {}
    return [CrawlJob(spider_for(s), s.name, dict(kwargs)) for s in sources]


class CrawlFailed(Exception):
    exit_code = 1


def run_crawl(
    settings: Settings,
    jobs: list[CrawlJob],
    log_level: str = "WARNING",
    timeout: float | None = None,
    sequential: bool = False,
) -> list[dict[str, Any]]:
    """Run the jobs in one child process; returns one summary per job (see crawlers.run).

    The jobs run side by side, or with `sequential` one after the other (an import's files).
    """
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
            "sequential": sequential,
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
