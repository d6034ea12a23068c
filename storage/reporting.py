"""The reads of a report, as plain rows: one narrow pass over a period, then the few posts shown.

`reports/` turns these rows into pandas frames and figures. Joining labels and brands row by
row in SQL costs an index look-up per mention per table; on a million mentions reading each
table once over the period's id range and merging in pandas is several times faster, on
SQLite and PostgreSQL alike, so the period's reads are split per table (`*_between`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    and_,
    exists,
    func,
    inspect,
    literal_column,
    or_,
    select,
    type_coerce,
)
from sqlalchemy.orm import aliased
from sqlalchemy.types import String

from storage.bulk import select_in
from storage.dialect import chunks
from storage.labels import unsure as unsure_label
from storage.models import (
    Alert,
    Author,
    AuthorProfile,
    ImportedFile,
    Label,
    Mention,
    MentionBrand,
    MentionFlag,
    Run,
    Source,
)
from storage.replies import answers

Rows = list[tuple[Any, ...]]

# The columns of each read, in the order of its rows.
PERIOD_COLUMNS = (
    "id", "hour", "source_id", "author_id", "engagement", "views", "mention_followers",
)  # fmt: skip
POST_COLUMNS = (
    "id", "published_at", "source", "url", "thread_url", "title", "text", "author",
    "engagement", "sentiment", "topic", "followers", "external_id", "author_id",
)  # fmt: skip
ALERT_COLUMNS = (
    "id", "severity", "status", "opened_at", "closed_at", "negative_count", "expected_count",
    "details", "kind",
)  # fmt: skip
PROFILE_COLUMNS = ("author_id", "profile", "influence", "tier", "suspicious")
AUTHOR_NAME_COLUMNS = ("author_id", "handle", "name", "profile_url", "source")
FLAG_COLUMNS = ("id", "kind", "group_key")
SPAN_COLUMNS = ("source_id", "first_published", "last_published", "mentions")
# n: labels; unsure: those of them a model marked for review (its calibrated score was low).
MODEL_COLUMNS = ("task", "model", "version", "by_human", "n", "unsure")


def analytics_tables(engine: Engine) -> set[str]:
    """The contributor analytics tables, once the authors stage has filled them."""
    inspector = inspect(engine)
    if not inspector.has_table("author_profiles"):
        return set()
    with engine.connect() as conn:
        computed = conn.execute(select(AuthorProfile.author_id).limit(1)).first()
    if computed is None:  # flags come from the same stage: zero of them means "not run yet"
        return set()
    return {name for name in ("author_profiles", "mention_flags") if inspector.has_table(name)}


def _engagement() -> ColumnElement[Any]:
    return (
        func.coalesce(Mention.likes, 0)
        + func.coalesce(Mention.shares, 0)
        + func.coalesce(Mention.comments, 0)
    )


def _driver_rows(conn: Connection, stmt: Any) -> Rows:
    """All rows as the driver gives them: plain tuples, skipping SQLAlchemy's Row objects.

    For reads of ints, floats and short strings that need no conversion (published_at is
    read as an hour string): on a million rows this halves the time of the read.
    """
    result = conn.execute(stmt)
    try:
        return list(result.cursor.fetchall()) if result.cursor is not None else []
    finally:
        result.close()


def _published(conn: Connection, start: datetime, end: datetime) -> Any:
    """The published_at column; on SQLite, unindexed when the window holds most mentions.

    SQLite would walk the published_at index and fetch every row at random; for a window that
    covers most of the table a plain scan is about three times cheaper (`+col` disables the
    index, as the SQLite documentation advises).
    """
    if conn.dialect.name != "sqlite":
        return Mention.published_at
    in_window = conn.execute(
        select(func.count()).where(Mention.published_at >= start, Mention.published_at < end)
    ).scalar_one()
    total = conn.execute(select(func.max(Mention.id))).scalar_one() or 0
    if total and in_window > 0.25 * total:
        return literal_column("+mentions.published_at", Mention.published_at.type)
    return Mention.published_at


def _hour(conn: Connection) -> ColumnElement[Any]:
    """published_at as its UTC hour, `YYYY-MM-DD HH` (grouped and parsed in pandas)."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", Mention.published_at), "YYYY-MM-DD HH24")
    return func.substr(type_coerce(Mention.published_at, String), 1, 13)


