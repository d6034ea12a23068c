"""Alert e-mails through a real local SMTP server (aiosmtpd): content, escaping, retries."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine, select

from config.settings import Settings
from reports.alerts.check import check
from reports.alerts.demo import plant_bad_buzz
from storage.alerts import AlertEmail
from storage.models import Alert
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp_port() -> int:
    return _free_port()


@pytest.fixture
def inbox(smtp_port: int) -> Iterator[tuple[Inbox, Controller]]:
    box = Inbox()
    yield box, Controller(box, hostname="127.0.0.1", port=smtp_port)


def _settings(tmp_path: Path, port: int) -> Settings:
    return Settings(
        brands=[{"name": "Lumino", "query": "lumino"}],
        alerts={"recipients": {"Lumino": ["crisis@lumino.example", "ceo@lumino.example"]},
                "outbox_dir": str(tmp_path / "outbox")},
        smtp={"host": "127.0.0.1", "port": port, "security": "none", "timeout_seconds": 5,
              "retries": 1, "backoff_seconds": 0.01, "sender": "veille@lumino.example"},
    )  # fmt: skip


def _hostile(engine: Engine) -> None:
    MentionStore(engine).store([
        MentionRecord(
            source="demo-twitter", source_kind="twitter_export", external_id="evil",
            text="Lumino <script>alert('x')</script> remboursement refusé", likes=100_000,
            url="javascript:alert(1)", published_at=AT - timedelta(minutes=5),
            author=AuthorRecord(handle="<b>troll</b>"), brands=[BrandMatch("Lumino")],
        )
    ])  # fmt: skip
    from storage.labels import LabelRecord, save_labels
    from storage.models import Mention

    with engine.begin() as conn:
        mid = conn.execute(select(Mention.id).where(Mention.external_id == "evil")).scalar_one()
        save_labels(conn, [LabelRecord(mid, "sentiment", "negative", model="t")])


def _parts(msg: Message) -> dict[str, Any]:
    return {p.get_content_type(): p.get_payload(decode=True) for p in msg.walk()}


def test_alert_mail_reaches_the_server_with_text_html_and_chart_escaped(
    engine: Engine, tmp_path: Path, inbox: tuple[Inbox, Controller], smtp_port: int
) -> None:
    box, server = inbox
    plant_bad_buzz(engine, "Lumino", AT)
    _hostile(engine)
    server.start()
    try:
        result = check(engine, _settings(tmp_path, smtp_port), AT)
    finally:
        server.stop()
    assert result.delivery.sent == 1 and result.delivery.failed == 0
    assert len(box.messages) == 1
    rcpts, msg = box.messages[0]
    assert rcpts == ["crisis@lumino.example", "ceo@lumino.example"]
    subject = str(email.header.make_header(email.header.decode_header(msg["Subject"])))
    assert subject.startswith("[Veille] Bad buzz Lumino — 151 negative mentions in 1 h (×")
    parts = _parts(msg)
    assert set(parts) >= {"text/plain", "text/html", "image/png"}
    assert parts["image/png"][:8] == b"\x89PNG\r\n\x1a\n"
    text = parts["text/plain"].decode()
    html = parts["text/html"].decode()
    assert "151 negative mentions in the last hour" in text
    assert "remboursement" in text and "Top terms" in text and "Sources: demo-twitter" in text
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;troll&lt;/b&gt;" in html
    assert "javascript:" not in html and "javascript:" not in text
    assert 'href="https://twitter.example/' in html
    assert 'src="cid:' in html


def test_smtp_down_then_up_sends_exactly_once(
    engine: Engine, tmp_path: Path, inbox: tuple[Inbox, Controller], smtp_port: int
) -> None:
    box, server = inbox
    settings = _settings(tmp_path, smtp_port)
    plant_bad_buzz(engine, "Lumino", AT)
    down = check(engine, settings, AT)  # nothing listens on the port yet
    assert [o.action for o in down.outcomes] == ["opened"]
    assert down.delivery.failed == 1 and down.delivery.sent == 0
    with engine.connect() as conn:
        alert = conn.execute(select(Alert.email_status, Alert.email_attempts)).one()
        assert tuple(alert) == ("pending", 1)
    server.start()
    try:
        up = check(engine, settings, AT + timedelta(minutes=15))
        assert [o.action for o in up.outcomes] == ["updated"]
        assert up.delivery.sent == 1
        again = check(engine, settings, AT + timedelta(minutes=30))
        assert again.delivery.sent == 0
    finally:
        server.stop()
    assert len(box.messages) == 1
    with engine.connect() as conn:
        row = conn.execute(select(AlertEmail.status, AlertEmail.attempts)).one()
        assert tuple(row) == ("sent", 2)
        assert conn.execute(select(Alert.email_status)).scalar() == "sent"
