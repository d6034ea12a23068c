"""An audit entry that acted on several things (a bulk action) is in each thing's history, from
the entry itself and, for the entries logged before the targets were stored, from the
migration's backfill."""

from __future__ import annotations

from sqlalchemy import Engine, insert

from storage.audit import entries, log, record
from storage.engine import make_engine
from storage.models import AuditEntry
from storage.schema import upgrade


def test_a_bulk_entry_is_in_each_mention_s_history(engine: Engine) -> None:
    with engine.begin() as conn:
        record(conn, "ana", "bulk_status", None, {"ids": [4, 5], "status": "closed"},
               targets=["mention:4", "mention:5"])  # fmt: skip
        record(conn, "ana", "triage", "mention:5", {"status": "new"})
    log(engine, "bob", "note", "mention:6")
    assert [e["action"] for e in entries(engine, "mention:4")] == ["bulk_status"]
    assert [e["action"] for e in entries(engine, "mention:5")] == ["triage", "bulk_status"]
    assert [e["action"] for e in entries(engine, "mention:6")] == ["note"]
    assert entries(engine, "mention:7") == []
    assert len(entries(engine, actor="ana")) == 2  # one entry for the bulk action, not two


def test_the_migration_names_the_mentions_of_earlier_bulk_entries(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        upgrade(engine, "0019")
        with engine.begin() as conn:
            conn.execute(insert(AuditEntry), [
                {"actor": "ana", "action": "bulk_label", "target": None,
                 "detail": {"ids": [7, 8], "task": "topic", "value": "autre"}},
                {"actor": "ana", "action": "export", "target": None, "detail": {"format": "csv"}},
                {"actor": "ana", "action": "note", "target": "mention:8", "detail": None},
            ])  # fmt: skip
        upgrade(engine)
        assert [e["action"] for e in entries(engine, "mention:7")] == ["bulk_label"]
        assert [e["action"] for e in entries(engine, "mention:8")] == ["note", "bulk_label"]
    finally:
        engine.dispose()
