"""Accounts and API tokens that see some brands only (storage.scope), on SQLite and PostgreSQL.

An agency runs one workspace for Acme and Globex; Acme's own team has accounts that see Acme
only. Globex's things are planted with marker words — a post about Globex alone, its author, an
alert, an event, a mute, a report, a team's saved view, a label to check — and an account of
Acme's never meets one: not on a page, an export, the API, an e-mail of a watched view. The
same pages show each marker to a person who sees every brand (so they would show, were the
scope not applied). Globex's things answer 404 to Acme's people, writes on them are refused,
and nobody is assigned a post they cannot open.
"""

from __future__ import annotations

import json
import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import veille
from sqlalchemy import Engine, insert, select
from starlette.testclient import TestClient
from web_workspace import PASSWORD, login, seed, settings

from config.refusals import Refusal
from config.settings import Settings, ThemeSettings
from reports.alerts.muting import mute
from storage.clock import utcnow
from storage.database_copy import follow_rows
from storage.events import add as add_event
from storage.events import get as get_event
from storage.models import (
    Alert,
    AuthorProfile,
    Label,
    Mention,
    MentionBrand,
    MentionTriage,
    NearDuplicateEntry,
    Report,
)
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.saved_views import save_view
from storage.tokens import issue
from storage.upsert import MentionStore
from storage.users import add_user, get_user, set_brands, set_role
from web.app import create_app
from web.security import hash_password

BRANDS = ["Acme", "Globex"]
# What only Globex's people may see; each is on some page of a person who sees every brand.
MARKERS = ("GLOBEXSECRET", "globexinsider", "GLOBEXLAUNCH", "GLOBEXMUTE", "GLOBEXVIEW",
           "GLOBEXTHEME")  # fmt: skip
PAGES = (
    "/inbox?status=all&period=all",
    "/inbox?status=all&period=all&brand=Globex",
    "/inbox?status=all&period=all&q=social",
    "/inbox/export.csv?status=all&period=all",
    "/inbox/export.jsonl?status=all&period=all",
    "/alerts",
    "/events?days=365",
    "/reports",
    "/review",
    "/authors",
    "/authors/export.csv",
    "/dashboard?brand=Globex",
    "/account",
)


def _store(engine: Engine, external_id: str, text: str, handle: str, brands: list[str]) -> int:
    MentionStore(engine).store([MentionRecord(
        source="forum-acme", source_kind="forum", external_id=external_id, text=text,
        published_at=utcnow() - timedelta(hours=1), author=AuthorRecord(handle=handle),
        brands=[BrandMatch(b, query=b.lower(), matched_terms=[b.lower()]) for b in brands],
    )])  # fmt: skip
    with engine.connect() as conn:
        found = select(Mention.id).where(Mention.external_id == external_id)
        return int(conn.execute(found).scalar_one())


@pytest.fixture
def planted(engine: Engine, tmp_path: Path) -> dict[str, Any]:
    ids = seed(engine)  # viewer, analyst, admin: every brand
    for name, role in (("acme-viewer", "viewer"), ("acme-analyst", "analyst")):
        add_user(engine, name, role, hash_password(PASSWORD))
        set_brands(engine, name, ["Acme"], BRANDS)
    with engine.begin() as conn:  # the seed wrote its own ids: the next ones after them
        follow_rows(conn)
    now = utcnow()
    secret = _store(engine, "g1", "GLOBEXSECRET : plan social chez Globex", "globexinsider",
                    ["Globex"])  # fmt: skip
    both = _store(engine, "g2", "Acme ou Globex pour la fibre ?", "hesitant", BRANDS)
    with engine.begin() as conn:
        author = conn.execute(select(Mention.author_id).where(Mention.id == secret)).scalar_one()
        conn.execute(insert(AuthorProfile).values(
            author_id=author, profile="detractor", profile_score=0.9, reasons=[], influence=0.5,
            influence_parts={}, tier="one_off", flags=[], suspicious=False, posts=1,
            window_start=now - timedelta(days=90), window_end=now, version="t"))  # fmt: skip
        conn.execute(insert(Label).values(
            mention_id=secret, task="sentiment", value="negative", score=0.5,
            model="veille.sentiment", version="v4", by_human=False, review=True))  # fmt: skip
        alert = conn.execute(insert(Alert).values(
            brand="Globex", severity="high", status="open", opened_at=now - timedelta(hours=3),
            updated_at=now, score=5.0, negative_count=20, expected_count=2.0, details={},
        )).inserted_primary_key[0]  # fmt: skip
        for brand, age in (("Acme", 2), ("Globex", 1)):  # Globex's the newest: /reports/0
            path = tmp_path / f"{brand.lower()}-report.html"
            path.write_text(f"<p>{brand.upper()} REPORT</p>", encoding="utf-8")
            conn.execute(insert(Report).values(
                brand=brand, period_start=now - timedelta(days=8), lang="en", format="html",
                period_end=now - timedelta(days=1), path=str(path),
                created_at=now - timedelta(hours=age)))  # fmt: skip
        # the secret post and Acme's post 1 found alike by the nightly near-duplicate search
        conn.execute(insert(NearDuplicateEntry), [
            {"mention_id": i, "content": 0, "sig_group": 0, "campaign": 1, "setting": "t"}
            for i in (1, secret)
        ])  # fmt: skip
    event = add_event(engine, "Globex", now - timedelta(days=1), "GLOBEXLAUNCH", "analyst", now)
    mute(engine, settings(), "Globex", "*", now + timedelta(hours=3), "GLOBEXMUTE", "analyst",
         now)  # fmt: skip
    save_view(engine, "GLOBEXVIEW", {"brand": "Globex", "status": "all"}, "analyst", now)
    return {**ids, "secret": secret, "both": both, "secret_author": int(author),
            "globex_alert": int(alert), "globex_event": event}  # fmt: skip


