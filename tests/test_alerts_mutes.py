"""A person mutes a brand's alerts for a while (`veille alerts mute`): the alerts still open
and are listed, their messages wait (but a critical alert's), an episode still open when the
mute ends is told then, and a mute always ends — with the `--now` clock, on the real CLI."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from test_alerts_escalation import Workspace

from config.settings import Settings
from reports.alerts.check import check
from reports.alerts.muting import mute, unmute
from storage import mutes
from storage.audit import entries
from veille_demo.bad_buzz import plant_bad_buzz

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


def test_a_muted_kind_waits_and_is_told_when_the_mute_ends(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """25 negative posts in 50 minutes: a negative share and a campaign (medium). The negative
    share is muted until AT + 20 min: it opens unsaid, the campaign is sent; at AT + 30 the
    episode, still open, is told; its end is said as usual."""
    ws = Workspace(tmp_path, {"recipients": {"Lumino": ["crisis@lumino.example"]}})
    plant_bad_buzz(ws.engine, "Lumino", AT, burst=25, per_hour=12, history_days=3)
    code, out = ws.veille(AT - timedelta(minutes=5), "alerts", "mute", "Lumino", "--kind",
                          "negative_share", "--for", "25m", "--reason", "Spot TV ce soir")  # fmt: skip
    assert code == 0 and "Mute 1: Lumino, negative_share, until 2026-03-09 15:20 UTC" in out
    code, out = ws.veille(AT, "alerts", "mutes", "--json")
    [listed] = json.loads(out)["mutes"]
    assert (listed["brand"], listed["kind"], listed["reason"]) == (
        "Lumino", "negative_share", "Spot TV ce soir",
    )  # fmt: skip
    _, out = ws.veille(AT, "status")
    assert (
        "Muted (mute 1): Lumino, negative_share, until 2026-03-09 15:20 UTC — Spot TV ce soir"
        in (" ".join(out.split()))
    )
    _, out = ws.veille(AT, "alerts", "check")
    assert "Lumino: opened — negative_share" in out and "Lumino: opened — campaign" in out
    assert len(ws.mails()) == 1 and "campagne coordonnée" in ws.subjects()[0]
    ws.veille(AT + timedelta(minutes=15), "alerts", "check")
    assert len(ws.mails()) == 1  # still muted
    listed = json.loads(ws.veille(AT + timedelta(minutes=15), "alerts", "list", "--json")[1])
    assert {a["kind"]: a["delivery"] for a in listed["alerts"]} == {
        "negative_share": "muted", "campaign": "sent",
    }  # fmt: skip
    ws.veille(AT + timedelta(minutes=30), "alerts", "check")
    subjects = ws.subjects()
    assert len(subjects) == 2 and any("négatifs" in s for s in subjects)  # told: mute ended
    [late] = [m for m in ws.mails() if "négatifs" in str(m["Subject"])]
    text = " ".join(late.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert text.startswith(
        "Cette alerte, ouverte pendant une mise en sourdine (\u2068Spot TV ce soir\u2069, par "
    )
    assert "est toujours en cours à la fin de celle-ci, le 9 mars 2026 à 16 h 20." in text
    ws.veille(AT + timedelta(minutes=60), "alerts", "check")
    assert len(ws.mails()) == 3  # its end, to those told of it
    assert ws.veille(AT + timedelta(minutes=60), "alerts", "mutes")[1].strip() == "No mutes."
    capsys.readouterr()
    code, _ = ws.veille(AT + timedelta(minutes=60), "alerts", "unmute", "1")
    assert (
        code == 2 and "mute 1 has ended already (2026-03-09 15:20 UTC)" in capsys.readouterr().err
    )
    actions = [e["action"] for e in entries(ws.engine)]
    assert actions.count("alert_mute") == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["Nope", "--for", "1h"], "'Nope' is not a configured brand"),
        (["Lumino", "--kind", "nope", "--for", "1h"], "'nope' is not a kind of alert"),
        (["Lumino", "--for", "31d"], "a mute ends within 30 days"),
        (["Lumino", "--for", "soon"], "'soon' is not a duration"),
        (["Lumino", "--until", "2026-03-09T14:00"], "already past"),
        (["Lumino"], "say how long"),
        (["Lumino", "--for", "1h", "--until", "2026-03-09T18:00"], "say how long"),
    ],
)
def test_a_mute_is_refused_with_what_to_do(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    ws = Workspace(tmp_path, {})
    code, _ = ws.veille(AT, "alerts", "mute", *args, "--reason", "launch")
    assert code == 2 and message in " ".join(capsys.readouterr().err.split())
    assert mutes.listing(ws.engine, AT, past=True) == []


def test_a_critical_alert_passes_and_a_mute_holds_only_its_brand(
    engine: Engine, tmp_path: Path
) -> None:
    """Every kind of every brand muted: Lumino's critical bad buzz is sent all the same; a
    mute of Rivéo alone holds nothing of Lumino's; one ended early holds nothing after."""
    plant_bad_buzz(engine, "Lumino", AT, burst=60)
    settings = Settings(
        brands=[{"name": "Lumino", "query": "lumino"}, {"name": "Rivéo", "query": "riveo"}],
        alerts={"recipients": {"Lumino": ["crisis@lumino.example"]},
                "outbox_dir": str(tmp_path / "outbox")},
    )  # fmt: skip
    early = AT - timedelta(hours=1)
    everything = mute(engine, settings, "*", "*", AT + timedelta(hours=2), "all", "ana", early)
    other = mute(engine, settings, "Rivéo", "*", AT + timedelta(hours=2), "riveo", "ana", early)
    done = check(engine, settings, AT)
    assert ("bad_buzz", "opened") in [(o.kind, o.action) for o in done.outcomes]
    assert done.delivery.sent == 1  # critical: a mute never holds it
    with engine.connect() as conn:
        assert mutes.holding(conn, "Lumino", "campaign", AT) == everything
        unmute(engine, everything.id, "ana", AT + timedelta(minutes=1))
        later = AT + timedelta(minutes=2)
        assert mutes.holding(conn, "Lumino", "campaign", later) is None
        assert mutes.holding(conn, "Rivéo", "campaign", later) == other
        assert mutes.holding(conn, "Rivéo", "campaign", AT + timedelta(hours=2)) is None
        assert mutes.holding(conn, "Rivéo", "campaign", early - timedelta(minutes=1)) is None
