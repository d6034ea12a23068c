"""A missing credential, end to end: `veille crawl` exits 1 naming the variable to set, and
`veille status` shows the source broken at once (not after three silent nights)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from conftest_sites import BRANDS
from sqlalchemy import Engine
from test_crawl_cli import veille


def test_a_missing_key_fails_the_crawl_and_shows_in_status(
    sqlite_engine: Engine, sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("VEILLE_YOUTUBE_API_KEY", raising=False)
    config = tmp_path / "veille.yaml"
    source = {
        "name": "youtube-lumino",
        "kind": "youtube",
        "url": "http://127.0.0.1:9/youtube/v3",
        "options": {"channels": ["UCLuminoFranceOfficiel01"]},
    }
    config.write_text(
        yaml.safe_dump({"database": {"url": sqlite_url}, "brands": BRANDS, "sources": [source]}),
        encoding="utf-8",
    )
    crawl = veille(config, "crawl", "--json")
    assert crawl.returncode == 1
    assert "1 source(s) failed entirely: youtube-lumino" in crawl.stderr
    assert "set the environment variable VEILLE_YOUTUBE_API_KEY" in crawl.stderr
    summary = json.loads(crawl.stdout.strip().splitlines()[-1])
    assert summary["sources"][0]["requests"] == 0

    status = veille(config, "status", "--json")
    data = json.loads(status.stdout.strip().splitlines()[-1])
    broken = {s["name"]: s for s in data["broken_sources"]}
    assert broken["youtube-lumino"]["last_state"] == "broken"
    assert "VEILLE_YOUTUBE_API_KEY" in broken["youtube-lumino"]["last_error"]
    assert data["healthy"] is False
    table = veille(config, "status")
    assert "youtube-lumino" in table.stdout and "Broken sources: a person must act" in table.stdout
