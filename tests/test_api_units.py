"""The API sources' pieces without a crawl: options, rate-limit headers, mappers, own accounts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scrapy.http import Request, Response

from config.errors import ConfigError
from config.loading import load_settings
from crawlers.api import error_text, link_next
from crawlers.networks.mastodon import map_status, status_text
from crawlers.networks.reddit import thing_text
from crawlers.ratelimit import quota_wait, retry_wait, seconds_until
from nlp.labelers.base import Doc
from nlp.labelers.topic import TopicLabeler

APIS = Path(__file__).with_name("fixtures") / "apis"
NOW = 1_773_576_000.0  # 2026-03-15T12:00:00Z


def response(status: int = 200, **headers: str) -> Response:
    return Response("https://api.example/x", status=status, headers=headers,
                    request=Request("https://api.example/x"))  # fmt: skip


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("412", 412.0),  # Reddit: seconds left
        ("37.5", 37.5),
        (str(int(NOW) + 300), 300.0),  # Bluesky: a Unix time
        ("2026-03-15T12:05:00.000Z", 300.0),  # Mastodon: ISO 8601
        ("Sun, 15 Mar 2026 12:01:00 GMT", 60.0),  # Retry-After: an HTTP date
        ("2026-03-15T11:00:00Z", 0.0),  # past: no wait
        ("soon", None),
    ],
)
def test_reset_and_retry_after_values_in_every_documented_form(
    value: str, seconds: float | None
) -> None:
    assert seconds_until(value, NOW) == seconds


def test_a_spent_quota_waits_for_its_reset_and_a_429_for_retry_after() -> None:
    assert (
        quota_wait(response(**{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "30"}), NOW) == 30
    )
    assert (
        quota_wait(response(**{"x-ratelimit-remaining": "598.0", "x-ratelimit-reset": "30"}), NOW)
        is None
    )
    assert (
        quota_wait(
            response(**{"RateLimit-Remaining": "0", "RateLimit-Reset": str(int(NOW) + 9)}), NOW
        )
        == 9
    )
    assert quota_wait(response(), NOW) is None
    assert retry_wait(response(429, **{"Retry-After": "1"}), NOW) == 1
    assert retry_wait(response(429, **{"X-RateLimit-Reset": "2026-03-15T12:00:20Z"}), NOW) == 20
    assert retry_wait(response(429), NOW) is None  # then the middleware backs off on its own


def test_link_headers_and_error_bodies() -> None:
    assert link_next('<https://m.example/api/v1/timelines/tag/a?max_id=7>; rel="next", '
                     '<https://m.example/api/v1/timelines/tag/a?min_id=9>; rel="prev"') == (
        "https://m.example/api/v1/timelines/tag/a?max_id=7"
    )  # fmt: skip
    assert link_next('<https://m.example/x?min_id=9>; rel="prev"') is None
    assert error_text({"error": "The access token is invalid"}) == "The access token is invalid"
    assert error_text({"error": "ExpiredToken", "message": "Token has expired"}) == (
        "ExpiredToken: Token has expired"
    )
    google = json.loads((APIS / "youtube" / "error_quota.json").read_text(encoding="utf-8"))
    assert "exceeded your" in str(error_text(google))


def test_mastodon_html_is_made_plain_without_the_quote_fallback() -> None:
    html = ('<p class="quote-inline">RE: <a href="https://x.example/@a/1">https://x.example/@a/1</a></p>'
            '<p>Mon avis : <a href="https://l.example/tags/lumino" class="mention hashtag">#<span>Lumino</span></a>'
            '<br>super&nbsp;!</p><blockquote><p>cité</p></blockquote>')  # fmt: skip
    assert status_text(html) == "Mon avis : #Lumino\nsuper !"
    statuses = json.loads((APIS / "mastodon" / "tag_lumino_p1.json").read_text(encoding="utf-8"))
    mention = map_status(statuses[0], "m", "https://mastodon.example")
    assert mention.author is not None and mention.author.handle == "lea@mastodon.example"
    assert mention.raw == statuses[0]  # the record unchanged beside the mapped fields


def test_reddit_quotes_are_left_out_from_html_or_markdown() -> None:
    assert thing_text({"body": "> cité\n\nMa réponse"}, "body") == "Ma réponse"
    assert thing_text({"body_html": '<div class="md"><blockquote><p>cité</p></blockquote>'
                                    "<p>Ma réponse</p></div>", "body": "x"}, "body") == "Ma réponse"  # fmt: skip


def test_the_source_marks_the_brands_own_account_for_the_topic_labelers() -> None:
    from nlp.labelers.topic_model import LearnedTopicLabeler, load_model

    reply = "Bonjour, nous sommes désolés du retard : écrivez-nous en message privé."
    said = Doc(text=reply, author="Lumino", brands=("Lumino",))
    marked = Doc(text=reply, author="Lumino", brands=("Lumino",), own_account=True)
    cues = TopicLabeler({"lumino": set()})  # no own account configured
    before, after = cues.scores(said), cues.scores(marked)
    assert after["service_client"] > before["service_client"]
    assert max(after, key=after.__getitem__) == "service_client"
    learned = LearnedTopicLabeler(load_model(), "fast", {"lumino": set()})
    assert learned.is_own_account(marked) and not learned.is_own_account(said)
    assert learned.label_batch([marked])[0].value == "service_client"


def write(tmp_path: Path, sources: str) -> Path:
    path = tmp_path / "veille.yaml"
    path.write_text("brands:\n  - {name: Lumino, query: [lumino]}\nsources:\n" + sources,
                    encoding="utf-8")  # fmt: skip
    return path


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (
            "  - {name: r, kind: reddit, options: {subreddits: [france], client_secret: abc}}\n",
            "sources[0].options: client_secret: secrets are never read from files; remove it and "
            "set the environment variable VEILLE_REDDIT_CLIENT_SECRET instead",
        ),
        (
            "  - {name: y, kind: youtube, options: {channels: [lumino]}}\n",
            "sources[0].options: channels[0]: 'lumino' is not a YouTube channel id",
        ),
        (
            "  - {name: y, kind: youtube, options: {channels: [UCaaaaaaaaaaaaaaaaaaaaaa], "
            "api_key_env: 'AIzaSy-123'}}\n",
            "api_key_env: 'AIzaSy-123' is not an environment variable name",
        ),
        (
            "  - {name: m, kind: mastodon, options: {hashtags: [lumino]}}\n",
            "sources[0]: a mastodon source needs the instance's URL",
        ),
        (
            "  - {name: m, kind: mastodon, url: 'https://m.example', options: {}}\n",
            "give hashtags (timelines to read) or queries (searches), or both",
        ),
        (
            "  - {name: b, kind: bluesky, options: {queries: [lumino], sort: newest}}\n",
            "sort: Input should be 'latest' or 'top'",
        ),
        (
            "  - {name: a, kind: reviews, url: 'https://a.example', options: {brand: Lumio}}\n",
            "sources[0].options.brand: 'Lumio' is not a configured brand (known: Lumino)",
        ),
    ],
)
def test_bad_api_options_name_the_key_and_what_to_do(
    tmp_path: Path, source: str, message: str
) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, source))
    assert message in str(caught.value)


def test_api_sources_get_their_public_url_and_the_default_variable_names(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, (
        "  - {name: r, kind: reddit, options: {subreddits: [r/france]}}\n"
        "  - {name: b, kind: bluesky, options: {queries: [lumino]}}\n"
        "  - {name: y, kind: youtube, options: {channels: [UCaaaaaaaaaaaaaaaaaaaaaa]}}\n"
    )))  # fmt: skip
    reddit, bluesky, youtube = settings.sources
    assert reddit.url == "https://oauth.reddit.com" and reddit.options["subreddits"] == ["france"]
    assert reddit.options["client_id_env"] == "VEILLE_REDDIT_CLIENT_ID"
    assert bluesky.url == "https://public.api.bsky.app"
    assert bluesky.options["password_env"] == "VEILLE_BLUESKY_APP_PASSWORD"
    assert youtube.url == "https://www.googleapis.com/youtube/v3"
