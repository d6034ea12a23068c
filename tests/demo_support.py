"""The demo run on SQLite that the demo tests share (`veille demo`, about a minute): run once a
session, its output and figures kept as it ended, before any test runs it again."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@dataclass(frozen=True)
class DemoRun:
    folder: Path  # the folder `veille demo ws` ran in: its workspace is folder / "ws"
    code: int  # the exit code
    out: str  # what it printed, lines joined
    figures: dict[str, Any]  # veille_demo.snapshot.snapshot, taken as the run ended


@pytest.fixture(scope="session")
def demo_on_sqlite(tmp_path_factory: pytest.TempPathFactory) -> DemoRun:
    from pipeline.cli import main
    from storage.clock import set_now
    from veille_demo.snapshot import snapshot

    folder = tmp_path_factory.mktemp("demo")
    printed = io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.delenv("VEILLE_DATABASE__URL", raising=False)
        with contextlib.redirect_stdout(printed), pytest.raises(SystemExit) as exit_info:
            main(["demo", "ws"])
        set_now(None)  # the demo's --now: the tests start on the wall clock
        code = int(exit_info.value.code or 0)
        figures = snapshot(Path("ws") / "veille.yaml") if code == 0 else {}
    return DemoRun(folder, code, printed.getvalue().replace("\n", ""), figures)
