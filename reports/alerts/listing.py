"""The alerts as plain rows, for `veille alerts list` and reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from storage.models import Alert, AlertEmail


def list_alerts(engine: Engine, brand: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    stmt = select(Alert).order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(limit)
    if brand is not None:
        stmt = stmt.where(Alert.brand == brand)
    with Session(engine) as session:
        alerts = list(session.scalars(stmt))
        ids = [a.id for a in alerts]
        emails: dict[int, dict[str, str]] = {}
        if ids:
            for e in session.scalars(select(AlertEmail).where(AlertEmail.alert_id.in_(ids))):
                emails.setdefault(e.alert_id, {})[e.kind] = e.status
    return [
        {
            "id": a.id,
            "brand": a.brand,
            "kind": a.kind,
            "severity": a.severity,
            "status": a.status,
            "opened_at": a.opened_at.isoformat(),
            "updated_at": a.updated_at.isoformat(),
            "closed_at": a.closed_at.isoformat() if a.closed_at else None,
            "score": a.score,
            "negative_count": a.negative_count,
            "expected_count": a.expected_count,
            "email_status": a.email_status,
            "email_error": a.email_error,
            "emails": emails.get(a.id, {}),
        }
        for a in alerts
    ]
