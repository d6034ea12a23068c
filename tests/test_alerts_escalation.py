"""People answer alerts, and the rules around them, with the `--now` clock: acknowledgement
cancels the escalation, an unacknowledged critical alert escalates after its delay, alerts of
lower severity wait for the daily digest, and quiet hours hold a recipient list's messages."""

from __future__ import annotations

import contextlib
import email
import email.policy
import io
import json
from datetime import UTC, datetime, timedelta
from email.message import Message
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from sqlalchemy import Engine, select

from pipeline.cli import main
from storage.engine import make_engine
from storage.labels import LabelRecord, save_labels
from storage.models import Delivery, Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.schema import upgrade
from storage.upsert import MentionStore
from veille_demo.bad_buzz import plant_bad_buzz

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)  # 16:00 in Paris


class Workspace:
    def __init__(self, folder: Path, alerts: dict[str, Any]) -> None:
        self.folder = folder
        self.outbox = folder / "outbox"
        db = folder / "veille.db"
        self.engine: Engine = make_engine(f"sqlite:///{db}")
        upgrade(self.engine)
        data = {
            "database": {"url": f"sqlite:///{db}"},
            "brands": [{"name": "Lumino", "query": "lumino"}, {"name": "Rivéo", "query": "riveo"}],
            "alerts": {"outbox_dir": str(self.outbox), **alerts},
            "web": {"url": "https://veille.lumino.example"},
        }
        self.config = folder / "veille.yaml"
        self.config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")

    def veille(self, at: datetime, *args: str) -> tuple[int, str]:
        out = io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out):
            try:
                main(["--config", str(self.config), "--now", at.isoformat(), *args])
            except SystemExit as exc:
                code = int(exc.code or 0)
        return code, out.getvalue()

    def mails(self) -> list[Message]:
        files = sorted(self.outbox.glob("*.eml")) if self.outbox.is_dir() else []
        return [
            email.message_from_bytes(f.read_bytes(), policy=email.policy.default) for f in files
        ]

    def subjects(self) -> list[str]:
        return [str(m["Subject"]) for m in self.mails()]

    def deliveries(self) -> list[tuple[str, str, str]]:
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(Delivery.kind, Delivery.target, Delivery.status).order_by(Delivery.id)
            )
            return [tuple(r) for r in rows]  # type: ignore[misc]


@pytest.fixture
def escalating(tmp_path: Path) -> Workspace:
    ws = Workspace(tmp_path, {
        "recipients": {"Lumino": ["crisis@lumino.example"]},
        "targets": {"board": {"channel": "email", "to": ["ceo@lumino.example"]}},
        "escalation": {"after_minutes": 10, "severities": ["critical"], "targets": ["board"]},
    })  # fmt: skip
    plant_bad_buzz(ws.engine, "Lumino", AT)
    return ws


def _alert_page(ws: Workspace, alert_id: int) -> str:
    """The alert's page in the web workspace, as a viewer reads it."""
    from starlette.testclient import TestClient
    from web_workspace import PASSWORD, login

    from config import load_settings
    from storage.users import add_user, get_user
    from web.app import create_app
    from web.security import hash_password

    if get_user(ws.engine, "viewer") is None:
        add_user(ws.engine, "viewer", "viewer", hash_password(PASSWORD))
    conf = load_settings(ws.config)
    conf.web.language = "en"  # the assertions read English
    client = TestClient(create_app(ws.engine, conf, secret="e" * 32))
    login(client, "viewer")
    return str(client.get(f"/alerts/{alert_id}").text)


def test_an_unacknowledged_critical_alert_escalates_after_the_delay(escalating: Workspace) -> None:
    ws = escalating
    _, out = ws.veille(AT, "alerts", "check")
    assert "Lumino: opened" in out
    assert [m["To"] for m in ws.mails()] == ["crisis@lumino.example"]
    # The alert's page says who it goes to, and when, unless someone takes it on.
    due = (AT + timedelta(minutes=10)).astimezone(ZoneInfo("Europe/Paris"))
    assert (f"Nobody has taken it on yet: it goes to board on {due:%Y-%m-%d %H:%M} unless "
            "someone acknowledges it.") in _alert_page(ws, 1)  # fmt: skip
    ws.veille(AT + timedelta(minutes=5), "alerts", "check")
    assert len(ws.mails()) == 1  # not yet: 5 of 10 minutes
    ws.veille(AT + timedelta(minutes=12), "alerts", "check")
    page = _alert_page(ws, 1)
    assert "Nobody has taken it on" not in page and "Escalated to board on " in page
    escalation = [m for m in ws.mails() if m["To"] == "ceo@lumino.example"]
    assert [str(m["Subject"]) for m in escalation] == [
        "[Veille] Escalade : Lumino — alerte non prise en charge depuis 10 min"
    ]
    text = escalation[0].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert text.startswith("Personne n'a pris en charge cette alerte depuis 10 min")
    assert "mentions négatives dans la dernière heure" in text
    ws.veille(AT + timedelta(minutes=20), "alerts", "check")
    assert len(ws.mails()) == 2  # escalated once


