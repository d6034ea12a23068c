"""Imports as the README promises them, on hostile files (issue 14, item 7): a file that gives
no valid record exits 1 and says why, UTF-16/UTF-8 BOM/Windows-1252 files are decoded, what
a message says is kept aside is what `--errors` lists, a CSV without a text column is
refused with its columns, and two imports of one inbox at once import each file once."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text

from storage.models import ImportedFile, Mention

ROOT = Path(__file__).resolve().parents[1]
FIX = ROOT / "tests" / "fixtures" / "exports"
TWITTER_CSV = (FIX / "twitter.csv").read_text(encoding="utf-8")


def _config(folder: Path, db_url: str) -> Path:
    config = folder / "veille.yaml"
    config.write_text(
        f"database:\n  url: '{db_url}'\n  batch_size: 200\n"
        "brands:\n  - name: Lumino\n    query: [lumino]\n"
        "sources:\n  - name: tw-inbox\n    kind: twitter_export\n    path: inbox\n",
        encoding="utf-8",
    )
    (folder / "inbox").mkdir(exist_ok=True)
    return config


def _veille(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=180,
    )  # fmt: skip


def _kept_aside(config: Path) -> list[dict[str, Any]]:
    proc = _veille(config, "import", "--errors", "--json")
    assert proc.returncode == 0, proc.stderr
    errors: list[dict[str, Any]] = json.loads(proc.stdout.strip().splitlines()[-1])["errors"]
    return errors


def _texts(engine: Engine) -> list[str]:
    with engine.connect() as conn:
        return sorted(conn.execute(select(Mention.text)).scalars())


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("name", "make", "fmt", "why"),
    [
        ("junk.bin", lambda: (FIX / "broken" / "junk.bin").read_bytes(), "twarc2",
         "binary content"),
        # 50 MB of one unterminated JSON line: one bad record, no valid one.
        ("long.jsonl", lambda: b'{"id": "1", "text": "' + b"a" * 50_000_000, "twarc2",
         "no valid record: 1 read, all kept aside (the first: line 1: not valid JSON"),
        ("empty.csv", lambda: b"", "twitter-csv", "the file is empty"),
        ("header.csv", lambda: TWITTER_CSV.splitlines()[0].encode() + b"\n", "twitter-csv",
         "no record in this file; is this really a X CSV export?"),
    ],
)  # fmt: skip
def test_a_file_with_no_valid_record_exits_1_and_says_why(
    sqlite_engine: Engine, tmp_path: Path, name: str, make: Any, fmt: str, why: str
) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    path = _write(tmp_path / name, make())
    for args in (["--format", fmt], []):  # forced, and detected when detection can
        proc = _veille(config, "import", str(path), *args, "--force")
        assert proc.returncode == 1, proc.stderr
        assert f"{path}" in proc.stderr and "Traceback" not in proc.stderr
        if args:
            assert why in proc.stderr
    assert _texts(sqlite_engine) == []
    listed = [e for e in _kept_aside(config) if e["file"] in (str(path), name)]
    assert listed, "the failed file is listed by --errors"


def _as_tsv(csv_text: str) -> str:
    import csv
    import io

    rows = list(csv.reader(io.StringIO(csv_text)))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        # Excel's "Unicode text": UTF-16 LE with a BOM, tab-separated.
        ("unicode-text.txt", lambda t: "\ufeff".encode("utf-16-le") + _as_tsv(t).encode("utf-16-le")),
        ("utf16be.csv", lambda t: "\ufeff".encode("utf-16-be") + t.encode("utf-16-be")),
        ("bom.csv", lambda t: b"\xef\xbb\xbf" + t.encode("utf-8")),
        # Excel's "CSV" on Windows, French style: Windows-1252 and semicolons.
        ("windows.csv", lambda t: t.replace(",", ";").encode("cp1252")),
        ("latin1.csv", lambda t: t.encode("latin-1")),
    ],
)  # fmt: skip
def test_utf16_bom_and_latin1_exports_are_decoded(
    sqlite_engine: Engine, tmp_path: Path, name: str, encode: Any
) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    source = TWITTER_CSV if name != "windows.csv" else TWITTER_CSV.replace(";", " ")
    path = _write(tmp_path / name, encode(source))
    proc = _veille(config, "import", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["new"] == 3
    texts = _texts(sqlite_engine)
    assert any("épais" in t for t in texts), texts  # accents read right, no U+FFFD
    assert not any("\ufffd" in t or "Ã" in t for t in texts)


def test_a_utf16_twarc2_export_from_powershell_is_decoded(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    data = (FIX / "twarc2_flat.jsonl").read_text(encoding="utf-8")
    path = _write(tmp_path / "out.jsonl", "\ufeff".encode("utf-16-le") + data.encode("utf-16-le"))
    proc = _veille(config, "import", str(path), "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["new"] > 0


def test_what_a_truncated_archive_says_is_kept_aside_is_listed(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    path = FIX / "broken" / "tweets_truncated.js"
    proc = _veille(config, "import", str(path))
    assert proc.returncode == 1
    assert "`veille import --errors` lists these files and the records kept aside" in proc.stderr
    [listed] = [e for e in _kept_aside(config) if e["file"] == str(path)]
    assert listed["location"].startswith("after record ")
    assert listed["reason"] in proc.stderr  # the very message the import printed


def test_a_csv_without_a_text_column_is_refused_with_its_columns(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    path = _write(tmp_path / "notext.csv", b"id,author.username,created_at\n1,ann,2026-02-12\n")
    proc = _veille(config, "import", str(path), "--format", "twitter-csv")
    assert proc.returncode == 1
    assert (
        "no text column: a X CSV needs `text` or `full_text`; the header has `id`, "
        "`author.username`, `created_at`" in proc.stderr
    )
    assert _texts(sqlite_engine) == []


def _generate(path: Path, tweets: int) -> None:
    from bench_scripts import bench_script

    bench_script("import_twarc2").generate(path, tweets)


def test_two_imports_of_one_inbox_at_once_import_each_file_once(
    engine: Engine, tmp_path: Path
) -> None:
    tweets = 8_000
    config = _config(tmp_path, engine.url.render_as_string(hide_password=False))
    _generate(tmp_path / "inbox" / "search.jsonl", tweets)
    started = time.monotonic()
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline.cli", "--config", str(config), "import", "--json"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300) for p in procs]
    assert time.monotonic() - started < 300
    assert [p.returncode for p in procs] == [0, 0], [err[-2000:] for _, err in outputs]
    summaries = [json.loads(out.strip().splitlines()[-1]) for out, _ in outputs]
    assert sorted(s["new"] for s in summaries) == [0, tweets]  # not 2 × 8,000 "new"
    assert sorted(s["skipped_files"] for s in summaries) == [0, 1]
    second = next(s for s in summaries if s["skipped_files"])
    reason = second["sources"][0]["reason"]
    assert "another process is importing into tw-inbox" in reason or "already imported" in reason
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(Mention)).scalar_one() == tweets
        assert conn.execute(select(ImportedFile.status)).scalars().all() == ["done"]
        assert conn.execute(text("select count(*) from run_locks")).scalar_one() == 0


def test_a_line_nested_thousands_deep_is_kept_aside_not_a_crash(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    config = _config(tmp_path, str(sqlite_engine.url))
    good = (FIX / "twarc2_flat.jsonl").read_text(encoding="utf-8").splitlines()[0]
    path = _write(tmp_path / "deep.jsonl", ("[" * 200_000 + "]" * 200_000 + "\n" + good).encode())
    proc = _veille(config, "import", str(path), "--format", "twarc2", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr and "RecursionError" not in proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1])["new"] == 1
    [listed] = [e for e in _kept_aside(config) if e["file"] == str(path)]
    assert listed["reason"] == "not valid JSON (nested too deeply)"
