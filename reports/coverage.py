"""What the sources cover: since when each one is collected, whether the comparison holds.

A source covers the days from the earlier of its earliest stored mention and, for a crawled
source, its first collection minus its look-back (the first crawl reaches that far back); an
export covers the history it holds. When a source that talks about the brand started after the
first day of the previous period, that period is under-counted: the report says so and shows no
change in % for counts. A source with no mention at all (any brand) in the period is silent,
since its latest stored mention.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd
from sqlalchemy import Connection

from config.settings import Settings, SourceKind, SourceSettings
from reports.periods import Period
from storage import reporting as db
from storage.health import source_health


@dataclass
class SourceState:
    source: str  # config id
    kind: str
    covered_from: datetime | None  # None: nothing stored
    last_published: datetime | None  # latest stored mention, any brand
    stored: int  # mentions stored, any brand, any time
    in_period: int  # mentions of any brand published in the period
    mentions: int = 0  # the brand's counted mentions in the period
    previous: int = 0  # the brand's counted mentions in the previous period
    # the brand's mentions of the period left out (suspicious, the brands' own posts), and the
    # suspicious ones counted all the same (reports.exclude_suspicious: false)
    excluded: int = 0
    last_collection: datetime | None = None
    state: str = "never"  # ok, empty, failed, never (collections); see `status`
    error: str | None = None

    @property
    def status(self) -> str:
        """failed, silent (nothing in the period), never (never collected), ok."""
        if self.state == "failed":
            return "failed"
        if self.state == "never" and not self.stored:
            return "never"
        if not self.in_period:
            return "silent"
        return "ok"


@dataclass
class Coverage:
    sources: list[SourceState] = field(default_factory=list)
    late: list[SourceState] = field(default_factory=list)  # started after the previous began

    @property
    def comparable(self) -> bool:
        return not self.late

    @property
    def silent(self) -> list[SourceState]:
        return [s for s in self.sources if s.status in ("silent", "failed", "never")]


def _aware(value: object) -> datetime | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return (stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp).to_pydatetime()


def coverage(
    conn: Connection,
    settings: Settings,
    period: Period,
    previous: Period,
    names: dict[int, str],
    kinds: dict[str, str],
    counted: pd.DataFrame,
    all_current: dict[int, int],
) -> Coverage:
    """Per stored or configured source, what it covers; `counted` holds the brand's mentions of
    both periods (source_id, current, counted, flagged), `all_current` the period's mentions of
    any brand per source id."""
    spans = {row[0]: row for row in db.source_spans(conn)}
    first_runs = db.first_runs(conn)
    imports = db.last_imports(conn)
    configured = {s.name: s for s in settings.sources}
    ids = {name: sid for sid, name in names.items()}
    # Stored, configured, or run and failed before storing anything.
    every = sorted(set(names.values()) | set(configured) | set(first_runs))
    wanted = [(n, _kind(kinds, configured, n), _is_export(kinds, configured, n)) for n in every]
    window = settings.schedules.silent_after_runs
    health = {h.name: h for h in source_health(conn.engine, wanted, window)}
    out = Coverage()
    for name in every:
        sid = ids.get(name)
        span = spans.get(sid) if sid is not None else None
        first, last = (_aware(span[1]), _aware(span[2])) if span else (None, None)
        conf = configured.get(name)
        started = _aware(first_runs.get(name))
        if started is not None and conf is not None and not conf.kind.is_export:
            reach = started - timedelta(days=conf.lookback_days)
            first = reach if first is None else min(first, reach)
        part = counted[counted["source_id"] == sid] if sid is not None else counted.iloc[:0]
        counts = part[part["counted"]]
        h = health.get(name)
        last_at, last_state, error = (
            (h.last_at, h.last_state or "never", h.last_error) if h else (None, "never", None)
        )
        imported = imports.get(name)
        imported_at = _aware(imported[0]) if imported is not None else None
        if (
            imported is not None
            and imported_at is not None
            and (last_at is None or imported_at >= last_at)
        ):
            # An export's collections are its imported files (the import stage's run row
            # counts every inbox together).
            last_at = imported_at
            last_state = "failed" if imported[1] == "failed" else "ok"
            error = imported[2]
        state = SourceState(
            source=name,
            kind=_kind(kinds, configured, name),
            covered_from=first,
            last_published=last,
            stored=int(span[3]) if span else 0,
            in_period=all_current.get(sid, 0) if sid is not None else 0,
            mentions=int(counts["current"].sum()),
            previous=int((~counts["current"]).sum()),
            excluded=int((part["current"] & (part["flagged"] | ~part["counted"])).sum()),
            last_collection=last_at,
            state=last_state,
            error=error if last_state == "failed" else None,
        )
        out.sources.append(state)
        # Late: covering the previous period from its second day or later (a day's grace, so a
        # source whose first post that day came in the afternoon still counts as covering it).
        talks = state.mentions or state.previous
        grace = previous.start + timedelta(days=1)
        if talks and state.covered_from is not None and state.covered_from >= grace:
            out.late.append(state)
    return out


def _kind(kinds: dict[str, str], configured: dict[str, SourceSettings], name: str) -> str:
    conf = configured.get(name)
    return kinds.get(name) or (conf.kind.value if conf else "unknown")


def _is_export(kinds: dict[str, str], configured: dict[str, SourceSettings], name: str) -> bool:
    conf = configured.get(name)
    kind = kinds.get(name) or (conf.kind.value if conf else "")
    try:
        return SourceKind(kind).is_export
    except ValueError:
        return False
