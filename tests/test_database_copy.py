"""`veille db copy`: a whole database into another, empty one — SQLite to PostgreSQL (a team
outgrowing a file) and back (a backup in one file), every row of every table the same, what is
derived from the rows following (SQLite's full-text index, PostgreSQL's id sequences), a target
holding rows refused, and the command's backup and restore; the nightly backups, as SQLite
files or as a PostgreSQL workspace's pg_dump archives (real pg_dump and pg_restore)."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import veille
from pg_admin import PG_ADMIN_URL
from sqlalchemy import Engine, select
from web_workspace import seed

from nlp.authors.compute import recompute
from storage.clock import utcnow
from storage.database_copy import copy_database, tables
from storage.engine import make_engine
from storage.errors import StorageError
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.schema import scratch_schema
from storage.upsert import MentionStore


def _filled(engine: Engine) -> None:
    """The web tests' workspace (mentions, labels, an alert, accounts, hostile text), the
    contributors' profiles and flags, a saved view and audit entries."""
    from storage.audit import log
    from storage.saved_views import save_view

    seed(engine)
    recompute(engine, now=utcnow() + timedelta(minutes=1))
    save_view(engine, "Négatifs", {"sentiment": "negative"}, "analyst", utcnow())
    log(engine, "analyst", "label", "mention:3", {"task": "topic", "value": "autre"})


def _everything(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, in their key's order, as Python values."""
    out = {}
    with engine.connect() as conn:
        for table in tables():
            order = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*order))]
    return out


def test_sqlite_to_postgresql_and_back_keeps_every_row(
    sqlite_engine: Engine, pg_engine: Engine, tmp_path: Path
) -> None:
    from storage.inbox import InboxFilter, count

    _filled(sqlite_engine)
    before = _everything(sqlite_engine)
    assert sum(len(rows) for rows in before.values()) > 150
    seen: list[str] = []
    moved = copy_database(sqlite_engine, pg_engine, lambda table, n: seen.append(table))
    assert moved.rows["mentions"] == 30 and moved.total == sum(map(len, before.values()))
    assert seen == [t.name for t in tables()]
    assert _everything(pg_engine) == before
    # and back, into a new file (a backup)
    backup = make_engine(f"sqlite:///{tmp_path / 'backup' / 'veille.db'}")
    try:
        copy_database(pg_engine, backup)
        assert _everything(backup) == before
        # SQLite's full-text index was built again: a word search finds the same mentions
        words = InboxFilter(words="colis disparu", status=None)
        assert count(backup, words) == count(sqlite_engine, words) == 1
    finally:
        backup.dispose()
    # PostgreSQL's next id comes after the copied ones
    new = MentionRecord(source="forum-acme", source_kind="forum", external_id="after-copy",
                        text="Acme encore", published_at=utcnow(),
                        author=AuthorRecord(handle="bob"), brands=[BrandMatch("Acme")])  # fmt: skip
    MentionStore(pg_engine).store([new])
    assert max(r[0] for r in _everything(pg_engine)["mentions"]) == 31


def test_a_target_with_rows_is_refused(sqlite_engine: Engine, pg_engine: Engine) -> None:
    seed(sqlite_engine, users=False)
    copy_database(sqlite_engine, pg_engine)
    with pytest.raises(StorageError, match=r"is not empty \(table [a-z_]+ holds rows\)"):
        copy_database(sqlite_engine, pg_engine)