def period_mentions(conn: Connection, start: datetime, end: datetime) -> Rows:
    """Every mention published in [start, end), slim (PERIOD_COLUMNS): no text, no labels."""
    published = _published(conn, start, end)
    stmt = select(
        Mention.id, _hour(conn), Mention.source_id, Mention.author_id, _engagement(),
        Mention.views, Mention.author_followers,
    ).where(published >= start, published < end)  # fmt: skip
    return _driver_rows(conn, stmt)


def brands_between(conn: Connection, lo: int, hi: int, brands: Sequence[str]) -> Rows:
    """(mention id, brand) of these brands for mention ids in [lo, hi]."""
    stmt = select(MentionBrand.mention_id, MentionBrand.brand).where(
        MentionBrand.mention_id.between(lo, hi), MentionBrand.brand.in_(list(brands))
    )
    return _driver_rows(conn, stmt)


def labels_between(conn: Connection, lo: int, hi: int, tasks: Sequence[str]) -> Rows:
    """(mention id, task, value) of these tasks for mention ids in [lo, hi]."""
    stmt = select(Label.mention_id, Label.task, Label.value).where(
        Label.mention_id.between(lo, hi), Label.task.in_(list(tasks))
    )
    return _driver_rows(conn, stmt)


def flagged_between(conn: Connection, lo: int, hi: int) -> set[int]:
    """Ids in [lo, hi] of mentions flagged as suspicious (any kind)."""
    stmt = select(MentionFlag.mention_id).where(MentionFlag.mention_id.between(lo, hi))
    return {r[0] for r in conn.execute(stmt)}


def flags_between(conn: Connection, lo: int, hi: int) -> Rows:
    """(mention id, kind, group key) of the suspicion flags of mention ids in [lo, hi]."""
    stmt = select(MentionFlag.mention_id, MentionFlag.kind, MentionFlag.group_key).where(
        MentionFlag.mention_id.between(lo, hi)
    )
    return _driver_rows(conn, stmt)


def label_models_of(conn: Connection, ids: Sequence[int]) -> Rows:
    """Labels of exactly these mentions per task, model, version and by_human (MODEL_COLUMNS),
    summed over chunks of ids by the caller. At the driver level, in large chunks: a report
    reads a million (the statements SQLAlchemy would build for them cost a second)."""
    unsure = unsure_label().compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True})
    sql = (
        "SELECT labels.task, labels.model, labels.version, labels.by_human, count(*),"
        f" sum(CASE WHEN {unsure} THEN 1 ELSE 0 END) FROM labels"
        " WHERE labels.mention_id IN ({keys})"
        " GROUP BY labels.task, labels.model, labels.version, labels.by_human"
    )
    return select_in(conn, sql, (), list(ids), size=10_000)


def source_spans(conn: Connection) -> Rows:
    """Per source: its earliest and latest stored publication and its mentions (SPAN_COLUMNS)."""
    stmt = select(
        Mention.source_id,
        func.min(Mention.published_at),
        func.max(Mention.published_at),
        func.count(),
    ).group_by(Mention.source_id)
    return list(conn.execute(stmt).tuples())


def first_runs(conn: Connection) -> dict[str, datetime]:
    """When each crawled source was first collected (its earliest per-source run)."""
    stmt = (
        select(Run.source, func.min(Run.started_at))
        .where(Run.source.is_not(None))
        .group_by(Run.source)
    )
    return {str(s): t for s, t in conn.execute(stmt).tuples() if t is not None}


