"""`veille authors` and the `authors` stage, end to end on a SQLite workspace."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from authors_histories import NOW, load

from pipeline.cli import main
from pipeline.context import AppState
from pipeline.stages import STAGES, StageContext, load_stage
from storage.engine import make_engine
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.schema import upgrade
from storage.upsert import MentionStore


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    db = tmp_path / "veille.db"
    config = tmp_path / "veille.yaml"
    config.write_text(
        f"database:\n  url: sqlite:///{db}\n"
        "brands:\n  - name: Lumino\n    query: [lumino]\n  - name: Other\n    query: [other]\n",
        encoding="utf-8",
    )
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    load(engine)
    MentionStore(engine).store(
        [
            MentionRecord(
                source="forum-lumino",
                source_kind="forum",
                external_id="evil",
                text="[bold red]Je vends[/] ma Lumino, MP moi",
                published_at=NOW,
                author=AuthorRecord(handle="[red]pirate[/red]"),
                brands=[BrandMatch("Lumino")],
            )
        ]
    )
    engine.dispose()
    return config


def _run(capsys: pytest.CaptureFixture[str], *args: str, code: int = 0) -> tuple[str, str]:
    with pytest.raises(SystemExit) as exc:
        main(list(args))
    assert exc.value.code == code
    out = capsys.readouterr()
    return out.out, out.err


def test_stage_then_command_lists_authors(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    assert "authors" in STAGES
    state = AppState(config_path=workspace)
    result = load_stage("authors")(StageContext(state=state, now=NOW))
    assert result.items > 10 and result.counts["profiles"]["expert"] == 1
    again = load_stage("authors")(StageContext(state=state, now=NOW))
    assert again.counts["skipped"] is True and again.items == 0
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--json", "--top", "3")
    payload = json.loads(out)
    assert len(payload["authors"]) == 3
    top = payload["authors"][0]
    assert {"handle", "profile", "tier", "influence", "flags", "reasons", "source"} <= set(top)
    influences = [a["influence"] for a in payload["authors"]]
    assert influences == sorted(influences, reverse=True)
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--profile", "expert", "--json")
    assert [a["handle"] for a in json.loads(out)["authors"]] == ["paul_bricole"]
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--brand", "other", "--json")
    assert json.loads(out)["authors"] == []
    # The table shows collected text as text, never as markup.
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--top", "50")
    assert "paul_bricole" in out and "[red]pirate[/red]" in out
    # a person's profile, and beside it what the nights compute
    from sqlalchemy import select

    from storage.authors import set_profile_by_human
    from storage.models import Author

    engine = make_engine(AppState(config_path=workspace).settings.database.url)
    with engine.begin() as conn:
        paul = conn.execute(select(Author.id).where(Author.handle == "paul_bricole")).scalar_one()
        set_profile_by_human(conn, paul, "fan")
    engine.dispose()
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--profile", "fan", "--json")
    [row] = [a for a in json.loads(out)["authors"] if a["handle"] == "paul_bricole"]
    assert row["by_human"] is True and row["computed_profile"] == "expert"
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--profile", "fan")
    assert "fan ✎ (computed: expert" in out


def test_bad_options_say_what_is_allowed(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "300")
    _, err = _run(capsys, "-c", str(workspace), "authors", "--profile", "guru", code=2)
    assert "unknown profile 'guru'" in err and "chasseur_info" in err
    _, err = _run(capsys, "-c", str(workspace), "authors", "--brand", "Nope", code=2)
    assert "unknown brand 'Nope'" in err
    _, err = _run(capsys, "-c", str(workspace), "authors", "--refresh", "--as-of", "juin", code=2)
    assert "--as-of 'juin' is not a date" in err
    out, _ = _run(capsys, "-c", str(workspace), "authors")
    assert "No author profiles match" in out
    out, _ = _run(capsys, "-c", str(workspace), "authors", "--refresh", "--as-of", "2026-06-01",
                  "--profile", "opportuniste")  # fmt: skip
    assert "Recomputed" in out and "vendeur_malin" in out
