"""Every word of a report in French and English, and numbers and dates per locale (Babel)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent, get_decimal_symbol, get_group_symbol

from reports.messages import MESSAGES
from reports.ratios import Excess
from storage.vocab import LANGS

LANGUAGES = LANGS
_LOCALES = {"fr": "fr_FR", "en": "en_GB"}
# « 1 octobre »: a lone 1 before a word (not « 21 », « 11 » or « 1,5 »), made « 1er ».
_FIRST = re.compile(r"(?<![\d,.])1(?=[\u00a0\u202f ][^\W\d])")


@cache
def _symbols(locale: str) -> tuple[str, str]:
    """The locale's thousands and decimal separators."""
    return get_group_symbol(locale), get_decimal_symbol(locale)


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
        """1 234,5 (fr) / 1,234.5 (en): what Babel's format_decimal writes (the same decimal
        rounding, half to even, and the locale's symbols), five times sooner."""
        if value is None:
            return "–"
        if isinstance(value, float) and not math.isfinite(value):
            fmt = "#,##0" + ("." + "0" * digits if digits else "")
            return format_decimal(value, format=fmt, locale=self.locale)
        step = Decimal(1).scaleb(-digits)
        exact = Decimal(str(value)).quantize(step, rounding=ROUND_HALF_EVEN)
        group, point = _symbols(self.locale)
        text = f"{exact:,.{digits}f}"
        return text.replace(",", "\0").replace(".", point).replace("\0", group)

    def pct(self, value: float | None, digits: int = 1, signed: bool = False) -> str:
        """45,2 % (fr) / 45.2% (en); `signed` adds + before a positive value (a value that
        rounds to zero has no sign: 0 %, not +0 %)."""
        if value is None:
            return "–"
        body = "#,##0" + ("." + "0" * digits if digits else "") + self("unit.percent")
        shown_zero = round(abs(value) * 100, digits) == 0
        fmt = f"+{body};-{body}" if signed and not shown_zero else body
        value = 0.0 if shown_zero else value
        text = format_percent(value, format=fmt, locale=self.locale)
        return text.replace("-", "−")

    def points(self, value: float | None) -> str:
        """A change of a ratio in percentage points: +3,1 pts (a change that rounds to zero has
        no direction: ±0,0 pts, not −0,0 pts)."""
        if value is None:
            return "–"
        number = format_decimal(abs(value) * 100, format="#,##0.0", locale=self.locale)
        shown = round(value * 100, 1)
        sign = "+" if shown > 0 else ("−" if shown < 0 else "±")
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
        return self._first(format_date(value, format=fmt, locale=self.locale))

    def _first(self, text: str) -> str:
        """French writes the first of the month « 1er octobre », not « 1 octobre »."""
        if self.lang != "fr":
            return text
        return _FIRST.sub("1er", text, count=1)

    def short_day(self, value: date | datetime) -> str:
        """3 mars / 3 Mar: for chart axes and titles."""
        if isinstance(value, datetime):
            value = value.astimezone(ZoneInfo(self.tz)).date()
        fmt = "d MMM" if self.lang == "en" else "d MMMM"
        return self._first(format_date(value, format=fmt, locale=self.locale))

    def axis_day(self, value: date | datetime) -> str:
        """21 nov. / 21 Nov: a chart axis's day, short so a month of labels never overlaps."""
        if isinstance(value, datetime):
            value = value.astimezone(ZoneInfo(self.tz)).date()
        return format_date(value, format="d MMM", locale=self.locale)

    def moment(self, value: datetime | None, short: bool = False) -> str:
        """3 mars 2026 à 14 h 05 (fr) / 3 March 2026, 14:05 (en): a local date and time.

        `short` abbreviates the month: 22 nov. 2026 à 9 h / 22 Nov 2026, 09:00.
        """
        if value is None:
            return "–"
        return self("format.moment", day=self._date(value, short), time=self.time(value))

    def span(self, start: datetime, end: datetime | None) -> str:
        """A team's event's time, short: its moment, or how long it lasts — « 21 nov. 2026 de
        9 h 30 à 23 h 59 », « du 1 déc. 2026 au 7 déc. 2026 » (a day's event: its days)."""
        if end is None:
            return self.moment(start, short=True)
        zone = ZoneInfo(self.tz)
        first, last = start.astimezone(zone), end.astimezone(zone)
        midnight = datetime.min.time()
        if first.time() == last.time() == midnight:  # whole days: the last is the day before
            final = last - timedelta(days=1)
            if final.date() == first.date():
                return self._date(first, short=True)
            return self("when.range", first=self._date(first, True), last=self._date(final, True))
        if first.date() == last.date():
            return self("when.hours", day=self._date(first, short=True), start=self.time(start),
                        end=self.time(end))  # fmt: skip
        return self("when.range", first=self.moment(start, short=True),
                    last=self.moment(end, short=True))  # fmt: skip

    def _date(self, value: datetime, short: bool) -> str:
        fmt = self("format.date_short" if short else "format.date")
        return self._first(
            format_datetime(value, fmt, tzinfo=ZoneInfo(self.tz), locale=self.locale)
        )

    def time(self, value: datetime) -> str:
        """The local time of day: 14 h 05, 9 h (French typography) / 14:05, 09:00."""
        local = value.astimezone(ZoneInfo(self.tz))
        if self.lang == "fr":
            return f"{local.hour}\u00a0h" + (f"\u00a0{local.minute:02d}" if local.minute else "")
        return f"{local:%H:%M}"

    def hour(self, value: datetime) -> str:
        """An hour on a chart's axis or in a title: 23 h (fr) / 23:00 (en)."""
        local = value.astimezone(ZoneInfo(self.tz))
        return f"{local.hour}\u00a0h" if self.lang == "fr" else f"{local:%H}:00"

    def delay(self, minutes: float) -> str:
        """A delay: 35 min ; 2 h 05 ; 3 j 4 h (fr) / 35 min, 2 h 05 min, 3 d 4 h."""
        whole = round(minutes)
        if whole < 60:
            return self("delay.minutes", m=whole)
        if whole < 24 * 60:
            return self("delay.hours", h=whole // 60, m=whole % 60)
        return self("delay.days", d=whole // (24 * 60), h=whole % (24 * 60) // 60)

    def count(self, n: float | None, key: str, digits: int = 0) -> str:
        """A number with its noun, singular or plural by the language's rule: « 1 jour »,
        « 0 jour », « 2 jours » (French: below 2 is singular) / "1 day", "0 days"."""
        if n is None:
            return "–"
        one = abs(n) < 2 if self.lang == "fr" else abs(n) == 1
        return self(f"{key}.{'one' if one else 'many'}", n=self.num(n, digits))

    def expected(self, excess: Excess) -> str:
        """The expected side of an observed-vs-expected ratio, worded so the ratio checks out:
        « environ 1,5 » / "about 1.5", or « moins de 1 » / "fewer than 1" under the floor."""
        if excess.below_floor:
            return self("ratio.below", n=self.about(excess.floor))
        return self("ratio.about", n=self.about(excess.expected))

    def about(self, value: float) -> str:
        """A rough figure: whole from 10 up, else one decimal without a trailing zero (9 ; 1,5)."""
        fmt = "#,##0" if abs(value) >= 10 else "#,##0.#"
        return format_decimal(value, format=fmt, locale=self.locale)
