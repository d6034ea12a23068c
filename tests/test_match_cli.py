"""`veille match` and brand-query validation of the configuration, through the command line."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(args: list[str], stdin: str = "", monkeypatch: pytest.MonkeyPatch | None = None) -> int:
    if monkeypatch is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    try:
        main(args)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def test_match_reads_a_file_and_prints_one_line_per_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = tmp_path / "texts.txt"
    texts.write_text(
        "J’adore la Fnac😡\nfnacdarty\n\nLe service client de la FNAC\r\nrien\n", encoding="utf-8"
    )
    assert run(["match", "fnac -darty", str(texts)]) == 0
    assert capsys.readouterr().out == "1\n0\n0\n1\n0\n"


def test_match_reads_stdin_and_explains(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(
        ["match", '(fnac OR "service client") NOT spam', "--explain"],
        "Service-Client Fnac\nspam fnac\nrien\n",
        monkeypatch,
    )
    assert code == 0
    assert capsys.readouterr().out == '1\tfnac "service client"\n0\n0\n'


def test_match_json_lines_try_the_fields(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"text": "fnac", "lang": "fr-FR", "source_kind": "twitter_export"},
        {"text": "fnac", "lang": "en"},
        {"text": "rien", "title": "Avis Fnac", "url": "https://forum.fnac.com/t/1"},
    ]
    stdin = "\n".join(json.dumps(x) for x in lines) + "\n"
    assert run(["match", "fnac (lang:fr OR site:fnac.com)", "--jsonl"], stdin, monkeypatch) == 0
    assert capsys.readouterr().out == "1\n0\n1\n"


def test_invalid_query_exits_2_with_the_column(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["match", "lumino OR darty (fnac"], "fnac\n", monkeypatch) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("Error: unbalanced parenthesis at column 17\n")
    assert "  lumino OR darty (fnac\n                  ^" in captured.err


@pytest.mark.parametrize("debug", [[], ["--debug"]])
def test_a_deep_query_exits_2_with_the_column_not_a_recursion_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], debug: list[str]
) -> None:
    query = "NOT " * 10_000 + "fnac"
    assert run([*debug, "match", query], "fnac\n", monkeypatch) == 2
    err = capsys.readouterr().err
    assert "Error: more than 100 nested parentheses or NOT at column 401;" in err
    assert err.startswith("Traceback") == bool(debug)  # --debug adds the traceback only
    assert "Recursion" not in err and len(err) < (10_000 if debug else 500)


def test_missing_file_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["match", "fnac", str(tmp_path / "absent.txt")]) == 2
    assert "absent.txt: no such file" in capsys.readouterr().err


def test_match_through_the_installed_entry_point(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pipeline.cli", "match", "NEAR/ x"],
        input="x\n",
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 2
    assert "Error: NEAR/ needs a number at column 1" in done.stderr


CONFIG = """\
database:
  url: sqlite:///var/veille.db
brands:
  - name: Lumino
    query: lumino OR @lumino
  - name: Rivéo
    query: {query}
"""


@pytest.mark.parametrize(
    ("query", "message"),
    [
        (
            "'lumino OR darty (fnac'",
            "brands[1].query: unbalanced parenthesis at column 17 (line 7)",
        ),
        ("'riveo NEAR/ x'", "brands[1].query: NEAR/ needs a number at column 7 (line 7)"),
        ("[riveo, '😡']", "brands[1].query[1]: '😡' has no letters or digits to search (line 7)"),
        (
            "'" + "(" * 190 + "riveo" + ")" * 190 + "'",
            "brands[1].query: more than 100 nested parentheses or NOT at column 101; ",
        ),
        (
            "'" + " NEAR/2 ".join(["riveo"] * 2000) + "'",
            "brands[1].query: a chain of NEAR/ONEAR links at most 20 terms at column 254; ",
        ),
    ],
)
def test_bad_brand_query_stops_every_command_with_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], query: str, message: str
) -> None:
    config = tmp_path / "veille.yaml"
    config.write_text(CONFIG.format(query=query), encoding="utf-8")
    assert run(["--config", str(config), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"Error: {config}: {message}")
    assert not (tmp_path / "var").exists()  # stopped before any work


def test_valid_brand_queries_pass_validation(tmp_path: Path) -> None:
    from nlp.query import validate_brand_queries
    from pipeline.context import AppState

    config = tmp_path / "veille.yaml"
    config.write_text(CONFIG.format(query="[riveo, 'rivéo', '@riveo']"), encoding="utf-8")
    state = AppState(config_path=config)
    assert [b.name for b in state.settings.brands] == ["Lumino", "Rivéo"]
    validate_brand_queries(state.settings, config)
