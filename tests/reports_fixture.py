"""A small, fully known database for report tests: every figure can be recomputed by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, insert, select, text

from config.settings import Settings
from storage.labels import LabelRecord, save_labels
from storage.models import Alert, Mention, Run, Source
from storage.records import AuthorRecord, BrandMatch, MentionRecord
from storage.upsert import MentionStore

PERIOD = "2026-03-01..2026-03-07"
NOW = datetime(2026, 3, 8, 6, 0, tzinfo=UTC)
HOSTILE_TEXT = (
    "SAV injoignable <script>document.title='PWNED';document.body.setAttribute('data-pwned',"
    "'1')</script><img src=x onerror=\"document.title='PWNED-IMG'\"><style>body{display:none}"
    '</style> <a href="javascript:alert(1)">clic</a> colis perdu'
)
# A stray PDI (would close an isolate around the name) and a right-to-left override.
HOSTILE_AUTHOR = "<b onmouseover=alert(1)>Mallory</b>\u2069\u202e"


@dataclass
class Spec:
    brand: str
    source: str
    ext: str
    day: datetime
    sentiment: str | None
    topic: str | None
    author: str | None = None
    followers: int | None = None
    likes: int | None = None
    shares: int | None = None
    comments: int | None = None
    views: int | None = None
    text: str = "Lumino commande reçue"
    url: str | None = None
    author_name: str | None = None
    title: str | None = None
    extra_brands: list[str] = field(default_factory=list)

    @property
    def engagement(self) -> int:
        return (self.likes or 0) + (self.shares or 0) + (self.comments or 0)


def _at(day: int, hour: int = 10, month: int = 3) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


def specs() -> list[Spec]:
    out: list[Spec] = []
    cycle = ["positive", "neutral", "positive", "negative"]
    topics = ["prescription", "communication", "information", "communaute"]
    for day in range(1, 8):
        for k in range(4):
            twitter = k % 2 == 1
            out.append(
                Spec(
                    "Lumino",
                    "twitter-inbox" if twitter else "forum-conso",
                    f"c{day}-{k}",
                    _at(day, 8 + k),
                    cycle[k],
                    topics[k],
                    author=f"user{(day * 4 + k) % 9}",
                    followers=250 if twitter else None,
                    likes=k,
                    shares=1 if k == 2 else None,
                    views=100 if twitter else None,
                    text=f"Lumino livraison rapide {day} {k} lampe",
                    url=f"https://forum.example.org/t/{day}-{k}",
                )
            )
    for i in range(12):  # the bad buzz of 3 March
        out.append(
            Spec(
                "Lumino",
                "twitter-inbox",
                f"buzz{i}",
                _at(3, 9 + i % 10),
                "negative",
                "service_client",
                author=f"angry{i}",
                followers=100 * (i + 1),
                likes=2,
                views=40,
                text=f"Lumino remboursement refusé scandale {i} #LuminoPanne @lumino_aide "
                "toujours aucune réponse du service",
                url=f"https://x.example.com/s/{i}",
            )
        )
    out.append(
        Spec(
            "Lumino",
            "twitter-inbox",
            "evil",
            _at(6, 15),
            "negative",
            "service_client",
            author="mallory",
            followers=50,
            likes=500,
            shares=40,
            comments=9,
            views=9000,
            text=HOSTILE_TEXT,
            url="javascript:alert(document.cookie)",
            author_name=HOSTILE_AUTHOR,
            title="<script>document.title='PWNED-TITLE'</script>\u2067",
        )
    )
    out.append(Spec("Lumino", "forum-conso", "nolabel1", _at(5), None, None, author="user1"))
    out.append(Spec("Lumino", "forum-conso", "nolabel2", _at(5, 11), None, None))
    for day in range(22, 29):  # previous period: 2026-02-22..28
        out.append(
            Spec(
                "Lumino",
                "forum-conso",
                f"p{day}a",
                _at(day, 10, 2),
                "positive",
                "prescription",
                author=f"old{day % 3}",
                likes=1,
                text="Lumino lampe jolie",
            )
        )
        out.append(
            Spec(
                "Lumino",
                "forum-conso",
                f"p{day}b",
                _at(day, 12, 2),
                "negative",
                "service_client",
                author="user1",
                text="Lumino lampe cassée",
            )
        )
    out.append(  # X was collected in the previous period too: the comparison holds
        Spec(
            "Lumino",
            "twitter-inbox",
            "p-tw",
            _at(22, 11, 2),
            "neutral",
            "information",
            author="old0",
            followers=80,
            views=20,
            text="Lumino ouvert dimanche ?",
        )
    )
    for i in range(10):
        out.append(
            Spec(
                "Rivéo",
                "forum-conso",
                f"r{i}",
                _at(1 + i % 7, 14),
                "positive",
                "prescription",
                author=f"rfan{i}",
                text="Rivéo top",
            )
        )
    for i in range(5):
        out.append(
            Spec(
                "Rivéo",
                "forum-conso",
                f"rp{i}",
                _at(22 + i, 14, 2),
                "negative",
                "service_client",
                author=f"rfan{i}",
                text="Rivéo bof",
            )
        )
    out.append(
        Spec(
            "Lumino",
            "avis-lumino",
            "old-review",
            _at(22, 9, 2),
            "positive",
            "prescription",
            author="reviewer",
            text="Lumino avis",
        )
    )
    return out


def settings(tmp: Path, competitors: bool = True) -> Settings:
    return Settings.model_validate(config(tmp, competitors))


def config(tmp: Path, competitors: bool = True, db: Path | None = None) -> dict[str, Any]:
    return {
        "database": {"url": f"sqlite:///{db or tmp / 'unused.db'}"},
        "brands": [
            {
                "name": "Lumino",
                "query": ["lumino"],
                "competitors": ["Rivéo"] if competitors else [],
            },
            {"name": "Rivéo", "query": ["riveo"], "reports": False},
            {"name": "Nobody", "query": ["nobody"], "reports": False},
        ],
        "reports": {
            "output_dir": str(tmp / "reports"),
            "languages": ["fr", "en"],
            "periods": ["last-7-days"],
            "formats": ["html", "pdf"],
        },
    }


def load(engine: Engine, items: list[Spec] | None = None) -> dict[str, int]:
    """Store the specs (mentions, labels, an alert, runs); returns external id -> mention id."""
    items = specs() if items is None else items
    records = []
    for s in items:
        author = (
            AuthorRecord(handle=s.author, name=s.author_name, followers=s.followers)
            if s.author
            else None
        )
        records.append(
            MentionRecord(
                source=s.source,
                source_kind="twitter_export" if "twitter" in s.source else "forum",
                external_id=s.ext,
                text=s.text,
                url=s.url,
                title=s.title,
                lang="fr",
                published_at=s.day,
                likes=s.likes,
                shares=s.shares,
                comments=s.comments,
                views=s.views,
                author=author,
                author_followers=s.followers,
                brands=[BrandMatch(b) for b in [s.brand, *s.extra_brands]],
            )
        )
    MentionStore(engine).store(records)
    with engine.begin() as conn:
        ids = {e: i for e, i in conn.execute(select(Mention.external_id, Mention.id))}
        labels = []
        for s in items:
            if s.sentiment:
                labels.append(
                    LabelRecord(
                        ids[s.ext],
                        "sentiment",
                        s.sentiment,
                        model="veille.sentiment",
                        version="2",
                        review=s.sentiment == "neutral",  # the model unsure of its neutrals
                    )
                )
            if s.topic:
                labels.append(
                    LabelRecord(ids[s.ext], "topic", s.topic, model="veille.topic", version="1")
                )
        save_labels(conn, labels)
        conn.execute(
            insert(Alert).values(
                brand="Lumino",
                severity="high",
                status="closed",
                opened_at=_at(3, 11),
                negative_count=12,
                expected_count=1.5,
            )
        )
        for source, status, err in (
            ("forum-conso", "ok", None),
            ("twitter-inbox", "ok", None),
            ("blog-news", "failed", "TimeoutError: feed took 30 s"),
        ):
            conn.execute(
                insert(Run).values(
                    job="crawl",
                    stage="crawl",
                    source=source,
                    status=status,
                    error=err,
                    started_at=_at(7, 2),
                    ended_at=_at(7, 3),
                )
            )
        conn.execute(insert(Source).values(name="empty-source", kind="rss"))
    return ids


def add_contributor_tables(engine: Engine, ids: dict[str, int], flagged: list[str]) -> None:
    """What the authors stage would store: a profile per author, flags on some mentions."""
    from storage.models import AuthorProfile, MentionFlag

    when = _at(7, 0)
    with engine.begin() as conn:
        authors = conn.execute(text("SELECT id, handle FROM authors")).all()
        for author_id, handle in authors:
            conn.execute(
                insert(AuthorProfile).values(
                    author_id=author_id,
                    profile="fan" if handle.startswith("user") else "chasseur_info",
                    profile_score=0.9,
                    reasons=[],
                    influence=90.0 if handle == "angry3" else 10.0,
                    influence_parts={},
                    tier="regular" if handle == "user1" else "one_off",
                    flags=[],
                    suspicious=handle == "angry0",
                    posts=1,
                    window_start=when,
                    window_end=when,
                    version="test",
                )
            )
        for ext in flagged:
            conn.execute(
                insert(MentionFlag).values(
                    mention_id=ids[ext],
                    kind="near_duplicate",
                    reason="same text posted by several accounts",
                    group_key="g1",
                    flagged_at=when,
                )
            )


def current(items: list[Spec], brand: str = "Lumino") -> list[Spec]:
    return [s for s in items if s.brand == brand and s.day >= _at(1, 0) - _offset()]


def previous(items: list[Spec], brand: str = "Lumino") -> list[Spec]:
    return [s for s in items if s.brand == brand and s.day < _at(1, 0) - _offset()]


def _offset() -> Any:
    from datetime import timedelta

    return timedelta(hours=1)  # Paris is UTC+1 in March before the 29th
