"""Each kind of alert on generated mentions: one where it must fire, one where it must not; kinds
are routed by `alerts.routes[].kinds` and set per brand."""

from __future__ import annotations

import email
import email.policy
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from config.settings import Settings
from reports.alerts.check import CheckResult, check, detect
from storage.labels import LabelRecord, save_labels
from storage.mentions import ids_by_external_id
from storage.models import Alert, Delivery
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
WORDS = [
    "commande", "livraison", "colis", "magasin", "appli", "prix", "service", "client",
    "conseil", "retour", "stock", "vendeur", "promo", "taille", "couleur", "carte",
    "fidélité", "rayon", "caisse", "horaires", "parking", "site", "panier", "catalogue",
]  # fmt: skip


@dataclass
class Post:
    minutes_ago: float
    text: str
    sentiment: str = "neutral"
    author: str | None = None
    followers: int | None = None


def _calm(days: float, per_hour: float, negative_share: float, seed: int) -> list[Post]:
    """Ordinary talk before the last two hours: short varied posts from many accounts."""
    rng = random.Random(seed)
    out = []
    minutes = 120.0
    while minutes < days * 1440:
        minutes += rng.expovariate(per_hour / 60)
        text = "Lumino " + " ".join(rng.sample(WORDS, 3))
        neg = rng.random() < negative_share
        out.append(Post(minutes, text, "negative" if neg else "neutral", f"u{rng.randrange(500)}"))
    return out


def _store(engine: Engine, posts: list[Post], prefix: str = "p") -> None:
    records = []
    sentiments = {}
    for i, p in enumerate(posts):
        eid = f"{prefix}{i}"
        sentiments[eid] = p.sentiment
        author = p.author or f"a{i}"
        records.append(
            MentionRecord(
                source="tw", source_kind="twitter_export", external_id=eid, text=p.text,
                url=f"https://x.example/{author}/status/{eid}",
                published_at=AT - timedelta(minutes=p.minutes_ago),
                author=AuthorRecord(handle=author, followers=p.followers),
                author_followers=p.followers, brands=[BrandMatch("Lumino")],
            )
        )  # fmt: skip
    MentionStore(engine).store(records)
    with engine.begin() as conn:
        ids = ids_by_external_id(conn, "tw")
        save_labels(
            conn,
            [LabelRecord(ids[e], "sentiment", s, model="t") for e, s in sentiments.items()],
        )


def _settings(tmp_path: Path, **alerts: Any) -> Settings:
    return Settings(
        brands=[{"name": "Lumino", "query": "lumino"}],
        alerts={"recipients": {"Lumino": ["crisis@lumino.example"]},
                "outbox_dir": str(tmp_path / "outbox"), **alerts},
    )  # fmt: skip


def _fired(result: CheckResult) -> dict[str, str]:
    return {o.kind: o.action for o in result.outcomes if o.action != "quiet"}


def _why(result: CheckResult, kind: str) -> dict[str, Any]:
    return next(e for e in result.evaluations if e.kind == kind).why


@pytest.fixture
def history(engine: Engine) -> Engine:
    _store(engine, _calm(4, 3.0, 0.07, seed=1), prefix="calm")  # about 1 in 10
    return engine


