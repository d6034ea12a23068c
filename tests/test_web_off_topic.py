"""Off-topic mentions and the query workbench, on SQLite and PostgreSQL.

"acme" is also a French word (the peak of something): the brand query catches three posts about
a ski season. An analyst says so from a mention's page and for two checked rows of the inbox:
the brand no longer counts them (its figures, its inbox), those about no brand are closed, each
history says who; collecting them again does not link them back; the workbench shows that
the query still matches them, proposes `-saison`, and the query with it leaves all three out
and drops nothing else. Put back, a mention is the brand's again as it was.
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
from sqlalchemy import Engine, select
from starlette.testclient import TestClient
from web_workspace import PASSWORD, analyst_client, csrf_of, login, row_ids, settings

from nlp.query import compile_query, prepare
from reports.query_trial import Suggestion, suggest, with_exclusion
from storage.clock import utcnow
from storage.database_copy import follow_rows
from storage.models import Mention, MentionBrand, MentionTriage
from storage.queries import stats
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.reporting import brands_between
from storage.upsert import MentionStore
from storage.users import add_user
from web.security import hash_password

HOMONYMS = (
    "L'acme de la saison de ski à Chamonix, quelle neige",
    "Ce concert était l'acme de la saison culturelle",
    "Fin de saison : l'acme des soldes est passé",
)


def _records(texts: tuple[str, ...]) -> list[MentionRecord]:
    now = utcnow()
    return [
        MentionRecord(
            source="forum-acme", source_kind="forum", external_id=f"off-{i}", text=text,
            published_at=now - timedelta(hours=1 + i),
            brands=[BrandMatch("Acme", query="acme", matched_terms=["acme"])],
        )
        for i, text in enumerate(texts)
    ]  # fmt: skip


@pytest.fixture
def homonyms(engine: Engine) -> tuple[TestClient, str, list[int], dict[str, Any]]:
    client, csrf, ids = analyst_client(engine)
    with engine.begin() as conn:  # the seed wrote its own ids: the next ones after them
        follow_rows(conn)
    MentionStore(engine).store(_records(HOMONYMS))
    with engine.connect() as conn:
        found = conn.execute(
            select(Mention.id).where(Mention.external_id.like("off-%")).order_by(Mention.id)
        )
        off = [int(i) for i in found.scalars()]
    return client, csrf, off, ids


def _acme(engine: Engine) -> int:
    return int(stats(engine)["brands"]["Acme"])


def _linked(engine: Engine, mention_id: int) -> list[str]:
    with engine.connect() as conn:
        found = select(MentionBrand.brand).where(MentionBrand.mention_id == mention_id)
        return list(conn.execute(found).scalars())


def test_mentions_taken_off_a_brand_stay_off_and_come_back(
    engine: Engine, homonyms: tuple[TestClient, str, list[int], dict[str, Any]]
) -> None:
    client, csrf, off, _ = homonyms
    before = _acme(engine)
    # from the mention's page
    page = client.get(f"/mentions/{off[0]}").text
    assert "Not about Acme" in page and f'action="/mentions/{off[0]}/off-topic?' in page
    assert '<span class="muted brand-terms">(matched by: acme)</span>' in page  # why it is there
    done = client.post(f"/mentions/{off[0]}/off-topic", data={"brand": "Acme", "csrf": csrf},
                       follow_redirects=False)  # fmt: skip
    assert done.status_code == 303 and done.headers["location"] == f"/mentions/{off[0]}"
    page = client.get(f"/mentions/{off[0]}").text
    assert (
        "Off-topic for Acme: said by analyst" in page
        and "The query had matched it by: acme" in page
    )
    assert "Put back on Acme" in page and "Not about Acme" not in page
    assert "off_topic" in page  # its history
    # two checked rows of the inbox
    client.post("/inbox/bulk", data={"ids": [str(off[1]), str(off[2])], "action": "off_topic",
                                     "off_topic_brand": "Acme", "csrf": csrf})  # fmt: skip
    assert _acme(engine) == before - 3
    with engine.connect() as conn:  # what every report reads of a brand
        assert not set(off) & {m for m, _ in brands_between(conn, 0, 10**9, ["Acme"])}
    assert not set(off) & set(row_ids(client.get("/inbox?brand=Acme&status=all&period=all").text))
    assert not set(off) & set(row_ids(client.get("/inbox?period=all").text))  # closed: no brand
    with engine.connect() as conn:
        closed = conn.execute(
            select(MentionTriage.mention_id).where(MentionTriage.status == "closed")
        ).scalars()
        assert set(off) <= set(closed)
    assert "bulk_off_topic" in client.get(f"/mentions/{off[2]}").text
    # collected again, their text edited: still off the brand; a new one is the brand's
    edited = _records(tuple(t + " (modifié)" for t in HOMONYMS))
    fresh = MentionRecord(
        source="forum-acme", source_kind="forum", external_id="new-1",
        text="Acme répond enfin à mon message", published_at=utcnow(),
        brands=[BrandMatch("Acme", query="acme", matched_terms=["acme"])],
    )  # fmt: skip
    MentionStore(engine).store([*edited, fresh])
    assert _acme(engine) == before - 3 + 1
    assert all(_linked(engine, m) == [] for m in off)
    # put back: linked again as it was, and the page says nothing of it any more
    client.post(f"/mentions/{off[0]}/on-topic", data={"brand": "Acme", "csrf": csrf})
    assert _linked(engine, off[0]) == ["Acme"] and _acme(engine) == before - 1
    page = client.get(f"/mentions/{off[0]}").text
    assert "Off-topic for Acme" not in page and "Not about Acme" in page and "on_topic" in page
    # the others, listed in the inbox (the workbench links there), put back at once
    listed = client.get("/inbox?off_topic=Acme&status=all&period=all").text
    assert sorted(row_ids(listed)) == off[1:] and 'id="off-topic-filter"' in listed
    assert 'value="on_topic"' in listed
    client.post("/inbox/bulk", data={"ids": [str(m) for m in off[1:]], "action": "on_topic",
                                     "off_topic_brand": "Acme", "csrf": csrf})  # fmt: skip
    assert all(_linked(engine, m) == ["Acme"] for m in off) and _acme(engine) == before + 1
    assert row_ids(client.get("/inbox?off_topic=Acme&status=all&period=all").text) == []
    assert "bulk_on_topic" in client.get(f"/mentions/{off[2]}").text


def test_what_cannot_be_taken_off_or_put_back_is_refused(
    engine: Engine, homonyms: tuple[TestClient, str, list[int], dict[str, Any]]
) -> None:
    client, csrf, off, ids = homonyms
    wrong = client.post(f"/mentions/{off[0]}/off-topic", data={"brand": "Globex", "csrf": csrf})
    assert wrong.status_code == 400 and "not linked to the brand Globex" in wrong.text
    back = client.post(f"/mentions/{off[0]}/on-topic", data={"brand": "Acme", "csrf": csrf})
    assert back.status_code == 400 and "was not taken off the brand Acme" in back.text
    assert _linked(engine, off[0]) == ["Acme"]
    # a viewer reads the workbench but takes nothing off
    add_user(engine, "reader", "viewer", hash_password(PASSWORD))
    reader = TestClient(client.app)
    token = login(reader, "reader")
    assert reader.get("/queries").status_code == 200
    refused = reader.post(f"/mentions/{off[0]}/off-topic", data={"brand": "Acme", "csrf": token})
    assert refused.status_code == 403 and _linked(engine, off[0]) == ["Acme"]
    assert "Not about Acme" not in reader.get(f"/mentions/{ids['negative']}").text


def test_the_workbench_finds_the_exclusion(
    engine: Engine, homonyms: tuple[TestClient, str, list[int], dict[str, Any]]
) -> None:
    client, csrf, off, _ = homonyms
    page = client.get("/queries?target=brand:Acme&days=30").text
    assert 'id="current-query">acme</code>' in page
    assert "Nobody has called a mention off-topic for Acme yet" in page
    client.post("/inbox/bulk", data={"ids": [str(m) for m in off], "action": "off_topic",
                                     "off_topic_brand": "Acme", "csrf": csrf})  # fmt: skip
    page = client.get("/queries?target=brand:Acme&days=30").text
    acme = _acme(engine)
    health = page.split('id="query-health"')[1].split("</table>")[0]
    rows = [re.sub(r"<[^>]+>|\u2068|\u2069", "", r) for r in health.split("<tr>")[2:]]
    share = f"{round(100 * 3 / (acme + 3))}%"
    assert rows == [f"Acme{acme}3{share}", "Globex1000%"]
    assert 'href="/inbox?off_topic=Acme&amp;status=all&amp;period=all">3</a>' in health
    assert (
        f"{acme} are about Acme today. This query would match {acme}: it would keep {acme}, drop 0 and add 0"
        in page
    )
    assert (
        "The team called 3 of the period's mentions off-topic for Acme: this query would leave 0 of them out"
        in page
    )
    suggested = page.split('id="suggestions"')[1].split("</ul>")[0]
    assert "<code>-<bdi>\u2068saison\u2069</bdi></code>" in suggested  # collected words isolated
    assert "in 3 off-topic mentions, 0 kept" in suggested
    assert 'href="/queries?target=brand%3AAcme&amp;days=30&amp;q=%28acme%29+-saison"' in suggested
    assert "-acme" not in suggested  # every kept mention holds it
    assert 'href="/inbox?off_topic=Acme&amp;status=all&amp;period=all"' in page
    still = page.split('id="still"')[1].split("</ul>")[0]
    assert all(f'href="/mentions/{m}"' in still for m in off) and "matched by: acme" in still
    # the suggestion's link tries the query with it
    better = client.get("/queries", params={"target": "brand:Acme", "days": "30",
                                            "q": "(acme) -saison"}).text  # fmt: skip
    assert "this query would leave 3 of them out" in better
    inbox = better.split('id="open-in-inbox" href="')[1].split('"')[0].replace("&amp;", "&")
    assert inbox == "/inbox?q=%28acme%29+-saison&period=30&status=all"
    assert sorted(row_ids(client.get(inbox).text)) == sorted(  # the inbox reads it the same
        m for m in range(1, 31) if m % 3
    )
    assert f"it would keep {acme}, drop 0 and add 0" in better
    assert 'id="yaml-line">query: (acme) -saison</pre>' in better
    chart = better.split('id="trial-chart"')[1].split("</svg>")[0]
    assert "<svg" in chart and "Mentions per day: Acme" in chart and "with this query" in chart
    # a review page about Acme (its source's `options.brand`) brings its posts whatever they
    # say: no query drops them
    review = MentionRecord(source="reviews", source_kind="reviews", external_id="rv-1",
                           text="Livré en deux jours, parfait", published_at=utcnow(),
                           brands=[BrandMatch("Acme")])  # fmt: skip
    # and a forum reply the query found by its thread's title, as the collector read it
    reply = MentionRecord(source="forum-acme", source_kind="forum", external_id="p-99",
                          text="Merci à tous pour vos réponses", thread_title="Le SAV d'Acme",
                          published_at=utcnow(),
                          brands=[BrandMatch("Acme", "acme", ["acme"])])  # fmt: skip
    MentionStore(engine).store([review, reply])
    same = client.get("/queries?target=brand:Acme&days=30").text
    assert f"{acme + 2} are about Acme today. This query would match {acme + 2}" in same
    assert "drop 0 and add 0" in same
    # a query that drops some of the brand's mentions lists them
    narrow = client.get("/queries", params={"target": "brand:Acme", "days": "30",
                                            "q": "acme colis"}).text  # fmt: skip
    assert "drop " in narrow and 'id="dropped"' in narrow
    # a wrong query says where
    wrong = client.get("/queries", params={"target": "brand:Acme", "q": "acme NEAR/ lente"})
    assert wrong.status_code == 400 and 'id="query-error"' in wrong.text
    assert "Query error at column" in wrong.text


def test_a_theme_is_tried_against_its_current_query(
    homonyms: tuple[TestClient, str, list[int], dict[str, Any]],
) -> None:
    client, _, _, ids = homonyms
    page = client.get("/queries", params={"target": "theme:Colis", "days": "30",
                                          "q": "livraison"}).text  # fmt: skip
    assert "1 are in the theme Colis today" in page  # « mon colis a disparu »
    dropped = page.split('id="dropped"')[1].split("</ul>")[0]
    assert f'href="/mentions/{ids["negative"]}"' in dropped
    added = page.split('id="added"')[1].split("</ul>")[0]
    assert "matched by: livraison" in added
    assert "off-topic" not in page.split('id="trial"')[1]  # a theme has none
    # an unknown target falls back to the first query
    assert 'id="current-query">acme</code>' in client.get("/queries?target=brand:Nope").text
    assert csrf_of(page)


def test_exclusions_are_added_to_the_query_as_a_group() -> None:
    assert with_exclusion("acme", "saison") == "(acme) -saison"
    assert with_exclusion("(acme OR @acme)", "ski") == "(acme OR @acme) -ski"
    assert with_exclusion("(acme) -ski", "neige") == "(acme) -ski -neige"
    assert with_exclusion("(a) OR (b)", "x") == "((a) OR (b)) -x"
    assert with_exclusion('("a)" b)', "x") == '("a)" b) -x'


def test_suggested_words_are_those_only_the_off_topic_share() -> None:
    def words(texts: list[str]) -> list[set[str]]:
        return [prepare(t).words.keys for t in texts]

    off = words(["la saison de Ski #Neige", "une saison de #neige", "#neige et ski", "2024 3h"])
    kept = words([f"acme livraison {i}" for i in range(200)] + ["acme ski"])
    found = suggest(off, kept)
    # as the query reads them (folded, hashtags kept); "ski" is in 1 of 201 kept (within 1 %);
    # "de", "la", "et" are stop words, "2024" a number, "3h" too short
    assert found == [
        Suggestion("#neige", 3, 0), Suggestion("saison", 2, 0), Suggestion("ski", 2, 1),
    ]  # fmt: skip
    assert suggest(off, [*kept[:50], prepare("acme ski").words.keys]) == found[:2]  # 1 of 51
    assert suggest([], kept) == [] and suggest(words(["une fois"]), kept) == []
    # each word's count is what excluding it does
    for s in found:
        query = compile_query(with_exclusion("acme OR saison OR ski OR neige", s.word))
        texts = ["la saison de Ski #Neige", "une saison de #neige", "#neige et ski"]
        assert sum(not query.matches(t) for t in texts) == s.off_topic


def test_the_command_line_tries_a_query_on_the_stored_mentions(
    engine: Engine,
    homonyms: tuple[TestClient, str, list[int], dict[str, Any]],
    tmp_path: Path,
) -> None:
    client, csrf, off, _ = homonyms
    client.post("/inbox/bulk", data={"ids": [str(m) for m in off], "action": "off_topic",
                                     "off_topic_brand": "Acme", "csrf": csrf})  # fmt: skip
    config = tmp_path / "veille.yaml"
    url = engine.url.render_as_string(hide_password=False)
    brands = [{"name": "Acme", "query": "acme"}, {"name": "Globex", "query": ["globex"]}]
    themes = [{"name": "Colis", "query": "colis OR disparu"}]
    config.write_text(yaml.safe_dump({"database": {"url": url}, "brands": brands,
                                      "themes": themes}), encoding="utf-8")  # fmt: skip
    code, out = veille(config, "stats", "--json")
    assert json.loads(out)["off_topic"] == {"Acme": 3}
    code, out = veille(config, "stats")
    assert re.search(r"Acme\s*│\s*[\d,]+\s*│\s*3\s*│", out), out  # the per-brand table
    code, out = veille(config, "match", "acme", "--brand", "Acme")
    acme = _acme(engine)
    assert code == 0, out
    assert f"{acme} are about Acme now; this query matches {acme}" in out
    assert "Off-topic for Acme: 3; the query leaves out 0." in out
    assert "exclude 'saison' (3 off-topic, 0 kept): (acme) -saison" in out
    code, out = veille(config, "match", "(acme) -saison", "--brand", "Acme", "--json")
    found = json.loads(out)
    assert code == 0 and found["caught"] == 3 and found["dropped"] == 0
    per_day = found["per_day"].values()  # the team's days: every mention read is in one
    assert sum(n for n, _ in per_day) == found["now"] and sum(m for _, m in per_day) == acme
    assert found["suggestions"] == []
    code, out = veille(config, "match", "livraison", "--theme", "Colis", "--days", "7")
    assert code == 0 and "1 are in the theme Colis now" in out and "dropped: #10" in out
    code, _ = veille(config, "match", "x", "--brand", "Nope")
    assert code == 2


def test_the_report_counts_without_them_and_says_how_many(
    engine: Engine, homonyms: tuple[TestClient, str, list[int], dict[str, Any]]
) -> None:
    from reports.build import build_report
    from reports.html import render_html
    from reports.i18n import Translator
    from reports.jsonreport import report_dict
    from reports.periods import parse_period

    client, csrf, off, _ = homonyms
    now = utcnow() + timedelta(days=1)  # the seven days before today, today's posts in them
    period = parse_period("last-7-days", now)
    t = Translator("en", "Europe/Paris")
    before = build_report(engine, settings(), "Acme", period, now)
    assert report_dict(before, t)["off_topic"] == 0
    assert 'id="off-topic"' not in render_html(before, t)
    client.post("/inbox/bulk", data={"ids": [str(m) for m in off], "action": "off_topic",
                                     "off_topic_brand": "Acme", "csrf": csrf})  # fmt: skip
    after = build_report(engine, settings(), "Acme", period, now)
    figures = report_dict(after, t)
    assert figures["off_topic"] == 3
    assert after.headline["volume"].current == before.headline["volume"].current - 3
    html = render_html(after, t)
    assert "the team judged off-topic (a homonym) and that are not counted: 3 mentions" in html


def test_a_storm_of_copies_is_taken_off_at_once(
    engine: Engine, homonyms: tuple[TestClient, str, list[int], dict[str, Any]]
) -> None:
    from nlp.authors.compute import recompute

    client, csrf, _, ids = homonyms
    now = utcnow()
    copy = "Concours : gagnez l'acme du frisson, le saut à l'élastique le plus haut d'Europe"
    MentionStore(engine).store([
        MentionRecord(source="forum-acme", source_kind="forum", external_id=f"storm-{i}",
                      text=f"{copy} {tail}", published_at=now - timedelta(minutes=30 - i),
                      author=AuthorRecord(handle=f"jeu{i}"),
                      brands=[BrandMatch("Acme", query="acme", matched_terms=["acme"])])
        for i, tail in enumerate(("!", "!!", "#jeu", "#concours"))
    ])  # fmt: skip
    recompute(engine, now=now + timedelta(minutes=1))  # the nightly stage finds the group
    with engine.connect() as conn:
        storm = [int(i) for i in conn.execute(
            select(Mention.id).where(Mention.external_id.like("storm-%")).order_by(Mention.id)
        ).scalars()]  # fmt: skip
    page = client.get(f"/mentions/{storm[0]}").text
    assert "Not about Acme, nor its 3 posts alike" in page
    assert (
        "posts alike"
        not in client.get(f"/mentions/{ids['negative']}").text.split('id="brands"')[1][:400]
    )
    client.post(f"/mentions/{storm[0]}/off-topic", data={"brand": "Acme", "alike": "1",
                                                         "csrf": csrf})  # fmt: skip
    assert all(_linked(engine, m) == [] for m in storm)
    assert _linked(engine, ids["negative"]) == ["Acme"]
    assert "bulk_off_topic" in client.get(f"/mentions/{storm[3]}").text
