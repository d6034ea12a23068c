"""The bad-buzz rule on generated series, and alert episodes in the database."""

from __future__ import annotations

import email
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from config.settings import AlertSettings, Settings
from reports.alerts.check import check
from reports.alerts.episodes import apply
from reports.alerts.listing import list_alerts
from reports.alerts.rule import Evaluation, evaluate
from reports.alerts.series import bucketize
from storage.alerts import acknowledge
from storage.labels import LabelRecord, save_labels
from storage.models import Alert, Delivery, Mention
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore
from veille_demo.bad_buzz import hourly_rate, plant_bad_buzz

T0 = datetime(2026, 3, 2, tzinfo=UTC)  # a Monday
AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)


def _generated(days: int, per_hour: float, seed: int) -> list[tuple[datetime, bool]]:
    """Mentions with daily and weekly seasonality; 20 % negative."""
    rng = random.Random(seed)
    out = []
    for k in range(days * 288):
        at = T0 + timedelta(minutes=5 * k)
        lam = hourly_rate(at, per_hour) / 12
        n = 0
        limit, p = math.exp(-lam), rng.random()
        while p > limit:
            n += 1
            p *= rng.random()
        out += [(at + timedelta(seconds=rng.randrange(300)), rng.random() < 0.2) for _ in range(n)]
    return out


def _checks(
    mentions: list[tuple[datetime, bool]], cfg: AlertSettings, hours: range
) -> dict[int, list[str]]:
    fired = {}
    for h in hours:
        now = T0 + timedelta(hours=h)
        series = bucketize(
            [m for m in mentions if m[0] < now], now - timedelta(days=14), now, 5, "X"
        )
        ev = evaluate(series, cfg, now)
        if ev.triggered:
            fired[h] = ev.triggers
    return fired


def test_rule_catches_a_planted_spike_and_stays_quiet_on_peaks_and_noise() -> None:
    cfg = AlertSettings()
    mentions = _generated(8, 60.0, seed=4)  # evening peaks ~3× the night, calmer weekends
    spike = T0 + timedelta(days=7, hours=10)
    mentions += [(spike + timedelta(seconds=20 * k), True) for k in range(90)]
    fired = _checks(mentions, cfg, range(3 * 24, 8 * 24, 1))
    spike_hours = {7 * 24 + 10 + 1}
    assert set(fired) == spike_hours, fired
    assert fired[7 * 24 + 11] == ["spike"]


def test_rule_is_quiet_on_a_sparse_brand() -> None:
    mentions = _generated(8, 1.5, seed=9)
    assert _checks(mentions, AlertSettings(), range(3 * 24, 8 * 24, 2)) == {}


def _settings(tmp_path: Path, **alerts: object) -> Settings:
    return Settings(
        brands=[{"name": "Lumino", "query": "lumino"}],
        alerts={"recipients": {"Lumino": ["crisis@lumino.example"]},
                "outbox_dir": str(tmp_path / "outbox"), **alerts},
    )  # fmt: skip


def _emails(engine: Engine) -> list[tuple[int, str, str]]:
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(
            select(Delivery.alert_id, Delivery.kind, Delivery.status).order_by(Delivery.id)
        )]  # fmt: skip


