"""The contributors pages (web/contributors.py) on SQLite and PostgreSQL: the profiled authors
as the nightly `authors` stage computes them on the seeded workspace, with their filters,
order, sentiment over their window and CSV; a contributor's page (by brand, latest posts, their
posts in the inbox); a person's correction of a profile, audited, which wins over the next
computation, shown beside the computed one, and withdrawn; French pages. Roles, CSRF and escaping of every page are in test_web.py."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, delete, select
from starlette.testclient import TestClient
from web_workspace import XSS, analyst_client, login, row_ids

from nlp.authors.compute import recompute
from storage.authors import list_profiles, profiles_for
from storage.clock import utcnow
from storage.models import Author, AuthorProfile


@pytest.fixture
def seeded(engine: Engine) -> tuple[TestClient, str, dict[str, Any]]:
    client, csrf, ids = analyst_client(engine)
    recompute(engine, now=utcnow() + timedelta(minutes=1))  # the nightly stage, for real
    return client, csrf, ids


def _listed(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'class="author-row" data-id="(\d+)"', html)]


def test_the_list_is_the_computed_profiles_most_influential_first(
    engine: Engine, seeded: tuple[TestClient, str, dict[str, Any]]
) -> None:
    client, _, _ = seeded
    with engine.connect() as conn:
        computed = list_profiles(conn, top=None)
    assert len(computed) == 3  # bob, the hostile one, carla: each posted in the window
    page = client.get("/authors").text
    assert _listed(page) == [r["author_id"] for r in computed]
    assert "(3)" in page and XSS["author"] not in page and "<svg onload" not in page
    # the order by followers: bob (50,000), the hostile one (10), carla (none)
    assert _listed(client.get("/authors?order=followers").text) == [1, 2, 3]
    # a brand keeps the authors who spoke of it in their window, and their tone is about it
    globex = client.get("/authors?brand=Globex").text
    assert _listed(globex) == [1]  # the seed's Globex posts are bob's, every third one
    # bob's ten Globex posts: 15 and 30 negative, 3, 9, 21, 27 positive, 6, 12, 18, 24 neutral
    cells = re.search(r'title="negative">(\d+)</span> / <span title="neutral">(\d+)</span> / '
                      r'<span class="good" title="positive">(\d+)</span>', globex)  # fmt: skip
    assert cells and cells.groups() == ("2", "4", "4")
    assert "net +33%" in globex  # (4 − 2) / (4 + 2), as the reports' net sentiment
    assert _listed(client.get("/authors?words=CAR").text) == [3]  # name or handle, any case
    assert _listed(client.get("/authors?words=%25").text) == []  # a LIKE wildcard is a letter
    profile = computed[0]["profile"]
    kept = _listed(client.get(f"/authors?profile={profile}").text)
    assert kept == [r["author_id"] for r in computed if r["profile"] == profile]
    flagged = [r["author_id"] for r in computed if r["suspicious"]]
    assert _listed(client.get("/authors?flagged=1").text) == flagged
    # an unknown choice is dropped, not an error
    assert _listed(client.get("/authors?brand=Nope&profile=x&order=y").text) == _listed(page)


def test_the_list_exports_as_csv(
    engine: Engine, seeded: tuple[TestClient, str, dict[str, Any]]
) -> None:
    client, _, _ = seeded
    response = client.get("/authors/export.csv?brand=Globex")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["handle"], r["negative"], r["neutral"], r["positive"]) for r in rows] == [
        ("bob", "2", "4", "4")
    ]
    with engine.connect() as conn:
        computed = list_profiles(conn, top=None)
    every = client.get("/authors/export.csv").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(every)))
    assert [int(r["author_id"]) for r in rows] == [r["author_id"] for r in computed]
    assert {r["profile_by_person"] for r in rows} == {"False"}
    hostile = next(r for r in rows if r["author_id"] == "2")
    assert (
        hostile["name"] == XSS["author"] and hostile["profile_url"] == "javascript:window.__xss=7"
    )


def test_a_contributors_page_and_their_posts_in_the_inbox(
    engine: Engine, seeded: tuple[TestClient, str, dict[str, Any]]
) -> None:
    client, _, ids = seeded
    page = client.get("/authors/1").text
    assert 'id="author-name"' in page and "Bob" in page and "forum-acme" in page
    # by brand: bob's 10 Globex posts and his one Acme post (the seed's mention 10)
    brands = re.findall(r"<tr><td><bdi>\u2068(\w+)\u2069</bdi></td><td>(\d+)</td>", page)
    assert brands == [("Globex", "10"), ("Acme", "1")]
    latest = [int(i) for i in re.findall(r'class="mention-row" data-id="(\d+)"', page)]
    assert latest == [3, 6, 9, 10, 12, 15, 18, 21, 24, 27, 30]  # newest first
    inbox = client.get("/inbox?author=1&status=all&period=all").text
    assert sorted(row_ids(inbox)) == sorted(latest)
    assert 'id="author-filter"' in inbox and 'href="/authors/1"' in inbox
    # the filter is kept by the form, and by the exports
    assert '<input type="hidden" name="author" value="1">' in inbox
    exported = client.get("/inbox/export.csv?author=1&status=all&period=all").text
    assert len(list(csv.DictReader(io.StringIO(exported.lstrip("\ufeff"))))) == 11
    # the mention page's author card links to the page
    assert 'id="author-page" href="/authors/1"' in client.get(f"/mentions/{ids['negative']}").text
    assert client.get("/authors/999").status_code == 404


def test_a_persons_profile_wins_and_is_audited(
    engine: Engine, seeded: tuple[TestClient, str, dict[str, Any]]
) -> None:
    from storage.audit import entries

    client, csrf, _ = seeded
    with engine.connect() as conn:
        was = profiles_for(conn, [3])[3]["profile"]
    chosen = "expert" if was != "expert" else "fan"
    done = client.post("/authors/3/profile", data={"csrf": csrf, "profile": chosen},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == "/authors/3"
    page = client.get("/authors/3").text
    assert "chosen by a person" in page
    assert re.search(r'<span class="pill human">[^<]+</span> ✎', page)
    listed = client.get(f"/authors?profile={chosen}").text
    assert 3 in _listed(listed) and "✎" in listed
    [entry] = [e for e in entries(engine, "author:3") if e["action"] == "profile"]
    assert entry["actor"] == "analyst" and entry["detail"] == {"profile": chosen, "was": was}
    assert "profile=" + chosen in page  # the page's history
    # the next night's computation keeps it
    recompute(engine, now=utcnow() + timedelta(minutes=2), full=True)
    with engine.connect() as conn:
        stored = profiles_for(conn, [3])[3]
    assert stored["profile"] == chosen and stored["by_human"] is True
    assert stored["computed_profile"] == was  # the night's own, kept beside the person's
    page = client.get("/authors/3").text
    assert 'id="computed"' in page and "the nightly computation says" in page
    # the correction withdrawn: the computed profile at once, and the nights' after
    back = client.post("/authors/3/profile/withdraw", data={"csrf": csrf},
                       follow_redirects=False)  # fmt: skip
    assert back.status_code == 303 and back.headers["location"] == "/authors/3"
    with engine.connect() as conn:
        stored = profiles_for(conn, [3])[3]
        kept = conn.execute(select(Author.profile_by_person).where(Author.id == 3)).scalar()
    assert stored["profile"] == was and stored["by_human"] is False and kept is None
    [gone] = [e for e in entries(engine, "author:3") if e["action"] == "profile_withdrawn"]
    assert gone["actor"] == "analyst" and gone["detail"] == {"profile": was, "was": chosen}
    page = client.get("/authors/3").text
    assert 'id="withdraw-profile"' not in page and 'id="computed"' not in page
    recompute(engine, now=utcnow() + timedelta(minutes=3), full=True)
    with engine.connect() as conn:
        assert profiles_for(conn, [3])[3]["profile"] == was
    again = client.post("/authors/3/profile/withdraw", data={"csrf": csrf})
    assert again.status_code == 200  # nothing of a person's left: nothing done, nor audited
    assert len([e for e in entries(engine, "author:3") if e["action"] == "profile_withdrawn"]) == 1
    # refusals: an unknown profile, an author without a profile, an unknown author
    bad = client.post("/authors/3/profile", data={"csrf": csrf, "profile": "troll"})
    assert bad.status_code == 400 and "Choose one of" in bad.text
    with engine.begin() as conn:
        conn.execute(delete(AuthorProfile).where(AuthorProfile.author_id == 1))
    none_yet = client.post("/authors/1/profile", data={"csrf": csrf, "profile": "fan"})
    assert none_yet.status_code == 409 and "authors stage" in none_yet.text
    assert (
        client.post("/authors/999/profile", data={"csrf": csrf, "profile": "fan"}).status_code
        == 404
    )
    assert client.post("/authors/999/profile/withdraw", data={"csrf": csrf}).status_code == 404


def test_the_pages_read_in_french(
    engine: Engine, seeded: tuple[TestClient, str, dict[str, Any]]
) -> None:
    from storage.users import set_language

    client, _, _ = seeded
    set_language(engine, "analyst", "fr")
    client = TestClient(client.app)
    login(client, "analyst")
    listing = client.get("/authors?brand=Globex").text
    assert '<html lang="fr">' in listing and "Contributeurs" in listing
    assert "net +33\u00a0%" in listing or "net +33 %" in listing
    page = client.get("/authors/1").text
    assert "Ses messages, marque par marque" in page
    assert "Tous ses messages dans la boîte de réception" in page


def test_the_team_tags_authors_and_filters_by_tag(
    engine: Engine, seeded: tuple[TestClient, str, dict[str, Any]]
) -> None:
    from storage.access import person_data
    from storage.audit import entries
    from storage.privacy import Target, erase

    client, csrf, ids = seeded
    hostile = '<img src=x onerror="window.__xss=9">'
    for author_id, tag in ((1, "  journaliste  "), (3, "journaliste"), (3, hostile)):
        done = client.post(f"/authors/{author_id}/tags", data={"csrf": csrf, "tag": tag},
                           follow_redirects=False)  # fmt: skip
        assert done.status_code == 303
    again = client.post("/authors/1/tags", data={"csrf": csrf, "tag": "journaliste"})
    assert again.status_code == 200  # tagged already: nothing twice
    page = client.get("/authors/3").text
    assert hostile not in page and "&lt;img src=x" in page
    assert re.findall(r'<span class="pill tag"><bdi>\u2068([^\u2069]+)\u2069', page)[:2] == [
        "&lt;img src=x onerror=&#34;window.__xss=9&#34;&gt;",
        "journaliste",
    ]
    # the contributors and the inbox, by tag; the mention page's author card shows them
    assert _listed(client.get("/authors?tag=journaliste").text) == [1, 3]
    assert _listed(client.get("/authors?tag=nobody").text) == _listed(client.get("/authors").text)
    inbox = client.get("/inbox?tag=journaliste&status=all&period=all").text
    author_of = {i: 1 + i % 3 for i in range(1, 31)} | {7: 2, 10: 1}  # as the seed writes
    assert set(row_ids(inbox)) == {i for i, a in author_of.items() if a in (1, 3)}
    assert 'id="author-tags"' in client.get(f"/mentions/{ids['negative']}").text
    exported = client.get("/authors/export.csv?tag=journaliste").content.decode("utf-8-sig")
    assert [r["tags"] for r in csv.DictReader(io.StringIO(exported))] == [
        "journaliste",
        f"{hostile};journaliste",
    ]
    # refused: an empty tag, in the person's words
    empty = client.post("/authors/1/tags", data={"csrf": csrf, "tag": "   "})
    assert empty.status_code == 400 and "a tag is 1 to 40 printable characters" in empty.text
    removed = client.post("/authors/1/tags/remove", data={"csrf": csrf, "tag": "journaliste"})
    assert removed.status_code == 200 and _listed(client.get("/authors?tag=journaliste").text) == [
        3
    ]
    actions = [(e["action"], e["detail"]) for e in entries(engine, "author:1")]
    assert actions[:2] == [("untag", {"tag": "journaliste"}), ("tag", {"tag": "journaliste"})]
    # a person's access request lists the tags on them; their erasure takes the tags away
    with engine.connect() as conn:
        held = person_data(conn, "reviews", "carla")
    assert sorted(t["tag"] for t in held["tags"]) == sorted([hostile, "journaliste"])
    counts = erase(engine, Target.author("reviews:carla"), "dpo", utcnow()).counts
    assert counts["author_tags"] == 2
    assert _listed(client.get("/authors?tag=journaliste").text) == _listed(
        client.get("/authors").text
    )
