"""Read-side repository functions: counts for `veille stats`, rows for `veille export`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from storage.dismissals import counts as dismissal_counts
from storage.models import (
    Author,
    Label,
    Mention,
    MentionBrand,
    MentionFlag,
    Run,
    Source,
)


def stats(engine: Engine) -> dict[str, Any]:
    with engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(Mention)).scalar_one()
        authors = conn.execute(select(func.count()).select_from(Author)).scalar_one()
        per_source = [
            {"source": name, "kind": kind, "mentions": n}
            for name, kind, n in conn.execute(
                select(Source.name, Source.kind, func.count(Mention.id))
                .join(Mention, Mention.source_id == Source.id, isouter=True)
                .group_by(Source.id, Source.name, Source.kind)
                .order_by(func.count(Mention.id).desc(), Source.name)
            )
        ]
        per_brand = {
            b: n
            for b, n in conn.execute(
                select(MentionBrand.brand, func.count())
                .group_by(MentionBrand.brand)
                .order_by(func.count().desc(), MentionBrand.brand)
            )
        }
        off_topic = dismissal_counts(conn)
        per_lang = {
            (lang or "unknown"): n
            for lang, n in conn.execute(
                select(Mention.lang, func.count())
                .group_by(Mention.lang)
                .order_by(func.count().desc())
            )
        }
        labels: dict[str, dict[str, int]] = {}
        for task, value, n in conn.execute(
            select(Label.task, Label.value, func.count())
            .group_by(Label.task, Label.value)
            .order_by(Label.task, func.count().desc())
        ):
            labels.setdefault(task, {})[value] = n
        human = conn.execute(
            select(func.count()).select_from(Label).where(Label.by_human.is_(True))
        ).scalar_one()
        last_run = conn.execute(
            select(Run.job, Run.status, Run.started_at).order_by(Run.id.desc()).limit(1)
        ).first()
    return {
        "mentions": total,
        "authors": authors,
        "sources": per_source,
        "brands": per_brand,
        "off_topic": off_topic,  # per brand: the mentions the team took off it
        "languages": per_lang,
        "labels": labels,
        "human_labels": human,
        "last_run": (
            {"job": last_run.job, "status": last_run.status,
             "started_at": last_run.started_at.isoformat()}
            if last_run else None
        ),
    }  # fmt: skip


def count_mentions(engine: Engine, brand: str | None = None, since: datetime | None = None) -> int:
    q = select(func.count()).select_from(Mention)
    if brand is not None:
        q = q.where(
            Mention.id.in_(select(MentionBrand.mention_id).where(MentionBrand.brand == brand))
        )
    if since is not None:
        q = q.where(Mention.published_at >= since)
    with engine.connect() as conn:
        return int(conn.execute(q).scalar_one())


def iter_mentions(
    engine: Engine,
    brand: str | None = None,
    since: datetime | None = None,
    page_size: int = 5000,
) -> Iterator[dict[str, Any]]:
    """Mentions with source, author, brands, labels and suspicion flags (`flags`: kind and
    reason of each), in id order, streamed page by page."""
    last_id = 0
    while True:
        q = (
            select(
                Mention.id, Source.name.label("source"), Source.kind.label("source_kind"),
                Mention.external_id, Mention.url, Author.handle.label("author"),
                Author.name.label("author_name"), Mention.published_at, Mention.collected_at,
                Mention.title, Mention.thread_id, Mention.thread_title, Mention.thread_url,
                Mention.parent_id, Mention.text,
                Mention.lang, Mention.likes, Mention.shares, Mention.comments, Mention.views,
                Mention.rating, Mention.author_followers,
                Author.followers.label("author_account_followers"),
            )
            .join(Source, Source.id == Mention.source_id)
            .join(Author, Author.id == Mention.author_id, isouter=True)
            .where(Mention.id > last_id)
            .order_by(Mention.id)
            .limit(page_size)
        )  # fmt: skip
        if brand is not None:
            q = q.where(
                Mention.id.in_(select(MentionBrand.mention_id).where(MentionBrand.brand == brand))
            )
        if since is not None:
            q = q.where(Mention.published_at >= since)
        with engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(q)]
            if not rows:
                return
            ids = [r["id"] for r in rows]
            brands: dict[int, list[str]] = {}
            for mid, b in conn.execute(
                select(MentionBrand.mention_id, MentionBrand.brand)
                .where(MentionBrand.mention_id.in_(ids))
                .order_by(MentionBrand.mention_id, MentionBrand.brand)
            ):
                brands.setdefault(mid, []).append(b)
            labels: dict[int, dict[str, dict[str, Any]]] = {}
            for lab in conn.execute(
                select(Label.mention_id, Label.task, Label.value, Label.score, Label.by_human,
                       Label.model, Label.version, Label.review)
                .where(Label.mention_id.in_(ids))
            ):  # fmt: skip
                labels.setdefault(lab.mention_id, {})[lab.task] = {
                    "value": lab.value,
                    "score": lab.score,
                    "by_human": lab.by_human,
                    "model": f"{lab.model}@{lab.version}",
                    "review": bool(lab.review),
                }
            flags: dict[int, list[dict[str, str]]] = {}
            for mid, kind, reason in conn.execute(
                select(MentionFlag.mention_id, MentionFlag.kind, MentionFlag.reason)
                .where(MentionFlag.mention_id.in_(ids))
                .order_by(MentionFlag.mention_id, MentionFlag.kind)
            ):
                flags.setdefault(mid, []).append({"kind": kind, "reason": reason})
        for row in rows:
            row["brands"] = brands.get(row["id"], [])
            row["labels"] = labels.get(row["id"], {})
            row["flags"] = flags.get(row["id"], [])
            yield row
        last_id = ids[-1]
