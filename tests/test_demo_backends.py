"""The whole demo on SQLite and on PostgreSQL gives the same figures (issue 14): suspicion
flags, tiers, influence and every figure of the demo brand's reports, named without ids."""

from __future__ import annotations

from pathlib import Path

import pytest
from demo_support import DemoRun

from pipeline.cli import main
from veille_demo.snapshot import differences, snapshot


def _demo(folder: str) -> Path:
    with pytest.raises(SystemExit) as exit_info:
        main(["--quiet", "demo", folder])
    assert exit_info.value.code == 0
    return Path(folder) / "veille.yaml"


@pytest.mark.slow
def test_the_demo_gives_the_same_figures_on_sqlite_and_postgresql(
    tmp_path: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch, demo_on_sqlite: DemoRun
) -> None:
    assert demo_on_sqlite.code == 0, demo_on_sqlite.out
    on_sqlite = demo_on_sqlite.figures  # the run test_demo reads too
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("VEILLE_DATABASE__URL", pg_url)
    on_postgresql = snapshot(_demo("postgresql"))
    assert len(on_sqlite["flags"]) > 50 and len(on_sqlite["profiles"]) > 500
    assert on_sqlite["reports"]["yesterday"]["suspicious"]["period"] > 0  # some are left out
    assert differences(on_sqlite, on_postgresql) == []
