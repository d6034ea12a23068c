"""One observed-vs-expected ratio for alerts, e-mails and reports: the figures always agree."""

from __future__ import annotations

from datetime import UTC, datetime

from reports.alerts.compose import numbers_of, subject_of
from reports.alerts.rule import Evaluation, severity_of
from reports.i18n import Translator
from reports.ratios import observed_vs_expected
from storage.alerts import AlertRecord


def test_a_fraction_expected_is_worded_fewer_than_one_and_divides_by_one() -> None:
    excess = observed_vs_expected(138, 0.14)
    assert excess.ratio == 138 and excess.below_floor
    fr, en = Translator("fr"), Translator("en")
    assert fr.expected(excess) == "moins de 1" and en.expected(excess) == "fewer than 1"
    usual = observed_vs_expected(148, 16.0)
    assert usual.ratio == 9.25 and fr.expected(usual) == "environ 16"
    assert en.expected(observed_vs_expected(3, 1.5)) == "about 1.5"


def test_rule_email_and_severity_use_the_same_ratio() -> None:
    at = datetime(2026, 11, 22, 8, 0, tzinfo=UTC)
    ev = Evaluation("Lumino", at, 0.9, 138, 0.14, 150, ["spike"])
    assert ev.ratio == observed_vs_expected(138, 0.14).ratio == 138
    assert severity_of(ev.ratio, ev.triggers) == "critical"
    alert = AlertRecord(
        id=1, brand="Lumino", severity="critical", opened_at=at, negative_count=138,
        expected_count=0.14, details={"opening": ev.as_dict()},
    )  # fmt: skip
    # 138 against fewer than 1 expected: the subject says so, the numbers say ×138
    assert subject_of(alert, False, Translator("fr")).endswith(
        "138 messages négatifs en 1 h, contre moins de 1 d'habitude"
    )
    assert numbers_of(alert, False, Translator("fr"))["ratio"] == "138"
    assert ev.as_dict()["ratio"] == 138
