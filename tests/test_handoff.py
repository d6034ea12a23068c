"""Handing mentions over to a helpdesk or CRM: the rules pick the mentions they name (brand,
labels, audience, open, recent; never the brands' own posts), each goes to each target once,
over a real signed webhook and into the e-mail outbox, a target that is down keeps it owed,
and a person hands one over from the command line or the web workspace."""

from __future__ import annotations

import email
import email.policy
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from starlette.testclient import TestClient

from config.settings import Settings
from reports.alerts.channels.webhook import sign
from reports.alerts.delivery import deliver_pending
from reports.alerts.handoff import HandoffError, apply_rules
from storage.audit import entries
from storage.deliveries import of_mention
from storage.inbox import set_triage
from storage.labels import LabelRecord, save_labels
from storage.mentions import ids_by_external_id
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore
from veille_demo.hookservers import HookServer
from veille_demo.mailservers import free_port

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
HOSTILE = "Lumino m'a volé <script>window.__x=1</script> \u202eevil, remboursez-moi"
SECRET = "k3y-of-the-helpdesk"


@pytest.fixture
def crm(monkeypatch: pytest.MonkeyPatch) -> Iterator[HookServer]:
    server = HookServer().start()
    monkeypatch.setenv("VEILLE_TEST_CRM_URL", server.url("/tickets"))
    monkeypatch.setenv("VEILLE_TEST_CRM_SECRET", SECRET)
    yield server
    server.stop()


def _config(tmp_path: Path, **handoff: Any) -> dict[str, Any]:
    rule = {"brands": ["Lumino"], "topics": ["service_client"], "sentiments": ["negative"],
            "min_followers": 100, "targets": ["helpdesk", "crm"]}  # fmt: skip
    targets = {
        "helpdesk": {"channel": "email", "to": ["sav@lumino.example"]},
        "crm": {"channel": "webhook", "url_env": "VEILLE_TEST_CRM_URL",
                "secret_env": "VEILLE_TEST_CRM_SECRET", "timeout_seconds": 2, "retries": 0},
    }  # fmt: skip
    return {
        "database": {"url": f"sqlite:///{tmp_path / 'veille.db'}"},
        "brands": [
            {"name": "Lumino", "query": "lumino", "own_accounts": ["@lumino_aide"]},
            {"name": "Rivéo", "query": "riveo"},
        ],
        "alerts": {"outbox_dir": str(tmp_path / "outbox"), "targets": targets},
        "handoff": {"rules": [rule], **handoff},
        "web": {"url": "https://veille.lumino.example"},
    }


def _settings(tmp_path: Path, **handoff: Any) -> Settings:
    return Settings.model_validate(_config(tmp_path, **handoff))


def _post(eid: str, text: str, *, author: str = "client", followers: int = 500,
          brand: str = "Lumino", hours: float = 2) -> MentionRecord:  # fmt: skip
    return MentionRecord(
        source="x", source_kind="twitter_export", external_id=eid, text=text,
        url=f"https://x.example/{author}/status/{eid}", likes=3,
        published_at=AT - timedelta(hours=hours), author=AuthorRecord(handle=author),
        author_followers=followers, brands=[BrandMatch(brand)],
    )  # fmt: skip


def _store(engine: Engine) -> dict[str, int]:
    """One mention the rule wants (`want`) and one of each kind it must leave alone."""
    posts = [
        _post("want", HOSTILE),
        _post("small", "Lumino, toujours pas remboursé", followers=20),
        _post("praise", "Merci Lumino, colis reçu"),
        _post("own", "Lumino : désolés, on regarde en privé", author="lumino_aide"),
        _post("closed", "Lumino, colis perdu"),
        _post("rival", "Riveo, colis perdu", brand="Rivéo"),
        _post("old", "Lumino, colis perdu il y a trois jours", hours=72),
    ]
    MentionStore(engine).store(posts)
    with engine.begin() as conn:
        ids = ids_by_external_id(conn, "x")
        labels = []
        for eid, i in ids.items():
            happy = eid == "praise"
            labels += [
                LabelRecord(i, "sentiment", "positive" if happy else "negative", model="t"),
                LabelRecord(i, "topic", "prescription" if happy else "service_client", model="t"),
            ]
        save_labels(conn, labels)
        set_triage(conn, [ids["closed"]], "ana", status="closed")
    return ids


