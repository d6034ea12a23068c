"""A report with `reports.pseudonymise: true` names no author off the allow list."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import reports_fixture as F
import yaml
from sqlalchemy import text

from pipeline.cli import main
from storage.engine import make_engine
from storage.schema import upgrade

OWN = ["user3"]


def _report(config: dict, tmp: Path, capsys: pytest.CaptureFixture[str], name: str) -> str:
    path = tmp / f"{name}.yaml"
    config["reports"]["output_dir"] = str(tmp / name)
    config["reports"]["formats"] = ["html", "json"]
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    args = ["--config", str(path), "--now", "2026-03-08T06:00", "report", "--brand", "Lumino",
            "--period", F.PERIOD, "--lang", "fr", "--json"]  # fmt: skip
    with pytest.raises(SystemExit) as exit_:
        main(args)
    out = capsys.readouterr()
    assert exit_.value.code == 0, out.err
    paths = json.loads(out.out.strip().splitlines()[-1])["reports"]
    assert len(paths) == 2
    return "\n".join(Path(p).read_text(encoding="utf-8") for p in paths)


def test_pseudonymised_report_names_only_the_allowed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'veille.db'}"
    engine = make_engine(url)
    upgrade(engine)
    F.add_contributor_tables(engine, F.load(engine), [])
    with engine.connect() as conn:
        handles = set(conn.execute(text("SELECT handle FROM authors")).scalars())
        names = {n for n in conn.execute(text("SELECT name FROM authors")).scalars() if n}
    engine.dispose()
    config = F.config(tmp_path)
    config["database"]["url"] = url
    config["brands"][0]["own_accounts"] = ["@" + h for h in OWN]

    def named(report: str) -> set[str]:
        return {
            h for h in handles | names if re.search(rf"(?<![\w]){re.escape(h)}(?![\w])", report)
        }

    plain = named(_report(config, tmp_path, capsys, "plain"))
    assert plain - set(OWN), plain  # the plain report names people
    monkeypatch.setenv("VEILLE_PRIVACY__PSEUDONYM_KEY", "k" * 40)
    config["reports"]["pseudonymise"] = True
    hidden = _report(config, tmp_path, capsys, "pseudonymised")
    assert named(hidden) <= set(OWN)
    assert "p_" in hidden