def last_imports(conn: Connection) -> dict[str, tuple[datetime, str, str | None]]:
    """Per export source: (when, status, error) of its latest imported file."""
    latest = select(func.max(ImportedFile.id)).group_by(ImportedFile.source)
    stmt = select(
        ImportedFile.source,
        func.coalesce(ImportedFile.finished_at, ImportedFile.started_at),
        ImportedFile.status,
        ImportedFile.error,
    ).where(ImportedFile.id.in_(latest))
    return {str(s): (at, str(status), error) for s, at, status, error in conn.execute(stmt)}


def own_account_ids(conn: Connection, handles: Sequence[str]) -> list[int]:
    """Ids of the authors of a brand's own accounts (`brands[].own_accounts`): each handle
    compared without case, with and without its `@`."""
    bare = {h.strip().lstrip("@").lower() for h in handles if h.strip()}
    wanted = sorted({*bare, *(f"@{h}" for h in bare)})
    if not wanted:
        return []
    stmt = select(Author.id).where(func.lower(Author.handle).in_(wanted)).order_by(Author.id)
    return [int(r[0]) for r in conn.execute(stmt)]


def own_activity(
    conn: Connection, author_ids: Sequence[int], start: datetime, end: datetime
) -> tuple[int, int]:
    """(posts, engagement: likes + shares + comments) of these authors (a brand's own accounts)
    published in [start, end), whatever brand they name, if any."""
    if not author_ids:
        return 0, 0
    stmt = select(func.count(), func.coalesce(func.sum(_engagement()), 0)).where(
        Mention.author_id.in_(sorted(set(author_ids))),
        Mention.published_at >= start,
        Mention.published_at < end,
    )
    posts, engagement = conn.execute(stmt).one()
    return int(posts), int(engagement)


def followers_between(conn: Connection, lo: int, hi: int) -> Rows:
    """(author id, followers) of authors with ids in [lo, hi] whose followers are known."""
    stmt = select(Author.id, Author.followers).where(
        and_(Author.id.between(lo, hi), Author.followers.is_not(None))
    )
    return list(conn.execute(stmt).tuples())


def posts(conn: Connection, ids: Sequence[int]) -> Rows:
    """The posts a report shows (POST_COLUMNS: text, author, link, labels), in no order."""
    sent = aliased(Label, name="sent")
    topic = aliased(Label, name="topic_label")
    stmt = (
        select(
            Mention.id, Mention.published_at, Source.name, Mention.url, Mention.thread_url,
            Mention.title, Mention.text, func.coalesce(Author.name, Author.handle),
            _engagement(), sent.value, topic.value,
            func.coalesce(Mention.author_followers, Author.followers), Mention.external_id,
            Mention.author_id,
        )
        .select_from(Mention)
        .outerjoin(sent, and_(sent.mention_id == Mention.id, sent.task == "sentiment"))
        .outerjoin(topic, and_(topic.mention_id == Mention.id, topic.task == "topic"))
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(Author, Author.id == Mention.author_id)
        .where(Mention.id.in_(list(ids) or [-1]))
    )  # fmt: skip
    return list(conn.execute(stmt).tuples())


def first_replies(
    conn: Connection, ids: Sequence[int], author_ids: Sequence[int], until: datetime
) -> Rows:
    """(mention id, its publication, its first answer's) for those of the given mentions that one of
    `author_ids` (the brand's own accounts) answered by `until` (storage.replies: a reply
    naming it in its source, or a post in its thread when it opens the thread)."""
    found = answers(author_ids, until)
    out: Rows = []
    for part in chunks(list(ids)):
        stmt = (
            select(Mention.id, Mention.published_at, func.min(found.c.reply_at))
            .select_from(found)
            .join(Mention, Mention.id == found.c.answered_id)
            .where(Mention.id.in_(part), Mention.published_at.is_not(None))
            .group_by(Mention.id, Mention.published_at)
        )
        out.extend(conn.execute(stmt).tuples())
    return out


