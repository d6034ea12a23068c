"""Report periods: named windows of whole local days, and the previous window of equal length."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from config.refusals import Refusal
from storage.clock import utcnow

NAMED_PERIODS = ("yesterday", "last-7-days", "last-30-days")
_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


REFUSALS = {
    "unknown": ("la période « {spec} » n'est ni l'une de\u00a0: {named}, ni un intervalle"
                " AAAA-MM-JJ..AAAA-MM-JJ",
                "period {spec!r} is not one of {named} nor a range YYYY-MM-DD..YYYY-MM-DD"),
    "impossible": ("la période « {spec} » contient une date impossible ({why})",
                   "period {spec!r} holds an impossible date ({why})"),
    "backwards": ("la période « {spec} » finit avant de commencer\u00a0; écrire DÉBUT..FIN",
                  "period {spec!r} ends before it starts; write FIRST..LAST"),
    "too_long": ("la période « {spec} » dépasse un an\u00a0; la découper",
                 "period {spec!r} is longer than a year; split it"),
}  # fmt: skip


class PeriodError(Refusal):
    """A period the user wrote that Veille cannot read."""


@dataclass(frozen=True)
class Period:
    """Whole local days `first_day`..`last_day` (inclusive) in the time zone `tz`."""

    first_day: date
    last_day: date
    tz: str = "Europe/Paris"
    name: str | None = None

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    @property
    def start(self) -> datetime:
        """The first instant, in UTC."""
        return _local_midnight(self.first_day, self.tz)

    @property
    def end(self) -> datetime:
        """The instant just after the period (exclusive), in UTC."""
        return _local_midnight(self.last_day + timedelta(days=1), self.tz)

    def previous(self) -> Period:
        """The period of equal length just before this one."""
        length = timedelta(days=self.days)
        return Period(self.first_day - length, self.last_day - length, self.tz)

    @property
    def slug(self) -> str:
        return f"{self.first_day.isoformat()}_{self.last_day.isoformat()}"


def _local_midnight(day: date, tz: str) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(tz)).astimezone(UTC)


def parse_period(spec: str, now: datetime | None = None, tz: str = "Europe/Paris") -> Period:
    """`yesterday`, `last-7-days`, `last-30-days` (ending yesterday) or `YYYY-MM-DD..YYYY-MM-DD`."""
    spec = spec.strip()
    today = (now or utcnow()).astimezone(ZoneInfo(tz)).date()
    yesterday = today - timedelta(days=1)
    if spec == "yesterday":
        return Period(yesterday, yesterday, tz, spec)
    if spec in ("last-7-days", "last-30-days"):
        n = int(spec.split("-")[1])
        return Period(yesterday - timedelta(days=n - 1), yesterday, tz, spec)
    match = _RANGE.match(spec)
    if not match:
        raise PeriodError(REFUSALS, "unknown", spec=spec, named=", ".join(NAMED_PERIODS))
    try:
        first, last = (date.fromisoformat(g) for g in match.groups())
    except ValueError as exc:
        raise PeriodError(REFUSALS, "impossible", spec=spec, why=exc) from None
    if last < first:
        raise PeriodError(REFUSALS, "backwards", spec=spec)
    if (last - first).days > 366:
        raise PeriodError(REFUSALS, "too_long", spec=spec)
    return Period(first, last, tz)
