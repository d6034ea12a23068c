"""Real forum pages as served, and what a reader found on each (tests/fixtures/forums)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from crawlers.dates import DATE_RULES, SOURCE_TIMEZONE, STATED_ZONE

FIXTURES = Path(__file__).with_name("fixtures") / "forums"
SUFFIX = ".expected.yaml"
# The pages themselves are third-party content: they live beside the project, in
# ../shared/data/forum_pages (or wherever this variable points), never in the repository.
PAGES_ENV = "VEILLE_FORUM_PAGES"
PAGES_IN_SHARED = "forum_pages"
# ../shared/data beside the clone, or $VEILLE_SHARED/data (as tests/conftest.py reads it).
SHARED_DATA = (
    Path(os.environ.get("VEILLE_SHARED") or Path(__file__).resolve().parents[2] / "shared") / "data"
)

# How a post's date is read (crawlers.dates.DATE_RULES), best first: an exact machine time the
# page carries, an ISO date with its offset, the zone the page states applied to the shown
# text, or the source's configured zone (the page gives neither).
KINDS = ("thread",)
# "saved": a real page saved from a public forum, kept outside the repository (pages_root);
# "written": a page written for the project in an engine's markup, beside its expected file.
ORIGINS = ("saved", "written")
OFFSET = re.compile(r"^[+-]\d\d:\d\d$")
COMMIT = re.compile(r"^[0-9a-f]{40}$")
TOP_KEYS = (
    "page",
    "kind",
    "source",
    "engine",
    "version",
    "style",
    "style_family",
    "language",
    "time_zone",
    "thread_title",
    "next_page",
    "posts_count",
    "posts",
)
SOURCE_KEYS = {
    "saved": ("url", "repository", "commit", "path", "licence", "saved", "changes"),
    "written": ("url", "modelled_on", "written_by"),
}
POST_KEYS = (
    "author",
    "date_text",
    "published_at",
    "date_rule",
    "text_snippet",
    "quote_absent",
    "signature_absent",
)


class FixtureError(ValueError):
    """An expected file that does not say what the loader needs, with the place to fix."""


@dataclass(frozen=True)
class ExpectedPost:
    """One post as a reader of the page saw it."""

    author: str
    published_at: datetime | None
    date_rule: str
    date_text: str | None
    text_snippet: str | None
    quote_absent: str | None
    signature_absent: str | None
    note: str | None = None
    post_number: int | None = None
    kept: str | None = None  # quoted words that are the author's own and must stay
    replies_to: int | None = None  # the post (from 1) its quote names, where the markup does


@dataclass(frozen=True)
class ForumFixture:
    """A saved page of a forum and the values expected from it."""

    name: str
    page: str
    kind: str
    engine: str
    version: str
    style: str
    style_family: str
    language: str
    thread_title: str
    next_page: str | None
    zone_statement: str | None
    zone_offset: str | None
    source: dict[str, str]
    posts: tuple[ExpectedPost, ...] = field(default_factory=tuple)
    encoding: str = "utf-8"
    origin: str = "saved"
    source_timezone: str | None = None  # the zone a user would configure (rule "source timezone")
    page_now: datetime | None = None  # the page's clock ("Today", "Hier" count from it)
    zone_name: str | None = None  # the stated zone's name, when the page names one

    @property
    def written(self) -> bool:
        return self.origin == "written"

    def page_path(self, root: Path | None = None) -> Path:
        """Where the page is: beside the expected file when written, else under `root`."""
        if self.written:
            return FIXTURES / self.page
        if root is None:
            raise FixtureError(f"{self.name}: a saved page needs the pages folder")
        return root / self.page


def _replies_to(where: str, value: Any) -> int | None:
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise FixtureError(f"{where}.replies_to: {value!r} is not a post number (1, 2…)")
    return value


def pages_root(shared_data: Path | None = None) -> Path | None:
    """Where the saved pages are: $VEILLE_FORUM_PAGES, else shared/data/forum_pages, else None."""
    if os.environ.get(PAGES_ENV):
        return Path(os.environ[PAGES_ENV])
    if shared_data is not None and (shared_data / PAGES_IN_SHARED).is_dir():
        return shared_data / PAGES_IN_SHARED
    return None


def expected_files(root: Path = FIXTURES) -> list[Path]:
    return sorted(root.rglob(f"*{SUFFIX}"))


def all_fixtures(root: Path = FIXTURES) -> list[ForumFixture]:
    return [load(path, root) for path in expected_files(root)]


def load(path: Path, root: Path = FIXTURES) -> ForumFixture:
    """The fixture an expected file describes; FixtureError names the file and key at fault."""
    name = path.relative_to(root).as_posix().removesuffix(SUFFIX)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise FixtureError(f"{path}: not YAML ({exc})") from exc
    if not isinstance(doc, dict):
        raise FixtureError(f"{path}: expected a mapping at the top")
    _require(path, doc, TOP_KEYS, "")
    origin = doc.get("origin", "saved")
    if origin not in ORIGINS:
        raise FixtureError(f"{path}: origin: {origin!r} is not one of {', '.join(ORIGINS)}")
    source = doc["source"]
    if not isinstance(source, dict):
        raise FixtureError(f"{path}: source: expected a mapping")
    _require(path, source, SOURCE_KEYS[origin], "source.")
    if origin == "saved" and not COMMIT.match(str(source["commit"])):
        raise FixtureError(
            f"{path}: source.commit: expected 40 hex digits, got {source['commit']!r}"
        )
    if doc["kind"] not in KINDS:
        raise FixtureError(f"{path}: kind: {doc['kind']!r} is not one of {', '.join(KINDS)}")
    zone = doc["time_zone"] or {}
    offset = zone.get("offset")
    if offset is not None and not OFFSET.match(str(offset)):
        raise FixtureError(f"{path}: time_zone.offset: expected +HH:MM or -HH:MM, got {offset!r}")
    posts = doc["posts"]
    if not isinstance(posts, list) or not posts:
        raise FixtureError(f"{path}: posts: expected a non-empty list")
    if doc["posts_count"] != len(posts):
        raise FixtureError(
            f"{path}: posts_count is {doc['posts_count']} but posts lists {len(posts)}"
        )
    source_timezone = doc.get("source_timezone")
    parsed = tuple(
        _post(path, i, raw, offset, source_timezone) for i, raw in enumerate(posts, start=1)
    )
    return ForumFixture(
        name=name,
        page=str(doc["page"]),
        kind=str(doc["kind"]),
        engine=str(doc["engine"]),
        version=str(doc["version"]),
        style=str(doc["style"]),
        style_family=str(doc["style_family"]),
        language=str(doc["language"]),
        thread_title=str(doc["thread_title"]),
        next_page=doc["next_page"],
        zone_statement=zone.get("statement"),
        zone_offset=offset,
        source={key: str(value) for key, value in source.items()},
        posts=parsed,
        encoding=str(doc.get("encoding", "utf-8")),
        origin=origin,
        source_timezone=source_timezone,
        page_now=_utc(f"{path}: page_now", doc["page_now"]) if doc.get("page_now") else None,
        zone_name=zone.get("name"),
    )


def _require(path: Path, doc: dict[str, Any], keys: tuple[str, ...], prefix: str) -> None:
    missing = [key for key in keys if key not in doc]
    if missing:
        raise FixtureError(f"{path}: missing {', '.join(prefix + key for key in missing)}")


def _post(
    path: Path, number: int, raw: Any, offset: str | None, source_timezone: str | None
) -> ExpectedPost:
    where = f"{path}: posts[{number}]"
    if not isinstance(raw, dict):
        raise FixtureError(f"{where}: expected a mapping")
    _require(path, raw, POST_KEYS, f"posts[{number}].")
    rule = raw["date_rule"]
    if rule not in DATE_RULES:
        raise FixtureError(f"{where}.date_rule: {rule!r} is not one of {', '.join(DATE_RULES)}")
    published = raw["published_at"]
    if rule == SOURCE_TIMEZONE and source_timezone is None:
        # The page gives no zone and no source zone is known: nothing to compare the date to.
        if published is not None:
            raise FixtureError(
                f"{where}.published_at: must be null when date_rule is '{SOURCE_TIMEZONE}' "
                "and the file gives no source_timezone"
            )
        when = None
    else:
        when = _utc(where, published)
    if rule == STATED_ZONE and offset is None:
        raise FixtureError(f"{where}.date_rule: 'stated zone' but time_zone.offset is null")
    if not raw["author"]:
        raise FixtureError(f"{where}.author: empty")
    return ExpectedPost(
        author=str(raw["author"]),
        published_at=when,
        date_rule=rule,
        date_text=None if raw["date_text"] is None else str(raw["date_text"]),
        text_snippet=raw["text_snippet"],
        quote_absent=raw["quote_absent"],
        signature_absent=raw["signature_absent"],
        note=raw.get("note"),
        post_number=raw.get("post_number"),
        kept=raw.get("kept"),
        replies_to=_replies_to(where, raw.get("replies_to")),
    )


def _utc(where: str, value: Any) -> datetime:
    text = str(value)
    if not text.endswith("Z"):
        raise FixtureError(f"{where}.published_at: expected UTC ending in Z, got {text!r}")
    try:
        return datetime.fromisoformat(text[:-1]).replace(tzinfo=UTC)
    except ValueError as exc:
        raise FixtureError(f"{where}.published_at: not ISO 8601 ({text!r})") from exc