def _settings() -> Settings:
    """The seeded workspace's, with a theme of Globex's own."""
    found = settings()
    found.themes.append(ThemeSettings(name="GLOBEXTHEME", query="social", brands=["Globex"]))
    return found


def _client(engine: Engine, name: str) -> tuple[TestClient, str]:
    client = TestClient(create_app(engine, _settings(), secret="s" * 32))
    return client, login(client, name)


def test_an_account_of_one_brand_never_meets_another_brands_things(
    engine: Engine, planted: dict[str, Any]
) -> None:
    every, _ = _client(engine, "viewer")
    acme, _ = _client(engine, "acme-viewer")
    pages = [*PAGES, f"/inbox?author={planted['secret_author']}&status=all&period=all",
             f"/inbox?alert={planted['globex_alert']}&status=all&period=all"]  # fmt: skip
    seen_by_every = " ".join(every.get(page).text for page in pages)
    assert [m for m in MARKERS if m not in seen_by_every] == []  # each shows to every brand's
    for page in pages:
        response = acme.get(page)
        assert response.status_code == 200, page
        assert [m for m in MARKERS if m in response.text] == [], page
    # Another brand's things are not found; the pages reading the whole workspace are closed.
    for path in (f"/mentions/{planted['secret']}", f"/authors/{planted['secret_author']}",
                 f"/alerts/{planted['globex_alert']}", "/reports/0"):  # fmt: skip
        assert every.get(path).status_code == 200, path
        assert acme.get(path).status_code == 404, path
    assert acme.get("/reports/1").status_code == 200  # Acme's report
    assert 'href="/reports/0"' in every.get("/reports").text
    assert 'href="/reports/0"' not in acme.get("/reports").text
    assert f'href="/alerts/{planted["globex_alert"]}"' in every.get("/alerts").text
    assert f'href="/alerts/{planted["globex_alert"]}"' not in acme.get("/alerts").text
    for path in ("/sources", "/queries"):
        assert every.get(path).status_code == 200
        refused = acme.get(path)
        assert refused.status_code == 403 and "Yours sees: Acme" in refused.text
    # What they do see: Acme's posts, the post about both brands (as Acme's), their brand only.
    inbox = acme.get("/inbox?status=all&period=all").text
    assert f'data-id="{planted["both"]}"' in inbox and 'data-id="1"' in inbox
    assert f'data-id="{planted["secret"]}"' not in inbox and 'data-id="3"' not in inbox
    assert "Brands you see: Acme" in inbox and 'href="/queries"' not in inbox
    rows = acme.get("/inbox/export.jsonl?status=all&period=all").text.splitlines()
    assert {b for r in rows for b in json.loads(r)["brands"]} == {"Acme"}
    # Post 1's copy is Globex's: "×2 alike" for a person who sees both, nothing for Acme's.
    assert 'id="alike"' in every.get("/mentions/1").text
    assert 'id="alike"' not in acme.get("/mentions/1").text
    page = acme.get(f"/mentions/{planted['both']}").text
    assert _pills(page) == ["Acme"]  # its brands: theirs only, and their alerts
    assert f'href="/alerts/{planted["globex_alert"]}"' not in page
    assert _pills(every.get(f"/mentions/{planted['both']}").text) == BRANDS


def _pills(page: str) -> list[str]:
    """The brands a mention's page says it is about."""
    return re.findall(r'<span class="pill"[^>]*><bdi>\u2068([^<]+)\u2069</bdi></span>', page)