def test_a_rule_hands_over_what_it_names_once_to_each_target(
    sqlite_engine: Engine, tmp_path: Path, crm: HookServer
) -> None:
    ids = _store(sqlite_engine)
    settings = _settings(tmp_path)
    assert apply_rules(sqlite_engine, settings, AT) == {"matched": 1, "owed": 2}
    assert apply_rules(sqlite_engine, settings, AT) == {"matched": 1, "owed": 0}  # once
    delivered = deliver_pending(sqlite_engine, settings, AT)
    assert delivered.sent == 2 and not delivered.errors
    # The CRM's webhook: signed, the mention whole, as data.
    [request] = crm.requests
    headers = request.headers
    assert headers["X-Veille-Event"] == "mention.handoff"
    assert headers["X-Veille-Signature"] == sign(
        SECRET.encode(), headers["X-Veille-Timestamp"], request.body
    )
    data = request.json()["handoff"]
    assert data["mention"]["text"] == HOSTILE and data["mention"]["id"] == ids["want"]
    assert data["mention"]["url"] == "https://x.example/client/status/want"
    assert (data["brand"], data["rule"], data["by"]) == ("Lumino", 1, "veille")
    assert (data["mention"]["sentiment"], data["mention"]["topic"]) == (
        "negative",
        "service_client",
    )
    # The helpdesk's e-mail: what was said, by whom, where, with the links.
    [path] = (tmp_path / "outbox").glob("*.eml")
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Subject"] == "[Veille] Lumino : mention à traiter de client (X (Twitter))"
    assert msg["To"] == "sav@lumino.example"
    text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "<script>window.__x=1</script>" in text and "500 abonnés" in text
    assert f"https://veille.lumino.example/mentions/{ids['want']}" in text
    html = msg.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script>" not in html and "&lt;script&gt;" in html
    # Each hand-over is in the mention's history; nothing else was handed over.
    history = entries(sqlite_engine, f"mention:{ids['want']}")
    assert {(e["actor"], e["action"], e["detail"]["target"]) for e in history} == {
        ("veille", "handoff", "helpdesk"),
        ("veille", "handoff", "crm"),
    }
    for eid, i in ids.items():
        assert bool(of_mention(sqlite_engine, i)) == (eid == "want"), eid


