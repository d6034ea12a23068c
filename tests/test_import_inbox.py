"""`veille import`: inbox folders, content hashes, re-imports, broken files, killed runs."""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
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


def write_config(folder: Path, db_url: str, batch_size: int = 50) -> Path:
    config = folder / "veille.yaml"
    config.write_text(
        f"database:\n  url: '{db_url}'\n  batch_size: {batch_size}\n"
        "brands:\n  - name: Lumino\n    query: [lumino]\n"
        "  - name: Maxishop\n    query: [maxishop]\n"
        "sources:\n"
        "  - name: tw-inbox\n    kind: twitter_export\n    path: inbox/twitter\n"
        "  - name: fb-inbox\n    kind: facebook_export\n    path: inbox/facebook\n",
        encoding="utf-8",
    )
    (folder / "inbox" / "twitter").mkdir(parents=True, exist_ok=True)
    (folder / "inbox" / "facebook").mkdir(parents=True, exist_ok=True)
    return config


def veille(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), *args],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip


def summary_of(proc: subprocess.CompletedProcess[str]) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def count(engine: Engine) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Mention)).scalar_one())


def test_inbox_import_then_renamed_copy_then_updated_metrics(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path, db_url)
    inbox = tmp_path / "inbox"
    shutil.copy(FIX / "twarc2_pages.jsonl", inbox / "twitter" / "search.jsonl")
    shutil.make_archive(str(inbox / "twitter" / "archive"), "zip", FIX / "twitter_archive")
    shutil.copytree(FIX / "facebook_dyi", inbox / "facebook" / "facebook-sophie")

    first = veille(config, "import", "--json")
    assert first.returncode == 0, first.stderr
    summary = summary_of(first)
    assert (summary["new"], summary["updated"], summary["seen"]) == (11, 0, 11)
    assert summary["errors"] == 2  # the cut line and the API error line of the twarc2 file
    assert count(engine) == 11
    with engine.connect() as conn:
        statuses = conn.execute(select(ImportedFile.status, ImportedFile.format)).all()
    assert sorted(statuses) == [
        ("done", "facebook-dyi"),
        ("done", "twarc2"),
        ("done", "twitter-archive"),
    ]

    def health() -> dict[str, tuple[str | None, int]]:
        from storage.health import source_health

        sources = [("tw-inbox", "twitter_export", True), ("fb-inbox", "facebook_export", True)]
        return {h.name: (h.last_state, h.observations) for h in source_health(engine, sources, 3)}

    # Each export source's import is its collection on the Sources page and `veille status`.
    assert health() == {"tw-inbox": ("ok", 1), "fb-inbox": ("ok", 1)}

    shutil.copy(FIX / "twarc2_pages.jsonl", inbox / "twitter" / "renamed copy.jsonl")
    again = summary_of(veille(config, "import", "--json"))
    assert (again["seen"], again["new"], again["skipped_files"]) == (0, 0, 4)
    # Files imported before are no collection: no export is not a silent source.
    assert health() == {"tw-inbox": ("ok", 1), "fb-inbox": ("ok", 1)}

    changed = (
        (FIX / "twarc2_pages.jsonl").read_text().replace('"like_count": 14', '"like_count": 99')
    )
    (inbox / "twitter" / "search-later.jsonl").write_text(changed)
    third = summary_of(veille(config, "import", "--json"))
    assert (third["new"], third["updated"], third["unchanged"]) == (0, 1, 2)
    assert count(engine) == 11  # zero duplicates
    with engine.connect() as conn:
        likes = conn.execute(select(Mention.likes).where(Mention.external_id == "7001"))
        assert likes.scalar_one() == 99

    errors = veille(config, "import", "--errors", "--json")
    listed = summary_of(errors)["errors"]
    locations = {(Path(e["file"]).name, e["location"]) for e in listed}
    assert ("search.jsonl", "line 3") in locations and ("search.jsonl", "line 4") in locations
    assert any("not valid JSON" in e["reason"] for e in listed)


def test_broken_files_are_named_and_the_good_records_kept(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    config = write_config(tmp_path, str(sqlite_engine.url))
    truncated = veille(config, "import", str(FIX / "broken" / "tweets_truncated.js"), "--json")
    assert truncated.returncode == 1
    assert "tweets_truncated.js" in truncated.stderr and "after record" in truncated.stderr
    stored = count(sqlite_engine)
    assert stored > 50  # every record before the cut is stored
    assert summary_of(truncated)["failed_files"] == 0 or stored > 0

    junk = veille(config, "import", str(FIX / "broken" / "junk.bin"))
    assert junk.returncode == 1
    assert "junk.bin" in junk.stderr and "binary content" in junk.stderr
    assert "Traceback" not in junk.stderr

    shutil.rmtree(tmp_path / "inbox" / "facebook")
    missing = veille(config, "import")
    assert missing.returncode == 1
    assert "inbox folder" in missing.stderr and "does not exist" in missing.stderr
    assert "Traceback" not in missing.stderr


def test_killed_import_resumes_without_duplicates(sqlite_engine: Engine, tmp_path: Path) -> None:
    # Load the benchmark's generator by path: putting bench/ on sys.path would let
    # bench/nlp.py hide the nlp package from every later test.
    spec = importlib.util.spec_from_file_location(
        "bench_import_twarc2", ROOT / "bench/import_twarc2.py"
    )
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    generate = bench.generate

    tweets = 6000
    data = tmp_path / "big.jsonl"
    generate(data, tweets)
    config = write_config(tmp_path, str(sqlite_engine.url), batch_size=100)
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--config", str(config), "import", str(data)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    committed = 0
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        with sqlite_engine.connect() as conn:
            row = conn.execute(text("select committed from imported_files")).first()
        if row and row[0] > 0:
            committed = int(row[0])
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert committed > 0, "the import ended before a batch was committed"
    stored = count(sqlite_engine)
    assert 0 < stored < tweets, "the import was not stopped half-way"

    rerun = veille(config, "import", str(data), "--json")
    assert rerun.returncode == 0, rerun.stderr
    [part] = summary_of(rerun)["sources"]
    assert part["skipped_records"] >= committed  # it picked up where it stopped
    assert part["seen"] <= tweets - committed
    assert count(sqlite_engine) == tweets
    with sqlite_engine.connect() as conn:
        distinct = conn.execute(text("select count(distinct external_id) from mentions"))
        assert distinct.scalar_one() == tweets
        status = conn.execute(text("select status from imported_files")).scalar_one()
    assert status == "done"


@pytest.mark.parametrize("fmt", ["twitter-csv", "crowdtangle"])
def test_import_one_file_with_a_format(sqlite_engine: Engine, tmp_path: Path, fmt: str) -> None:
    config = write_config(tmp_path, str(sqlite_engine.url))
    name = {"twitter-csv": "twitter.csv", "crowdtangle": "crowdtangle.csv"}[fmt]
    proc = veille(config, "import", str(FIX / name), "--format", fmt, "--json")
    assert proc.returncode == 0, proc.stderr
    summary = summary_of(proc)
    assert summary["new"] == {"twitter-csv": 3, "crowdtangle": 2}[fmt]
    assert set(summary) >= {"seen", "new", "updated", "dropped", "errors"}
    with sqlite_engine.connect() as conn:
        source = conn.execute(text("select s.name from sources s")).scalars().all()
    assert source == [{"twitter-csv": "tw-inbox", "crowdtangle": "fb-inbox"}[fmt]]


def test_import_stage_is_registered() -> None:
    from pipeline.stages import STAGES, load_stage

    assert "import" in STAGES
    assert load_stage("import").__module__ == "pipeline.stages.import_"