def test_an_api_token_of_one_brand_reads_that_brand_only(
    engine: Engine, planted: dict[str, Any]
) -> None:
    now = utcnow()
    _, acme_token = issue(engine, "acme-bi", timedelta(days=1), "admin", now, ("Acme",))
    _, every_token = issue(engine, "group-bi", timedelta(days=1), "admin", now)
    client = TestClient(create_app(engine, settings(), secret="s" * 32))
    path = "/inbox/export.csv?status=all&period=all"
    mine = client.get(path, headers={"Authorization": f"Bearer {acme_token}"})
    group = client.get(path, headers={"Authorization": f"Bearer {every_token}"})
    assert mine.status_code == group.status_code == 200
    assert "GLOBEXSECRET" in group.text and "GLOBEXSECRET" not in mine.text
    assert "Acme ou Globex" in mine.text
    found = client.get(f"/mentions/{planted['secret']}",
                       headers={"Authorization": f"Bearer {acme_token}"})  # fmt: skip
    assert found.status_code == 404


def _status(engine: Engine, mention_id: int) -> str | None:
    with engine.connect() as conn:
        found = select(MentionTriage.status).where(MentionTriage.mention_id == mention_id)
        return conn.execute(found).scalar()


def _brands_of(engine: Engine, mention_id: int) -> list[str]:
    with engine.connect() as conn:
        found = select(MentionBrand.brand).where(MentionBrand.mention_id == mention_id)
        return sorted(conn.execute(found).scalars())


def test_writes_on_another_brands_things_are_refused(
    engine: Engine, planted: dict[str, Any]
) -> None:
    client, csrf = _client(engine, "acme-analyst")
    secret = planted["secret"]

    def post(path: str, **form: Any) -> int:
        return client.post(path, data={**form, "csrf": csrf}, follow_redirects=False).status_code

    assert post(f"/mentions/{secret}/triage", status="closed") == 404
    assert post(f"/mentions/{secret}/label", task="sentiment", value="positive") == 404
    assert post(f"/mentions/{secret}/notes", note="vu") == 404
    assert _status(engine, secret) is None
    # A bulk action takes the posts they see among those sent.
    assert post("/inbox/bulk", ids=[str(secret), "1"], action="done") == 303
    assert _status(engine, secret) is None and _status(engine, 1) == "closed"
    # Not about Globex: not theirs to say; not about Acme: theirs.
    both = planted["both"]
    assert post(f"/mentions/{both}/off-topic", brand="Globex") == 400
    assert _brands_of(engine, both) == BRANDS
    assert post(f"/mentions/{both}/off-topic", brand="Acme") == 303
    assert _brands_of(engine, both) == ["Globex"]
    assert client.get(f"/mentions/{both}").status_code == 200  # taken off Acme: theirs to undo
    assert post(f"/mentions/{both}/on-topic", brand="Acme") == 303
    assert _brands_of(engine, both) == BRANDS
    # Globex's alert, its mutes, its timeline, every brand's timeline, its author.
    assert post(f"/alerts/{planted['globex_alert']}/ack", note="x") == 404
    assert post("/alerts/mute", brand="Globex", length="1h", reason="x") == 403
    assert post("/alerts/mute", brand="*", length="1h", reason="x") == 403
    assert post("/alerts/mute", brand="Acme", length="1h", reason="ours") == 303
    assert post("/events", brand="*", at="2026-01-01T00:00", label="x") == 403
    assert post(f"/events/{planted['globex_event']}/remove") == 404
    assert get_event(engine, planted["globex_event"]) is not None
    assert post(f"/authors/{planted['secret_author']}/tags", tag="vu") == 404
    assert post("/reports/generate", brand="Globex", period="yesterday") == 400


