"""Personal data: erasure leaves no trace and stays erased; the access export holds it all."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, select

from storage.clock import utcnow
from storage.labels import LabelRecord, save_labels
from storage.models import Alert, AuthorProfile, MentionBrand, MentionFlag, Rejected
from storage.privacy import Target, erase, erasure_log
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.tombstones import redact_text
from storage.upsert import MentionStore

HANDLE = "Karim_B"
TEXTS = [
    "Colis Maxishop perdu depuis 12 jours, le SAV ne répond plus",
    "Toujours rien chez Maxishop, je vais porter plainte",
]
T0 = datetime(2026, 2, 10, 9, 0, tzinfo=UTC)


def records() -> list[MentionRecord]:
    """A small source: two posts by the person, a retweet naming them, two other people."""
    karim = AuthorRecord(
        HANDLE, name="Karim Benali", profile_url="https://x.com/Karim_B", followers=5400
    )
    julie = AuthorRecord("julie_m", name="Julie M.", profile_url="https://x.com/julie_m")
    paul = AuthorRecord("paul_t", name="Paul", profile_url="https://x.com/paul_t")
    brand = [BrandMatch("Maxishop", "maxishop", ["maxishop"])]

    def rec(eid: str, text: str, author: AuthorRecord, hours: int, raw: Any) -> MentionRecord:
        return MentionRecord(
            "tw", "twitter_export", eid, text, url=f"https://x.com/{author.handle}/status/{eid}",
            published_at=T0 + timedelta(hours=hours), author=author, raw=raw, brands=brand,
        )  # fmt: skip

    return [
        rec("1", TEXTS[0], karim, 0, {"id": "1", "author": {"username": HANDLE}, "text": TEXTS[0]}),
        rec("2", TEXTS[1], karim, 1, {"id": "2", "author": {"username": HANDLE}}),
        rec(
            "3",
            f"RT @{HANDLE.lower()}: même souci avec Maxishop",
            julie,
            2,
            {"id": "3", "entities": {"mentions": [{"username": HANDLE}]}},
        ),
        rec("4", "Maxishop livre vite, rien à redire", paul, 3, {"id": "4"}),
        thread("t1", karim, TITLE, 4),
        thread("t2", paul, "Oui, remboursé par Maxishop au bout de 3 semaines", 5),
    ]


TITLE = "Arnaque Maxishop ? Des semaines sans colis"


def thread(eid: str, author: AuthorRecord, text: str, hours: int) -> MentionRecord:
    """A forum post of the thread the person opened (its title is theirs)."""
    return MentionRecord(
        "forum", "forum", eid, text, thread_id="t1", thread_title=TITLE,
        title=TITLE if eid == "t1" else None, published_at=T0 + timedelta(hours=hours),
        author=author, brands=[BrandMatch("Maxishop")],
    )  # fmt: skip


def seed(engine: Engine) -> dict[str, int]:
    counts = MentionStore(engine).store(records())
    assert counts.new == 6
    with engine.begin() as conn:
        ids = dict(conn.exec_driver_sql("SELECT external_id, id FROM mentions").all())  # unique
        authors = dict(
            conn.exec_driver_sql(
                "SELECT a.handle, a.id FROM authors a JOIN sources s ON s.id = a.source_id"
                " WHERE s.name = 'tw'"
            ).all()
        )
        save_labels(conn, [LabelRecord(ids["1"], "sentiment", "negative", 0.9)])
        save_labels(conn, [LabelRecord(ids["2"], "topic", "service_client")], by_human=True)
        conn.execute(
            MentionFlag.__table__.insert().values(
                mention_id=ids["2"], kind="burst", reason="same text", group_key="g", flagged_at=T0
            )
        )
        conn.execute(
            AuthorProfile.__table__.insert().values(
                author_id=authors[HANDLE], profile="expert", profile_score=0.5, reasons=["x"],
                influence=70.0, influence_parts={}, tier="regular", flags=[], suspicious=False,
                posts=2, window_start=T0, window_end=T0, computed_at=T0, version="v1",
            )
        )  # fmt: skip
        influencer = {"author": HANDLE, "source": "tw", "url": f"https://x.com/{HANDLE}/status/1"}
        other = {"author": "paul_t", "source": "tw", "url": "https://x.com/paul_t/status/4"}
        conn.execute(
            Alert.__table__.insert().values(
                brand="Maxishop", severity="high", status="open", opened_at=T0, updated_at=T0,
                details={"opening": {"influencers": [influencer, other]}},
            )
        )  # fmt: skip
        conn.execute(
            Rejected.__table__.insert().values(
                stage="import", origin="x.csv", reason="bad row", created_at=T0,
                record=f"9,{HANDLE},too,many,fields",
            )
        )  # fmt: skip
    return ids


def everything(engine: Engine) -> str:
    """Every row of every table, as one lower-cased text."""
    meta = MetaData()
    meta.reflect(engine)
    parts: list[str] = []
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if table.name == "mentions_fts":  # reads the mentions' columns again (FTS5 view)
                continue
            parts.extend(repr(tuple(row)) for row in conn.execute(select(table)))
    return "\n".join(parts).lower()


def traces(engine: Engine) -> list[str]:
    """The handle or a text of the person found anywhere: in a table or the SQLite files."""
    needles = [HANDLE.lower(), "benali", *(t.lower()[:30] for t in [*TEXTS, TITLE])]
    found = [f"table: {n}" for n in needles if n in everything(engine)]
    if engine.dialect.name == "sqlite":
        db = Path(str(engine.url.database))
        for path in (db, db.with_name(db.name + "-wal")):
            if path.is_file():
                data = path.read_bytes().lower()
                found += [f"{path.name}: {n}" for n in needles if n.encode() in data]
    return found


def test_erase_an_author_leaves_no_trace_and_stays_erased(engine: Engine) -> None:
    seed(engine)
    assert traces(engine)  # the search finds the person before
    dry = erase(engine, Target.author(f"tw:@{HANDLE.lower()}"), "dpo", utcnow(), dry_run=True)
    assert dry.counts["mentions"] == 2 and dry.erasure_id is None and traces(engine)
    assert dry.counts["redacted_mentions"] == 1  # the retweet; the person's own posts go
    result = erase(engine, Target.author(f"tw:{HANDLE}"), "dpo", utcnow())
    assert result.counts == {
        "labels": 2, "mention_brands": 2, "mention_flags": 1, "mentions": 2, "author_tags": 0,
        "author_profiles": 1, "authors": 1, "redacted_mentions": 1, "thread_titles": 0,
        "redacted_alerts": 1, "rejected": 1,
    }  # fmt: skip
    # The same person on the forum: their post titled a thread that others replied in.
    forum = erase(engine, Target.author(f"forum:{HANDLE}"), "dpo", utcnow())
    assert (forum.counts["mentions"], forum.counts["thread_titles"]) == (1, 1)
    assert traces(engine) == []
    with engine.connect() as conn:
        text = conn.exec_driver_sql("SELECT text FROM mentions WHERE external_id = '3'").scalar()
        _, log = erasure_log(conn)  # newest first
        alert = conn.execute(select(Alert.details)).scalar_one()
    assert text == "RT @user: même souci avec Maxishop"
    assert [i["author"] for i in alert["opening"]["influencers"]] == ["paul_t"]
    assert (log["what"], log["by"], log["counts"]["mentions"]) == ("author", "dpo", 2)
    # A later crawl or import of the same records stores nothing of the person.
    again = MentionStore(engine).store(records())
    assert (again.erased, again.new, again.unchanged + again.updated) == (3, 0, 3)
    assert traces(engine) == []
    # A new post by the person is refused too (the author's tombstone).
    new = records()[0]
    new.external_id, new.text = "99", "Maxishop encore en retard"
    assert MentionStore(engine).store([new]).erased == 1


def test_erase_one_mention_or_a_text(engine: Engine) -> None:
    ids = seed(engine)
    one = erase(engine, Target("mention", mention_id=ids["1"]), "dpo", utcnow())
    assert (one.counts["mentions"], one.counts["authors"]) == (1, 0)  # the author keeps a post
    assert one.counts["redacted_alerts"] == 1  # the alert quoted that post's URL
    matched = erase(engine, Target("match", text="PORTER plainte"), "dpo", utcnow())
    assert (matched.counts["mentions"], matched.counts["authors"]) == (1, 1)
    text = everything(engine)
    assert not any(t.lower()[:30] in text for t in TEXTS)
    assert MentionStore(engine).store(records()[:2]).erased == 2  # both posts stay erased


def test_access_export_holds_every_mention(engine: Engine, tmp_path: Path) -> None:
    from storage.access import person_data, write_json
    from storage.dismissals import dismiss

    ids = seed(engine)
    with engine.begin() as conn:  # the team took one of the posts off its brand
        brand = conn.execute(
            select(MentionBrand.brand).where(MentionBrand.mention_id == ids["2"])
        ).scalar_one()
        dismiss(conn, [ids["2"]], brand, "ana")
    with engine.connect() as conn:
        data = person_data(conn, "TW", HANDLE.lower())
    write_json(data, tmp_path / "karim.json")
    back = json.loads((tmp_path / "karim.json").read_text(encoding="utf-8"))
    assert sorted(m["id"] for m in back["mentions"]) == sorted([ids["1"], ids["2"]])
    assert {m["text"] for m in back["mentions"]} == set(TEXTS)
    assert back["authors"][0]["name"] == "Karim Benali" and back["profiles"][0]["tier"]
    assert back["mentions"][0]["raw"]["author"]["username"] == HANDLE
    assert [lab["task"] for m in back["mentions"] for lab in m["labels"]] == [
        "sentiment", "topic"
    ]  # fmt: skip
    assert [n["mention_id"] for n in back["named_in"]] == [ids["3"]]
    assert len(back["alerts"]) == 1
    taken_off = {m["id"]: m["off_topic_for"] for m in back["mentions"]}
    assert taken_off[ids["1"]] == [] and [d["brand"] for d in taken_off[ids["2"]]] == [brand]
    assert taken_off[ids["2"]][0]["dismissed_by"] == "ana"


def test_redaction_keeps_other_handles() -> None:
    assert redact_text("@Karim_B et @julie_m, cf. @karim_b.", ["karim_b"]) == (
        "@user et @julie_m, cf. @user."
    )


@pytest.fixture
def workspace(sqlite_engine: Engine, tmp_path: Path) -> Path:
    config = tmp_path / "veille.yaml"
    config.write_text(
        f"database:\n  url: '{sqlite_engine.url}'\n"
        "brands:\n  - name: Lumino\n    query: [lumino]\n"
        "sources:\n  - name: tw-inbox\n    kind: twitter_export\n    path: inbox\n"
        f"alerts:\n  outbox_dir: '{tmp_path / 'outbox'}'\n"
        f"reports:\n  output_dir: '{tmp_path / 'reports'}'\n",
        encoding="utf-8",
    )
    (tmp_path / "inbox").mkdir()
    return config


def veille(config: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """`veille --config CONFIG ARGS` in this process (its import child is a process of its own)."""
    from pipeline.cli import main

    try:
        main(["--config", str(config), *args])
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    assert code == 0, out + err
    return code, out


def last_json(out: str) -> Any:
    return json.loads([line for line in out.splitlines() if line.startswith("{")][-1])


def test_cli_erase_then_reimport_stores_nothing(
    workspace: Path, sqlite_engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fix = Path(__file__).parent / "fixtures" / "exports" / "twitter.csv"
    imported = ("import", str(fix), "--format", "twitter-csv", "--json")
    code, out = veille(workspace, capsys, *imported)
    assert code == 0, out
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "r.html").write_text("<p>@ines_r: tapis épais</p>", encoding="utf-8")
    (tmp_path / "reports" / "r.json").write_text('{"author": "Inès"}', encoding="utf-8")
    (tmp_path / "reports" / "other.html").write_text("<td>Paul</td>", encoding="utf-8")
    code, out = veille(
        workspace, capsys, "privacy", "erase", "--author", "tw-inbox:ines_r", "--json"
    )
    assert code == 0, out
    result = last_json(out)
    assert result["counts"]["mentions"] == 2
    assert result["documents"] == [str(tmp_path / "reports" / n) for n in ("r.html", "r.json")]
    code, out = veille(workspace, capsys, *imported, "--force")
    assert code == 0, out
    assert (last_json(out)["new"], last_json(out)["dropped"]) == (0, {"erased": 2})
    text = everything(sqlite_engine)
    assert "ines_r" not in text and "tapis épais" not in text and "inès" not in text
    db = Path(str(sqlite_engine.url.database))
    for path in (db, db.with_name(db.name + "-wal")):  # nor in the file, nor in its log
        data = path.read_bytes() if path.is_file() else b""
        assert b"ines_r" not in data and "tapis épais".encode() not in data
    access = tmp_path / "access.json"
    code, out = veille(
        workspace, capsys, "privacy", "export", "--author", "tw-inbox:paul_t", "--out", str(access)
    )
    assert code == 0, out
    assert [m["external_id"] for m in json.loads(access.read_text())["mentions"]] == ["8002"]
    code, out = veille(workspace, capsys, "privacy", "log")
    assert "author by" in out and "2 mentions" in out


def test_retention_deletes_what_is_past_its_limit(engine: Engine) -> None:
    from storage.retention import apply_retention

    seed(engine)
    old = records()
    for r in old:
        r.external_id = f"old-{r.external_id}"
    old[0].author = AuthorRecord("ancien_1", name="Ancien")
    old[0].text = "Un très vieux message sur Maxishop"
    old[0].published_at = T0 - timedelta(days=500)
    MentionStore(engine).store(old[:1])
    now = T0 + timedelta(days=1)
    cutoffs = {"twitter_export": now - timedelta(days=395), "forum": now - timedelta(days=30)}
    dry = apply_retention(engine, cutoffs, "test", now, dry_run=True)
    assert (dry["mentions"], dry["authors"], dry["labels"]) == (1, 1, 0)
    assert "ancien_1" in everything(engine)
    done = apply_retention(engine, cutoffs, "test", now)
    assert (done["mentions"], done["authors"], done["by_kind"]) == (
        1,
        1,
        {"forum": 0, "twitter_export": 1},
    )
    text = everything(engine)
    assert "ancien_1" not in text and "très vieux" not in text
    assert text.count("maxishop livre vite") == 1  # the recent ones stay
    if engine.dialect.name == "sqlite":  # nor in the database file, nor in its log
        db = Path(str(engine.url.database))
        for path in (db, db.with_name(db.name + "-wal")):
            data = path.read_bytes() if path.is_file() else b""
            assert b"ancien_1" not in data and "très vieux".encode() not in data
    with engine.connect() as conn:
        assert erasure_log(conn)[0]["what"] == "retention"
    again = apply_retention(engine, cutoffs, "test", now)
    assert again["mentions"] == 0 and "erasure_id" not in again


def test_retention_days_per_kind() -> None:
    from config.settings import PrivacySettings

    p = PrivacySettings(retention_days={"twitter_export": 90, "default": 200})
    assert (p.retention_for("twitter_export"), p.retention_for("forum")) == (90, 200)
    with pytest.raises(ValueError, match="not a source kind"):
        PrivacySettings(retention_days={"twiter": 90})


def test_pseudonymised_export_names_only_the_allowed(engine: Engine, tmp_path: Path) -> None:
    from reports.export import write_export
    from reports.pseudonym import Pseudonymiser

    seed(engine)
    brand_reply = records()[3]
    brand_reply.external_id, brand_reply.author = "5", AuthorRecord("Maxishop_FR", name="Maxishop")
    brand_reply.text = f"@{HANDLE} @julie_m nous regardons, écrivez-nous en privé"
    brand_reply.url = "https://x.com/Maxishop_FR/status/5"
    MentionStore(engine).store([brand_reply])
    p = Pseudonymiser("k" * 32, allow=["@maxishop_fr", "paul_t"])
    written = {}
    for fmt in ("jsonl", "csv"):
        out = tmp_path / f"export.{fmt}"
        assert write_export(engine, fmt, out, pseudonymiser=p) == 7
        written[fmt] = out.read_text(encoding="utf-8")
        text = written[fmt].lower()
        assert not [h for h in (HANDLE.lower(), "julie_m", "benali", "julie m.") if h in text]
        assert "maxishop_fr" in text and "paul_t" in text and "@user" in text
    rows = [json.loads(line) for line in written["jsonl"].splitlines()]
    authors = [r["author"] for r in rows]
    assert authors[0] == authors[1] == p.handle(HANDLE.upper()) != p.handle("julie_m")
    assert rows[0]["url"] == f"https://x.com/{authors[0]}/status/1"
    assert rows[-1]["text"] == "@user @user nous regardons, écrivez-nous en privé"
    assert Pseudonymiser("another key").handle(HANDLE) != authors[0]  # keyed


def test_pseudonymise_needs_a_key(
    workspace: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline.cli import main

    monkeypatch.delenv("VEILLE_PRIVACY__PSEUDONYM_KEY", raising=False)
    out = workspace.parent / "x.csv"
    with pytest.raises(SystemExit) as exc:
        main(["--config", str(workspace), "export", "-f", "csv", "-o", str(out), "--pseudonymise"])
    assert exc.value.code == 2 and "VEILLE_PRIVACY__PSEUDONYM_KEY" in capsys.readouterr().err
    monkeypatch.setenv("VEILLE_PRIVACY__PSEUDONYM_KEY", "s3cret-key-for-tests")
    veille(workspace, capsys, "export", "-f", "csv", "-o", str(out), "--pseudonymise")
    assert out.is_file()
    bad = workspace.with_name("bad.yaml")
    bad.write_text("privacy:\n  pseudonym_key: abc\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["--config", str(bad), "status"])
    assert exc.value.code == 2 and "never read from files" in capsys.readouterr().err


def test_human_labels_export_ids_only(engine: Engine, tmp_path: Path) -> None:
    from nlp.human_labels import export_human

    seed(engine)
    assert export_human(engine, tmp_path / "ids.csv", ids_only=True) == 1
    lines = (tmp_path / "ids.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "source,external_id,task,value,lang,labelled_at"
    assert lines[1].startswith("tw,2,topic,service_client,")
    assert not any(t[:20] in "\n".join(lines) for t in TEXTS)
