"""The alerts and the messages not delivered, as plain rows, for `veille alerts list` and the
web workspace's alerts page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine

from config.settings import Settings
from storage import deliveries, mutes
from storage.alerts import AlertRecord, latest_alerts


def teller(
    engine: Engine, settings: Settings, lang: str | None = None, isolate: bool = True
) -> Callable[[AlertRecord], str]:
    """What happened, in one sentence per kind, as the alert's messages say it (their wording,
    sources by display name; collected words bidi-isolated when `isolate`), in `lang`, else
    the alerts' language."""
    from reports.alerts.letter import alert_translator
    from reports.alerts.wording import cause
    from reports.sources import SourceNames
    from storage.reporting import sources_kinds

    with engine.connect() as conn:
        names = SourceNames({str(n): str(k) for n, k in sources_kinds(conn)}, settings)
    t = alert_translator(settings, lang)
    return lambda a: cause(
        a,
        t,
        isolate=isolate,
        source_name=lambda s: names.shown(s, t.lang),  # type: ignore[arg-type]
    )


def list_alerts(
    engine: Engine,
    brand: str | None = None,
    limit: int = 50,
    say: Callable[[AlertRecord], str] | None = None,
    kind: str | None = None,
    state: str | None = None,
    scope: tuple[str, ...] | None = None,
) -> list[dict[str, Any]]:
    """The newest alerts first (of one kind, in one of storage.alerts.ALERT_STATES when
    given; of the brands `scope` sees); with `say`, each with `cause`, what happened in one
    sentence (reports.alerts.wording.cause in the reader's words)."""
    alerts = latest_alerts(engine, brand, limit, kind, state, scope)
    owed = deliveries.of_alerts(engine, [a.id for a in alerts])
    muted: set[int] = set()  # nothing owed because a mute held it when it opened
    quiet = [a for a in alerts if not owed.get(a.id)]
    if quiet:
        with engine.connect() as conn:  # the mutes of their span, in one query
            found = mutes.spanning(conn, min(a.opened_at for a in quiet),
                                   max(a.opened_at for a in quiet))  # fmt: skip
        muted = {a.id for a in quiet if mutes.holding_among(found, a.brand, a.kind, a.opened_at)}
    return [
        {
            **{k: v for k, v in a.as_dict().items() if k != "details"},
            "delivery": "muted" if a.id in muted else deliveries.summary(owed.get(a.id, [])),
            "deliveries": [d.as_dict() for d in owed.get(a.id, [])],
            **({"cause": say(a)} if say is not None else {}),
        }
        for a in alerts
    ]


def undelivered(engine: Engine, limit: int = 50) -> tuple[int, list[dict[str, Any]]]:
    """Messages unconfirmed (a person decides: resend or confirm) or failed (retried)."""
    total, rows = deliveries.needing_attention(engine, limit)
    return total, [r.as_dict() for r in rows]
