"""Every word of a report in French and English, and numbers and dates per locale (Babel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from reports.messages import MESSAGES

LANGUAGES = ("fr", "en")
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


@dataclass(frozen=True)
class Translator:
    """Words, numbers and dates of one report language (`fr` or `en`)."""

    lang: str = "fr"
    tz: str = "Europe/Paris"

    def __post_init__(self) -> None:
        if self.lang not in LANGUAGES:
            raise ValueError(f"report language {self.lang!r} is not one of {', '.join(LANGUAGES)}")

    @property
    def locale(self) -> str:
        return _LOCALES[self.lang]

    def __call__(self, key: str, **values: Any) -> str:
        """The message `key` in this language, with `{name}` fields filled in."""
        entry = MESSAGES.get(key)
        if entry is None:
            raise KeyError(f"no message {key!r} in reports/messages.py")
        text = entry[self.lang]
        return text.format(**values) if values else text

    def label(self, group: str, value: Any) -> str:
        """The shown name of a value (sentiment, topic, profile, tier…), itself when unknown."""
        entry = MESSAGES.get(f"{group}.{value}")
        return entry[self.lang] if entry else str(value)

    def num(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        fmt = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=fmt, locale=self.locale)

    def pct(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        """45,2 % (fr) / 45.2% (en); `signed` adds + before a positive value."""
        if value is None:
            return "–"
        body = "#,##0" + ("." + "0" * digits if digits else "") + self("unit.percent")
        fmt = f"+{body};-{body}" if signed else body
        text = format_percent(value, format=fmt, locale=self.locale)
        return text.replace("-", "−")

    def points(self, value: float | None) -> str:
        """A change of a ratio in percentage points: +3,1 pts."""
        if value is None:
            return "–"
        number = format_decimal(abs(value) * 100, format="#,##0.0", locale=self.locale)
        sign = "+" if value > 0 else ("−" if value < 0 else "±")
        return f"{sign}{number}\u00a0{self('unit.points')}"

    def signed(self, value: float | None, digits: int = 0) -> str:
        if value is None:
            return "–"
        text = self.num(abs(value), digits)
        return ("+" if value > 0 else "−" if value < 0 else "±") + text

    def day(self, value: date | datetime | None, fmt: str = "long") -> str:
        """3 mars 2026 (fr) / 3 March 2026 (en)."""
        if value is None:
            return "–"
        if isinstance(value, datetime):
            value = value.astimezone(ZoneInfo(self.tz)).date()
        return format_date(value, format=fmt, locale=self.locale)

    def short_day(self, value: date | datetime) -> str:
        """3 mars / 3 Mar: for chart axes and titles."""
        if isinstance(value, datetime):
            value = value.astimezone(ZoneInfo(self.tz)).date()
        return format_date(
            value, format="d MMM" if self.lang == "en" else "d MMMM", locale=self.locale
        )

    def moment(self, value: datetime | None, short: bool = False) -> str:
        """3 mars 2026 à 14:05 (fr) / 3 March 2026, 14:05 (en): a local date and time.

        `short` abbreviates the month: 3 mars 2026 à 14:05, 22 nov. 2026 à 09:00 / 22 Nov 2026.
        """
        if value is None:
            return "–"
        fmt = self("format.moment_short" if short else "format.moment")
        return format_datetime(value, format=fmt, tzinfo=ZoneInfo(self.tz), locale=self.locale)

    def about(self, value: float) -> str:
        """A rough figure: whole from 10 up, else one decimal without a trailing zero (9 ; 1,5)."""
        fmt = "#,##0" if abs(value) >= 10 else "#,##0.#"
        return format_decimal(value, format=fmt, locale=self.locale)