def test_a_target_that_is_down_keeps_the_hand_over_owed(
    sqlite_engine: Engine, tmp_path: Path, crm: HookServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _store(sqlite_engine)
    settings = _settings(tmp_path)
    monkeypatch.setenv("VEILLE_TEST_CRM_URL", f"http://127.0.0.1:{free_port()}/tickets")
    apply_rules(sqlite_engine, settings, AT)
    first = deliver_pending(sqlite_engine, settings, AT)
    assert first.sent == 1 and first.failed == 1  # the e-mail went; the CRM is down
    [down] = [d for d in of_mention(sqlite_engine, ids["want"]) if d.target == "crm"]
    assert down.status == "failed" and "could not post" in (down.error or "")
    monkeypatch.setenv("VEILLE_TEST_CRM_URL", crm.url("/tickets"))
    again = deliver_pending(sqlite_engine, settings, AT + timedelta(minutes=15))
    assert again.sent == 1 and len(crm.requests) == 1


def test_rules_are_checked_before_anything_is_owed(tmp_path: Path, sqlite_engine: Engine) -> None:
    config = _config(tmp_path)
    config["handoff"]["rules"][0]["targets"] = ["zendesk"]
    with pytest.raises(ValueError, match=r"handoff.rules\[0\].targets: 'zendesk' is not under"):
        Settings.model_validate(config)
    config = _config(tmp_path)
    config["handoff"]["rules"][0]["topics"] = ["sav"]
    with pytest.raises(HandoffError, match=r"handoff.rules\[0\].topics: 'sav' is not one of"):
        apply_rules(sqlite_engine, Settings.model_validate(config), AT)


def _cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    from pipeline.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    return int(exit_.value.code or 0), out.out + out.err


def test_a_person_hands_a_mention_over_from_the_command_line(
    sqlite_engine: Engine, tmp_path: Path, crm: HookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    ids = _store(sqlite_engine)
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump(_config(tmp_path), allow_unicode=True), encoding="utf-8")
    base = ["--config", str(path)]
    code, out = _cli([*base, "handoff", "send", str(ids["praise"]), "--target", "crm",
                      "--note", "client fidèle", "--by", "ana"], capsys)  # fmt: skip
    assert code == 0 and "handed over: webhook:crm" in out
    data = crm.requests[0].json()["handoff"]
    assert (data["by"], data["note"], data["rule"]) == ("cli:ana", "client fidèle", None)
    code, out = _cli([*base, "handoff", "send", str(ids["praise"]), "--target", "crm"], capsys)
    assert code == 1 and "already: sent" in out and len(crm.requests) == 1
    code, out = _cli([*base, "handoff", "send", str(ids["praise"]), "--target", "zendesk"],
                     capsys)  # fmt: skip
    assert code != 0 and "'zendesk' is not under alerts.targets (known: crm, helpdesk)" in out
    code, out = _cli([*base, "handoff", "send", "999999", "--target", "crm"], capsys)
    assert code != 0 and "there is no mention 999999" in out
    code, out = _cli([*base, "handoff", "list", str(ids["praise"]), "--json"], capsys)
    [row] = json.loads(out.strip().splitlines()[-1])["handoffs"]
    assert (row["target"], row["status"], row["mention_id"]) == ("crm", "sent", ids["praise"])


def test_a_person_hands_a_mention_over_from_the_workspace(
    sqlite_engine: Engine, tmp_path: Path, crm: HookServer
) -> None:
    from web_workspace import PASSWORD, login

    from storage.users import add_user
    from web.app import create_app
    from web.security import hash_password

    ids = _store(sqlite_engine)
    add_user(sqlite_engine, "analyst", "analyst", hash_password(PASSWORD))
    conf = _settings(tmp_path)
    conf.web.language = "en"
    client = TestClient(create_app(sqlite_engine, conf, secret="h" * 32))
    csrf = login(client, "analyst")
    mention = f"/mentions/{ids['small']}"
    page = client.get(mention).text
    assert "Not handed over." in page and "<option>helpdesk</option>" in page
    note = "<b>VIP</b> client"
    client.post(f"{mention}/handoff", data={"csrf": csrf, "target": "crm", "note": note})
    data = crm.requests[0].json()["handoff"]  # sent once the answer was given
    assert (data["by"], data["note"], data["mention"]["id"]) == ("analyst", note, ids["small"])
    page = client.get(mention).text
    card = page.split('id="handoff"')[1].split("</div>")[0]
    assert "crm · <strong>sent</strong>" in card and "analyst" in card
    history = page.split('id="history"')[1]
    assert "handoff" in history and "&lt;b&gt;VIP&lt;/b&gt;" in history and "<b>VIP" not in page
    rows = client.get("/inbox?period=all&status=all").text.split('class="mention-row"')[1:]
    handed = [r for r in rows if "→ crm" in r]
    assert len(handed) == 1 and f'data-id="{ids["small"]}"' in handed[0]
    bad = client.post(f"{mention}/handoff", data={"csrf": csrf, "target": "nowhere"})
    assert bad.status_code == 400 and "is not under alerts.targets" in bad.text
    # Several at once from the inbox: each one handed over once, each in its own history.
    checked = [str(ids["praise"]), str(ids["closed"]), str(ids["small"])]
    for _ in range(2):
        client.post("/inbox/bulk", data={"csrf": csrf, "ids": checked, "action": "handoff",
                                          "target": "helpdesk"})  # fmt: skip
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 3
    for eid in ("praise", "closed", "small"):
        [entry] = [e for e in entries(sqlite_engine, f"mention:{ids[eid]}")
                   if (e["detail"] or {}).get("target") == "helpdesk"]  # fmt: skip
        assert (entry["actor"], entry["action"]) == ("analyst", "handoff")
    assert "Hand over</button>" in client.get("/inbox?period=all").text


@pytest.mark.parametrize("channel", ["slack", "teams"])
def test_a_chat_channel_carries_the_hand_over_too(
    sqlite_engine: Engine, tmp_path: Path, channel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _store(sqlite_engine)
    server = HookServer().start()
    try:
        monkeypatch.setenv("VEILLE_TEST_CHAT_URL", server.url("/chat"))
        config = _config(tmp_path)
        config["alerts"]["targets"]["chat"] = {
            "channel": channel,
            "url_env": "VEILLE_TEST_CHAT_URL",
        }
        config["handoff"]["rules"][0]["targets"] = ["chat"]
        settings = Settings.model_validate(config)
        apply_rules(sqlite_engine, settings, AT)
        assert deliver_pending(sqlite_engine, settings, AT).sent == 1
        [request] = server.requests
        body = json.dumps(request.json(), ensure_ascii=False)
        assert "Lumino m'a volé" in body and "https://x.example/client/status/want" in body
        assert f"https://veille.lumino.example/mentions/{ids['want']}" in body
    finally:
        server.stop()


def test_a_rule_picks_authors_by_profile(sqlite_engine: Engine, tmp_path: Path) -> None:
    """A sales opportunity: any question of a deal hunter goes to the sales team's CRM."""
    from sqlalchemy import insert, select

    from storage.models import Author, AuthorProfile

    MentionStore(sqlite_engine).store([
        _post("hunter", "Lumino fait une promo sur la Nova 10 ce week-end ?", author="hunter"),
        _post("other", "Lumino fait une promo sur la Nova 10 ce week-end ?", author="other"),
    ])  # fmt: skip
    with sqlite_engine.begin() as conn:
        hunter = conn.execute(select(Author.id).where(Author.handle == "hunter")).scalar_one()
        conn.execute(insert(AuthorProfile).values(
            author_id=hunter, profile="chasseur_bons_plans", profile_score=0.9, reasons=[],
            influence=0.2, influence_parts={}, tier="occasional", flags=[], suspicious=False,
            posts=12, window_start=AT - timedelta(days=90), window_end=AT, version="t",
        ))  # fmt: skip
        ids = ids_by_external_id(conn, "x")
    rule = {"profiles": ["chasseur_bons_plans"], "targets": ["helpdesk"]}
    settings = _settings(tmp_path, rules=[rule])
    assert apply_rules(sqlite_engine, settings, AT) == {"matched": 1, "owed": 1}
    assert [d.target for d in of_mention(sqlite_engine, ids["hunter"])] == ["helpdesk"]
    bad = _settings(tmp_path, rules=[{"profiles": ["vip"], "targets": ["helpdesk"]}])
    with pytest.raises(HandoffError, match=r"handoff.rules\[0\].profiles: 'vip' is not one of"):
        apply_rules(sqlite_engine, bad, AT)


def test_the_report_says_which_unanswered_complaints_were_handed_over(
    sqlite_engine: Engine, tmp_path: Path, crm: HookServer, capsys: pytest.CaptureFixture[str]
) -> None:
    _store(sqlite_engine)
    config = _config(tmp_path)
    config["reports"] = {"output_dir": str(tmp_path / "reports")}
    apply_rules(sqlite_engine, Settings.model_validate(config), AT)
    path = tmp_path / "veille.yaml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    code, out = _cli(["--config", str(path), "--now", "2026-03-10T06:00", "report", "--brand",
                      "Lumino", "--period", "yesterday", "--format", "json", "--lang", "fr",
                      "--json"], capsys)  # fmt: skip
    assert code == 0, out
    report = json.loads((tmp_path / "reports/lumino_2026-03-09_2026-03-09_fr.json").read_text())
    handed = {p["external_id"]: p["handed_to"] for p in report["needing_answer"]}
    # Closed in the inbox is not answered in public: the report still lists it.
    assert handed == {"want": ["crm", "helpdesk"], "small": [], "closed": []}
    html = _cli(
        [
            "--config",
            str(path),
            "--now",
            "2026-03-10T06:00",
            "report",
            "--brand",
            "Lumino",
            "--period",
            "yesterday",
            "--format",
            "html",
            "--lang",
            "fr",
        ],
        capsys,
    )
    assert html[0] == 0
    page = (tmp_path / "reports/lumino_2026-03-09_2026-03-09_fr.html").read_text()
    assert page.count("transmise à crm, helpdesk") == 1


