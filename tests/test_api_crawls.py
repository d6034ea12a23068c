"""Real crawls of the API sources against a local server replaying documented API answers.

Each network's folder under tests/fixtures/apis/ holds the answers (routes.yaml and bodies
shaped as the API's public documentation shows them, with invented French content) and the
expected values (expected.yaml). Two nights: the first reads everything in the look-back,
the next asks only for what is new (since-id / cursor from the crawl state).
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from api_expect import differences, load_expected, stored
from api_replay import ApiReplay
from conftest_sites import crawl_settings
from sqlalchemy import Engine

from crawlers.crawling import web_jobs
from crawlers.process import run_crawl
from storage.crawl_state import load_threads
from storage.engine import make_engine
from storage.schema import upgrade

APIS = Path(__file__).with_name("fixtures") / "apis"
NOW1 = datetime(2026, 3, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
NOW2 = datetime(2026, 3, 16, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
NETWORKS = ["mastodon", "bluesky", "reddit", "youtube"]
# Secrets the crawls find in their environment (never in the config).
SECRETS = {
    "VEILLE_MASTODON_TOKEN": "tok-masto",
    "VEILLE_TEST_MASTODON_OLD": "tok-old",
    "VEILLE_BLUESKY_HANDLE": "veille-test.bsky.social",
    "VEILLE_BLUESKY_APP_PASSWORD": "abcd-efgh-ijkl-mnop",
    "VEILLE_TEST_BSKY_HANDLE2": "autre.bsky.social",
    "VEILLE_TEST_BSKY_PW2": "mauvais-mot-de-passe",
    "VEILLE_REDDIT_CLIENT_ID": "veille-cid",
    "VEILLE_REDDIT_CLIENT_SECRET": "veille-secret",
    "VEILLE_TEST_REDDIT_ID2": "wrong-id",
    "VEILLE_YOUTUBE_API_KEY": "AIza-test-key",
    "VEILLE_TEST_YT_BADKEY": "AIza-bad",
}


def sources(servers: dict[str, ApiReplay]) -> list[dict[str, Any]]:
    m = servers["mastodon"].base_url
    b = servers["bluesky"].base_url
    r = servers["reddit"].base_url
    reddit = {"auth_url": f"{r}/api/v1/access_token", "page_size": 3}
    y = servers["youtube"].base_url + "/youtube/v3"
    return [
        {"name": "mastodon-social", "kind": "mastodon", "url": m,
         "options": {"hashtags": ["lumino", "maxishop"], "queries": ["lumino"], "page_size": 3}},
        {"name": "mastodon-revoked", "kind": "mastodon", "url": f"{m}/revoked",
         "options": {"hashtags": ["lumino"], "token_env": "VEILLE_TEST_MASTODON_OLD"}},
        {"name": "mastodon-typo", "kind": "mastodon", "url": m,
         "options": {"hashtags": ["nexistepas", "panne", "bouchon"]}},
        {"name": "bluesky-fr", "kind": "bluesky", "url": f"{b}/appview",
         "options": {"queries": ["lumino"], "pds_url": f"{b}/pds", "page_size": 3}},
        {"name": "bluesky-anon", "kind": "bluesky", "url": f"{b}/appview",
         "options": {"queries": ["lumino"], "handle_env": "VEILLE_TEST_UNSET_HANDLE"}},
        {"name": "bluesky-badpw", "kind": "bluesky", "url": f"{b}/appview",
         "options": {"queries": ["lumino"], "pds_url": f"{b}/pds",
                     "handle_env": "VEILLE_TEST_BSKY_HANDLE2", "password_env": "VEILLE_TEST_BSKY_PW2"}},
        {"name": "reddit-fr", "kind": "reddit", "url": r,
         "options": {"subreddits": ["france"], "queries": ["lumino"], **reddit,
                     "user_agent": "linux:fr.example.veille:v0.1 (by /u/veille_test)"}},
        {"name": "reddit-private", "kind": "reddit", "url": r,
         "options": {"subreddits": ["lumino_interne"], **reddit}},
        {"name": "reddit-nocreds", "kind": "reddit", "url": r,
         "options": {"subreddits": ["france"], "client_id_env": "VEILLE_TEST_UNSET_ID", **reddit}},
        {"name": "reddit-badcreds", "kind": "reddit", "url": r,
         "options": {"subreddits": ["france"], "client_id_env": "VEILLE_TEST_REDDIT_ID2", **reddit}},
        {"name": "youtube-lumino", "kind": "youtube", "url": y,
         "options": {"channels": ["UCLuminoFranceOfficiel01"], "brand": "Lumino", "page_size": 3,
                     "max_videos": 4}},
        {"name": "youtube-quota", "kind": "youtube", "url": y,
         "options": {"channels": ["UCMaxishopChaineOfficiel"]}},
        {"name": "youtube-badkey", "kind": "youtube", "url": y,
         "options": {"channels": ["UCLuminoFranceOfficiel01"], "api_key_env": "VEILLE_TEST_YT_BADKEY"}},
        {"name": "youtube-nokey", "kind": "youtube", "url": y,
         "options": {"channels": ["UCLuminoFranceOfficiel01"], "api_key_env": "VEILLE_TEST_UNSET_KEY"}},
    ]  # fmt: skip


@dataclass
class Nights:
    log: str  # the first night's whole crawl log, at DEBUG
    db: Engine
    servers: dict[str, ApiReplay]
    first: dict[str, dict[str, Any]]
    second: dict[str, dict[str, Any]]
    seen1: dict[str, list[Any]]
    seen2: dict[str, list[Any]]


@pytest.fixture(scope="module")
def nights(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nights]:
    servers = {n: ApiReplay(APIS / n).start() for n in NETWORKS}
    url = f"sqlite:///{tmp_path_factory.mktemp('apis') / 'veille.db'}"
    db = make_engine(url)
    upgrade(db)
    settings = crawl_settings(
        url, sources(servers), rate_limit_max_wait_seconds=5, rate_limit_retries=2
    )
    mp = pytest.MonkeyPatch()
    for key, value in SECRETS.items():
        mp.setenv(key, value)
    results, seen = [], []
    log = io.StringIO()
    try:
        for variant, now in (("run1", NOW1), ("run2", NOW2)):
            for network, server in servers.items():
                server.load(APIS / network, variant)
            jobs = web_jobs(settings, now=now.isoformat())
            if variant == "run1":
                with contextlib.redirect_stderr(log):
                    out = run_crawl(settings, jobs, log_level="DEBUG")
            else:
                out = run_crawl(settings, jobs)
            results.append({r["source"]: r for r in out})
            seen.append({n: s.requests() for n, s in servers.items()})
        yield Nights(log.getvalue(), db, servers, results[0], results[1], seen[0], seen[1])
    finally:
        mp.undo()
        for server in servers.values():
            server.stop()
        db.dispose()


def test_secrets_never_reach_the_log(nights: Nights) -> None:
    assert "Crawled (200)" in nights.log  # the DEBUG log of every request
    session_tokens = ["acc-1", "acc-2", "ref-1", "ref-2", "second-token", "veille-test"]
    leaked = [s for s in [*SECRETS.values(), *session_tokens] if s in nights.log]
    assert leaked == []


@pytest.mark.parametrize("network", NETWORKS)
def test_first_night_stores_every_expected_post_with_its_fields(
    nights: Nights, network: str
) -> None:
    expected = load_expected(APIS / network)
    found = stored(nights.db, expected["source"])
    host = nights.servers[network].base_url.split("//", 1)[1]
    run1 = expected["run1"]
    first = nights.first[expected["source"]]
    assert differences(run1["mentions"], found, host) == []
    assert first["new"] == len(run1["mentions"]), first
    assert first["dropped"] == run1["dropped"], first
    assert first["errors"] == 0 and first["broken"] == [] and first["messages"] == [], first


@pytest.mark.parametrize("network", NETWORKS)
def test_next_night_asks_only_for_what_is_new(nights: Nights, network: str) -> None:
    expected = load_expected(APIS / network)
    source = expected["source"]
    found = stored(nights.db, source)
    host = nights.servers[network].base_url.split("//", 1)[1]
    assert differences(expected["run2"]["mentions"], found, host) == []
    second = nights.second[source]
    assert second["new"] == len(expected["run2"]["mentions"]), second
    assert second["errors"] == 0, second


def test_mastodon_pages_by_link_header_and_since_id(nights: Nights) -> None:
    first = [s.url for s in nights.seen1["mastodon"] if s.path == "/api/v1/timelines/tag/lumino"]
    assert first == [
        "/api/v1/timelines/tag/lumino?limit=3",
        "/api/v1/timelines/tag/lumino?limit=3&max_id=116199000000000050",
    ]
    second = [s.url for s in nights.seen2["mastodon"] if s.path == "/api/v1/timelines/tag/lumino"]
    assert second == ["/api/v1/timelines/tag/lumino?limit=3&since_id=116200000000000105"]
    states = load_threads(nights.db, "mastodon-social")
    assert states["tag:lumino"].last_post_id == "116210000000000001"
    assert states["search:lumino"].last_post_id == "116210000000000002"


def test_mastodon_rate_limits_are_honoured(nights: Nights) -> None:
    seen = nights.seen1["mastodon"]
    tag = [s for s in seen if s.path == "/api/v1/timelines/tag/lumino"]
    # Page 1 left no request in the window (reset 1.5 s later): page 2 waited for it.
    assert tag[1].at - tag[0].at >= 1.4
    search = [s for s in seen if s.path == "/api/v2/search"]
    # A 429 with Retry-After: 1 is asked again after a second, and only then.
    assert search[1].at - search[0].at >= 0.95
    assert search[0].headers["authorization"] == "Bearer tok-masto"
    maxishop = [s for s in seen if s.path.endswith("/tag/maxishop")]
    assert len(maxishop) == 2  # a 503, retried


def test_mastodon_token_refused_or_wrong_hashtag_are_reported_by_name(nights: Nights) -> None:
    revoked = nights.first["mastodon-revoked"]
    assert revoked["broken"] and "VEILLE_TEST_MASTODON_OLD" in revoked["broken"][0]
    assert "401" in revoked["broken"][0]
    typo = nights.first["mastodon-typo"]
    assert typo["broken"] and "404" in typo["broken"][0] and "nexistepas" in typo["broken"][0]
    wait, down = sorted(typo["messages"])  # 429 before 503
    assert "HTTP 503 Service Unavailable for the #panne timeline after 2 tries" in down
    assert "HTTP 429 Too Many Requests" in wait and "wait 3,600 s" in wait and "#bouchon" in wait
    seen = nights.seen1["mastodon"]
    assert len([s for s in seen if s.path.endswith("/bouchon")]) == 1  # not waited for an hour


def test_bluesky_logs_in_renews_its_token_and_pages_by_cursor(nights: Nights) -> None:
    seen = [
        s for s in nights.seen1["bluesky"]
        if s.path.startswith("/pds/") and b"autre.bsky.social" not in s.body  # bluesky-badpw's
    ]  # fmt: skip
    calls = [(s.path.rsplit("/", 1)[-1], s.headers.get("authorization")) for s in seen]
    assert calls[:4] == [
        ("com.atproto.server.createSession", None),
        ("app.bsky.feed.searchPosts", "Bearer acc-1"),  # ExpiredToken
        ("com.atproto.server.refreshSession", "Bearer ref-1"),
        ("app.bsky.feed.searchPosts", "Bearer acc-2"),  # the same request, renewed
    ]
    searches = [s.query for s in seen if s.path.endswith("searchPosts")]
    assert searches[-1]["cursor"] == "3"
    second = [
        s.query for s in nights.seen2["bluesky"] if s.path == "/pds/xrpc/app.bsky.feed.searchPosts"
    ]
    assert second[0]["since"] == "2026-03-15T08:30:00Z"


def test_bluesky_missing_or_refused_credentials_name_the_variables(nights: Nights) -> None:
    anon = nights.first["bluesky-anon"]["broken"]
    assert (
        anon and "VEILLE_TEST_UNSET_HANDLE" in anon[0] and "VEILLE_BLUESKY_APP_PASSWORD" in anon[0]
    )
    bad = nights.first["bluesky-badpw"]["broken"]
    assert bad and "VEILLE_TEST_BSKY_HANDLE2" in bad[0] and "VEILLE_TEST_BSKY_PW2" in bad[0]
    assert "Invalid identifier or password" in bad[0]


def test_reddit_token_listings_after_cursor_and_comments(nights: Nights) -> None:
    seen = [
        s
        for s in nights.seen1["reddit"]
        if (s.method == "GET" and "/france/" in s.path) or s.path == "/search"
    ]
    france = [s for s in seen if s.path == "/r/france/new"]
    assert [s.query.get("after") for s in france] == [None, "t3_1jb2zzz"]  # then the look-back
    assert france[1].at - france[0].at >= 0.95  # X-Ratelimit-Remaining 0.0, reset in 1 s
    comments = [s.path for s in nights.seen1["reddit"] if "/comments/" in s.path]
    assert comments == ["/r/france/comments/1jb8k2x"]  # the post about a brand, with comments
    search = [s.headers["authorization"] for s in nights.seen1["reddit"] if s.path == "/search"]
    assert search[-1] == "bearer second-token"  # the refused token was renewed once
    agents = {s.headers.get("user-agent") for s in nights.seen1["reddit"]}
    assert "linux:fr.example.veille:v0.1 (by /u/veille_test)" in agents  # Reddit's own format
    assert any(a and a.startswith("Veille/") for a in agents)  # the other sources: the crawl's
    again = [s.path for s in nights.seen2["reddit"] if "/comments/" in s.path]
    assert again == ["/r/france/comments/1jb8k2x"]  # 3 comments then, 5 now: read again
    states = load_threads(nights.db, "reddit-fr")
    assert states["r/france:new"].last_post_id == "t3_1jc0new"
    assert nights.first["reddit-fr"]["dropped"].get("deleted") == 2


def test_reddit_credentials_missing_refused_or_private_subreddit_are_named(nights: Nights) -> None:
    nocreds = nights.first["reddit-nocreds"]
    assert nocreds["broken"] and "VEILLE_TEST_UNSET_ID" in nocreds["broken"][0]
    assert nocreds["requests"] == 0  # nothing is asked without credentials
    bad = nights.first["reddit-badcreds"]["broken"]
    assert bad and "VEILLE_TEST_REDDIT_ID2" in bad[0] and "VEILLE_REDDIT_CLIENT_SECRET" in bad[0]
    private = nights.first["reddit-private"]["broken"]
    assert private and "403" in private[0] and "private" in private[0]


def test_youtube_reads_only_videos_with_new_comments_and_all_replies(nights: Nights) -> None:
    seen = nights.seen1["youtube"]
    calls = [
        s.path.rsplit("/", 1)[-1]
        for s in seen
        if s.headers.get("x-goog-api-key") == "AIza-test-key"
    ]
    assert calls.count("playlistItems") == 2 and calls.count("videos") == 1
    threads = [s.query["videoId"] for s in seen if s.path.endswith("/commentThreads")]
    assert sorted(set(threads)) == ["Lm0Ancienne", "Lm0Nova10Tv"]  # not the one without comments
    assert [s.query["parentId"] for s in seen if s.path.endswith("/comments")] == [
        "UgxA1camille0000lumino4AaABAg"  # 2 replies, 1 embedded in the thread
    ]
    assert all("key" not in s.query and "AIza" not in s.url for s in seen)  # never in a URL
    second = [
        s.query["videoId"] for s in nights.seen2["youtube"] if s.path.endswith("/commentThreads")
    ]
    assert second == ["Lm0Nova10Tv"]  # 7 comments now; the one with comments off is not asked
    assert nights.first["youtube-lumino"]["errors"] == 0


def test_youtube_quota_and_key_errors_are_named(nights: Nights) -> None:
    quota = nights.first["youtube-quota"]
    assert quota["broken"] == [] and quota["messages"]
    assert (
        "quotaExceeded" in quota["messages"][0] and "VEILLE_YOUTUBE_API_KEY" in quota["messages"][0]
    )
    bad = nights.first["youtube-badkey"]["broken"]
    assert bad and "VEILLE_TEST_YT_BADKEY" in bad[0] and "not valid" in bad[0]
    nokey = nights.first["youtube-nokey"]["broken"]
    assert nokey and "VEILLE_TEST_UNSET_KEY" in nokey[0]
