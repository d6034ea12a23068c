"""The delivery guarantee against real SMTP servers (aiosmtpd) that fail on purpose.

At least once before the data is handed over, at most once after: exactly one copy arrives, or
none and the message is shown `unconfirmed` (veille status, veille alerts list) until a person
resends it. The scenarios are those of bench/reliability.py (veille_demo/delivery_faults.py).
"""

from __future__ import annotations

import email
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from veille_demo.delivery_faults import AT, SCENARIOS, run_scenario, workspace

EXPECTED = {  # scenario -> (copies of the alert e-mail, its final state)
    "down": (1, "sent"),
    "slow": (1, "unconfirmed"),
    "closed": (0, "unconfirmed"),
    "refused": (1, "sent"),
    "kill-after-mark": (1, "unconfirmed"),
    "kill-before-mark": (1, "sent"),
    "operators": (1, "sent"),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_fault_scenario_gives_one_copy_or_none_and_unconfirmed_shown(
    name: str, tmp_path: Path
) -> None:
    outcome = run_scenario(name, tmp_path)
    assert (outcome.copies, outcome.state) == EXPECTED[name], outcome
    assert outcome.ok, outcome
    assert outcome.unconfirmed_shown == (outcome.state == "unconfirmed")
    assert len(set(outcome.message_ids)) <= 1  # every copy carries the recorded Message-ID


def test_slow_server_on_postgresql_too(pg_url: str, tmp_path: Path) -> None:
    outcome = run_scenario("slow", tmp_path, pg_url)
    assert (outcome.copies, outcome.state, outcome.unconfirmed_shown) == (1, "unconfirmed", True)


def test_unconfirmed_waits_for_a_person_then_resend_sends_the_same_message_id(
    tmp_path: Path,
) -> None:
    from storage.models import Delivery

    with workspace(tmp_path, mode="slow") as ws:
        ws.server.start()
        first = ws.check(AT)
        assert first.delivery.unconfirmed == 1 and first.delivery.sent == 0
        with ws.engine.connect() as conn:
            recorded, handed = conn.execute(select(Delivery.message_id, Delivery.handed_at)).one()
        [copy] = ws.server.received
        assert copy.message_id == recorded and handed is not None  # recorded before DATA
        # The text of `alerts list` and `status` names the delivery and what to run.
        code, listed = ws.cli("alerts", "list")
        assert code == 0 and "unconfirmed" in listed and "veille alerts resend ID" in listed
        code, status = ws.cli("status")
        assert "Messages not delivered: 1" in status
        # A later check leaves it alone …
        again = ws.check(AT + timedelta(minutes=15))
        assert again.delivery.sent == 0 and len(ws.server.received) == 1
        # … until a person asks, with the server fast again.
        ws.server.mode = "ok"
        code, out = ws.cli("alerts", "resend", "1")
        assert code == 0 and "Delivery 1 sent again" in out, out
        assert [r.message_id for r in ws.server.received] == [recorded, recorded]
        assert ws.state(1) == "sent"
        code, _ = ws.cli("alerts", "resend", "1")
        assert code == 2  # sent: only with --force


def test_confirm_records_that_an_unconfirmed_message_arrived(tmp_path: Path) -> None:
    with workspace(tmp_path, mode="close-mid-data") as ws:
        ws.server.start()
        ws.check(AT)
        assert ws.state(1) == "unconfirmed" and ws.server.received == []
        code, out = ws.cli("alerts", "confirm", "1")
        assert code == 0 and "recorded as delivered" in out
        assert ws.state(1) == "sent" and not ws.unconfirmed_shown(1)
        code, _ = ws.cli("alerts", "confirm", "1")
        assert code == 2


def test_operators_email_falls_back_to_the_outbox_when_the_queue_is_unreachable(
    tmp_path: Path,
) -> None:
    from config.settings import Settings
    from pipeline.notify import notify_operators

    settings = Settings(
        database={"url": f"sqlite:///{tmp_path / 'no-schema.db'}"},
        alerts={"operators": ["ops@lumino.example"], "outbox_dir": str(tmp_path / "outbox")},
        smtp={"host": "127.0.0.1", "port": 9, "security": "none"},
    )
    where = notify_operators(settings, "[Veille] nightly run 3 failed: crawl", "boom\n", now=AT)
    written = list((tmp_path / "outbox").glob("*.eml"))
    assert [str(p) for p in written] == [where]
    msg = email.message_from_bytes(written[0].read_bytes())
    assert msg["To"] == "ops@lumino.example" and msg["Auto-Submitted"] == "auto-generated"


def test_the_outbox_folder_writes_a_message_once_whatever_the_retries(tmp_path: Path) -> None:
    from reports.alerts.delivery import deliver_pending
    from reports.alerts.routing import owe_operators_message

    with workspace(tmp_path) as ws:
        settings = ws.settings().model_copy(update={"smtp": ws.settings().smtp.model_copy(
            update={"host": None})})  # fmt: skip
        delivery_id = owe_operators_message(ws.engine, "subject", "body\n", AT, key="x")
        assert owe_operators_message(ws.engine, "subject", "body\n", AT, key="x") == delivery_id
        deliver_pending(ws.engine, settings, AT)
        from storage.deliveries import requeue

        requeue(ws.engine, delivery_id, AT, "again")
        deliver_pending(ws.engine, settings, AT + timedelta(minutes=5))
        assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1


def test_migration_0010_moves_the_alert_emails_into_the_queue(db_url: str) -> None:
    """Rows survive SQLite's rebuild of `alerts`; a `sending` e-mail becomes unconfirmed."""
    from sqlalchemy import text

    from storage.deliveries import get
    from storage.engine import make_engine
    from storage.schema import upgrade

    engine = make_engine(db_url)
    upgrade(engine, "0009")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO alerts (brand, kind, severity, status, opened_at, updated_at,"
            " email_status, email_attempts) VALUES ('Lumino', 'bad_buzz', 'high', 'closed',"
            " '2026-03-09 15:00:00', '2026-03-09 15:00:00', 'sent', 1)"
        ))  # fmt: skip
        for kind, status in (("opened", "sending"), ("closed", "sent")):
            conn.execute(text(
                "INSERT INTO alert_emails (alert_id, kind, status, attempts, created_at)"
                f" VALUES (1, '{kind}', '{status}', 1, '2026-03-09 15:00:00')"
            ))  # fmt: skip
    upgrade(engine)
    opened, closed = get(engine, 1), get(engine, 2)
    engine.dispose()
    assert opened is not None and closed is not None
    assert (opened.key, opened.status, opened.target) == (
        "alert:1:opened:email:recipients",
        "unconfirmed",
        "recipients",
    )
    assert (closed.kind, closed.status, closed.alert_id) == ("closed", "sent", 1)
