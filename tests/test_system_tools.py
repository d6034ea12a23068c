"""Tests that need Chromium or pdftotext skip without them on a developer's machine and fail
under CI=true (the `chromium` and `pdftotext` fixtures of conftest.py)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.mark.parametrize("tool", ["chromium", "pdftotext"])
def test_a_missing_tool_skips_here_and_fails_in_ci(
    tool: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # nothing there
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match=f"{tool} .* not installed.*CI must run"):
        request.getfixturevalue(tool)


@pytest.mark.parametrize("tool", ["chromium", "pdftotext"])
def test_a_missing_tool_skips_outside_ci(
    tool: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="make system-deps"):
        request.getfixturevalue(tool)
