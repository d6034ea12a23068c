"""Contributor profiles and suspicious-mention flags: repository functions."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import (
    JSON,
    Connection,
    Select,
    Table,
    and_,
    bindparam,
    case,
    delete,
    exists,
    func,
    literal_column,
    select,
    update,
)
from sqlalchemy.orm import aliased

from storage.bulk import delete_in, replace_rows, timestamp_binder, upsert_rows
from storage.contributors import ContributorFilter, listed
from storage.dialect import chunks, ids_in, insert
from storage.engine import json_text
from storage.models import (
    Author,
    AuthorProfile,
    Label,
    Mention,
    MentionBrand,
    MentionDerived,
    MentionFlag,
    NearDuplicateEntry,
    Source,
    UtcDateTime,
)
from storage.vocab import PROFILES

_PROFILE_COLUMNS = (
    "profile_score", "reasons", "influence", "influence_parts", "tier", "flags", "suspicious",
    "posts", "features", "window_start", "window_end", "computed_at", "version",
)  # fmt: skip
# The profile columns the driver-level write converts as the column types would: read from
# the table, not listed again.
_PROFILE_JSON = tuple(c.name for c in AuthorProfile.__table__.columns if isinstance(c.type, JSON))
_PROFILE_TIMES = tuple(
    c.name for c in AuthorProfile.__table__.columns if isinstance(c.type, UtcDateTime)
)


def save_profiles(conn: Connection, rows: Sequence[dict[str, Any]]) -> int:
    """Upsert profile rows; a profile set by a person keeps its profile (by_human), and a new
    row of an author a person corrected before gets that person's profile back
    (keep_person_profiles); every row keeps the computed profile as `computed_profile`. At
    the driver level, 5,000 rows at a time (the JSON columns serialised as the engine does):
    a night may rewrite every profile of the window."""
    if not rows:
        return 0
    binder = timestamp_binder(conn)

    def stamp(value: datetime) -> Any:
        if value.tzinfo is None:  # as UtcDateTime refuses them
            raise ValueError(f"naive datetime {value!r}: Veille stores timezone-aware UTC only")
        return binder(value)

    computed = ("computed_profile", *_PROFILE_COLUMNS)
    cols = ("author_id", "profile", *computed, "by_human")
    convert: dict[str, Any] = {c: json_text for c in _PROFILE_JSON}
    convert.update((c, stamp) for c in _PROFILE_TIMES)
    source = {c: c for c in cols} | {"computed_profile": "profile"}
    update = {c: f"excluded.{c}" for c in computed}
    update["profile"] = "CASE WHEN {t}.by_human THEN {t}.profile ELSE excluded.profile END"
    for part in chunks(list(rows), 5000):
        values = [
            (*(convert[c](r[c]) if c in convert else r[source[c]] for c in cols[:-1]), False)
            for r in part
        ]
        upsert_rows(conn, "author_profiles", cols, values, conflict=("author_id",), update=update)
    keep_person_profiles(conn)
    return len(rows)


def set_profile_by_human(conn: Connection, author_id: int, profile: str) -> bool:
    """An analyst's correction: it wins over every later computation, kept with the author
    (authors.profile_by_person) so that it comes back with their next profile when they
    left the window and post again. False if the author has no profile row."""
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; known profiles: {', '.join(PROFILES)}")
    conn.execute(update(Author).where(Author.id == author_id).values(profile_by_person=profile))
    result = conn.execute(
        update(AuthorProfile)
        .where(AuthorProfile.author_id == author_id)
        .values(
            profile=profile,
            by_human=True,
            computed_profile=case(  # the computed one, where only the row's profile said it
                (AuthorProfile.by_human.is_(True), AuthorProfile.computed_profile),
                else_=func.coalesce(AuthorProfile.computed_profile, AuthorProfile.profile),
            ),
        )
    )
    return bool(result.rowcount)


def withdraw_person_profile(conn: Connection, author_id: int) -> str | None:
    """A person's correction withdrawn: the author's profile is the computed one again, now
    (`computed_profile`; the row's own until a night first wrote it) and every night after.
    The profile the row now holds, None if the author has no profile row a person set."""
    conn.execute(update(Author).where(Author.id == author_id).values(profile_by_person=None))
    result = conn.execute(
        update(AuthorProfile)
        .where(AuthorProfile.author_id == author_id, AuthorProfile.by_human.is_(True))
        .values(
            profile=func.coalesce(AuthorProfile.computed_profile, AuthorProfile.profile),
            by_human=False,
        )
    )
    if not result.rowcount:
        return None
    now = select(AuthorProfile.profile).where(AuthorProfile.author_id == author_id)
    return str(conn.execute(now).scalar_one())


def keep_person_profiles(conn: Connection) -> int:
    """The profiles people chose, put back on the rows computed without them (an author who
    left the window and came back); how many rows. Reads the few authors a person corrected."""
    chosen = (
        select(Author.profile_by_person)
        .where(Author.id == AuthorProfile.author_id)
        .scalar_subquery()
    )
    corrected = select(Author.id).where(Author.profile_by_person.is_not(None))
    result = conn.execute(
        update(AuthorProfile)
        .where(AuthorProfile.by_human.is_(False), AuthorProfile.author_id.in_(corrected))
        .values(profile=chosen, by_human=True)
    )
    return int(result.rowcount or 0)


def profiles_for(conn: Connection, author_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The stored profile rows of these authors, keyed by author id."""
    out: dict[int, dict[str, Any]] = {}
    for part in chunks(list(author_ids)):
        table = AuthorProfile.__table__
        q = select(table).where(ids_in(conn, table.c.author_id, part))
        for row in conn.execute(q).mappings():
            out[row["author_id"]] = dict(row)
    return out


def last_computed_at(conn: Connection) -> datetime | None:
    return conn.execute(select(func.max(AuthorProfile.computed_at))).scalar_one_or_none()


def replace_flags(
    conn: Connection, rows: Sequence[dict[str, Any]], start: datetime, end: datetime
) -> int:
    """Replace the flags of mentions published in [start, end] by `rows` (idempotent)."""
    in_window = select(Mention.id).where(Mention.published_at >= start, Mention.published_at <= end)
    conn.execute(delete(MentionFlag).where(MentionFlag.mention_id.in_(in_window)))
    if not rows:
        return 0
    for part in chunks(list(rows), 2000):
        stmt = insert(conn, MentionFlag.__table__)
        stmt = stmt.on_conflict_do_update(
            index_elements=["mention_id", "kind"],
            set_={k: stmt.excluded[k] for k in ("reason", "group_key", "flagged_at")},
        )
        conn.execute(stmt, part)
    return len(rows)


def flagged_mentions_query(
    brand: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    kinds: Iterable[str] | None = None,
) -> Select[tuple[int]]:
    """SELECT of flagged mention ids, for `Mention.id.not_in(...)` when a KPI excludes them."""
    q = select(MentionFlag.mention_id).distinct()
    if kinds is not None:
        q = q.where(MentionFlag.kind.in_(list(kinds)))
    if start is not None or end is not None:
        q = q.join(Mention, Mention.id == MentionFlag.mention_id)
        if start is not None:
            q = q.where(Mention.published_at >= start)
        if end is not None:
            q = q.where(Mention.published_at < end)
    if brand is not None:
        q = q.where(
            MentionFlag.mention_id.in_(
                select(MentionBrand.mention_id).where(MentionBrand.brand == brand)
            )
        )
    return q


def flagged_mention_ids(
    conn: Connection,
    brand: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    kinds: Iterable[str] | None = None,
) -> set[int]:
    """Ids of flagged mentions (of a brand, published in [start, end)), to drop from KPIs."""
    return set(conn.execute(flagged_mentions_query(brand, start, end, kinds)).scalars())


def flags_of(conn: Connection, mention_ids: Iterable[int]) -> dict[int, list[dict[str, str]]]:
    """Flags per mention: [{"kind", "reason", "group_key"}]."""
    out: dict[int, list[dict[str, str]]] = {}
    for part in chunks(list(mention_ids)):
        f = MentionFlag
        q = select(f.mention_id, f.kind, f.reason, f.group_key)
        q = q.where(ids_in(conn, f.mention_id, part))
        for mention_id, kind, reason, key in conn.execute(q).tuples():
            out.setdefault(mention_id, []).append(
                {"kind": kind, "reason": reason, "group_key": key}
            )
    return out


def list_profiles(
    conn: Connection,
    brand: str | None = None,
    profile: str | None = None,
    top: int | None = 20,
) -> list[dict[str, Any]]:
    """Profiles with the author's handle and source, most influential first.

    With a brand, only authors with a mention of that brand in their profile window.
    """
    return listed(conn, ContributorFilter(brand=brand, profile=profile), top)


def authors_to_update(conn: Connection, since: datetime, window_start: datetime) -> set[int]:
    """Authors whose profile is stale: new mentions or labels since `since`, or posts that
    left the window (published before `window_start` but inside their stored window)."""
    new = select(Mention.author_id).where(
        Mention.collected_at > since, Mention.author_id.is_not(None)
    )
    labelled = (
        select(Mention.author_id)
        .join(Label, Label.mention_id == Mention.id)
        .where(Label.labelled_at > since, Mention.author_id.is_not(None))
    )
    expired = (
        select(Mention.author_id)
        .join(AuthorProfile, AuthorProfile.author_id == Mention.author_id)
        .where(
            Mention.published_at >= AuthorProfile.window_start,
            Mention.published_at < window_start,
        )
    )
    ids: set[int] = set()
    for q in (new, labelled, expired):
        ids.update(a for a in conn.execute(q.distinct()).scalars() if a is not None)
    return ids


def drop_profiles_outside(conn: Connection, start: datetime, end: datetime) -> int:
    """Delete profiles of authors with no mention published in [start, end]. NOT EXISTS, not
    NOT IN: PostgreSQL checks NOT IN against a list of the window's million authors' posts that
    does not fit in memory row by row, for each profile (minutes); NOT EXISTS is an anti-join."""
    active = exists().where(
        Mention.author_id == AuthorProfile.author_id,
        Mention.published_at >= start,
        Mention.published_at <= end,
    )
    result = conn.execute(delete(AuthorProfile).where(~active))
    return int(result.rowcount or 0)


# What a profile says (its window and time aside): a profile is written when one of them moved.
COMPARED_COLUMNS = (
    "profile", "profile_score", "reasons", "influence", "influence_parts", "tier", "flags",
    "suspicious", "posts", "features",
)  # fmt: skip


def stored_profiles(conn: Connection, author_ids: Sequence[int]) -> dict[int, tuple[Any, ...]]:
    """COMPARED_COLUMNS of these authors' stored profiles, to write only those that
    changed."""
    t = AuthorProfile.__table__
    q = select(t.c.author_id, *(t.c[name] for name in COMPARED_COLUMNS))
    out: dict[int, tuple[Any, ...]] = {}
    for part in chunks(list(author_ids)):
        rows = conn.execute(q.where(ids_in(conn, t.c.author_id, part))).tuples()
        out.update((row[0], tuple(row[1:])) for row in rows)
    return out


def followers_of(conn: Connection, author_ids: Iterable[int]) -> dict[int, int]:
    """`authors.followers` of these authors, where known."""
    out: dict[int, int] = {}
    for part in chunks(sorted(set(author_ids))):
        q = select(Author.id, Author.followers).where(
            ids_in(conn, Author.id, part), Author.followers.is_not(None)
        )
        out.update((a, int(f)) for a, f in conn.execute(q).tuples() if f is not None)
    return out


def stored_influence(conn: Connection, author_ids: Iterable[int]) -> dict[int, float]:
    """`author_profiles.influence` of these authors, where the authors stage computed it."""
    out: dict[int, float] = {}
    for part in chunks(sorted(set(author_ids))):
        q = select(AuthorProfile.author_id, AuthorProfile.influence).where(
            ids_in(conn, AuthorProfile.author_id, part), AuthorProfile.influence.is_not(None)
        )
        out.update((a, float(v)) for a, v in conn.execute(q).tuples())
    return out


def posts_per_author(
    conn: Connection,
    brand: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> dict[int, int]:
    """Mentions per author published in [start, end), of a brand (None: of all brands)."""
    q = select(Mention.author_id, func.count()).where(Mention.author_id.is_not(None))
    if brand is not None:
        q = q.where(
            Mention.id.in_(select(MentionBrand.mention_id).where(MentionBrand.brand == brand))
        )
    if start is not None:
        q = q.where(Mention.published_at >= start)
    if end is not None:
        q = q.where(Mention.published_at < end)
    rows = conn.execute(q.group_by(Mention.author_id)).tuples()
    return {a: int(n) for a, n in rows if a is not None}


# What the author analytics read of each mention, in the order of window_mentions' rows.
WINDOW_COLUMNS = (
    "mention_id", "source_id", "source", "external_id", "thread_id", "parent_id", "author_id",
    "handle", "text", "published_at", "likes", "shares", "comments", "rating", "followers",
    "post_count", "account_created_at", "sentiment", "topic",
)  # fmt: skip


# With the stored derived data (`window_mentions(derived=...)`), after WINDOW_COLUMNS: the
# mention's content hash, and the stored cues, named handles and text hash (NULL where none
# is stored for the post as it is: its text and content hash are then read, else they are
# NULL).
DERIVED_COLUMNS = ("content_hash", "stored_cues", "stored_named", "stored_text_hash")


def window_mentions(
    conn: Connection,
    start: datetime,
    end: datetime,
    chunk: int = 50_000,
    derived: str | None = None,
) -> Iterator[list[tuple[Any, ...]]]:
    """Mentions with an author published in [start, end] (WINDOW_COLUMNS), `chunk` rows at a
    time (a million rows held as tuples at once would weigh a gigabyte): the source's name,
    the author's handle and followers (at posting, else the profile's), sentiment and topic
    labels. In no order the caller may rely on (`nlp.authors.data.prepare` sorts them by
    their natural key): SQLite gives them in id order when the window holds most of the
    mentions (`_scan_window`), else by time. The two times come as the driver gives them
    (SQLite: text in UTC; PostgreSQL: aware datetimes): the caller reads them with pandas, a
    column at a time, not a value at a time.

    derived: a setting of `mention_derived`: the rows also carry DERIVED_COLUMNS, and the
    text only where no derived data of that setting is stored for the post as it is."""
    scan = _scan_window(conn, start, end)
    return _raw_rows(conn, _window_query(start, end, derived, scan), chunk)


# SQLite reads a window holding at least this share of the table's mentions faster by
# scanning the table in id order (the labels' and derived rows' lookups then follow their
# indexes in order) than by the time index, post by post in time order. At 1,000,000
# mentions over 90 days (the authors' window query, CPU s, by time / scanning): 5 days
# (5.8 %) 1.19 / 1.04, 10 days 2.36 / 1.38, 45 days 9.8 / 3.3, the whole 90 days 21.2 / 5.5.
SCAN_SHARE = 1 / 16


def _scan_window(conn: Connection, start: datetime, end: datetime) -> bool:
    """Whether SQLite should read the window [start, end] by scanning the mentions in id
    order (it holds at least SCAN_SHARE of them); PostgreSQL plans from its statistics."""
    if conn.dialect.name != "sqlite":
        return False
    table = conn.execute(select(func.max(Mention.id))).scalar() or 0
    inside = conn.execute(
        select(func.count()).where(Mention.published_at >= start, Mention.published_at <= end)
    ).scalar()
    return bool(table) and (inside or 0) >= SCAN_SHARE * table


def _raw_rows(conn: Connection, q: Select[Any], chunk: int) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of `q` from the driver's own cursor, `chunk` at a time: no per-row
    processing by SQLAlchemy (times come as the driver gives them, blobs as bytes)."""
    compiled = q.compile(dialect=conn.dialect)
    params = compiled.construct_params()
    values: Any = params
    if compiled.positional:
        values = tuple(_sqlite_time(params[name]) for name in compiled.positiontup or ())
    raw: Any = conn.connection.dbapi_connection
    cur = raw.cursor()
    try:
        cur.execute(str(compiled), values)
        while rows := cur.fetchmany(chunk):
            yield list(rows)
    finally:
        cur.close()


def _sqlite_time(value: Any) -> Any:
    """A bound datetime in the text form SQLite's columns hold (UTC, no offset); the
    positional drivers here are SQLite's."""
    if isinstance(value, datetime):
        return (
            value.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ", timespec="microseconds")
        )
    return value


def _window_query(
    start: datetime, end: datetime, derived: str | None = None, scan: bool = False
) -> Select[Any]:
    """The window's rows; `scan`: in id order, the time index not offered (`_scan_window`)."""
    sentiment = aliased(Label)
    topic = aliased(Label)
    d = MentionDerived
    text: Any = Mention.text
    extra: list[Any] = []
    if derived is not None:
        # The text and content hash only where nothing is stored: the rest is not needed.
        text = case((d.mention_id.is_(None), Mention.text), else_=None)
        digest = case((d.mention_id.is_(None), Mention.content_hash), else_=None)
        extra = [digest, d.cues, d.named, d.text_hash]
    q = (
        select(
            Mention.id, Mention.source_id, Source.name, Mention.external_id, Mention.thread_id,
            Mention.parent_id, Mention.author_id, Author.handle, text,
            Mention.published_at, Mention.likes, Mention.shares, Mention.comments,
            Mention.rating, func.coalesce(Mention.author_followers, Author.followers),
            Author.post_count, Author.created_at, sentiment.value, topic.value, *extra,
        )
        .join(Author, Author.id == Mention.author_id)
        .join(Source, Source.id == Mention.source_id)
        .outerjoin(
            sentiment, and_(sentiment.mention_id == Mention.id, sentiment.task == "sentiment")
        )
        .outerjoin(topic, and_(topic.mention_id == Mention.id, topic.task == "topic"))
    )  # fmt: skip
    if derived is not None:
        same = and_(
            d.mention_id == Mention.id, d.content_hash == Mention.content_hash, d.setting == derived
        )
        q = q.outerjoin(d, same)
    published = _published(scan)
    q = q.where(published >= start, published <= end)
    if scan:
        return q.order_by(Mention.id)
    return q.order_by(Mention.published_at, Source.name, Mention.external_id)


def _published(scan: bool) -> Any:
    """Mention.published_at, or (`scan`) an expression of it that keeps SQLite off its index."""
    return Mention.published_at.concat(literal_column("''")) if scan else Mention.published_at


def mention_texts(conn: Connection, mention_ids: Sequence[int]) -> dict[int, str | None]:
    """The texts of these mentions (the window's read leaves out those it has derived data
    of)."""
    out: dict[int, str | None] = {}
    for part in chunks(list(mention_ids)):
        q = select(Mention.id, Mention.text).where(ids_in(conn, Mention.id, part))
        out.update((i, t) for i, t in conn.execute(q).tuples())
    return out


# What `save_derived` writes, in this order.
MENTION_DERIVED_COLUMNS = ("mention_id", "content_hash", "setting", "cues", "named", "text_hash")


def save_derived(conn: Connection, rows: Iterable[tuple[Any, ...]]) -> int:
    """Store (replace) derived data of posts (MENTION_DERIVED_COLUMNS tuples)."""
    return replace_rows(conn, "mention_derived", MENTION_DERIVED_COLUMNS, rows)


def forget_derived(conn: Connection, mention_ids: Sequence[int]) -> None:
    """Drop the derived data of these mentions (deleted, or their text rewritten)."""
    delete_in(conn, MentionDerived.mention_id, mention_ids)


def window_brands(conn: Connection, start: datetime, end: datetime) -> list[tuple[int, str]]:
    """(mention id, brand) of the mentions published in [start, end], sorted (on SQLite,
    a window of most mentions in the brands' own order, `_scan_window`: at 1,000,000
    mentions over 90 days 1.25 instead of 2.14 CPU s)."""
    published = _published(_scan_window(conn, start, end))
    q = (
        select(MentionBrand.mention_id, MentionBrand.brand)
        .join(Mention, Mention.id == MentionBrand.mention_id)
        .where(published >= start, published <= end)
        .order_by(MentionBrand.mention_id, MentionBrand.brand)
    )
    return [row for part in _raw_rows(conn, q, 50_000) for row in part]


def flags_by_key(conn: Connection) -> list[tuple[str, str, str, str, str]]:
    """Every flag as (source name, external id, kind, reason, group key), sorted: the flags
    named by what no database changes (ids do), to compare two databases."""
    q = (
        select(Source.name, Mention.external_id, MentionFlag.kind, MentionFlag.reason,
               MentionFlag.group_key)
        .join(Mention, Mention.id == MentionFlag.mention_id)
        .join(Source, Source.id == Mention.source_id)
    )  # fmt: skip
    return sorted(conn.execute(q).tuples())


def profiles_by_key(conn: Connection) -> list[tuple[Any, ...]]:
    """Every profile as (source name, handle, profile, tier, influence, suspicious), sorted."""
    p = AuthorProfile
    q = (
        select(Source.name, Author.handle, p.profile, p.tier, p.influence, p.suspicious)
        .join(Author, Author.id == p.author_id)
        .join(Source, Source.id == Author.source_id)
    )
    return sorted(conn.execute(q).tuples())


# The near-duplicate index (nlp.authors.neardup): read whole, written by difference.
NEAR_DUPLICATE_COLUMNS = ("mention_id", "content", "sig_group", "bands", "campaign")


def near_duplicate_index(
    conn: Connection, setting: str, chunk: int = 50_000
) -> Iterator[list[tuple[Any, ...]]] | None:
    """Every entry (NEAR_DUPLICATE_COLUMNS) ordered by mention id, `chunk` rows at a time;
    None when entries were made with another setting (the caller rebuilds)."""
    t = NearDuplicateEntry
    other = conn.execute(select(t.mention_id).where(t.setting != setting).limit(1)).first()
    if other is not None:
        return None
    q = select(t.mention_id, t.content, t.sig_group, t.bands, t.campaign).order_by(t.mention_id)
    return _raw_rows(conn, q, chunk)


def near_duplicate_signatures(conn: Connection, mention_ids: Sequence[int]) -> list[bytes]:
    """The stored signatures of these entries, in the order asked."""
    t = NearDuplicateEntry
    found: dict[int, bytes] = {}
    for part in chunks(list(mention_ids)):
        q = select(t.mention_id, t.signature).where(ids_in(conn, t.mention_id, part))
        found.update((a, bytes(b or b"")) for a, b in conn.execute(q).tuples())
    return [found[i] for i in mention_ids]


def forget_signatures(conn: Connection, mention_ids: Sequence[int]) -> None:
    """Deleted mentions keep only what the next night needs to see them leave (band keys and
    campaign, no signature of their text)."""
    t = NearDuplicateEntry
    for part in chunks(list(mention_ids)):
        conn.execute(update(t).where(ids_in(conn, t.mention_id, part)).values(signature=None))


def clear_near_duplicate_index(conn: Connection) -> None:
    conn.execute(delete(NearDuplicateEntry))


_ENTRY_COLUMNS = ("mention_id", "content", "sig_group", "bands", "signature", "campaign")


def save_near_duplicate_index(
    conn: Connection,
    rows: Iterable[dict[str, Any]],
    removed: Sequence[int],
    campaigns: Sequence[tuple[int, int]],
    setting: str,
) -> None:
    """Delete the removed entries, insert the new ones (`rows` read as they come, 5,000 at
    a time, at the driver level: through SQLAlchemy's per-row processing, a million rows
    of blobs cost half a minute), move entries to their new campaign."""
    t = cast(Table, NearDuplicateEntry.__table__)
    delete_in(conn, t.c.mention_id, removed)
    cols = (*_ENTRY_COLUMNS, "setting")
    replace_rows(conn, t.name, cols, ((*(r[c] for c in _ENTRY_COLUMNS), setting) for r in rows))
    if campaigns:
        stmt = (
            update(t).where(t.c.mention_id == bindparam("m_id")).values(campaign=bindparam("c_id"))
        )
        conn.execute(stmt, [{"m_id": m, "c_id": c} for m, c in campaigns])