def test_nobody_is_assigned_a_post_they_cannot_open(
    engine: Engine, planted: dict[str, Any]
) -> None:
    client, csrf = _client(engine, "analyst")  # sees every brand
    refused = client.post(f"/mentions/{planted['secret']}/triage",
                          data={"assignee": "acme-analyst", "csrf": csrf})  # fmt: skip
    assert refused.status_code == 400 and "acme-analyst sees Acme only" in refused.text
    bulk = client.post("/inbox/bulk", data={"ids": ["1", str(planted["secret"])],
                                            "action": "assign", "assignee": "acme-analyst",
                                            "csrf": csrf})  # fmt: skip
    assert bulk.status_code == 400
    done = client.post("/mentions/1/triage", data={"assignee": "acme-analyst", "csrf": csrf},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    with engine.connect() as conn:
        found = select(MentionTriage.mention_id).where(MentionTriage.assignee == "acme-analyst")
        assert list(conn.execute(found).scalars()) == [1]


def test_a_watched_view_tells_of_the_brands_one_sees(
    engine: Engine, planted: dict[str, Any]
) -> None:
    from reports.alerts.watch_mail import WATCH, owe_new_matches
    from storage.deliveries import of_kind, person_target
    from storage.users import set_email
    from storage.view_watches import watch

    now = utcnow()
    view = save_view(engine, "Tout", {"status": "all"}, "analyst", now)
    for name in ("viewer", "acme-viewer"):
        set_email(engine, name, f"{name}@agency.example")
        user = get_user(engine, name)
        assert user is not None and watch(engine, view.id, user.id, now)
    new = [_store(engine, "n1", "GLOBEXSECRET encore", "globexinsider", ["Globex"]),
           _store(engine, "n2", "Acme a livré à temps", "carla2", ["Acme"])]  # fmt: skip
    assert owe_new_matches(engine, settings(), now) == 2
    told = {d.target: sorted(d.payload["mentions"]) for d in of_kind(engine, WATCH)}
    assert told == {person_target("viewer"): sorted(new), person_target("acme-viewer"): [new[1]]}


def test_brands_are_given_and_taken_from_the_command_line_and_the_admin_page(
    engine: Engine, planted: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "veille.yaml"
    url = engine.url.render_as_string(hide_password=False)
    brands = [{"name": "Acme", "query": "acme"}, {"name": "Globex", "query": "globex"}]
    config.write_text(yaml.safe_dump({"database": {"url": url}, "brands": brands}),
                      encoding="utf-8")  # fmt: skip
    monkeypatch.setenv("VEILLE_USER_PASSWORD", PASSWORD)
    assert veille(config, "users", "add", "gx", "--role", "viewer", "--brand", "Globex") == (
        0, "Added gx (viewer, sees Globex).\n")  # fmt: skip
    assert veille(config, "users", "add", "boss", "--role", "admin", "--brand", "Acme")[0] == 2
    assert veille(config, "users", "add", "zz", "--brand", "Initech")[0] == 2
    assert get_user(engine, "zz") is None and get_user(engine, "boss") is None
    assert veille(config, "users", "brands", "gx", "Acme", "Globex") == (
        0, "gx: sees Acme, Globex.\n")  # fmt: skip
    listed = json.loads(veille(config, "users", "list", "--json")[1])["users"]
    assert {u["name"]: u["brands"] for u in listed}["gx"] == ["Acme", "Globex"]
    assert {u["name"]: u["brands"] for u in listed}["viewer"] is None
    assert veille(config, "users", "brands", "gx", "--all") == (0, "gx: sees every brand.\n")
    assert get_user(engine, "gx").brands is None  # type: ignore[union-attr]
    assert veille(config, "users", "brands", "gx")[0] == 2  # neither brands nor --all
    assert veille(config, "users", "brands", "admin", "Acme")[0] == 2  # an admin sees all
    assert veille(config, "users", "brands", "nobody", "Acme")[0] == 1
    code, out = veille(config, "tokens", "add", "acme-bi", "--brand", "Acme")
    assert code == 0
    code, out = veille(config, "tokens", "list", "--json")
    assert [t["brands"] for t in json.loads(out)["tokens"]] == [["Acme"]]
    # An account seeing some brands is not made admin before it sees them all.
    with pytest.raises(Refusal, match="sees some brands only"):
        set_role(engine, "acme-analyst", "admin")
    # The admin page: a box per brand, none checked for every brand.
    client, csrf = _client(engine, "admin")
    page = client.get("/admin/users").text
    assert page.count('name="brand" value="Acme" checked') == 2  # acme-viewer, acme-analyst
    assert 'name="brand" value="Globex" checked' not in page
    changed = client.post("/admin/users/brands", data={"name": "acme-viewer", "brand": BRANDS,
                                                       "csrf": csrf}, follow_redirects=False)  # fmt: skip
    assert changed.status_code == 303
    assert get_user(engine, "acme-viewer").brands == ("Acme", "Globex")  # type: ignore[union-attr]
    assert client.post("/admin/users/brands", data={"name": "acme-viewer", "csrf": csrf},
                       follow_redirects=False).status_code == 303  # fmt: skip
    assert get_user(engine, "acme-viewer").brands is None  # type: ignore[union-attr]
    refused = client.post("/admin/users/brands", data={"name": "admin", "brand": "Acme",
                                                       "csrf": csrf})  # fmt: skip
    assert refused.status_code == 400 and "an admin sees every brand" in refused.text
    added = client.post("/admin/users", data={"name": "gx2", "role": "viewer", "brand": "Globex",
                                              "password": PASSWORD, "csrf": csrf},
                        follow_redirects=False)  # fmt: skip
    assert added.status_code == 303 and get_user(engine, "gx2").brands == ("Globex",)  # type: ignore[union-attr]