def test_one_alert_per_episode_then_back_to_normal_then_cooldown(
    engine: Engine, tmp_path: Path
) -> None:
    settings = _settings(tmp_path, cooldown_minutes=240)
    plant_bad_buzz(engine, "Lumino", AT)
    first = check(engine, settings, AT)
    assert first.actions() == ["opened"]
    # what the other kinds saw during the bad buzz is part of it, not an alert of its own
    others = {o.kind: o.action for o in first.outcomes if o.kind != "bad_buzz"}
    assert {k for k, a in others.items() if a == "covered"} >= {"campaign", "negative_share"}
    assert set(others.values()) <= {"covered", "quiet"}
    assert first.evaluations[0].negative_last_hour >= 150
    eml = list((tmp_path / "outbox").glob("*.eml"))
    assert len(eml) == 1
    msg = email.message_from_bytes(eml[0].read_bytes())
    assert msg["To"] == "crisis@lumino.example"
    assert msg["Subject"].startswith("[Veille] Lumino : ")
    # still spiking: updated, not repeated
    again = check(engine, settings, AT + timedelta(minutes=15))
    assert again.actions() == ["updated"]
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
    # the burst is over an hour later: closed, with a back-to-normal note
    done = check(engine, settings, AT + timedelta(minutes=75))
    assert done.actions() == ["closed"]
    assert [k for _, k, _ in _emails(engine)] == ["opened", "closed"]
    assert all(s == "sent" for _, _, s in _emails(engine))

    # a new burst within the cooldown raises nothing …
    def burst(at: datetime) -> Evaluation:
        return Evaluation("Lumino", at, 0.9, 120, 10.0, 200, triggers=["spike"])

    with engine.begin() as conn:
        assert apply(conn, burst(AT + timedelta(hours=2)), settings).action == "cooldown"
    # … and one after the cooldown does (the other kinds have cooldowns of their own)
    with engine.begin() as conn:
        assert apply(conn, burst(AT + timedelta(hours=6)), settings).action == "opened"
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Alert)).scalar() == 2
    # `veille alerts list`: newest first, each with its e-mails
    listed = list_alerts(engine, brand="Lumino")
    assert [a["status"] for a in listed] == ["open", "closed"]
    assert [(d["kind"], d["status"]) for d in listed[1]["deliveries"]] == [
        ("opened", "sent"),
        ("closed", "sent"),
    ]
    assert listed[1]["delivery"] == "sent" and listed[1]["closed_at"] is not None
    assert list_alerts(engine, brand="Rivéo") == []

    # Narrowed as the web workspace and `alerts list --status/--kind` narrow them.
    def states(**narrow: str) -> list[str]:
        return [a["status"] for a in list_alerts(engine, brand="Lumino", **narrow)]

    assert (states(state="open"), states(state="closed")) == (["open"], ["closed"])
    assert states(state="unacknowledged") == ["open"] and states(kind="campaign") == []
    assert states(kind="bad_buzz", state="closed") == ["closed"]
    with engine.begin() as conn:
        acknowledge(conn, listed[0]["id"], "claire", None, AT + timedelta(hours=6))
    assert states(state="unacknowledged") == [] and states(state="open") == ["open"]


@pytest.mark.parametrize(("own_minimum", "after"), [(None, "updated"), (20, "closed")])
def test_an_episode_ends_by_the_brands_own_minimum(
    engine: Engine, tmp_path: Path, own_minimum: int | None, after: str
) -> None:
    """A brand's `bad_buzz.min_negative` (alerts.brands) ends its episodes as it opens them:
    12 negatives in the hour after the burst are above alerts.min_negative (10) and twice the
    usual level, below the brand's own minimum of 20."""
    own = {} if own_minimum is None else {"min_negative": own_minimum}
    settings = _settings(tmp_path, brands={"Lumino": {"bad_buzz": own}})
    plant_bad_buzz(engine, "Lumino", AT)
    for k in range(12):
        _negative_post(engine, f"tail-{k}", AT + timedelta(minutes=30 + 2 * k))
    assert check(engine, settings, AT).actions() == ["opened"]  # 150 negatives: above both
    later = check(engine, settings, AT + timedelta(minutes=75))
    assert later.evaluations[0].negative_last_hour == 12
    assert later.actions() == [after]


def test_an_influential_negative_post_alerts_alone(engine: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    plant_bad_buzz(engine, "Lumino", AT, burst=0)
    _influential_post(engine, "star-1", AT - timedelta(minutes=20))
    result = check(engine, settings, AT)
    ev = next(e for e in result.evaluations if e.kind == "influential_post")
    assert ev.triggers == ["influential_post"]
    assert ev.influencers[0]["author"] == "star" and ev.influencers[0]["influence"] >= 80
    assert ev.influencers[0]["followers"] == 5_000_000
    assert result.actions() == ["quiet"]
    assert result.actions("influential_post") == ["opened"]


def _influential_post(engine: Engine, eid: str, at: datetime) -> None:
    _negative_post(engine, eid, at, followers=5_000_000)


def _negative_post(engine: Engine, eid: str, at: datetime, followers: int = 10) -> None:
    post = MentionRecord(
        source="demo-twitter", source_kind="twitter_export", external_id=eid,
        text="Lumino, jamais plus : service client odieux.", published_at=at,
        author=AuthorRecord(handle="star", followers=followers), brands=[BrandMatch("Lumino")],
    )  # fmt: skip
    MentionStore(engine).store([post])
    with engine.begin() as conn:
        mid = conn.execute(select(Mention.id).where(Mention.external_id == eid)).scalar_one()
        save_labels(conn, [LabelRecord(mid, "sentiment", "negative", model="t")])
