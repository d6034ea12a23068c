"""The command line: help without heavy imports, exit codes, and one-sentence failures."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]


def cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(autouse=True)
def _workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    import os

    for key in list(os.environ):
        if key.startswith("VEILLE_"):
            monkeypatch.delenv(key)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_help_lists_commands_without_heavy_imports() -> None:
    code = (
        "import sys; import pipeline.cli as c; "
        "heavy = {'sqlalchemy', 'scrapy', 'pandas', 'torch', 'transformers', 'spacy', "
        "'matplotlib', 'weasyprint', 'sklearn', 'numpy', 'twisted', 'alembic'}; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
    helped = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert helped.returncode == 0
    for command in ("init", "db", "stats", "export", "demo"):
        assert f"  {command} " in helped.stdout


def test_init_then_stats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = cli(["init", "ws"], capsys)
    assert code == 0 and (tmp_path / "ws/veille.yaml").is_file()
    assert (tmp_path / "ws/var/veille.db").is_file()
    # the example's export inboxes exist: the first import finds them (it stopped, exit 1)
    assert (tmp_path / "ws/var/inbox/twitter").is_dir() and "Created" in out
    code, out, _ = cli(["--config", "ws/veille.yaml", "import", "--json"], capsys)
    assert code == 0, out
    code, out, _ = cli(["--config", "ws/veille.yaml", "stats", "--json"], capsys)
    assert code == 0
    assert json.loads(out.strip().splitlines()[-1])["mentions"] == 0


def test_bad_config_exits_2_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "veille.yaml").write_text(
        "database:\n  url: sqlite:///var/x.db\nsources:\n  - {name: a, kind: twiter, url: http://a}\n"
    )
    code, _out, err = cli(["stats"], capsys)
    assert code == 2
    assert err.startswith("Error: veille.yaml: sources[0].kind: 'twiter' is not one of forum")
    assert "Traceback" not in err
    assert not (tmp_path / "var/x.db").exists()  # nothing was created


def test_missing_config_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(["--config", "missing.yaml", "stats"], capsys)
    assert code == 2 and "missing.yaml: no such configuration file" in err


def test_unmigrated_database_says_what_to_run(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(["stats"], capsys)
    assert code == 1
    assert "has no Veille schema yet; run `veille db upgrade`" in err
    code, out, _ = cli(["db", "upgrade"], capsys)
    assert code == 0 and "migrated from empty to" in out
    assert cli(["stats"], capsys)[0] == 0


def test_newer_schema_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["db", "upgrade"], capsys)[0] == 0
    with sqlite3.connect(tmp_path / "var/veille.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    code, _, err = cli(["stats"], capsys)
    assert code == 1 and "migrated by a newer Veille" in err
    code, _, err = cli(["db", "upgrade"], capsys)
    assert code == 1 and "newer Veille" in err


def test_corrupt_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var/veille.db").write_bytes(b"this is not a database" * 200)
    code, _, err = cli(["stats"], capsys)
    assert code == 1
    assert "corrupt or not a database" in err and "Traceback" not in err


def test_locked_sqlite_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(["db", "upgrade"], capsys)[0] == 0
    monkeypatch.setenv("VEILLE_DATABASE__BUSY_TIMEOUT_SECONDS", "0.2")
    holder = sqlite3.connect(tmp_path / "var/veille.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("DELETE FROM mention_brands")  # another job is writing
    try:
        export = ROOT / "tests/fixtures/exports/twarc2_flat.jsonl"
        code, _, err = cli(["import", str(export)], capsys)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert code == 1 and "is locked by another process" in err


def test_unreachable_postgresql(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "veille.yaml").write_text(
        "database:\n  url: postgresql+psycopg://veille@127.0.0.1:1/veille\n"
    )
    code, _, err = cli(["stats"], capsys)
    assert code == 1
    assert "Cannot connect to the database postgresql+psycopg://veille@127.0.0.1:1/veille" in err


def test_debug_shows_the_traceback(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "var").mkdir()
    (tmp_path / "var/veille.db").write_bytes(b"junk" * 1000)
    code, _, err = cli(["--debug", "stats"], capsys)
    assert code == 1 and err.startswith("Traceback (most recent call last):")
    assert "Error: " in err and "corrupt" in err


def test_a_configuration_error_exits_2_also_with_debug(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "veille.yaml").write_text("sources:\n  - {name: x, kind: twiter}\n")
    for args in (["stats"], ["--debug", "stats"]):
        code, _, err = cli(args, capsys)
        assert code == 2 and "sources[0].kind: 'twiter' is not one of" in err
        assert ("Traceback" in err) == ("--debug" in args)


def test_unknown_brand_in_export_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["db", "upgrade"], capsys)[0] == 0
    code, _, err = cli(["export", "-f", "csv", "-o", "x.csv", "--brand", "Nope"], capsys)
    assert code == 2 and "unknown brand 'Nope'" in err
    code, _, err = cli(["export", "-f", "csv", "-o", "x.csv", "--since", "yesterday"], capsys)
    assert code == 2 and "YYYY-MM-DD" in err


def test_messages_name_what_is_wrong_without_tracebacks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # A read-only command on a mistyped SQLite path says so and creates nothing.
    (tmp_path / "veille.yaml").write_text("database:\n  url: sqlite:///nope/sub/veille.db\n")
    code, _, err = cli(["status"], capsys)
    assert code == 1 and "there is no file" in err and "veille db upgrade" in err
    assert not (tmp_path / "nope").exists()
    # A section given whole in the environment, not as JSON, names the variable (exit 2).
    monkeypatch.setenv("VEILLE_SMTP", "garbage")
    for args in (["stats"], ["--debug", "stats"]):
        code, _, err = cli(args, capsys)
        assert code == 2 and "environment variable VEILLE_SMTP: the smtp section" in err
    monkeypatch.delenv("VEILLE_SMTP")
    # A stage that fails is logged in one line; its traceback only with --debug.
    (tmp_path / "veille.yaml").write_text(
        "database:\n  url: sqlite:///var/veille.db\nbrands:\n  - {name: Lumino, query: lumino}\n"
        "reports:\n  output_dir: taken\n"
    )
    (tmp_path / "taken").write_text("a file where the reports folder should be")
    assert cli(["db", "upgrade"], capsys)[0] == 0
    for debug in (False, True):
        code, _, err = cli([*(["--debug"] if debug else []), "run", "--stages", "report"], capsys)
        assert code == 1 and "stage report failed" in err
        assert ("Traceback" in err) == debug, err
