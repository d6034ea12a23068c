"""Run `veille` in the test's process as a person would: (exit code, what it printed)."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from pipeline.cli import main


def veille(config: Path, *args: str, now: str | None = None) -> tuple[int, str]:
    """`veille --config CONFIG [--now NOW] ARGS…`; stderr is left to pytest's capsys."""
    out = io.StringIO()
    code = 0
    clock = ["--now", now] if now is not None else []
    with contextlib.redirect_stdout(out):
        try:
            main(["--config", str(config), *clock, *args])
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue()