def texts(conn: Connection, ids: Sequence[int]) -> Rows:
    """(id, title, text, external id) of the given mentions."""
    out: Rows = []
    for part in chunks(list(ids)):
        stmt = select(Mention.id, Mention.title, Mention.text, Mention.external_id).where(
            Mention.id.in_(part)
        )
        out.extend(conn.execute(stmt).tuples())
    return out


def alerts_opened(conn: Connection, brand: str, start: datetime, end: datetime) -> Rows:
    """The brand's alerts opened in [start, end), and those still open, oldest first
    (ALERT_COLUMNS)."""
    stmt = (
        select(
            Alert.id, Alert.severity, Alert.status, Alert.opened_at, Alert.closed_at,
            Alert.negative_count, Alert.expected_count, Alert.details, Alert.kind,
        )
        .where(
            Alert.brand == brand,
            or_(and_(Alert.opened_at >= start, Alert.opened_at < end), Alert.status == "open"),
        )
        .order_by(Alert.opened_at, Alert.id)
    )  # fmt: skip
    return list(conn.execute(stmt).tuples())


def sources(conn: Connection) -> Rows:
    """(source id, name, kind) of every stored source."""
    return list(conn.execute(select(Source.id, Source.name, Source.kind)).tuples())


def sources_kinds(conn: Connection) -> Rows:
    """(name, kind) of every stored source."""
    return list(conn.execute(select(Source.name, Source.kind).order_by(Source.name)).tuples())


def source_names(conn: Connection) -> dict[int, str]:
    return dict(conn.execute(select(Source.id, Source.name)).tuples().all())


def last_source_runs(conn: Connection) -> Rows:
    """(source, status, started_at, error) of the last run of each source."""
    last = select(func.max(Run.id)).where(Run.source.is_not(None)).group_by(Run.source)
    stmt = select(Run.source, Run.status, Run.started_at, Run.error).where(Run.id.in_(last))
    return list(conn.execute(stmt).tuples())


def flag_reasons(conn: Connection, brand: str, start: datetime, end: datetime) -> Rows:
    """(kind, reason, n) of the brand's flagged mentions published in [start, end), most
    frequent first."""
    n = func.count(func.distinct(Mention.id))
    stmt = (
        select(MentionFlag.kind, MentionFlag.reason, n.label("n"))
        .select_from(Mention)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
        .join(MentionFlag, MentionFlag.mention_id == Mention.id)
        .where(
            MentionBrand.brand == brand,
            Mention.published_at >= start,
            Mention.published_at < end,
        )
        .group_by(MentionFlag.kind, MentionFlag.reason)
        .order_by(n.desc())
    )
    return list(conn.execute(stmt).tuples())


def count_flagged(conn: Connection, brand: str, start: datetime, end: datetime) -> int:
    """Distinct flagged mentions of the brand published in [start, end)."""
    stmt = (
        select(func.count(func.distinct(Mention.id)))
        .select_from(Mention)
        .join(MentionBrand, MentionBrand.mention_id == Mention.id)
        .where(
            MentionBrand.brand == brand,
            Mention.published_at >= start,
            Mention.published_at < end,
            exists().where(MentionFlag.mention_id == Mention.id),
        )
    )
    return int(conn.execute(stmt).scalar_one())


def profiles(conn: Connection, author_ids: Sequence[int]) -> Rows:
    """PROFILE_COLUMNS of these authors' stored profiles."""
    p = AuthorProfile
    out: Rows = []
    for part in chunks(list(author_ids)):
        stmt = select(p.author_id, p.profile, p.influence, p.tier, p.suspicious).where(
            p.author_id.in_(part)
        )
        out.extend(conn.execute(stmt).tuples())
    return out


def author_names(conn: Connection, author_ids: Sequence[int]) -> Rows:
    """AUTHOR_NAME_COLUMNS of these authors (handle, name, profile link, source)."""
    stmt = (
        select(Author.id, Author.handle, Author.name, Author.profile_url, Source.name)
        .join(Source, Source.id == Author.source_id)
        .where(Author.id.in_(list(author_ids) or [-1]))
    )
    return list(conn.execute(stmt).tuples())
