"""Read-only API tokens (`veille tokens`): a program reads the web workspace's pages and
exports as a viewer with `Authorization: Bearer TOKEN`; the token is shown once and only its
digest is stored; it cannot write, nor read what a viewer cannot; revoked or expired, it is
refused; every use is audited under its name."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from cli_support import veille
from sqlalchemy import Engine, select
from starlette.testclient import TestClient
from web_workspace import seed, settings

from storage.audit import entries
from storage.clock import utcnow
from storage.models import ApiToken
from storage.tokens import holder, issue, revoke
from web.app import create_app


def test_a_token_reads_as_a_viewer_and_nothing_more(engine: Engine) -> None:
    seed(engine, users=False)
    now = utcnow()
    record, token = issue(engine, "powerbi", timedelta(days=30), "ana", now)
    assert token.startswith("veille_") and len(token) > 40
    with engine.connect() as conn:  # only the digest is kept
        stored = [tuple(map(str, r)) for r in conn.execute(select(ApiToken.__table__))]
    assert not any(token in value for row in stored for value in row)
    client = TestClient(create_app(engine, settings(), secret="k" * 32))
    auth = {"Authorization": f"Bearer {token}"}

    export = client.get("/inbox/export.jsonl?status=all", headers=auth)
    assert export.status_code == 200
    rows = [json.loads(line) for line in export.text.splitlines()]
    assert len(rows) > 10 and {"id", "text"} <= set(rows[0])
    assert client.get("/dashboard?brand=Acme", headers=auth).status_code == 200
    assert client.get("/admin/audit", headers=auth).status_code == 403  # an admin's page
    for path in ("/events", "/mentions/3/triage", "/admin/users"):  # it never writes
        assert client.post(path, headers=auth, data={"status": "closed"}).status_code == 405
    for bad in ("Bearer veille_nope", "Bearer " + token[:-1], "bearer " + token.upper()):
        refused = client.get("/inbox", headers={"Authorization": bad})
        assert refused.status_code == 401 and "unknown, revoked or expired" in refused.text
    assert client.get("/inbox", headers={"authorization": f"bearer {token}"}).status_code == 200
    # Its uses are audited under its name, and noted (at most once a minute).
    exports = [e for e in entries(engine, limit=50) if e["action"] == "export"]
    assert exports and exports[0]["actor"] == "token:powerbi"
    found = holder(engine, token, now + timedelta(minutes=5))
    assert found is not None and found.last_used_at == now + timedelta(minutes=5)
    # Expired, or revoked: refused.
    assert holder(engine, token, now + timedelta(days=30)) is None
    revoked = revoke(engine, "powerbi")
    assert revoked is not None and revoked.id == record.id
    assert client.get("/inbox", headers=auth).status_code == 401


def test_veille_tokens(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "veille.yaml"
    config.write_text(yaml.safe_dump({"database": {"url": f"sqlite:///{tmp_path / 'v.db'}"}}))
    assert veille(config, "db", "upgrade")[0] == 0
    code, out = veille(config, "tokens", "add", "powerbi", "--days", "30")
    assert code == 0 and "shown once" in out
    token = out.split()[-1]
    assert token.startswith("veille_")
    listed = json.loads(veille(config, "tokens", "list", "--json")[1])["tokens"]
    assert [t["name"] for t in listed] == ["powerbi"] and token not in json.dumps(listed)
    assert listed[0]["last_used_at"] is None
    for args, message in ((("add", "powerbi"), "already a token named 'powerbi'"),
                          (("add", "bad name"), "name the token with"),
                          (("revoke", "nope"), "no token named 'nope'")):  # fmt: skip
        assert veille(config, "tokens", *args)[0] == 2
        assert message in capsys.readouterr().err
    assert veille(config, "tokens", "revoke", "powerbi")[0] == 0
    assert json.loads(veille(config, "tokens", "list", "--json")[1])["tokens"] == []
