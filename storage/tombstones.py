"""Tombstones: hashes of erased keys, checked before anything is stored again.

A tombstone is the SHA-256 of a namespaced key: a source's mention (external id), author
(folded handle) or thread title an erased post gave. It holds nothing readable; only someone
who already knows the key can tell it was erased. `refuse_erased` is what
`storage.upsert.MentionStore` calls on every batch.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from storage.dialect import chunks
from storage.models import Tombstone
from storage.records import MentionRecord

# Part of every hash: a tombstone written by this version is found by the next ones.
_NAMESPACE = "veille-tombstone-v1"
# What a handle becomes in a text or raw record once its owner is erased (or pseudonymised).
USER = "user"
HANDLE_IN_TEXT = re.compile(r"(?<![\w@])@([\w][\w.\-]*\w|\w)")


def title_hash(source: str, thread: str, title: str) -> str:
    return key_hash("title", source, f"{thread}\x1f{title}")


def key_hash(kind: str, source: str, key: str) -> str:
    """The tombstone of one key: a source's mention (external id) or author (handle)."""
    if kind == "author":
        key = key.lstrip("@").casefold()
    text = "\x1f".join((_NAMESPACE, kind, source, key))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def redact_text(text: str, handles: Iterable[str]) -> str:
    """`@handle` of any of `handles` (any case) becomes `@user`."""
    wanted = {h.casefold() for h in handles}
    return HANDLE_IN_TEXT.sub(
        lambda m: f"@{USER}" if m.group(1).casefold() in wanted else m.group(0), text
    )


def redact_value(value: Any, handles: Iterable[str]) -> Any:
    """A raw record with the handles replaced: a string equal to one, or `@handle` in a text."""
    wanted = {h.casefold() for h in handles}
    if isinstance(value, str):
        if value.lstrip("@").casefold() in wanted:
            return USER
        return redact_text(value, wanted) if "@" in value else value
    if isinstance(value, dict):
        return {k: redact_value(v, wanted) for k, v in value.items()}
    if isinstance(value, list):
        return [redact_value(v, wanted) for v in value]
    return value


def refuse_erased(
    conn: Connection, records: list[MentionRecord]
) -> tuple[list[MentionRecord], int]:
    """The records a collector may store: those of erased mentions or authors are left out,
    and `@handle` of an erased author becomes `@user` in the others. One query per batch,
    none at all while nothing was ever erased."""
    if conn.execute(select(Tombstone.key_hash).limit(1)).first() is None:
        return records, 0
    wanted: dict[str, tuple[str, str]] = {}
    for r in records:
        wanted[key_hash("mention", r.source, r.external_id)] = ("mention", r.external_id)
        if r.author is not None and r.author.handle:
            wanted[key_hash("author", r.source, r.author.handle)] = ("author", r.author.handle)
        for text in (r.text, r.title):
            for handle in HANDLE_IN_TEXT.findall(text or ""):
                wanted[key_hash("author", r.source, handle)] = ("author", handle)
        if r.thread_id and r.thread_title:
            wanted[title_hash(r.source, r.thread_id, r.thread_title)] = ("title", r.thread_id)
    buried: set[str] = set()
    keys = list(wanted)
    for part in chunks(keys, 2000):
        buried.update(
            conn.execute(select(Tombstone.key_hash).where(Tombstone.key_hash.in_(part))).scalars()
        )
    if not buried:
        return records, 0
    kept: list[MentionRecord] = []
    refused = 0
    for r in records:
        if key_hash("mention", r.source, r.external_id) in buried or (
            r.author is not None
            and r.author.handle
            and key_hash("author", r.source, r.author.handle) in buried
        ):
            refused += 1
            continue
        if r.thread_title and title_hash(r.source, r.thread_id or "", r.thread_title) in buried:
            r.thread_title = None  # the thread's title was an erased post's
        named = {
            h
            for text in (r.text, r.title)
            for h in HANDLE_IN_TEXT.findall(text or "")
            if key_hash("author", r.source, h) in buried
        }
        if named:
            r.text = redact_text(r.text, named)
            r.title = redact_text(r.title, named) if r.title else r.title
            r.raw = redact_value(r.raw, named)
        kept.append(r)
    return kept, refused
