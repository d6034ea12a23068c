"""`veille crawl --probe URL`: the engine, posts, authors, dates and selectors of a forum's first
thread, read by a real crawl of local pages, nothing stored; an unknown engine is named so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml
from test_crawl_cli import veille

from veille_demo.server import SiteServer

WRITTEN = Path(__file__).with_name("fixtures") / "forums" / "written"


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "veille.yaml"
    settings = {
        "database": {"url": f"sqlite:///{tmp_path / 'v.db'}"},
        "crawl": {"download_delay": 0, "autothrottle": False, "timeout_seconds": 5, "retries": 0},
    }
    path.write_text(yaml.safe_dump(settings), encoding="utf-8")
    return path


@pytest.fixture
def pages(tmp_path: Path) -> SiteServer:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copyfile(WRITTEN / "smf/2.0-curve/forum-exemple-sav-p1.html", root / "smf.html")
    shutil.copyfile(WRITTEN / "invision/5/communaute-stylet-p1.html", root / "ips.html")
    (root / "blog.html").write_text("<html><body><p>Un blog, pas un forum.</p></body></html>")
    server = SiteServer(root).start()
    yield server
    server.stop()


def test_probe_of_a_thread_page(config: Path, pages: SiteServer) -> None:
    result = veille(config, "crawl", "--probe", f"{pages.base_url}/smf.html")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert "engine: smf (detected)" in out
    assert "posts 7, authors 7, dates 7 (source timezone: 7), texts 7" in out
    assert "author div.poster h4 a::text (7)" in out and "body div.inner[id^=msg_] (7)" in out
    assert "· Karim.D | 2024-03-10T16:05:00+00:00 | Le service client de Rivéo" in out


def test_probe_json_says_which_rule_dated_the_posts(config: Path, pages: SiteServer) -> None:
    result = veille(config, "crawl", "--probe", f"{pages.base_url}/ips.html", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["engine"] == found["detected"] == "invision"
    thread = found["thread"]
    assert (thread["markup"], thread["posts"], thread["authors"]) == ("ips5", 6, 6)
    assert thread["date_rules"] == {"ISO with offset": 6}
    assert thread["title"] == "Stylet Nova 9 sur Nova 10"
    assert thread["next_page"].endswith("/topic/3310-stylet-nova-9/page/2/")


def test_probe_of_a_listing_reads_its_first_thread(config: Path, sites: SiteServer) -> None:
    result = veille(config, "crawl", "--probe", f"{sites.base_url}/phpbb/index.php", "--json")
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["engine"] == "phpbb" and found["listing"]["threads"] >= 1
    assert found["thread"]["url"].endswith("viewtopic.php?t=10")  # the first thread not pinned
    assert found["thread"]["posts"] == found["thread"]["dates"] == 10


def test_an_unknown_engine_is_named_with_what_was_tried(config: Path, pages: SiteServer) -> None:
    result = veille(config, "crawl", "--probe", f"{pages.base_url}/blog.html")
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert "engine: unknown: no engine recognised the page. Tried:" in out
    for clue in ("phpbb: body#phpbb", "smf: smf_scripturl", "flarum: #flarum-loading"):
        assert clue in out
    assert "phpbb markups (prosilver, subsilver2) read 0 posts" in out
    assert "unknown forum engine at" in result.stderr and "engine: generic" in result.stderr


def test_probe_needs_an_address(config: Path) -> None:
    result = veille(config, "crawl", "--probe", "forum.example.org")
    assert result.returncode == 2 and "starting with http(s)://" in result.stderr


def test_a_changed_theme_is_reported_broken_with_the_page(
    tmp_path: Path, config: Path, sites: SiteServer
) -> None:
    """A thread page whose posts the engine no longer finds: `veille crawl` says so and exits
    1, and `veille status` lists the source as broken with the page's address."""
    site = tmp_path / "changed"
    shutil.copytree(
        Path(__file__).with_name("fixtures") / "sites" / "phpbb" / "run1", site / "phpbb"
    )
    page = site / "phpbb" / "viewtopic.php__t=10"
    page.write_text(
        page.read_text(encoding="utf-8").replace('class="post ', 'class="message '),
        encoding="utf-8",
    )
    server = SiteServer(site).start()
    try:
        settings = yaml.safe_load(config.read_text(encoding="utf-8"))
        settings["brands"] = [{"name": "Lumino", "query": ["lumino"]}]
        settings["sources"] = [
            {
                "name": "forum-conso",
                "kind": "forum",
                "lookback_days": 3650,
                "url": f"{server.base_url}/phpbb/index.php",
            }
        ]
        config.write_text(yaml.safe_dump(settings, allow_unicode=True), encoding="utf-8")
        assert veille(config, "db", "upgrade").returncode == 0
        crawl = veille(config, "crawl", "--json")
    finally:
        server.stop()
    assert crawl.returncode == 1
    summary = json.loads(crawl.stdout.strip().splitlines()[-1])
    [broken] = summary["sources"][0]["broken_pages"]
    assert broken["url"].endswith("/phpbb/viewtopic.php?t=10")
    assert broken["reason"] == "no post found by the phpbb markups (prosilver, subsilver2)"
    assert summary["sources"][0]["new"] > 0  # the other threads were read
    assert "forum-conso: 1 page(s) show posts the crawler cannot read" in crawl.stderr
    status = veille(config, "status", "--json")
    found = json.loads(status.stdout.strip().splitlines()[-1])
    [source] = found["broken_sources"]
    assert source["name"] == "forum-conso" and source["last_state"] == "broken"
    assert "viewtopic.php?t=10" in source["last_error"] and found["healthy"] is False
    text = " ".join(veille(config, "status").stdout.split())
    assert "Sources whose pages show posts Veille cannot read" in text
