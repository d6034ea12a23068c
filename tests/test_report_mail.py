"""Reports by e-mail (`reports.recipients`) and to the team's channels (`reports.routes`):
once written, each report goes to its brand's recipients in the alerts' language and to each
target in its own — page 1's summary, the PDF attached to an e-mail, the link to the HTML —
once, whatever runs again, after a target's quiet hours, with the alerts' delivery guarantee."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
import reports_fixture as F
from pydantic import ValidationError
from sqlalchemy import Engine, select

from config.settings import Settings
from reports.build import build_report
from reports.i18n import Translator
from reports.output import write_configured_reports
from reports.periods import parse_period
from reports.summary import sentences
from storage.models import Delivery
from veille_demo.hookservers import HookServer


def _settings(tmp_path: Path) -> Settings:
    conf = F.config(tmp_path)
    conf["reports"]["recipients"] = {"Lumino": ["direction@lumino.example"]}
    conf["alerts"] = {
        "outbox_dir": str(tmp_path / "outbox"),
        "report_url": "https://veille.lumino.example/rapports",
    }
    return Settings.model_validate(conf)


def _mails(tmp_path: Path) -> dict[str, EmailMessage]:
    out = {}
    for path in sorted((tmp_path / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        assert isinstance(msg, EmailMessage)
        out[str(msg["Content-Language"])] = msg
    return out


def test_each_report_goes_to_its_recipients_once(engine: Engine, tmp_path: Path) -> None:
    """Written in French and English, it goes to the recipients once, in the alerts' language
    (unset: the first report language)."""
    F.load(engine)
    settings = _settings(tmp_path)
    done = write_configured_reports(engine, settings, F.NOW)
    assert done.mail is not None and (done.mail.sent, done.mail.errors) == (1, [])
    [fr] = _mails(tmp_path).values()
    assert fr["To"] == "direction@lumino.example" and fr["Content-Language"] == "fr"
    assert fr["Subject"] == "[Veille] Lumino : rapport e-réputation du 1er mars au 7 mars"
    content = build_report(engine, settings, "Lumino", parse_period(F.PERIOD), F.NOW)
    text = fr.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    for sentence in sentences(content, Translator("fr")):  # page 1's summary, every sentence
        assert " ".join(sentence.text.split()) in " ".join(text.split())
    assert "https://veille.lumino.example/rapports/lumino_2026-03-01_2026-03-07_fr.html" in text
    html = fr.get_body(("html",)).get_content()  # type: ignore[union-attr]
    assert "<script" not in html and "onerror" not in html.replace("&#34;", "")  # escaped
    [pdf] = [p for p in fr.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "lumino_2026-03-01_2026-03-07_fr.pdf"
    assert pdf.get_content()[:5] == b"%PDF-"
    # The night runs again (or the weekly job writes the same period): nothing is sent twice.
    again = write_configured_reports(engine, settings, F.NOW)
    assert again.mail is not None and again.mail.sent == 0
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    with engine.connect() as conn:
        kinds = conn.execute(select(Delivery.kind, Delivery.status)).all()
    assert kinds == [("report", "sent")]
    # alerts.language English: the English report, for a report of another period.
    settings.alerts.language = "en"
    write_configured_reports(engine, settings, F.NOW, periods=["yesterday"])
    en = _mails(tmp_path)["en"]
    assert en["Subject"] == "[Veille] Lumino: e-reputation report for 7 Mar"


def test_the_slides_go_with_the_pdf_when_the_team_asks(engine: Engine, tmp_path: Path) -> None:
    """reports.attach: the PDF and the slides, each with its media type and name."""
    F.load(engine)
    settings = _settings(tmp_path)
    settings.reports.languages = ["fr"]
    settings.reports.formats = ["html", "pdf", "pptx"]
    settings.reports.attach = ["pdf", "pptx"]
    write_configured_reports(engine, settings, F.NOW)
    [mail] = _mails(tmp_path).values()
    files = {p.get_content_type(): p for p in mail.iter_attachments()}
    slides = files["application/vnd.openxmlformats-officedocument.presentationml.presentation"]
    assert slides.get_filename() == "lumino_2026-03-01_2026-03-07_fr.pptx"
    assert slides.get_content()[:2] == b"PK" and "application/pdf" in files
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "Le rapport est joint (PDF, PPTX)." in text


def test_a_report_the_server_refused_stays_owed_and_goes_later(
    engine: Engine, tmp_path: Path
) -> None:
    """The SMTP server is down at night: the report is written all the same, its e-mail stays
    owed, and the next `veille alerts check` sends it; one whose PDF is gone since says so."""
    from reports.alerts.delivery import deliver_pending

    F.load(engine)
    settings = _settings(tmp_path)
    settings.reports.languages = ["fr"]
    settings.smtp.host, settings.smtp.port = "127.0.0.1", 9  # nothing listens there
    settings.smtp.retries, settings.smtp.backoff_seconds = 0, 0.0
    done = write_configured_reports(engine, settings, F.NOW)
    assert len(done.written) == 2 and done.failed == []
    assert done.mail is not None and (done.mail.sent, done.mail.failed) == (0, 1)
    assert "could not send via 127.0.0.1:9" in done.mail.errors[0]
    settings.smtp.host = ""  # the server is back (here: the outbox)
    later = deliver_pending(engine, settings, F.NOW)
    assert later.sent == 1 and list((tmp_path / "outbox").glob("*.eml"))
    [pdf] = (tmp_path / "reports").glob("*_fr.pdf")
    pdf.unlink()
    with engine.begin() as conn:  # owed again, as `veille alerts resend ID --force` does
        conn.execute(Delivery.__table__.update().values(status="pending"))
    gone = deliver_pending(engine, settings, F.NOW)
    assert (gone.sent, gone.failed) == (0, 1)
    assert f"the report {pdf} cannot be read" in gone.errors[0]


def test_report_recipients_name_configured_brands() -> None:
    with pytest.raises(ValidationError, match=r"reports.recipients: 'Nope' is not a configured"):
        Settings.model_validate({
            "brands": [{"name": "Lumino", "query": "lumino"}],
            "reports": {"recipients": {"Nope": ["a@b.example"]}},
        })  # fmt: skip


@pytest.fixture
def hooks(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, HookServer]]:
    servers = {name: HookServer().start() for name in ("slack", "teams")}
    for name, server in servers.items():
        monkeypatch.setenv(f"VEILLE_TEST_{name.upper()}_URL", server.url(f"/{name}"))
    yield servers
    for server in servers.values():
        server.stop()


def test_each_report_goes_to_each_target_once_in_its_language(
    engine: Engine, tmp_path: Path, hooks: dict[str, HookServer]
) -> None:
    """Slack (no language: the first report language), Teams and an e-mail list in English,
    and a Slack channel in its quiet hours, which gets the report when they end."""
    from reports.alerts.delivery import deliver_pending

    F.load(engine)
    conf = F.config(tmp_path)
    slack = {"channel": "slack", "url_env": "VEILLE_TEST_SLACK_URL"}
    conf["alerts"] = {
        "outbox_dir": str(tmp_path / "outbox"),
        "report_url": "https://veille.lumino.example/rapports",
        "targets": {
            "marketing-slack": slack,
            "board-teams": {"channel": "teams", "url_env": "VEILLE_TEST_TEAMS_URL",
                            "language": "en"},
            "board-mail": {"channel": "email", "to": ["board@lumino.example"], "language": "en"},
            "monthly-mail": {"channel": "email", "to": ["month@lumino.example"]},
            "night-slack": {**slack, "quiet_hours": "05:00-09:00", "timezone": "UTC"},
        },
    }  # fmt: skip
    conf["reports"]["routes"] = [
        {"brands": ["Lumino"], "targets": ["marketing-slack", "board-teams", "night-slack"]},
        {"periods": ["last-7-days"], "targets": ["board-mail", "board-teams"]},  # once each
        {"periods": ["last-30-days"], "targets": ["monthly-mail"]},  # not this period
    ]
    settings = Settings.model_validate(conf)
    done = write_configured_reports(engine, settings, F.NOW)
    assert done.mail is not None and (done.mail.sent, done.mail.errors) == (3, [])
    [post] = hooks["slack"].requests  # the night channel's waits
    blocks = post.json()["blocks"]
    assert blocks[0]["text"]["text"] == "Lumino : rapport e-réputation du 1er mars au 7 mars"
    content = build_report(engine, settings, "Lumino", parse_period(F.PERIOD), F.NOW)
    first = sentences(content, Translator("fr"))[0].text
    assert any(b.get("text", {}).get("text") == first for b in blocks)
    [buttons] = [b for b in blocks if b["type"] == "actions"]
    assert buttons["elements"][0]["url"] == (
        "https://veille.lumino.example/rapports/lumino_2026-03-01_2026-03-07_fr.html"
    )
    [card] = hooks["teams"].requests
    adaptive = card.json()["attachments"][0]["content"]
    assert adaptive["lang"] == "en"
    assert adaptive["body"][0]["text"] == "Lumino: e-reputation report for 1 Mar to 7 Mar"
    [mail] = _mails(tmp_path).values()
    assert mail["To"] == "board@lumino.example" and mail["Content-Language"] == "en"
    [pdf] = [p for p in mail.iter_attachments() if p.get_content_type() == "application/pdf"]
    assert pdf.get_filename() == "lumino_2026-03-01_2026-03-07_en.pdf"
    # The night runs again: nothing twice; the quiet hours' end sends the night channel's.
    again = write_configured_reports(engine, settings, F.NOW)
    assert again.mail is not None and again.mail.sent == 0
    assert deliver_pending(engine, settings, F.NOW + timedelta(hours=2)).sent == 0
    assert deliver_pending(engine, settings, F.NOW + timedelta(hours=3)).sent == 1
    assert len(hooks["slack"].requests) == 2 and len(hooks["teams"].requests) == 1
    with engine.connect() as conn:
        rows = conn.execute(select(Delivery.target, Delivery.channel, Delivery.status)).all()
    assert sorted(rows) == [
        ("board-mail", "email", "sent"), ("board-teams", "teams", "sent"),
        ("marketing-slack", "slack", "sent"), ("night-slack", "slack", "sent"),
    ]  # fmt: skip


def test_report_routes_name_configured_targets_and_brands() -> None:
    with pytest.raises(ValidationError, match=r"reports.routes\[0\].targets: 'team' is not under"):
        Settings.model_validate({
            "brands": [{"name": "Lumino", "query": "lumino"}],
            "reports": {"routes": [{"targets": ["team"]}]},
        })  # fmt: skip
    with pytest.raises(ValidationError, match=r"reports.routes\[0\].brands: 'Nope' is not a conf"):
        Settings.model_validate({
            "brands": [{"name": "Lumino", "query": "lumino"}],
            "alerts": {"targets": {"team": {"channel": "email", "to": ["t@l.example"]}}},
            "reports": {"routes": [{"brands": ["Nope"], "targets": ["team"]}]},
        })  # fmt: skip