def test_negative_share_jump_at_low_volume(history: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    quiet = [Post(m, f"Lumino {w} encore", "negative" if m == 10 else "neutral", f"q{m}")
             for m, w in ((10, "colis"), (20, "prix"), (30, "taille"), (40, "stock"))]  # fmt: skip
    _store(history, quiet, prefix="quiet")
    assert _fired(detect(history, settings, AT)) == {}  # 1 of 4 negative: as usual
    # the next hour: 3 of 4 negative, when it is usually about 1 of 10
    angry = [Post(-m, f"Lumino {w} inadmissible", "negative" if w else "neutral", f"n{m}")
             for m, w in ((12, "colis"), (25, "remboursement"), (35, "SAV"), (45, ""))]  # fmt: skip
    _store(history, angry, prefix="angry")
    result = detect(history, settings, AT + timedelta(hours=1))
    assert _fired(result) == {"negative_share": "opened"}
    why = _why(result, "negative_share")
    assert why["share"] == 0.75 and why["usual_share"] < 0.15 and why["chance"] < 0.01


def test_a_high_reach_negative_post(history: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    _store(history, [
        Post(15, "Lumino, service client odieux, plus jamais", "negative", "small", 5_000),
        Post(18, "Lumino, super accueil en magasin", "positive", "celebrity", 2_000_000),
    ], prefix="low")  # fmt: skip
    assert _fired(detect(history, settings, AT)) == {}
    _store(history, [Post(10, "Lumino m'a volé, fuyez", "negative", "anchor", 250_000)], "big")
    result = detect(history, settings, AT)
    assert _fired(result) == {"influential_post": "opened"}
    ev = next(e for e in result.evaluations if e.kind == "influential_post")
    assert ev.influencers[0]["author"] == "anchor" and ev.influencers[0]["followers"] == 250_000


def test_a_post_by_an_author_the_team_watches(history: Engine, tmp_path: Path) -> None:
    from storage.author_tags import add_tag
    from storage.models import Author

    _store(history, [Post(40, "Lumino ouvre un magasin à Lyon", "neutral", "presse_lyon", 12_000),
                     Post(15, "Lumino : mon enquête sur les retards", "negative", "jdupont", 48_000),
                     Post(12, "Lumino, bof", "neutral", "other", 100)], "press")  # fmt: skip
    with history.begin() as conn:
        ids = dict(conn.execute(select(Author.handle, Author.id)).all())
        add_tag(conn, ids["jdupont"], "journaliste", "ana", AT)
        add_tag(conn, ids["presse_lyon"], "journaliste", "ana", AT)
        add_tag(conn, ids["other"], "client", "ana", AT)
    assert _fired(detect(history, _settings(tmp_path), AT)) == {}  # no tag watched
    # only their negative posts, if so set: the client's neutral post does not alert
    quiet = {"watched_author": {"tags": ["client"], "negative_only": True}}
    assert _fired(detect(history, _settings(tmp_path, kinds=quiet), AT)) == {}
    watch = {"watched_author": {"tags": ["journaliste", "VIP"]}}
    result = check(history, _settings(tmp_path, kinds=watch), AT)
    assert _fired(result) == {"watched_author": "opened"}
    ev = next(e for e in result.evaluations if e.kind == "watched_author")
    assert [(f["author"], f["tag"]) for f in ev.influencers] == [
        ("jdupont", "journaliste"), ("presse_lyon", "journaliste")]  # fmt: skip
    assert ev.severity == "medium"  # one of them negative
    [mail] = [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
              for p in (tmp_path / "outbox").glob("*.eml")]  # fmt: skip
    assert str(mail["Subject"]) == (
        "[Veille] Lumino : jdupont (journaliste, 48 000 abonnés) a publié sur X (Twitter)"
    )
    body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    body = body.replace("\u2068", "").replace("\u2069", "")  # the bidi isolation of names
    assert (
        "jdupont, étiqueté « journaliste » par l'équipe, 48\u202f000 abonnés, message négatif"
        in body
    )
    assert "presse_lyon, étiqueté « journaliste »" in body and "Auteur suivi" in body


def test_the_brands_own_accounts_never_make_an_alert(history: Engine, tmp_path: Path) -> None:
    """A care team answering 40 people in an hour (answers the model reads as negative, from an
    account with a large audience) raises nothing: alerts count what others say."""
    answers = [Post(m, f"Lumino désolés pour ce souci de {w}, on regarde en privé", "negative",
                    "Lumino_Aide", 80_000)
               for m, w in zip(range(2, 60, 1), WORDS * 3, strict=False)][:40]  # fmt: skip
    _store(history, answers, prefix="care")
    settings = _settings(tmp_path)
    own = settings.model_copy(deep=True)
    own.brands[0].own_accounts = ["@lumino_aide"]
    result = detect(history, own, AT)
    assert _fired(result) == {}
    last_hour = next(e for e in result.evaluations if e.kind == "bad_buzz")
    assert last_hour.negative_last_hour < 5  # the calm history's, not the answers
    # The same posts from an account that is not the brand's: an alert.
    assert _fired(detect(history, settings, AT)) == {"negative_share": "opened"}


CAMPAIGN = "J'adore Lumino, la nouvelle carte fidélité est vraiment géniale, foncez tous en magasin"


def test_a_coordinated_campaign_of_praise(history: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    rng = random.Random(3)
    varied = [
        Post(5 + 8 * k, "Lumino " + " ".join(rng.sample(WORDS, 8)), "positive", f"fan{k}")
        for k in range(8)
    ]
    _store(history, varied, prefix="varied")
    assert _fired(detect(history, settings, AT)) == {}  # many accounts, different words
    copies = [Post(3 + 6 * k, CAMPAIGN + ("" if k % 2 else " !"), "positive", f"bot{k}")
              for k in range(8)]  # fmt: skip
    _store(history, copies, prefix="bot")
    result = detect(history, settings, AT)
    assert _fired(result)["campaign"] == "opened"
    why = _why(result, "campaign")
    assert why["polarity"] == "praise" and why["accounts"] == 8 and why["posts"] == 8
    alert = next(e for e in result.evaluations if e.kind == "campaign")
    assert alert.severity == "low"  # praise: worth knowing, not an emergency


def test_a_rising_hashtag_but_not_a_usual_one(history: Engine, tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    rng = random.Random(5)
    # #soldes is as frequent in the last two hours as in the days before: nothing new
    usual = [Post(m, f"Lumino {rng.choice(WORDS)} #soldes", "neutral", f"s{rng.randrange(99)}")
             for m in range(10, 4 * 1440, 12)]  # fmt: skip
    _store(history, usual, prefix="usual")
    assert "rising_term" not in _fired(detect(history, settings, AT))
    new = [Post(4 + 9 * k, f"Lumino {rng.choice(WORDS)} #LuminoGate", "negative", f"g{k % 6}")
           for k in range(10)]  # fmt: skip
    _store(history, new, prefix="gate")
    result = detect(history, settings, AT)
    assert _fired(result).get("rising_term") == "opened"
    why = _why(result, "rising_term")
    assert why["term"] == "#LuminoGate" and why["authors"] == 6 and why["before"] == 0


def test_a_theme_above_its_usual_share(history: Engine, tmp_path: Path) -> None:
    """A theme of the team's own fires when it takes far more of the brand's mentions than
    usual; one at its usual share does not, nor one shown for another brand only."""
    themes = [
        {"name": "Boutique Rivéo", "query": "rembours* OR livraison", "brands": ["Rivéo"]},
        {"name": "Livraison", "query": "livraison OR colis"},
        {"name": "Remboursements", "query": "rembours*"},
    ]
    kinds = {"negative_share": {"enabled": False}, "rising_term": {"enabled": False}}
    settings = Settings(
        brands=[{"name": "Lumino", "query": "lumino"}, {"name": "Rivéo", "query": "riveo"}],
        themes=themes,
        alerts={"recipients": {"Lumino": ["crisis@lumino.example"]}, "kinds": kinds,
                "outbox_dir": str(tmp_path / "outbox")},
    )  # fmt: skip
    rng = random.Random(7)
    others = [w for w in WORDS if w not in ("livraison", "colis")]
    usual = [  # a quarter about delivery, as in the days before
        Post(3 + 3.9 * k, "Lumino, au fait : " + ("livraison " if k % 4 == 0 else "")
             + " ".join(rng.sample(others, 3)), "neutral", f"w{k}")
        for k in range(30)
    ]  # fmt: skip
    _store(history, usual, prefix="usual")
    quiet = detect(history, settings, AT)
    assert "rising_theme" not in _fired(quiet)
    assert _why(quiet, "rising_theme") == {}
    refunds = [Post(2 + 11 * k, f"Lumino rembourse-moi, {' '.join(rng.sample(others, 4))}",
                    "negative", f"r{k % 5}") for k in range(10)]  # fmt: skip
    _store(history, refunds, prefix="refund")
    result = check(history, settings, AT)
    assert _fired(result) == {"rising_theme": "opened"}
    why = _why(result, "rising_theme")
    assert why["theme"] == "Remboursements" and why["before"] == 0 and why["authors"] == 5
    assert why["negative"] == 10 and why["total"] == 40 and why["share"] == 0.25
    assert why["usual_share"] == 0.0 and why["before_total"] > 250  # the calm days'
    ev = next(e for e in result.evaluations if e.kind == "rising_theme")
    assert ev.negative_last_hour == 10 and ev.severity == "medium"  # mostly negative, ×10
    [path] = sorted((tmp_path / "outbox").glob("*.eml"))
    msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
    assert msg["Content-Language"] == "fr"  # on the whole message (the body once dropped it)
    assert msg["Subject"] == (
        "[Veille] Lumino : thème « Remboursements » en forte hausse, 10 mentions en 2 h contre "
        "moins de 1 à sa part habituelle"
    )
    text = " ".join(msg.get_body(("plain",)).get_content().split())  # type: ignore[union-attr]
    assert "le thème « \u2068Remboursements\u2069 » fait 25 % des 40 mentions de la marque" in text
    assert "rembourse-moi" in text and "au fait" not in text  # the theme's posts only


def test_kinds_are_routed_and_set_per_brand(history: Engine, tmp_path: Path) -> None:
    targets = {
        "comms": {"channel": "email", "to": ["comms@lumino.example"]},
        "press": {"channel": "email", "to": ["press@lumino.example"]},
    }
    routes = [{"kinds": ["campaign"], "targets": ["comms"]},
              {"kinds": ["influential_post"], "targets": ["press"]}]  # fmt: skip
    _store(history, [Post(3 + 6 * k, CAMPAIGN, "positive", f"bot{k}") for k in range(8)], "bot")
    kinds = {"rising_term": {"enabled": False}}  # its word pairs rise too: one kind at a time
    off = _settings(tmp_path, targets=targets, routes=routes, kinds=kinds,
                    brands={"Lumino": {"campaign": {"enabled": False}}})  # fmt: skip
    assert _fired(detect(history, off, AT)) == {}
    settings = _settings(tmp_path, targets=targets, routes=routes, kinds=kinds)
    result = check(history, settings, AT)
    assert _fired(result) == {"campaign": "opened"}
    with history.connect() as conn:
        kinds = conn.execute(select(Alert.kind)).scalars().all()
        told = conn.execute(select(Delivery.target).order_by(Delivery.id)).scalars().all()
    assert kinds == ["campaign"]
    assert told == ["recipients", "comms"]  # not the press list
    # the episode ends when no copies are left in its window: its own end note
    later = check(history, settings, AT + timedelta(hours=3))
    assert _fired(later) == {"campaign": "closed"}
    mails = {}
    for path in sorted((tmp_path / "outbox").glob("*.eml")):
        msg = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        mails.setdefault(str(msg["Subject"]), msg)
    assert set(mails) == {
        "[Veille] Lumino : campagne coordonnée probable (éloges), 8 messages quasi identiques de "
        "8 comptes en 2 h",
        "[Veille] Fin de l'alerte « Campagne coordonnée » : Lumino",
    }
    end = mails["[Veille] Fin de l'alerte « Campagne coordonnée » : Lumino"]
    text = end.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "L'alerte « Campagne coordonnée » ouverte le 9 mars 2026 à 16" in text
    assert "bad buzz" not in text.lower()


def test_the_report_banner_says_which_kind_fired_and_why(engine: Engine, tmp_path: Path) -> None:
    import reports_fixture as F

    from reports.build import build_report
    from reports.html import render_html
    from reports.i18n import Translator
    from reports.jsonreport import report_dict
    from reports.periods import parse_period

    F.load(engine)
    why = {"posts": 9, "accounts": 7, "polarity": "denigration", "example": "<b>Lumino</b> nul"}
    opening = {"kind": "campaign", "window_minutes": 120, "why": why, "negative_last_hour": 9}
    with engine.begin() as conn:
        conn.execute(
            Alert.__table__.insert().values(
                brand="Lumino", kind="campaign", severity="medium", status="open",
                opened_at=datetime(2026, 3, 8, 5, 40, tzinfo=UTC), negative_count=9,
                expected_count=0.0, details={"opening": opening},
            )
        )  # fmt: skip
    c = build_report(engine, F.settings(tmp_path), "Lumino", parse_period(F.PERIOD), F.NOW)
    page = " ".join(render_html(c, Translator("fr")).replace("\u00a0", " ").split())
    page1 = page.split('id="summary"')[1].split("</section>")[0]
    assert (
        "Alerte « Campagne coordonnée » (moyenne) en cours depuis le 8 mars 2026 à 6 h 40 :"
        in page1
    )
    assert (
        "campagne coordonnée probable (dénigrement), 9 messages quasi identiques de 7 comptes"
        in (page1)
    )
    en = report_dict(c, Translator("en"))
    assert [a["kind"] for a in en["alerts"]][-1] == "campaign"
