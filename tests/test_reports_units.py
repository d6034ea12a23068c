"""Periods, locale formatting, URL safety and words: the small parts of reports."""

from __future__ import annotations

import math
from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reports.html import helpers, safe_url
from reports.i18n import Translator
from reports.kpis import Figure
from reports.messages import MESSAGES
from reports.periods import PeriodError, parse_period
from reports.terms import words


def test_named_periods_are_whole_local_days() -> None:
    now = datetime(2026, 3, 8, 0, 30, tzinfo=UTC)  # already 8 March in Paris
    p = parse_period("yesterday", now)
    assert (p.first_day, p.last_day) == (date(2026, 3, 7), date(2026, 3, 7))
    assert p.start == datetime(2026, 3, 6, 23, tzinfo=UTC)
    week = parse_period("last-7-days", now)
    assert (week.first_day, week.days) == (date(2026, 3, 1), 7)
    prev = week.previous()
    assert (prev.first_day, prev.last_day) == (date(2026, 2, 22), date(2026, 2, 28))
    month = parse_period("2026-03-01..2026-03-31")
    # Summer time starts on 29 March: the period ends at 22:00 UTC.
    assert month.end == datetime(2026, 3, 31, 22, tzinfo=UTC)


@given(
    value=st.one_of(
        st.integers(-(10**12), 10**12),
        st.floats(-1e15, 1e15),
        st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 2.675, 0.125]),
        st.decimals(-10_000, 10_000, places=4).map(float),
    ),
    digits=st.integers(0, 3),
    lang=st.sampled_from(["fr", "en"]),
)
@settings(max_examples=400, deadline=None)
def test_a_number_is_written_as_babel_writes_it(value: float, digits: int, lang: str) -> None:
    """Translator.num formats without Babel's pattern machinery (the workspace writes
    hundreds a page): the same text as format_decimal, rounding half to even included."""
    from babel.numbers import format_decimal

    t = Translator(lang)
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    assert t.num(value, digits) == format_decimal(value, format=pattern, locale=t.locale)


@pytest.mark.parametrize("spec", ["last-week", "2026-03-09..2026-03-01", "2026-02-30..2026-03-01"])
def test_bad_periods_say_what_to_write(spec: str) -> None:
    with pytest.raises(PeriodError, match="period"):
        parse_period(spec)


def _spaces(text: str) -> str:
    return text.replace("\u202f", " ").replace("\u00a0", " ")


def test_numbers_and_dates_per_locale() -> None:
    fr, en = Translator("fr"), Translator("en")
    assert _spaces(fr.num(12345)) == "12 345" and en.num(12345) == "12,345"
    assert _spaces(fr.pct(0.452)) == "45,2 %" and en.pct(0.452) == "45.2%"
    assert fr.day(date(2026, 3, 3)) == "3 mars 2026" and en.day(date(2026, 3, 3)) == "3 March 2026"
    assert _spaces(fr.pct(-0.25, 0, signed=True)) == "−25 %"
    assert fr.points(0.031) == "+3,1\u00a0pts"
    # A change that rounds to zero has no direction (the demo's engagement rate: −0.0004).
    assert (
        fr.points(-0.0004) == "±0,0\u00a0pts" == fr.points(0.0)
        and en.points(-0.0006) == "−0.1\u00a0pts"
    )
    direction = helpers(fr, None)["direction"]  # type: ignore[arg-type]
    assert direction(Figure("engagement_rate", 0.0496, 0.05, "ratio")) == ""
    assert direction(Figure("engagement_rate", 0.049, 0.05, "ratio")) == "down"
    assert direction(Figure("volume", 10_000.0, 9_999.0)) == ""  # +0.01 %: shown +0,0 %
    assert direction(Figure("volume", 2, 1)) == "up"
    assert fr.moment(datetime(2026, 3, 3, 13, 5, tzinfo=UTC)) == "3 mars 2026 à 14\u00a0h\u00a005"


def test_every_message_has_both_languages_and_the_same_fields() -> None:
    import string

    for key, entry in MESSAGES.items():
        fields = [
            {f for _, f, _, _ in string.Formatter().parse(entry[lang]) if f}
            for lang in ("fr", "en")
        ]
        assert entry["fr"] and entry["en"] and fields[0] == fields[1], key


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://forum.example.org/t/1", True),
        ("http://x.example.com/a?b=<c>", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("//evil.example.com", False),
        ("https://", False),
        (None, False),
    ],
)
def test_only_http_links_are_kept(url: str | None, ok: bool) -> None:
    assert (safe_url(url) is not None) is ok


def test_words_leave_out_function_words_elisions_and_filler() -> None:
    found = words("Mon écran reste noir, message d'erreur vers minuit il y a dix jours")
    assert {"écran", "noir", "erreur", "message", "minuit"} <= set(found)
    assert not set(found) & {"mon", "vers", "d'erreur", "dix", "jours"}


def test_the_first_of_the_month_in_french() -> None:
    from datetime import UTC, date, datetime

    from reports.i18n import Translator

    fr, en = Translator("fr"), Translator("en")
    assert fr.day(date(2026, 10, 1), "full") == "jeudi 1er octobre 2026"
    assert fr.short_day(date(2026, 10, 1)) == "1er octobre"
    assert fr.moment(datetime(2026, 10, 1, 8, tzinfo=UTC), short=True).startswith("1er oct. 2026")
    assert fr.day(date(2026, 10, 11)) == "11 octobre 2026" and fr.short_day(date(2026, 10, 21)) == (
        "21 octobre"
    )
    assert en.day(date(2026, 10, 1)) == "1 October 2026"