def test_acknowledging_cancels_the_escalation(escalating: Workspace) -> None:
    ws = escalating
    ws.veille(AT, "alerts", "check")
    code, out = ws.veille(AT + timedelta(minutes=5), "alerts", "ack", "1", "--by", "Marie",
                          "--note", "community manager on it")  # fmt: skip
    assert code == 0 and "Alert 1 (Lumino) acknowledged by Marie" in out
    assert "1 escalation message(s) cancelled" in out
    ws.veille(AT + timedelta(minutes=12), "alerts", "check")
    assert [m["To"] for m in ws.mails()] == ["crisis@lumino.example"]
    assert ("escalated", "board", "cancelled") in ws.deliveries()
    code, listed = ws.veille(AT + timedelta(minutes=13), "alerts", "list", "--json")
    [alert] = json.loads(listed)["alerts"]
    assert alert["status"] == "open" and alert["acknowledged_by"] == "Marie"
    assert alert["note"] == "community manager on it"
    assert alert["kind"] == "bad_buzz" and "messages négatifs en 1 h" in alert["cause"]
    assert alert["acknowledged_at"] == (AT + timedelta(minutes=5)).isoformat()
    code, _ = ws.veille(AT + timedelta(minutes=14), "alerts", "ack", "1")
    assert code == 2  # already acknowledged, by Marie
    code, table = ws.veille(AT + timedelta(minutes=14), "alerts", "list")
    assert "Marie" in table


