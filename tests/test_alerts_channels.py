"""Alert channels against a local HTTP server that records requests: Slack (Block Kit), Teams
(Adaptive Card), the signed JSON webhook (verified with the README's own example), routing by
brand and severity, secrets from the environment, and a channel down while the others deliver.
"""

from __future__ import annotations

import email
import email.policy
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from config.settings import Settings
from reports.alerts.channels import CHANNELS, Target
from reports.alerts.check import check
from storage.labels import LabelRecord, save_labels
from storage.models import Alert, Delivery, Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore
from veille_demo.bad_buzz import plant_bad_buzz
from veille_demo.hookservers import HookServer
from veille_demo.mailservers import free_port

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
GUIDE = Path(__file__).resolve().parents[1] / "docs" / "alerts.md"
HOSTILE = "Lumino <!channel> *gras* [lien](javascript:alert(1)) \u202eevil remboursement refusé"


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, HookServer]]:
    """Receivers recording what Slack, Teams and the webhook get, their URLs and the webhook's
    secret in the variables `_settings`' targets name."""
    servers = {name: HookServer().start() for name in ("slack", "teams", "webhook")}
    for name, server in servers.items():
        monkeypatch.setenv(f"VEILLE_TEST_{name.upper()}_URL", server.url(f"/{name}"))
    monkeypatch.setenv("VEILLE_TEST_WEBHOOK_SECRET", "k3y-of-the-receiver")
    yield servers
    for server in servers.values():
        server.stop()


def _settings(
    tmp_path: Path, routes: list[dict[str, Any]] | None = None, **alerts: Any
) -> Settings:
    return Settings(
        brands=[{"name": "Lumino", "query": "lumino"}, {"name": "Rivéo", "query": "riveo"}],
        alerts={
            "recipients": {"Lumino": ["crisis@lumino.example"]},
            "outbox_dir": str(tmp_path / "outbox"),
            "targets": {
                "lumino-slack": {"channel": "slack", "url_env": "VEILLE_TEST_SLACK_URL"},
                "ops-teams": {"channel": "teams", "url_env": "VEILLE_TEST_TEAMS_URL",
                              "language": "en"},
                "siem": {"channel": "webhook", "url_env": "VEILLE_TEST_WEBHOOK_URL",
                         "secret_env": "VEILLE_TEST_WEBHOOK_SECRET", "timeout_seconds": 1,
                         "retries": 0},
            },
            "routes": routes if routes is not None else [
                {"brands": ["Lumino"], "targets": ["lumino-slack", "ops-teams", "siem"]}
            ],
            **alerts,
        },
        web={"url": "https://veille.lumino.example/"},  # the alert's page there
    )  # fmt: skip


def _hostile(engine: Engine) -> None:
    MentionStore(engine).store([
        MentionRecord(
            source="demo-twitter", source_kind="twitter_export", external_id="evil", text=HOSTILE,
            likes=100_000, url="https://twitter.example/troll/status/evil",
            published_at=AT - timedelta(minutes=5), author=AuthorRecord(handle="<@U123> troll"),
            brands=[BrandMatch("Lumino")],
        )
    ])  # fmt: skip
    with engine.begin() as conn:
        mid = conn.execute(select(Mention.id).where(Mention.external_id == "evil")).scalar_one()
        save_labels(conn, [LabelRecord(mid, "sentiment", "negative", model="t")])


def _states(engine: Engine) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(Delivery.target, Delivery.status).order_by(Delivery.id))
        return {t: s for t, s in rows}


def _texts(node: Any, key: str) -> list[str]:
    """Every string under `key` anywhere in a JSON document."""
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                found.append(v)
            else:
                found += _texts(v, key)
    elif isinstance(node, list):
        for v in node:
            found += _texts(v, key)
    return found


def test_slack_gets_a_block_kit_message_with_collected_text_as_plain_text(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    _hostile(sqlite_engine)
    result = check(sqlite_engine, _settings(tmp_path), AT)
    assert result.delivery.sent == 4 and result.delivery.failed == 0  # e-mail + 3 channels
    [request] = hooks["slack"].requests
    assert request.path == "/slack" and request.headers["Content-Type"].startswith(
        "application/json"
    )
    body = request.json()
    assert body["text"].startswith("[Veille] Lumino : 151 messages négatifs en 1 h, ×")
    blocks = body["blocks"]
    assert blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Bad buzz : Lumino", "emoji": False},
    }
    assert "Lumino : 151 messages négatifs en 1 h, ×" in blocks[1]["text"]["text"]
    assert "151 mentions négatives dans la dernière heure" in blocks[2]["text"]["text"]
    assert len(blocks) <= 50
    # The hostile post is there, in plain text only (isolated), never in mrkdwn.
    plain = [b["text"]["text"] for b in blocks if b.get("type") == "section" and "text" in b]
    assert any("<!channel>" in text and "\u2068" in text for text in plain)
    for node in [b for b in blocks if b.get("type") == "section"]:
        for obj in [node.get("text"), *node.get("fields", [])]:
            if obj and obj["type"] == "mrkdwn":
                assert "<!channel>" not in obj["text"] and "troll" not in obj["text"]
    buttons = [b["accessory"]["url"] for b in blocks if "accessory" in b]
    assert "https://twitter.example/troll/status/evil" in buttons
    # The alert's page in the web workspace, first of the links: whoever takes it on.
    with sqlite_engine.connect() as conn:
        [alert_id] = conn.execute(select(Alert.id)).scalars().all()
    links = [e for b in blocks if b.get("type") == "actions" for e in b["elements"]]
    assert links[0]["url"] == f"https://veille.lumino.example/alerts/{alert_id}"
    assert links[0]["text"]["text"].startswith("Ouvrir l'alerte dans Veille")
    # The webhook URL is a secret: stored as the target's name, never the address.
    with sqlite_engine.connect() as conn:
        where = conn.execute(
            select(Delivery.delivered_to).where(Delivery.target == "lumino-slack")
        ).scalar()
    assert where == "slack:lumino-slack"


