"""Forum dates, French and English, absolute and relative, read in the source's time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from crawlers.dates import (
    ISO_WITH_OFFSET,
    SOURCE_TIMEZONE,
    STATED_ZONE,
    UNIX_ATTRIBUTE,
    parse_date,
    post_date,
    stated_zone,
)

NOW = datetime(2026, 3, 15, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))  # 11:00 UTC


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("lun. 12 mars 2012 14:05", datetime(2012, 3, 12, 13, 5, tzinfo=UTC)),
        ("Hier à 18:32", datetime(2026, 3, 14, 17, 32, tzinfo=UTC)),
        ("hier à 18h32", datetime(2026, 3, 14, 17, 32, tzinfo=UTC)),
        ("aujourd'hui, 09h12", datetime(2026, 3, 15, 8, 12, tzinfo=UTC)),
        ("Aujourd’hui, 09:12", datetime(2026, 3, 15, 8, 12, tzinfo=UTC)),
        ("il y a 3 heures", datetime(2026, 3, 15, 8, 0, tzinfo=UTC)),
        ("il y a 2 jours", datetime(2026, 3, 13, 11, 0, tzinfo=UTC)),
        ("12/03/2012, 14h05", datetime(2012, 3, 12, 13, 5, tzinfo=UTC)),  # day first
        ("Posté le 12/03/2012 à 14:05", datetime(2012, 3, 12, 13, 5, tzinfo=UTC)),
        ("12 juil. 2025 à 08:30", datetime(2025, 7, 12, 6, 30, tzinfo=UTC)),  # summer time
        ("Mon Mar 12, 2012 2:05 pm", datetime(2012, 3, 12, 13, 5, tzinfo=UTC)),
        ("Yesterday at 6:32 PM", datetime(2026, 3, 14, 17, 32, tzinfo=UTC)),
        ("3 hours ago", datetime(2026, 3, 15, 8, 0, tzinfo=UTC)),
        ("2012-03-12T14:05:00+00:00", datetime(2012, 3, 12, 14, 5, tzinfo=UTC)),
        ("2012-03-12T14:05:00.000Z", datetime(2012, 3, 12, 14, 5, tzinfo=UTC)),
        ("2012-03-12 14:05", datetime(2012, 3, 12, 13, 5, tzinfo=UTC)),  # naive: Paris
        ("1331561100", datetime(2012, 3, 12, 14, 5, tzinfo=UTC)),  # data-time (Unix)
    ],
)
def test_forum_dates(text: str, expected: datetime) -> None:
    parsed = parse_date(text, "Europe/Paris", NOW)
    assert parsed == expected
    assert parsed is not None and parsed.tzinfo is UTC


def test_the_source_time_zone_applies_to_dates_without_one() -> None:
    montreal = parse_date("12/03/2012 14:05", "America/Montreal", NOW)
    assert montreal == datetime(2012, 3, 12, 18, 5, tzinfo=UTC)


@pytest.mark.parametrize("text", [None, "", "   ", "n'importe quoi", "Réponses: 12"])
def test_not_a_date_is_none(text: str | None) -> None:
    assert parse_date(text, now=NOW) is None


@pytest.mark.parametrize(
    ("page", "offset"),
    [
        ("All times are GMT -5. The time now is <span>00:08</span>.", timedelta(hours=-5)),
        ("All times are GMT-5. This page was generated at 12:11 AM.", timedelta(hours=-5)),
        ("All times are GMT.", timedelta(0)),
        ('All times are UTC [ <abbr title="Daylight Saving Time">DST</abbr> ]', timedelta(hours=1)),
        ("All times are UTC - 5 hours [ DST ]", timedelta(hours=-4)),
        ('All times are <span title="UTC-6">UTC-06:00</span>', timedelta(hours=-6)),
        ("Heures au format UTC + 1 heure [ Heure d’été ]", timedelta(hours=2)),
        ("Heures au format UTC", timedelta(0)),
        ("Tous les horaires sont au format GMT +1. Il est actuellement 14h05.", timedelta(hours=1)),
        ("Fuseau horaire GMT +1. Il est actuellement 11h00.", timedelta(hours=1)),
    ],
)
def test_the_zone_a_page_states(page: str, offset: timedelta) -> None:
    zone = stated_zone(f"<div>{page}</div>")
    assert zone is not None and zone.utcoffset(None) == offset


def test_a_named_zone_keeps_daylight_saving_time() -> None:
    zone = stated_zone('<li>All times are <span title="America/New_York">UTC-05:00</span></li>')
    assert zone == ZoneInfo("America/New_York")
    summer = parse_date("Sat Jul 05, 2025 10:31 am", zone, NOW)
    assert summer == datetime(2025, 7, 5, 14, 31, tzinfo=UTC)  # UTC-04:00 in July
    assert stated_zone("<p>un blog sans fuseau</p>") is None


@pytest.mark.parametrize(
    ("unix", "iso", "text", "stated", "expected", "rule"),
    [
        # An exact Unix time wins over a server-local ISO and the shown text (vBulletin 5).
        ("1554824243", "2019-04-09T08:37:23", "04-09-2019, 10:37 AM", timedelta(hours=-5),
         datetime(2019, 4, 9, 15, 37, 23, tzinfo=UTC), UNIX_ATTRIBUTE),
        ("1553457251505", None, None, None,  # NodeBB: milliseconds
         datetime(2019, 3, 24, 19, 54, 11, 505000, tzinfo=UTC), UNIX_ATTRIBUTE),
        (None, "2024-03-12T13:05:00+00:00", "mar. 12 mars 2024 14:05", None,
         datetime(2024, 3, 12, 13, 5, tzinfo=UTC), ISO_WITH_OFFSET),
        # Without offset the ISO date is not exact: the shown text in the stated zone is.
        (None, "2019-04-09T08:37:23", "Apr 9, 2019, 10:37 AM", timedelta(hours=-5),
         datetime(2019, 4, 9, 15, 37, tzinfo=UTC), STATED_ZONE),
        (None, None, "Dim 31 Mar 2024 23:59", timedelta(hours=2),
         datetime(2024, 3, 31, 21, 59, tzinfo=UTC), STATED_ZONE),
        (None, None, "« Réponse #3 le : 12 mars 2024 à 14:05:33 »", None,
         datetime(2024, 3, 12, 13, 5, 33, tzinfo=UTC), SOURCE_TIMEZONE),
        (None, None, "2024-03-12T13:05:00Z", None,  # a generic forum's exact text
         datetime(2024, 3, 12, 13, 5, tzinfo=UTC), ISO_WITH_OFFSET),
        (None, None, None, None, None, None),
    ],
)  # fmt: skip
def test_post_date_takes_the_best_evidence(
    unix: str | None,
    iso: str | None,
    text: str | None,
    stated: timedelta | None,
    expected: datetime | None,
    rule: str | None,
) -> None:
    zone = timezone(stated) if stated is not None else None
    assert post_date(unix, iso, text, zone, "Europe/Paris", NOW) == (expected, rule)


def test_month_first_dates_on_american_pages() -> None:
    assert parse_date("03-05-2024, 02:21 PM", "UTC", NOW, date_order="MDY") == datetime(
        2024, 3, 5, 14, 21, tzinfo=UTC
    )
    assert parse_date("03-05-2024, 14h21", "UTC", NOW) == datetime(2024, 5, 3, 14, 21, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "timezone", "order", "expected"),
    [
        # Exports: the same parser, with UTC (or the zone they name) for dates without offset.
        ("Wed Oct 10 20:19:24 +0200 2018", "UTC", "DMY", datetime(2018, 10, 10, 18, 19, 24)),
        ("2021-03-04T12:34:56.000Z", "UTC", "DMY", datetime(2021, 3, 4, 12, 34, 56)),
        ("2021-03-04T12:34:56+0100", "UTC", "DMY", datetime(2021, 3, 4, 11, 34, 56)),
        ("2021-03-04 12:34:56", "UTC", "MDY", datetime(2021, 3, 4, 12, 34, 56)),
        ("2021-03-04 12:34:56 CET", "UTC", "MDY", datetime(2021, 3, 4, 11, 34, 56)),
        ("2021-03-04 12:34 edt", "UTC", "MDY", datetime(2021, 3, 4, 16, 34)),
        ("2021-03-04 12:34:56 UTC+2", "UTC", "MDY", datetime(2021, 3, 4, 10, 34, 56)),
        ("03/04/2021 12:34", "UTC", "MDY", datetime(2021, 3, 4, 12, 34)),  # month first
        ("03/04/2021", "Europe/Paris", "DMY", datetime(2021, 4, 2, 22, 0)),  # day first
        (1331561100, "UTC", "DMY", datetime(2012, 3, 12, 14, 5)),  # Facebook's Unix seconds
    ],
)
def test_export_dates(value: object, timezone: str, order: str, expected: datetime) -> None:
    parsed = parse_date(value, timezone, NOW, date_order=order)
    assert parsed == expected.replace(tzinfo=UTC)
    assert parsed is not None and parsed.tzinfo is UTC


@pytest.mark.parametrize("value", [True, 10**20, "31/02/2021 10:00", "2021-13-01", object()])
def test_impossible_dates_are_none(value: object) -> None:
    assert parse_date(value, "UTC", NOW) is None
