"""Forum dates, French and English, absolute and relative, read in the source's time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from crawlers.dates import parse_date

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