def test_teams_gets_an_adaptive_card_in_its_own_language(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    _hostile(sqlite_engine)
    check(sqlite_engine, _settings(tmp_path), AT)
    [request] = hooks["teams"].requests
    body = request.json()
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4" and card["lang"] == "en"
    assert card["body"][0]["text"] == "Bad buzz: Lumino"  # the target's language: English
    facts = {
        f["title"]: f["value"] for b in card["body"] if b["type"] == "FactSet" for f in b["facts"]
    }
    assert facts["Negative in 1 h"] == "151" and facts["Severity"]
    # Collected text only in TextRuns (no Markdown there), never in a TextBlock.
    assert not any(
        "troll" in t or "<!channel>" in t
        for t in [b.get("text", "") for b in card["body"] if b["type"] == "TextBlock"]
    )
    runs = _texts(card, "text")
    assert any("[lien](javascript:alert(1))" in t for t in runs)
    urls = _texts(card, "url")
    assert "https://twitter.example/troll/status/evil" in urls and not any(
        "javascript" in u for u in urls
    )
    [action, *_] = card["actions"]
    assert action["title"] == "Open the alert in Veille (acknowledge, resolve)"
    assert re.fullmatch(r"https://veille\.lumino\.example/alerts/\d+", action["url"])


def _readme_verify() -> Any:
    """The verification example of docs/alerts.md, run as a receiver would run it."""
    text = GUIDE.read_text(encoding="utf-8")
    section = text[text.index("### Verifying the webhook's signature") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(code.group(1), namespace)
    return namespace["verify"]


def test_webhook_is_signed_and_the_documented_example_verifies_it(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    check(sqlite_engine, _settings(tmp_path), AT)
    [request] = hooks["webhook"].requests
    headers = request.headers
    assert headers["X-Veille-Event"] == "alert.opened"
    assert re.fullmatch(r"sha256=[0-9a-f]{64}", headers["X-Veille-Signature"])
    verify = _readme_verify()
    assert verify(b"k3y-of-the-receiver", headers, request.body) is True
    assert verify(b"another-key", headers, request.body) is False
    assert (
        verify(b"k3y-of-the-receiver", headers, request.body.replace(b"Lumino", b"Rival")) is False
    )
    stale = {**headers, "X-Veille-Timestamp": str(int(headers["X-Veille-Timestamp"]) - 3600)}
    assert verify(b"k3y-of-the-receiver", stale, request.body) is False
    body = request.json()
    assert body["event"] == "alert.opened" and body["alert"]["brand"] == "Lumino"
    assert (
        body["alert"]["negative_last_hour"] == 150
        and body["message_id"] == headers["X-Veille-Message-Id"]
    )
    assert body["alert"]["opened_at"] == AT.isoformat()
    assert (
        body["alert"]["alert_url"] == f"https://veille.lumino.example/alerts/{body['alert']['id']}"
    )


def test_a_channel_down_never_stops_the_others(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    down = f"http://127.0.0.1:{free_port()}/slack"
    monkeypatch.setenv("VEILLE_TEST_SLACK_URL", down)
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    settings = _settings(tmp_path)
    settings.alerts.targets["lumino-slack"].retries = 0
    first = check(sqlite_engine, settings, AT)
    assert first.delivery.sent == 3 and first.delivery.failed == 1
    assert _states(sqlite_engine) == {"recipients": "sent", "lumino-slack": "failed",
                                      "ops-teams": "sent", "siem": "sent"}  # fmt: skip
    assert any("lumino-slack" in e and "ConnectionRefusedError" in e for e in first.delivery.errors)
    assert not any(down in e for e in first.delivery.errors)  # the URL is a secret
    # Slack is back: the next check sends what it owes, and only that.
    monkeypatch.setenv("VEILLE_TEST_SLACK_URL", hooks["slack"].url("/slack"))
    again = check(sqlite_engine, settings, AT + timedelta(minutes=15))
    assert again.delivery.sent == 1
    assert [len(h.requests) for h in hooks.values()] == [1, 1, 1]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_a_webhook_whose_answer_is_lost_is_unconfirmed_and_not_resent(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    hooks["webhook"].mode = "slow"  # answers after 2 s; the target waits 1 s
    hooks["teams"].mode = "drop"  # reads the request, closes without an answer
    hooks["slack"].mode = "error"  # a clear 500: not taken, tried again
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    settings = _settings(tmp_path)
    for name in ("lumino-slack", "ops-teams"):
        settings.alerts.targets[name].retries = 0
    first = check(sqlite_engine, settings, AT)
    assert _states(sqlite_engine) == {"recipients": "sent", "lumino-slack": "failed",
                                      "ops-teams": "unconfirmed", "siem": "unconfirmed"}  # fmt: skip
    for server in hooks.values():
        server.mode = "ok"
    check(sqlite_engine, settings, AT + timedelta(minutes=15))
    check(sqlite_engine, settings, AT + timedelta(minutes=30))
    assert first.delivery.unconfirmed == 2
    assert [len(h.requests) for h in hooks.values()] == [1, 1, 1]  # slack once, once taken
    assert _states(sqlite_engine)["lumino-slack"] == "sent"


def test_routes_by_brand_and_severity(
    engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    routes = [
        {"severities": ["critical"], "targets": ["ops-teams"]},
        {"brands": ["Lumino"], "severities": ["low", "medium"], "targets": ["lumino-slack"]},
        {"brands": ["Rivéo"], "targets": ["siem"]},
    ]
    plant_bad_buzz(engine, "Lumino", AT)
    result = check(engine, _settings(tmp_path, routes), AT)
    assert result.evaluations[0].severity == "critical"
    assert _states(engine) == {"recipients": "sent", "ops-teams": "sent"}
    assert [len(h.requests) for h in hooks.values()] == [0, 1, 0]


def test_a_missing_secret_names_the_variable(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    monkeypatch.delenv("VEILLE_TEST_WEBHOOK_SECRET")
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    result = check(sqlite_engine, _settings(tmp_path), AT)
    assert _states(sqlite_engine)["siem"] == "failed"
    [error] = [e for e in result.delivery.errors if "siem" in e]
    assert "VEILLE_TEST_WEBHOOK_SECRET" in error and "not set" in error


@pytest.mark.parametrize(
    ("target", "message"),
    [
        (
            {"channel": "slack", "url_env": "https://hooks.slack.com/services/T0/B0/x"},
            "is not an environment variable name",
        ),
        ({"channel": "webhook", "url_env": "HOOK_URL"}, "needs `secret_env`"),
        ({"channel": "teams"}, "needs `url_env`"),
        ({"channel": "email"}, "needs `to`"),
        (
            {"channel": "pigeon", "url_env": "X"},
            "'pigeon' is not one of email, slack, teams, webhook",
        ),
    ],
)
def test_target_settings_are_checked(target: dict[str, Any], message: str, tmp_path: Path) -> None:
    from config.errors import ConfigError
    from config.loading import load_settings
    from pipeline.plugins import config_names

    path = tmp_path / "veille.yaml"
    path.write_text(json.dumps({"brands": [{"name": "Lumino", "query": "lumino"}],
                                "alerts": {"targets": {"t": target}}}), encoding="utf-8")  # fmt: skip
    with pytest.raises(ConfigError) as info:
        load_settings(path, plugins=config_names())
    assert message in str(info.value)


def test_a_route_to_an_unknown_target_or_brand_is_refused() -> None:
    with pytest.raises(
        ValueError, match=r"routes\[0\].targets: 'nowhere' is not under alerts.targets"
    ):
        Settings(alerts={"routes": [{"targets": ["nowhere"]}]})
    with pytest.raises(
        ValueError, match=r"alerts.routes\[0\].brands: 'Nobody' is not a configured brand"
    ):
        Settings(brands=[{"name": "Lumino", "query": "lumino"}],
                 alerts={"targets": {"t": {"to": ["a@b.example"]}},
                         "routes": [{"brands": ["Nobody"], "targets": ["t"]}]})  # fmt: skip


def test_every_registered_channel_builds_for_a_target() -> None:
    from config.settings import TargetSettings

    problems = []
    for name, kind in CHANNELS.items():
        options = TargetSettings(channel=name, to=["a@b.example"], url_env="X", secret_env="Y")
        channel = kind(Settings(), Target("t", options))
        if channel.name != name or not callable(channel.send):
            problems.append(name)
    assert not problems
    assert {"email", "slack", "teams", "webhook"} <= set(CHANNELS)


def test_the_outbox_email_still_says_the_same(
    sqlite_engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    plant_bad_buzz(sqlite_engine, "Lumino", AT)
    check(sqlite_engine, _settings(tmp_path), AT)
    [eml] = (tmp_path / "outbox").glob("*.eml")
    msg = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    slack = hooks["slack"].requests[0].json()
    assert msg["Subject"] == slack["text"]