def test_an_erased_mention_takes_its_hand_overs_with_it(engine: Engine, tmp_path: Path) -> None:
    from storage.privacy import delete_mentions

    ids = _store(engine)
    apply_rules(engine, _settings(tmp_path), AT)
    assert len(of_mention(engine, ids["want"])) == 2
    with engine.begin() as conn:
        delete_mentions(conn, [ids["want"]], dry_run=False)
    assert of_mention(engine, ids["want"]) == []


def test_a_rule_picks_mentions_by_theme(sqlite_engine: Engine, tmp_path: Path) -> None:
    """Refund requests, whatever their labels, go to the billing team: a rule names a theme
    (a query of the team's own) and only its mentions are handed over."""
    ids = _store(sqlite_engine)
    config = _config(tmp_path, rules=[{"themes": ["Remboursements"], "targets": ["helpdesk"]}])
    config["themes"] = [
        {"name": "Colis", "query": "colis"},
        {"name": "Remboursements", "query": "rembours* OR (vol* NEAR/3 lumino)"},
    ]
    settings = Settings.model_validate(config)
    # "want" (m'a volé… remboursez-moi) and "small" (pas remboursé); not the parcels.
    assert apply_rules(sqlite_engine, settings, AT) == {"matched": 2, "owed": 2}
    handed = {eid for eid, i in ids.items() if of_mention(sqlite_engine, i)}
    assert handed == {"want", "small"}
    # The message names the mention's themes, for the helpdesk's own routing.
    assert deliver_pending(sqlite_engine, settings, AT).sent == 2
    for path in (tmp_path / "outbox").glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        text = msg.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        assert "Thèmes : \u2068Remboursements\u2069" in text
    config["handoff"]["rules"][0]["themes"] = ["Factures"]
    with pytest.raises(ValueError, match=r"handoff.rules\[0\].themes: 'Factures' is not under"):
        Settings.model_validate(config)
