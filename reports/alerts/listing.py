"""The alerts as plain rows, for `veille alerts list` and reports."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from storage.alerts import latest_alerts


def list_alerts(engine: Engine, brand: str | None = None, limit: int = 50) -> list[dict[str, Any]]:
    return [
        {
            "id": a.id,
            "brand": a.brand,
            "kind": a.kind,
            "severity": a.severity,
            "status": a.status,
            "opened_at": a.opened_at.isoformat(),
            "updated_at": a.updated_at.isoformat() if a.updated_at else None,
            "closed_at": a.closed_at.isoformat() if a.closed_at else None,
            "score": a.score,
            "negative_count": a.negative_count,
            "expected_count": a.expected_count,
            "email_status": a.email_status,
            "email_error": a.email_error,
            "emails": emails,
        }
        for a, emails in latest_alerts(engine, brand, limit)
    ]