def test_resolving_ends_the_alert_now(
    escalating: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    ws = escalating
    ws.veille(AT, "alerts", "check")
    code, out = ws.veille(AT + timedelta(minutes=3), "alerts", "resolve", "1", "--by", "Marie")
    assert code == 0 and "resolved by Marie" in out
    code, out = ws.veille(AT + timedelta(minutes=12), "alerts", "check")
    assert "Lumino: cooldown" in out  # still spiking, but a person closed it: no new alert
    assert len(ws.mails()) == 1 and ("escalated", "board", "cancelled") in ws.deliveries()
    for status in ("closed", "resolved"):  # ended, by a person
        _, found = ws.veille(AT + timedelta(minutes=13), "alerts", "list", "--status", status,
                             "--json")  # fmt: skip
        assert [a["id"] for a in json.loads(found)["alerts"]] == [1], status
    _, found = ws.veille(AT + timedelta(minutes=13), "alerts", "list", "--status", "open", "--json")
    assert json.loads(found)["alerts"] == []
    code, out = ws.veille(AT + timedelta(minutes=13), "alerts", "list", "--status", "shut")
    assert code == 2
    assert "--status 'shut' is not one of open, unacknowledged, closed, resolved" in (
        capsys.readouterr().err
    )
    _, listed = ws.veille(AT + timedelta(minutes=13), "alerts", "list", "--json")
    [alert] = json.loads(listed)["alerts"]
    assert (alert["status"], alert["resolved_by"], alert["closed_at"]) == (
        "resolved",
        "Marie",
        (AT + timedelta(minutes=3)).isoformat(),
    )
    assert ws.veille(AT + timedelta(minutes=14), "alerts", "resolve", "1")[0] == 2
    assert ws.veille(AT + timedelta(minutes=14), "alerts", "ack", "99")[0] == 2


def _influential_post(engine: Engine, brand: str, eid: str, at: datetime) -> None:
    """A negative post by an author with five million followers: a medium alert alone."""
    post = MentionRecord(
        source="demo-twitter", source_kind="twitter_export", external_id=eid,
        text=f"{brand}, jamais plus : service client odieux.", published_at=at,
        author=AuthorRecord(handle=f"star-{eid}", followers=5_000_000),
        brands=[BrandMatch(brand)],
    )  # fmt: skip
    MentionStore(engine).store([post])
    with engine.begin() as conn:
        mid = conn.execute(select(Mention.id).where(Mention.external_id == eid)).scalar_one()
        save_labels(conn, [LabelRecord(mid, "sentiment", "negative", model="t")])


def test_lower_severities_wait_for_the_daily_digest(tmp_path: Path) -> None:
    ws = Workspace(tmp_path, {
        "targets": {"team": {"channel": "email", "to": ["team@lumino.example"]}},
        "routes": [{"targets": ["team"]}],
        "digest": {"severities": ["low", "medium"], "at": "08:00"},
    })  # fmt: skip
    for brand in ("Lumino", "Rivéo"):
        plant_bad_buzz(ws.engine, brand, AT, burst=0, source=f"tw-{brand}")
        _influential_post(ws.engine, brand, f"star-{brand}", AT - timedelta(minutes=20))
    _, out = ws.veille(AT, "alerts", "check")
    assert out.count(": opened") == 2
    assert ws.mails() == []  # nothing one by one
    assert ws.deliveries() == [("digest", "team", "pending")]  # one digest for both
    ws.veille(datetime(2026, 3, 10, 6, 55, tzinfo=UTC), "alerts", "check")  # 7:55 in Paris
    assert ws.mails() == []
    ws.veille(datetime(2026, 3, 10, 7, 5, tzinfo=UTC), "alerts", "check")
    [digest] = ws.mails()
    assert digest["To"] == "team@lumino.example"
    assert digest["Subject"] == "[Veille] Résumé du 10 mars 2026 : 2 alertes"
    text = digest.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert (
        "Lumino — gravité moyenne — ouverte le 9 mars 2026 à 16\u00a0h — Message négatif influent "
        ": message négatif de \u2068star-star-Lumino\u2069 (5\u202f000\u202f000 abonnés) sur X "
        "(Twitter)" in text
    )
    assert "Rivéo — gravité moyenne" in text
    assert "Les alertes dans Veille : https://veille.lumino.example/alerts" in text
    ws.veille(datetime(2026, 3, 10, 7, 30, tzinfo=UTC), "alerts", "check")
    assert len(ws.mails()) == 1


def test_quiet_hours_hold_a_list_but_not_a_critical_alert(tmp_path: Path) -> None:
    night = datetime(2026, 3, 9, 22, 0, tzinfo=UTC)  # 23:00 in Paris
    ws = Workspace(tmp_path, {
        "targets": {"night": {"channel": "email", "to": ["night@lumino.example"],
                              "quiet_hours": "22:00-07:00"}},
        "routes": [{"targets": ["night"]}],
    })  # fmt: skip
    plant_bad_buzz(ws.engine, "Lumino", night)  # critical
    plant_bad_buzz(ws.engine, "Rivéo", night, burst=0, source="tw-riveo")
    _influential_post(ws.engine, "Rivéo", "star", night - timedelta(minutes=20))
    ws.veille(night, "alerts", "check")
    assert [str(m["Subject"])[:24] for m in ws.mails()] == ["[Veille] Lumino : 150 me"]
    ws.veille(datetime(2026, 3, 10, 5, 55, tzinfo=UTC), "alerts", "check")  # 6:55 in Paris
    assert len([m for m in ws.mails() if "Rivéo" in str(m["Subject"])]) == 0
    ws.veille(datetime(2026, 3, 10, 6, 5, tzinfo=UTC), "alerts", "check")  # 7:05
    # The night's alert, held until 7:00, then its end (which also fell in the quiet hours).
    held = [str(m["Subject"]) for m in ws.mails() if "Rivéo" in str(m["Subject"])]
    assert [s.split(" (")[0] for s in held] == [
        "[Veille] Rivéo : message négatif de star-star",
        "[Veille] Fin de l'alerte « Message négatif influent » : Rivéo",
    ]
    assert all(m["Date"] for m in ws.mails())


def test_escalation_and_digest_settings_are_checked() -> None:
    from config.settings import Settings

    with pytest.raises(ValueError, match=r"escalation.targets: 'nobody' is not under alerts"):
        Settings(alerts={"escalation": {"targets": ["nobody"]}})
    with pytest.raises(ValueError, match="is not a time window; write it like 22:00-07:00"):
        Settings(alerts={"targets": {"t": {"to": ["a@b.example"], "quiet_hours": "22h-7h"}}})
    with pytest.raises(ValueError, match="is not a time of day; write it like 08:00"):
        Settings(alerts={"digest": {"at": "8am"}})
