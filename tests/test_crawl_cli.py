"""`veille crawl` end to end: a dead source never stops the others; re-runs store nothing twice."""

from __future__ import annotations

import contextlib
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from conftest_sites import BRANDS
from sqlalchemy import Engine, select

from pipeline.cli import main
from storage.models import Run
from veille_demo.server import SiteServer


@dataclass
class Result:
    returncode: int
    stdout: str
    stderr: str


def veille(config: Path, *args: str) -> Result:
    """Run the real command line in this process (the crawl itself runs in a child process)."""
    out, err = io.StringIO(), io.StringIO()
    code = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["-c", str(config), *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return Result(code, out.getvalue(), err.getvalue())


def write_config(path: Path, db_url: str, base: str) -> Path:
    config: dict[str, Any] = {
        "database": {"url": db_url},
        "brands": BRANDS,
        "crawl": {"download_delay": 0, "autothrottle": False, "timeout_seconds": 1, "retries": 1},
        "sources": [
            {"name": "blog", "kind": "rss", "url": f"{base}/feeds/blog.xml", "lookback_days": 3650},
            {"name": "dead", "kind": "rss", "url": f"{base}/status/500/feeds/blog.xml"},
            {"name": "slow", "kind": "reviews", "url": f"{base}/hang/reviews/ambra.html"},
            {"name": "blog-not-forum", "kind": "forum", "url": f"{base}/feeds/not-a-feed.xml"},
            {"name": "inbox", "kind": "twitter_export", "path": "inbox"},
        ],
    }
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def test_dead_sources_are_counted_and_the_others_collected(
    engine: Engine, db_url: str, sites: SiteServer, tmp_path: Path
) -> None:
    config = write_config(tmp_path / "veille.yaml", db_url, sites.base_url)

    first = veille(config, "crawl", "--json")
    assert first.returncode == 1, first.stderr
    summary = json.loads(first.stdout.strip().splitlines()[-1])
    assert {"seen", "new", "updated", "dropped", "errors"} <= set(summary)
    assert summary["new"] == 4 and summary["dropped"] == {"no brand": 1}
    # A 500 after its retry, a timeout (a page that never answers), an unknown engine.
    assert summary["errors"] == 3
    assert sorted(summary["failed_sources"]) == ["blog-not-forum", "dead", "slow"]
    assert "3 source(s) failed entirely: " in first.stderr
    assert "inbox" not in {s["source"] for s in summary["sources"]}  # exports: veille import
    with engine.connect() as conn:
        runs = {r.source: r for r in conn.execute(select(Run)).all()}
    assert {s: r.status for s, r in runs.items()} == {
        "blog": "ok", "dead": "failed", "slow": "failed", "blog-not-forum": "failed",
    }  # fmt: skip
    assert "HTTP 500" in (runs["dead"].error or "")
    assert runs["blog"].counts["new"] == 4 and runs["blog"].ended_at is not None

    again = veille(config, "crawl", "--source", "blog", "--json")
    assert again.returncode == 0, again.stderr
    summary = json.loads(again.stdout.strip().splitlines()[-1])
    assert (summary["new"], summary["updated"], summary["unchanged"]) == (0, 0, 4)


def test_crawl_names_valid_sources(sites: SiteServer, tmp_path: Path) -> None:
    config = write_config(tmp_path / "veille.yaml", f"sqlite:///{tmp_path}/v.db", sites.base_url)
    assert veille(config, "db", "upgrade").returncode == 0
    unknown = veille(config, "crawl", "--source", "nope")
    assert unknown.returncode == 2
    assert "unknown source 'nope'; configured sources: blog, dead" in unknown.stderr
    export = veille(config, "crawl", "--source", "inbox")
    assert export.returncode == 2 and "use `veille import`" in export.stderr