def test_backup_and_restore_with_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump({"database": {"url": f"sqlite:///{tmp_path / 'v.db'}"}}))
    assert veille(config, "db", "upgrade")[0] == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'v.db'}")
    _filled(engine)
    before = _everything(engine)
    engine.dispose()
    code, out = veille(config, "db", "copy", "--to", str(tmp_path / "backups" / "b.db"), "--json")
    assert code == 0, out
    report = json.loads(out)
    assert report["rows"]["mentions"] == 30 and report["to"].endswith("b.db")
    # the workspace is lost; a new one is restored from the backup
    (tmp_path / "v.db").unlink()
    restored = tmp_path / "restored.yaml"
    restored.write_text(yaml.safe_dump({"database": {"url": f"sqlite:///{tmp_path / 'r.db'}"}}))
    code, out = veille(restored, "db", "copy", "--from", str(tmp_path / "backups" / "b.db"))
    assert code == 0 and "Copied" in out and "rows of" in out, out
    engine = make_engine(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        assert _everything(engine) == before
    finally:
        engine.dispose()
    code, _ = veille(restored, "db", "copy")
    assert code != 0 and "--to DATABASE" in capsys.readouterr().err
    code, _ = veille(restored, "db", "copy", "--from", str(tmp_path / "backups" / "b.db"))
    assert code != 0 and "is not empty" in capsys.readouterr().err


def test_the_nightly_backup_keeps_the_newest_days(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from storage.backups import backups_in

    folder = tmp_path / "backups"
    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump({
        "database": {"url": "sqlite:///v.db"},  # relative paths: to the config's folder
        "backup": {"folder": "backups", "keep": 2},
        "schedules": {"timezone": "Europe/Paris"},
    }))  # fmt: skip
    assert veille(config, "db", "upgrade")[0] == 0
    engine = make_engine(f"sqlite:///{tmp_path / 'v.db'}")
    seed(engine, users=False)
    before = _everything(engine)
    engine.dispose()
    # 23:30 UTC on the 5th is the 6th in Paris: the backup is named after the team's day
    for now in ("2026-12-04T23:00:00Z", "2026-12-05T23:30:00Z", "2026-12-06T10:00:00Z",
                "2026-12-06T11:00:00Z"):  # fmt: skip
        code, out = veille(config, "run", "--stages", "backup", "--json", now=now)
        assert code == 0, out
    assert [p.name for p in backups_in(folder)] == ["veille-2026-12-05.db", "veille-2026-12-06.db"]
    # one self-contained file a day: no partial copy, no write-ahead log beside it
    assert sorted(p.name for p in folder.iterdir()) == [
        "veille-2026-12-05.db", "veille-2026-12-06.db"]  # fmt: skip
    copy = make_engine(f"sqlite:///{folder / 'veille-2026-12-06.db'}", create=False)
    try:
        kept = _everything(copy)
        assert kept.pop("runs") and "run_locks" not in kept  # the runs up to the backup's
        assert kept == {k: v for k, v in before.items() if k != "runs"}
    finally:
        copy.dispose()
    # `veille status` says how many, the newest and whether it is recent
    code, out = veille(config, "status", "--json")
    backups = json.loads(out)["backups"]
    assert (backups["count"], backups["newest"], backups["stale"]) == (
        2, "veille-2026-12-06.db", False)  # fmt: skip
    assert "Backups: 2 in" in veille(config, "status")[1]
    # unset: nothing written
    config.write_text(yaml.safe_dump({"database": {"url": "sqlite:///v.db"}}))
    code, out = veille(config, "run", "--stages", "backup", "--json")
    assert code == 0 and '"off"' in out


def test_a_postgresql_workspace_backs_up_with_pg_dump(
    pg_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import text

    from storage.backups import backups_in
    from storage.models import Base

    folder = tmp_path / "backups"
    config = tmp_path / "veille.yaml"
    settings = {"database": {"url": pg_url},
                "backup": {"folder": str(folder), "keep": 2, "format": "pg_dump"}}  # fmt: skip
    config.write_text(yaml.safe_dump(settings))
    assert veille(config, "db", "upgrade")[0] == 0
    engine = make_engine(pg_url)
    try:
        _filled(engine)
        before = _everything(engine)
        for now in ("2026-12-05T10:00:00Z", "2026-12-06T10:00:00Z", "2026-12-07T10:00:00Z"):
            code, out = veille(config, "run", "--stages", "backup", "--json", now=now)
            assert code == 0, out
        assert [p.name for p in backups_in(folder)] == [
            "veille-2026-12-06.dump", "veille-2026-12-07.dump"]  # fmt: skip
        assert sorted(p.name for p in folder.iterdir()) == [p.name for p in backups_in(folder)]
        code, out = veille(config, "status", "--json")
        assert json.loads(out)["backups"]["newest"] == "veille-2026-12-07.dump"
        archive = folder / "veille-2026-12-07.dump"
        # a workspace holding rows is refused; the schema lost, the archive brings it back
        code, _ = veille(config, "db", "copy", "--from", str(archive))
        assert code != 0 and "is not empty (table" in capsys.readouterr().err
        with engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE alembic_version"))
        code, out = veille(config, "db", "copy", "--from", str(archive), "--json")
        assert code == 0, out
        assert json.loads(out)["rows"]["mentions"] == 30
        after = _everything(engine)
        assert after.pop("runs") and "run_locks" not in before
        assert after == {k: v for k, v in before.items() if k != "runs"}
        assert veille(config, "db", "current")[0] == 0  # at this version's schema
        new = MentionRecord(source="forum-acme", source_kind="forum", external_id="restored",
                            text="Acme encore", published_at=utcnow(),
                            author=AuthorRecord(handle="bob"), brands=[BrandMatch("Acme")])  # fmt: skip
        MentionStore(engine).store([new])  # the id sequences came back with the rows
        assert max(r[0] for r in _everything(engine)["mentions"]) == 31
        # into a workspace that reads another schema: refused, naming both
        with scratch_schema(PG_ADMIN_URL, "t") as other:
            config.write_text(yaml.safe_dump({"database": {"url": other}}))
            code, _ = veille(config, "db", "copy", "--from", str(archive))
            assert code != 0 and "restore it into a workspace whose search_path is" in (
                capsys.readouterr().err)  # fmt: skip
    finally:
        engine.dispose()


def test_pg_dump_is_for_postgresql_and_must_be_found(
    pg_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    from storage.backups import back_up

    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump({"database": {"url": "sqlite:///v.db"},
                                      "backup": {"folder": "b", "format": "pg_dump"}}))  # fmt: skip
    assert veille(config, "db", "upgrade")[0] == 2
    assert "backup.format: pg_dump backs up a PostgreSQL database" in capsys.readouterr().err
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(StorageError, match="pg_dump not found on PATH: install PostgreSQL"):
        back_up(pg_engine, tmp_path / "b", utcnow().date(), 2, "pg_dump")
    assert list((tmp_path / "b").iterdir()) == []  # nothing half-written
