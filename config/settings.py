"""The typed settings tree: one pydantic model per section of `veille.yaml`."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Annotated, Any, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.refusals import Refusal
from config.source_options import DEFAULT_URLS, OPTIONS, EnvName, check_options

_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


def _timezone_name(value: str) -> str:
    """`value` if it names a time zone, else a ValueError saying what to write."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not a time zone name; use an IANA name such as Europe/Paris"
        ) from None
    return value


REFUSALS = {
    "email": ("« {value} » n'est pas une adresse e-mail", "{value!r} is not an e-mail address")
}


def email_address(value: str) -> str:
    """`value` if it reads as an e-mail address, else a ValueError saying so (the one check:
    config's lists and the workspace's accounts)."""
    if "@" not in value or any(c.isspace() for c in value.strip()):
        raise Refusal(REFUSALS, "email", value=value)
    return value


# Field types checked wherever they appear (one check, one message each).
TimeZoneName = Annotated[str, AfterValidator(_timezone_name)]
EmailAddress = Annotated[str, AfterValidator(email_address)]


class Section(BaseModel):
    """A config section: unknown keys are errors, so typos never pass silently."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class SourceKind(StrEnum):
    FORUM = "forum"
    DISCOURSE = "discourse"
    RSS = "rss"
    REVIEWS = "reviews"
    MASTODON = "mastodon"
    BLUESKY = "bluesky"
    REDDIT = "reddit"
    YOUTUBE = "youtube"
    TWITTER_EXPORT = "twitter_export"
    FACEBOOK_EXPORT = "facebook_export"

    @property
    def is_export(self) -> bool:
        return self in (SourceKind.TWITTER_EXPORT, SourceKind.FACEBOOK_EXPORT)

    @classmethod
    def exports(cls) -> list[SourceKind]:
        """The kinds whose sources are inbox folders of export files (`veille import`)."""
        return [kind for kind in cls if kind.is_export]

    @property
    def is_api(self) -> bool:
        """A network read through its API (credentials from the environment), not web pages."""
        return self.value in OPTIONS


PluginNames = Collection[str] | Callable[[], Collection[str]]


@dataclass(frozen=True)
class Registered:
    """The check of a field naming a plugin (a forum engine, a stage, a labeler…), at load time.

    The registries live on the floors above, which config/ never imports: the caller of
    `load_settings(..., plugins={kind: names})` hands the names in (pipeline/plugins.py does),
    through pydantic's validation context, so a wrong name is reported like any other bad
    value: file, key path, line and the allowed values. Names in `always` are config's own
    (`auto`, the default stages) and need no registry; without a context nothing is checked.
    The configuration reference (config/reference.py) reads `kind` to list the names.
    """

    kind: str
    always: tuple[str, ...] = ()

    def __call__(self, value: str, info: ValidationInfo) -> str:
        if value in self.always:
            return value
        names = ((info.context or {}).get("plugins") or {}).get(self.kind)
        if names is None:
            return value
        allowed = list(names() if callable(names) else names)
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value


def registered(kind: str, always: Collection[str] = ()) -> AfterValidator:
    """A field's annotation metadata: the value must be a registered plugin of `kind`."""
    return AfterValidator(Registered(kind, tuple(always)))


ForumEngineName = Annotated[str, registered("forum_engine", always=("auto",))]


class DatabaseSettings(Section):
    url: str = Field(
        default="sqlite:///var/veille.db",
        description="SQLAlchemy URL: sqlite:///PATH (embedded default) or postgresql+psycopg://…",
    )
    batch_size: int | None = Field(
        default=None,
        ge=1,
        le=1_000_000,
        description="Mentions written per transaction by collectors (a killed run keeps every "
        "committed batch). Default: 5,000 on SQLite, 20,000 on PostgreSQL (fewer statements "
        "and commits per mention for the server; on SQLite larger batches gained nothing "
        "measurable).",
    )
    busy_timeout_seconds: float = Field(
        default=15.0, ge=0, description="SQLite: how long to wait for a lock held by another job."
    )
    echo: bool = Field(default=False, description="Log every SQL statement (debugging only).")

    @field_validator("url")
    @classmethod
    def _known_backend(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg:")):
            raise ValueError(
                f"{value!r} is not a supported database URL; use sqlite:///PATH "
                "or postgresql+psycopg://USER@HOST:PORT/DB"
            )
        return value


class BrandSettings(Section):
    name: str = Field(
        min_length=1, description="The brand's name, shown in reports and alert subjects; unique."
    )
    query: str | list[str] = Field(
        description="Boolean query (or, until then, a list of keywords) deciding which mentions"
        " are about this brand."
    )
    competitors: list[str] = Field(
        default_factory=list,
        description="Names of other entries of `brands` this brand is compared with (share of "
        "voice).",
    )
    own_accounts: list[str] = Field(
        default_factory=list,
        description=(
            "The brand's own handles/page names on social networks, and its staff's user names"
            " on forums: their posts are read as the brand's (a staff reply on a support forum"
            " is `service_client` or `information`, an announcement `communication`)."
        ),
    )
    reports: bool = Field(default=True, description="Write reports for this brand.")
    timezone: TimeZoneName | None = Field(
        default=None,
        description="Time zone of the brand's alert messages (default: schedules.timezone).",
    )

    @field_validator("query")
    @classmethod
    def _query_not_empty(cls, value: str | list[str]) -> str | list[str]:
        terms = [value] if isinstance(value, str) else value
        if not any(t.strip() for t in terms):
            raise ValueError("query is empty; give a boolean query or a list of keywords")
        return value

    @property
    def keywords(self) -> list[str]:
        return [self.query] if isinstance(self.query, str) else list(self.query)


class ThemeSettings(Section):
    """A theme of the brand team's own (delivery, prices, a product): a named query over the
    brands' mentions. Reports break the brand's mentions down by theme, the inbox filters on
    one, a hand-over rule may ask for one; a mention may be in several themes, or in none."""

    name: str = Field(
        min_length=1, max_length=80, description="The theme's name, shown in reports; unique."
    )
    query: str = Field(
        min_length=1,
        description="Boolean query (the brand queries' language: docs/queries.md) that a"
        " mention of the theme matches.",
    )
    brands: list[str] = Field(
        default_factory=list,
        description="The brands whose reports show the theme; empty: every brand (the inbox"
        " and the hand-over rules offer every theme).",
    )

    @field_validator("query")
    @classmethod
    def _query_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("query is empty; give a boolean query (docs/queries.md)")
        return value

    def applies_to(self, brand: str) -> bool:
        return not self.brands or any(b.casefold() == brand.casefold() for b in self.brands)


class SourceSettings(Section):
    name: str = Field(
        min_length=1,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="The source's name: letters, digits, `-`, `_`, `.`; unique.",
    )
    kind: SourceKind = Field(
        description="What the source is, hence the spider or export inbox that reads it."
    )
    title: str | None = Field(
        default=None,
        max_length=80,
        description="The source's name in reports and e-mails (default: from its kind, e.g. "
        "'Forum', with the site's address when two sources share a kind).",
    )
    url: str | None = Field(default=None, description="Start URL (forums, feeds, review pages).")
    path: str | None = Field(default=None, description="Inbox folder (exports).")
    engine: ForumEngineName = Field(
        default="auto", description="auto (detected from the first page) or a forum engine."
    )
    timezone: str = Field(
        default="Europe/Paris", description="Time zone of dates the source shows without an offset."
    )
    language: str | None = Field(
        default=None, description="The source's language when known (else detected per mention)."
    )
    lookback_days: int = Field(
        default=30,
        ge=1,
        description="Stop paging listings once threads (or API items) are older than this.",
    )
    revisit_days: int = Field(
        default=7, ge=0, description="Re-read threads active in the last N days even if unchanged."
    )
    enabled: bool = Field(
        default=True, description="false: keep the source configured but skip it."
    )
    options: dict[str, Any] = Field(
        default_factory=dict,
        description="Options of the source's kind: typed for the API kinds (below), CSS selectors "
        "for `engine: generic`, `remove`, `date_order`, `next_page`, `brand`.",
    )

    @field_validator("options")
    @classmethod
    def _typed_options(cls, value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
        """API sources have typed options (config/source_options.py), checked here."""
        kind = info.data.get("kind")
        if kind is None:
            return value
        try:
            return check_options(str(kind.value if isinstance(kind, SourceKind) else kind), value)
        except ValidationError as exc:
            raise ValueError(
                "; ".join(
                    f"{_option_path(e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
                    if e["loc"]
                    else e["msg"].removeprefix("Value error, ")
                    for e in exc.errors()
                )
            ) from None

    @model_validator(mode="before")
    @classmethod
    def _default_url(cls, data: Any) -> Any:
        """An API source may leave out its url: the network's public API is meant."""
        if isinstance(data, dict) and not data.get("url") and data.get("kind") in DEFAULT_URLS:
            return {**data, "url": DEFAULT_URLS[data["kind"]]}
        return data

    @model_validator(mode="after")
    def _needs_location(self) -> SourceSettings:
        if self.kind.is_export:
            if not self.path:
                raise ValueError(f"a {self.kind.value} source needs a path: the inbox folder")
        elif not self.url:
            what = "the instance's URL" if self.kind == SourceKind.MASTODON else "a url"
            raise ValueError(f"a {self.kind.value} source needs {what}")
        if self.url and not self.url.startswith(("http://", "https://")):
            raise ValueError(f"url {self.url!r} must start with http:// or https://")
        return self


def _option_path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


# The default order of a run; each name is a stage of pipeline/stages (or a plugin's).
PIPELINE_STAGES = [
    "calendars", "crawl", "import", "answers", "analyze", "authors", "handoff", "detect",
    "alerts", "report", "retention", "backup",
]  # fmt: skip
StageName = Annotated[str, registered("stage", always=PIPELINE_STAGES)]
_STAGE_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")


class ScheduleSettings(Section):
    """The jobs `veille schedule` runs, the stages of a run and the run lock."""

    timezone: TimeZoneName = Field(
        default="Europe/Paris",
        description="Time zone of the crontab expressions, of report days and of the times "
        "e-mails and the web workspace show.",
    )
    nightly_run: str | None = Field(
        default="0 2 * * *",
        description="Job `nightly` (crontab line, null: off): the stages listed in "
        "`schedules.stages`.",
    )
    alerts_check: str | None = Field(
        default="*/15 * * * *",
        description="Job `incremental` (crontab line, null: off): the stages in "
        "`schedules.incremental_stages`.",
    )
    weekly_report: str | None = Field(
        default="0 6 * * 1",
        description="Job `weekly-report` (crontab line, null: off): the report stage, last 7 days.",
    )
    monthly_report: str | None = Field(
        default="0 6 1 * *",
        description="Job `monthly-report` (crontab line, null: off): the report stage, last 30 "
        "days.",
    )
    misfire_grace_seconds: int = Field(
        default=3600,
        ge=1,
        description="A job missed by less than this (scheduler stopped, machine asleep, busy) "
        "still runs, once.",
    )
    stages: list[StageName] = Field(
        default_factory=lambda: list(PIPELINE_STAGES),
        description="The stages of the nightly run (and of `veille run`), in this order.",
    )
    incremental_stages: list[StageName] = Field(
        default_factory=lambda: [
            "calendars",
            "crawl",
            "import",
            "answers",
            "analyze",
            "handoff",
            "alerts",
        ],
        description="The stages of the job run every `alerts_check`.",
    )
    lock_timeout_seconds: int = Field(
        default=600,
        ge=5,
        description="SQLite: a run lock not refreshed for this long (crashed holder) is taken "
        "over.",
    )
    lock_wait_seconds: int = Field(
        default=1800,
        ge=0,
        description="How long nightly and report jobs wait for a running job to finish (the "
        "15-minute job skips its turn).",
    )
    silent_after_runs: int = Field(
        default=3,
        ge=1,
        description="`veille status` flags a source that failed or found nothing in this many "
        "collections in a row.",
    )

    @field_validator("nightly_run", "alerts_check", "weekly_report", "monthly_report")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is None:
            return None
        fields = value.split()
        if len(fields) != 5 or not all(_CRON_FIELD.match(f) for f in fields):
            raise ValueError(
                f"{value!r} is not a crontab expression of 5 fields (minute hour day month weekday)"
                " nor null (job off)"
            )
        return value

    @field_validator("stages", "incremental_stages")
    @classmethod
    def _stage_list(cls, value: list[str]) -> list[str]:
        seen: set[str] = set()
        for name in value:
            if not _STAGE_NAME.match(name):
                raise ValueError(
                    f"{name!r} is not a stage name; the stages are {', '.join(PIPELINE_STAGES)}"
                )
            if name in seen:
                raise ValueError(f"stage {name!r} is listed twice; a run runs each stage once")
            seen.add(name)
        return value


ReportPeriod = Literal["yesterday", "last-7-days", "last-30-days"]
# What a report is written as (reports.output): a page, its PDF, its figures, its slides.
ReportFormat = Literal["html", "pdf", "json", "pptx"]
REPORT_FORMATS: tuple[str, ...] = get_args(ReportFormat)


class ReportRouteSettings(Section):
    """Which targets a report goes to: every route whose brands and periods match."""

    brands: list[str] = Field(default_factory=list, description="Empty: every brand.")
    periods: list[ReportPeriod] = Field(
        default_factory=list,
        description="Empty: every period the report stage writes (yesterday, last-7-days…).",
    )
    targets: list[str] = Field(min_length=1, description="Names under alerts.targets.")


class ReportSettings(Section):
    languages: list[Literal["fr", "en"]] = Field(
        default_factory=lambda: ["fr"],  # type: ignore[arg-type]
        description="Languages the report stage writes each report in.",
    )
    periods: list[ReportPeriod] = Field(
        default_factory=lambda: ["yesterday"],  # type: ignore[arg-type]
        description="Periods the report stage writes each night.",
    )
    formats: list[ReportFormat] = Field(
        default_factory=lambda: ["html", "pdf"],  # type: ignore[arg-type]
        description="Formats the report stage (and `veille report` without `--format`) writes: "
        "html, pdf, json, pptx (slides: the summary, the scorecard, each chart, the posts).",
    )
    output_dir: str = Field(
        default="var/reports", description="Where reports and their index.html are written."
    )
    attach: list[Literal["pdf", "pptx"]] = Field(
        default_factory=lambda: ["pdf"],  # type: ignore[arg-type]
        description="What a report's e-mail attaches of the formats written: the PDF, the slides "
        "(pptx), both, or nothing ([]).",
    )
    exclude_suspicious: bool = Field(
        default=True,
        description="Leave mentions flagged as suspicious (mention_flags) out of the figures.",
    )
    exclude_own_posts: bool = Field(
        default=True,
        description="Leave the posts of the brands' own accounts (brands[].own_accounts, every "
        "brand's) out of the figures: they count what others say; the brand's own posts are "
        "listed apart.",
    )
    pseudonymise: bool = Field(
        default=False,
        description="Show authors as stable keyed pseudonyms (key: privacy.pseudonym_key), but "
        "the brands' own accounts and privacy.allow.",
    )
    jobs: int = Field(
        default=0, ge=0,
        description="Reports the report stage writes at once, each in a process of its own "
        "(brands × periods); 0: one per core.",
    )  # fmt: skip
    recipients: dict[str, list[EmailAddress]] = Field(
        default_factory=dict,
        description="Brand name → the e-mail addresses each of its reports goes to once "
        "written, in alerts.language when the report is written in it (else the first of "
        "reports.languages): the summary of page 1 in the body, the PDF attached (when "
        "written), a link to the HTML under alerts.report_url.",
    )
    routes: list[ReportRouteSettings] = Field(
        default_factory=list,
        description="Which targets under alerts.targets (Slack, Teams, a webhook, an e-mail "
        "list) each report is posted to once written: every route whose brands and periods "
        "match, each target once, in the target's language (its `language` when the report is "
        "written in it, else the first of reports.languages), after its quiet hours.",
    )


def _http_address(value: str | None) -> str | None:
    """An http(s) address without its trailing slash; ValueError when it is none."""
    if value is not None and not re.match(r"^https?://\S+$", value.strip()):
        raise ValueError(f"{value!r} is not an http(s) address")
    return value.strip().rstrip("/") if value else None


Severity = Literal["low", "medium", "high", "critical"]
_TARGET_NAME = re.compile(r"^[A-Za-z0-9_.\-]+$")
# Names the built-in lists take: a brand's alerts.recipients and alerts.operators.
RESERVED_TARGETS = ("recipients", "operators")


class TargetSettings(Section):
    """Where alert messages go: an e-mail list, a Slack or Teams channel, a signed webhook.

    Secrets (webhook URLs, HMAC keys) are never written here: `url_env` and `secret_env` name
    the environment variables that hold them.
    """

    channel: Annotated[str, registered("channel")] = Field(
        default="email", description="email, slack, teams, webhook or a plugin's channel."
    )
    to: list[EmailAddress] = Field(
        default_factory=list, description="E-mail addresses (channel email)."
    )
    url_env: EnvName | None = Field(
        default=None, description="The environment variable holding the webhook URL."
    )
    secret_env: EnvName | None = Field(
        default=None, description="webhook: the environment variable holding the HMAC key."
    )
    language: Literal["fr", "en"] | None = Field(
        default=None, description="Language of this target's messages (default: alerts.language)."
    )
    quiet_hours: str | None = Field(
        default=None,
        description="HH:MM-HH:MM local time (22:00-07:00): messages wait for the end, "
        "but those of `quiet_except` severities.",
    )
    quiet_except: list[Severity] = Field(
        default_factory=lambda: ["critical"],  # type: ignore[arg-type]
        description="Severities delivered even during quiet hours.",
    )
    timezone: TimeZoneName | None = Field(
        default=None, description="Time zone of quiet_hours (default: schedules.timezone)."
    )
    timeout_seconds: float = Field(default=10.0, gt=0, description="Webhooks: wait this long.")
    retries: int = Field(default=2, ge=0, le=10, description="Webhooks: retries before hand-over.")
    backoff_seconds: float = Field(
        default=1.0, ge=0, description="Webhooks: first wait between retries; doubles each time."
    )

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str | None) -> str | None:
        if value is not None:
            quiet_window(value)  # raises ValueError with what to write
        return value

    @model_validator(mode="after")
    def _needs(self) -> TargetSettings:
        if self.channel == "email":
            if not self.to:
                raise ValueError("an email target needs `to`: the addresses")
        elif not self.url_env:
            raise ValueError(
                f"a {self.channel} target needs `url_env`: the environment variable holding its URL"
            )
        if self.channel == "webhook" and not self.secret_env:
            raise ValueError(
                "a webhook target needs `secret_env`: the environment variable holding the "
                "HMAC-SHA256 key its requests are signed with"
            )
        return self


def quiet_window(value: str) -> tuple[int, int]:
    """`22:00-07:00` as minutes after midnight (1320, 420); the window may cross midnight."""
    match = re.fullmatch(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*", value)
    if match is None:
        raise ValueError(f"{value!r} is not a time window; write it like 22:00-07:00")
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59 or (h1, m1) == (h2, m2):
        raise ValueError(f"{value!r} is not a time window; write it like 22:00-07:00")
    return h1 * 60 + m1, h2 * 60 + m2


class EscalationSettings(Section):
    """An alert nobody acknowledged (`veille alerts ack`) is sent again, to other targets."""

    after_minutes: int = Field(
        default=30, ge=1, description="How long an alert may stay unacknowledged."
    )
    severities: list[Severity] = Field(
        default_factory=lambda: ["critical"],  # type: ignore[arg-type]
        description="The severities that escalate.",
    )
    targets: list[str] = Field(
        default_factory=list, description="Names under alerts.targets; empty: no escalation."
    )


def time_of_day(value: str) -> str:
    """`08:00`: a local time of day (schedules.timezone), as the settings write them."""
    if not re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", value.strip()):
        raise ValueError(f"{value!r} is not a time of day; write it like 08:00")
    return value.strip()


class DigestSettings(Section):
    """Alerts of these severities go into one message a day instead of one each."""

    severities: list[Severity] = Field(
        default_factory=list, description="The severities digested; empty: no digest."
    )
    at: str = Field(
        default="08:00", description="Local time (schedules.timezone) the digest is sent."
    )

    @field_validator("at")
    @classmethod
    def _time(cls, value: str) -> str:
        return time_of_day(value)


# The kinds of alert (names in storage.vocab, rules in reports.alerts.kinds): a burst of negative
# mentions, a jump of the negative share at low volume, a negative post by an influential
# author, a coordinated campaign (near-duplicate posts by several accounts), a term or hashtag
# rising fast with the brand, one of the team's themes (`themes`) far above its usual share.
AlertKind = Literal[
    "bad_buzz",
    "negative_share",
    "influential_post",
    "campaign",
    "rising_term",
    "rising_theme",
    "watched_author",
]
ALERT_KINDS: tuple[str, ...] = AlertKind.__args__  # type: ignore[attr-defined]


class AlertKindSettings(Section):
    """What every kind of alert has: on or off, and its own quiet time after an episode."""

    enabled: bool = Field(default=True, description="Raise alerts of this kind.")
    cooldown_minutes: int | None = Field(
        default=None,
        ge=0,
        description="Quiet time after an episode of this kind ends before a new one "
        "(default: alerts.cooldown_minutes).",
    )


class BadBuzzSettings(AlertKindSettings):
    """An unusual burst of negative mentions (the anomaly detector on the negative series)."""

    threshold: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Anomaly score (default: alerts.threshold)."
    )
    min_negative: int | None = Field(
        default=None, ge=1, description="Negative mentions in 1 h (default: alerts.min_negative)."
    )


class NegativeShareSettings(AlertKindSettings):
    """Few mentions, but many more of them negative than usual (3 of 4 instead of 1 of 10)."""

    cooldown_minutes: int | None = Field(default=180, ge=0, description="Quiet time after.")
    window_minutes: int = Field(default=60, ge=5, le=1440, description="The window read.")
    min_negative: int = Field(default=3, ge=1, description="Negative mentions in the window.")
    min_share: float = Field(
        default=0.5, gt=0.0, le=1.0, description="Share of the window's mentions negative."
    )
    jump: float = Field(
        default=3.0, gt=1.0, description="And at least this many times the usual share."
    )
    baseline_days: int = Field(default=7, ge=1, le=90, description="The usual share's history.")
    max_chance: float = Field(
        default=0.01,
        gt=0.0,
        le=1.0,
        description="And so many negatives among the window's mentions would happen by chance "
        "at the usual share at most this often (binomial tail): 3 of 3 is common when a third "
        "is usually negative, 3 of 4 is not when a tenth is.",
    )


class InfluentialPostSettings(AlertKindSettings):
    """A negative post by an author with a large audience or a high influence score."""

    cooldown_minutes: int | None = Field(default=360, ge=0, description="Quiet time after.")
    window_minutes: int = Field(default=60, ge=5, le=1440, description="The window read.")
    min_influence: float | None = Field(
        default=None,
        ge=0.0,
        le=100.0,
        description="Influence (0–100) from which a negative post alerts (default: "
        "alerts.influence_threshold).",
    )
    min_followers: int | None = Field(
        default=100_000, ge=1, description="Or followers from which it alerts (null: not used)."
    )


class WatchedAuthorSettings(AlertKindSettings):
    """A post about the brand by an author the team tagged to watch (a journalist, a VIP)."""

    cooldown_minutes: int | None = Field(default=60, ge=0, description="Quiet time after.")
    window_minutes: int = Field(default=60, ge=5, le=1440, description="The window read.")
    tags: list[str] = Field(
        default_factory=list,
        description="The authors' tags (put on a contributor's page of the web workspace) whose "
        "posts alert: `[journaliste, VIP]`; empty: this kind never fires.",
    )
    negative_only: bool = Field(
        default=False, description="Only their negative posts (default: whatever they say)."
    )


class CampaignSettings(AlertKindSettings):
    """A burst of near-identical posts from several accounts: praise or denigration."""

    cooldown_minutes: int | None = Field(default=180, ge=0, description="Quiet time after.")
    window_minutes: int = Field(default=120, ge=10, le=2880, description="The window read.")
    min_accounts: int = Field(default=4, ge=2, description="Different accounts posting copies.")
    min_posts: int = Field(default=6, ge=2, description="Near-identical posts in the window.")
    similarity: float = Field(
        default=0.7, gt=0.0, le=1.0, description="Word 3-gram similarity of copies (MinHash)."
    )


class RisingTermSettings(AlertKindSettings):
    """A hashtag or word pair suddenly frequent with the brand."""

    cooldown_minutes: int | None = Field(default=720, ge=0, description="Quiet time after.")
    window_minutes: int = Field(default=120, ge=10, le=2880, description="The window read.")
    baseline_days: int = Field(default=3, ge=1, le=30, description="The usual rate's history.")
    min_mentions: int = Field(default=8, ge=2, description="Mentions with the term in the window.")
    min_authors: int = Field(default=3, ge=1, description="From at least this many authors.")
    min_ratio: float = Field(
        default=5.0, gt=1.0, description="At least this many times its usual rate."
    )


class RisingThemeSettings(AlertKindSettings):
    """One of the brand team's themes (`themes`) far above its usual share of the brand's
    mentions."""

    cooldown_minutes: int | None = Field(default=720, ge=0, description="Quiet time after.")
    window_minutes: int = Field(default=120, ge=10, le=2880, description="The window read.")
    baseline_days: int = Field(default=7, ge=1, le=30, description="The usual share's history.")
    min_mentions: int = Field(default=8, ge=2, description="Mentions of the theme in the window.")
    min_authors: int = Field(default=3, ge=1, description="From at least this many authors.")
    min_ratio: float = Field(
        default=3.0,
        gt=1.0,
        description="At least this many times the mentions expected at the theme's usual share.",
    )
    max_chance: float = Field(
        default=0.01,
        gt=0.0,
        le=1.0,
        description="And so many mentions would come by chance at the usual share at most this "
        "often (Poisson tail).",
    )


class AlertKindsSettings(Section):
    """Each kind of alert, with its rule's settings."""

    bad_buzz: BadBuzzSettings = Field(default_factory=BadBuzzSettings)
    negative_share: NegativeShareSettings = Field(default_factory=NegativeShareSettings)
    influential_post: InfluentialPostSettings = Field(default_factory=InfluentialPostSettings)
    campaign: CampaignSettings = Field(default_factory=CampaignSettings)
    rising_term: RisingTermSettings = Field(default_factory=RisingTermSettings)
    rising_theme: RisingThemeSettings = Field(default_factory=RisingThemeSettings)
    watched_author: WatchedAuthorSettings = Field(default_factory=WatchedAuthorSettings)


class RouteSettings(Section):
    """Which targets an alert goes to: every route whose brands, severities and kinds match."""

    brands: list[str] = Field(default_factory=list, description="Empty: every brand.")
    severities: list[Severity] = Field(default_factory=list, description="Empty: every one.")
    kinds: list[AlertKind] = Field(
        default_factory=list, description="Alert kinds; empty: every kind."
    )
    targets: list[str] = Field(min_length=1, description="Names under alerts.targets.")


class AlertSettings(Section):
    bucket_minutes: int = Field(
        default=5, ge=1, le=1440, description="Width of the time buckets the detector scores."
    )
    threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Anomaly score of the negative series that alerts.",
    )
    min_negative: int = Field(
        default=10, ge=1, description="And at least this many negative mentions in the last hour."
    )
    lookback_days: int = Field(
        default=14, ge=3, le=90, description="History the detector reads (it warms up one day)."
    )
    detector: Annotated[str, registered("detector")] = Field(
        default="streaming", description="The anomaly detector scoring the negative series."
    )
    normal_ratio: float = Field(
        default=2.0, gt=1.0, description="Back to normal below this many times the expected level."
    )
    influence_threshold: float = Field(
        default=80.0,
        ge=0.0,
        le=100.0,
        description="A negative post by an author this influential (0–100) alerts too.",
    )
    cooldown_minutes: int = Field(
        default=60,
        ge=0,
        description="Quiet time after an episode ends before a new one for the brand.",
    )
    recipients: dict[str, list[EmailAddress]] = Field(
        default_factory=dict, description="Brand name → the e-mail addresses its alerts go to."
    )
    operators: list[str] = Field(
        default_factory=list, description="Addresses told when the nightly run fails."
    )
    targets: dict[str, TargetSettings] = Field(
        default_factory=dict,
        description="Named destinations of alert messages: e-mail lists, Slack, Teams, webhooks.",
    )
    routes: list[RouteSettings] = Field(
        default_factory=list,
        description="Which targets each alert goes to, by brand, severity and kind.",
    )
    escalation: EscalationSettings = Field(default_factory=EscalationSettings)
    digest: DigestSettings = Field(default_factory=DigestSettings)
    outbox_dir: str = Field(
        default="var/outbox",
        description="E-mails are written here as .eml files when `smtp.host` is empty.",
    )
    language: Literal["fr", "en"] | None = Field(
        default=None,
        description="Language of the alert e-mails; unset: the first of reports.languages.",
    )
    kinds: AlertKindsSettings = Field(
        default_factory=AlertKindsSettings,
        description="The kinds of alert and their rules (for every brand).",
    )
    brands: dict[str, dict[AlertKind, dict[str, Any]]] = Field(
        default_factory=dict,
        description="Brand name → kind → settings of `kinds` that differ for that brand "
        "(`Lumino: {campaign: {enabled: false}}`).",
    )
    owners: dict[str, str] = Field(
        default_factory=dict,
        description="Brand name → who handles its alerts (name, phone or address), shown in "
        "every alert message.",
    )
    report_url: str | None = Field(
        default=None,
        description="Where reports.output_dir is published (https://…); alert messages link "
        "to the brand's latest report there.",
    )

    def kind(self, brand: str, name: str) -> AlertKindSettings:
        """The settings of one kind of alert for one brand (its overrides applied)."""
        base: AlertKindSettings = getattr(self.kinds, name)
        override = self.brands.get(brand, {}).get(name)  # type: ignore[call-overload]
        if not override:
            return base
        return type(base).model_validate({**base.model_dump(exclude_unset=True), **override})

    @field_validator("report_url")
    @classmethod
    def _report_url(cls, value: str | None) -> str | None:
        return _http_address(value)

    @field_validator("brands")
    @classmethod
    def _brand_kinds(
        cls, value: dict[str, dict[str, dict[str, Any]]]
    ) -> dict[str, dict[str, dict[str, Any]]]:
        for brand, kinds in value.items():
            for name, override in kinds.items():
                model = AlertKindsSettings.model_fields[name].annotation
                try:
                    model.model_validate(override)  # type: ignore[union-attr]
                except ValidationError as err:
                    first = err.errors()[0]
                    where = ".".join(str(x) for x in (brand, name, *first["loc"]))
                    raise ValueError(f"{where}: {first['msg']}") from None
        return value

    @field_validator("targets")
    @classmethod
    def _target_names(cls, value: dict[str, TargetSettings]) -> dict[str, TargetSettings]:
        for name in value:
            if not _TARGET_NAME.match(name) or name in RESERVED_TARGETS:
                raise ValueError(
                    f"{name!r} cannot name a target: use letters, digits, . _ - and not "
                    f"{' or '.join(RESERVED_TARGETS)}"
                )
        return value

    @model_validator(mode="after")
    def _routes_name_targets(self) -> AlertSettings:
        named = [(f"routes[{i}].targets", r.targets) for i, r in enumerate(self.routes)]
        named.append(("escalation.targets", self.escalation.targets))
        for where, names in named:
            for name in names:
                if name not in self.targets:
                    known = ", ".join(self.targets) or "none defined"
                    raise ValueError(
                        f"{where}: {name!r} is not under alerts.targets (known: {known})"
                    )
        return self


class HandoffRuleSettings(Section):
    """Which mentions are handed over to a helpdesk or CRM by themselves (stage `handoff`):
    every rule whose filters all match sends the mention to its targets, once per target."""

    brands: list[str] = Field(default_factory=list, description="Empty: every brand.")
    topics: list[str] = Field(
        default_factory=list, description="Topic labels (service_client…); empty: any topic."
    )
    sentiments: list[str] = Field(
        default_factory=list, description="Sentiment labels (negative…); empty: any sentiment."
    )
    profiles: list[str] = Field(
        default_factory=list,
        description="The author's contributor profile (chasseur_info…); empty: any author.",
    )
    min_followers: int = Field(
        default=0, ge=0, description="Only authors with at least this many followers."
    )
    themes: list[str] = Field(
        default_factory=list,
        description="Names under `themes`: only mentions in one of them (their queries); empty:"
        " any mention.",
    )
    open_only: bool = Field(
        default=True,
        description="Only mentions still open in the inbox (not answered, not closed).",
    )
    targets: list[str] = Field(min_length=1, description="Names under alerts.targets.")


class HandoffSettings(Section):
    """Handing mentions over to the teams that act on them (a helpdesk, a CRM): by a person
    (the web workspace, `veille handoff send`) or by `rules` (the `handoff` stage)."""

    rules: list[HandoffRuleSettings] = Field(
        default_factory=list, description="Mentions handed over by themselves; empty: none."
    )
    lookback_hours: int = Field(
        default=48, ge=1, le=24 * 30,
        description="The `handoff` stage looks at the mentions published this many hours back.",
    )  # fmt: skip


class WebSettings(Section):
    """The web workspace (`veille serve`) as people reach it."""

    url: str | None = Field(
        default=None,
        description="Where people reach the web workspace (https://…): alert messages link to "
        "the alert's page there (to acknowledge or resolve it), hand-overs to the mention's "
        "page. Null: no link.",
    )
    language: Literal["fr", "en"] | None = Field(
        default=None,
        description="Language of the workspace's pages for a person who has not chosen one "
        "(each person picks theirs in the top bar). Null: the first of reports.languages.",
    )
    reminder_at: str | None = Field(
        default=None,
        description="Local time (schedules.timezone) each person with an e-mail address hears "
        "of the mentions assigned to them still open — how many, how many negative, the oldest, "
        "the most urgent —, once a day, sent by the first alerts check after it (within three "
        "hours); nobody hears of an empty queue. Null: no reminder.",
    )
    two_factor: Literal["optional", "required"] = Field(
        default="optional",
        description="Two-step sign-in (a code from an authenticator app after the password): "
        "optional, each person turns it on from their account page; required, whoever has "
        "not set it up is sent to their account page to do so before any other page.",
    )

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        return _http_address(value)

    @field_validator("reminder_at")
    @classmethod
    def _reminder(cls, value: str | None) -> str | None:
        return None if value is None else time_of_day(value)

    def page(self, path: str) -> str | None:
        """The address of one of the workspace's pages (`/alerts/12`), None without `url`."""
        return f"{self.url}{path}" if self.url else None


class SmtpSettings(Section):
    host: str | None = Field(
        default=None,
        description="SMTP server; null: write e-mails to `alerts.outbox_dir` instead of sending.",
    )
    port: int = Field(default=587, ge=1, le=65535, description="SMTP port.")
    user: str | None = Field(
        default=None, description="SMTP login (the password only from VEILLE_SMTP__PASSWORD)."
    )
    password: SecretStr | None = Field(default=None, description="Only from VEILLE_SMTP__PASSWORD.")
    security: Literal["starttls", "ssl", "none"] = Field(
        default="starttls", description="starttls, ssl (implicit TLS) or none."
    )
    timeout_seconds: float = Field(
        default=30.0, gt=0, description="Connection and command timeout."
    )
    retries: int = Field(
        default=3, ge=0, le=10, description="Retries of one e-mail within a check."
    )
    backoff_seconds: float = Field(default=2.0, ge=0, description="First wait; doubles each retry.")
    sender: str = Field(
        default="veille@localhost", description="The From address of alert and operator e-mails."
    )
    sender_name: str = Field(
        default="Veille", max_length=80, description="The name shown beside the From address."
    )


class CrawlSettings(Section):
    contact_url: str = Field(
        default="https://github.com/veille-project/veille",
        description="Put in the User-Agent (`Veille/0.1 (+URL)`).",
    )
    concurrency_per_domain: int = Field(
        default=2, ge=1, le=32, description="Requests in flight per domain."
    )
    download_delay: float = Field(
        default=0.5,
        ge=0,
        description="Seconds between requests to one domain (AutoThrottle adapts it).",
    )
    autothrottle: bool = Field(
        default=True, description="Adapt the pace to the server's response times."
    )
    timeout_seconds: float = Field(
        default=30.0, gt=0, description="Download timeout of one request."
    )
    retries: int = Field(
        default=2,
        ge=0,
        le=10,
        description="A 5xx or a timeout is retried this many times, then logged and counted.",
    )
    obey_robots: bool = Field(default=True, description="Obey robots.txt (web sources).")
    rate_limit_max_wait_seconds: float = Field(
        default=900.0,
        ge=0,
        description="Longest wait for a rate-limit window (429 Retry-After, quota reset); a "
        "longer one leaves the rest of the source for the next run.",
    )
    rate_limit_retries: int = Field(
        default=3, ge=0, le=10, description="A 429 is retried this many times after its wait."
    )
    redis_url: str = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis holding the request queue and duplicate filter that crawl workers "
        "share (`veille crawl --distributed`, `veille worker crawl`; scrapy-redis). A password "
        "goes in VEILLE_CRAWL__REDIS_URL, not in the file.",
    )

    @property
    def user_agent(self) -> str:
        return f"Veille/0.1 (+{self.contact_url})"


class SentimentSettings(Section):
    backend: Annotated[str, registered("sentiment_backend")] = Field(
        default="default", description="default, transformers or a plugin's backend."
    )
    model: str | None = Field(
        default=None,
        description="transformers backend: a local folder or a cached Hugging Face id (nothing is "
        "downloaded).",
    )
    batch_size: int = Field(default=32, ge=1, description="Texts per model call.")


class AuthorsSettings(Section):
    """Contributor profiles, influence and suspicious-prescription flags (`nlp.authors`)."""

    window_days: int = Field(
        default=90,
        ge=1,
        le=3650,
        description="Profiles and tiers look at this many days of history.",
    )
    min_posts: int = Field(default=3, ge=1, description="Fewer posts in the window: `inconnu`.")
    duplicate_threshold: float = Field(
        default=0.7,
        gt=0,
        le=1,
        description="Estimated Jaccard similarity (word 3-grams) of near-duplicates.",
    )
    duplicate_hours: float = Field(
        default=48.0, gt=0, description="Near-duplicates count together within this many hours."
    )
    duplicate_min_authors: int = Field(
        default=3, ge=2, description="A near-duplicate campaign needs this many distinct accounts."
    )
    new_account_days: int = Field(
        default=30, ge=1, description="An account created this recently before posting is new."
    )
    burst_min_posts: int = Field(
        default=8,
        ge=2,
        description="Posts from new or single-purpose accounts in a brand-day to flag a burst.",
    )
    review_min_same_day: int = Field(
        default=5, ge=2, description="Five-star reviews on one page on one day to flag."
    )


# The labelling profiles (`nlp.profile`): which stacks of the topic and sentiment models label a
# text; the default first.
LabelingProfile = Literal["accurate", "fast", "thorough"]
LABELING_PROFILES: tuple[str, ...] = get_args(LabelingProfile)
DEFAULT_LABELING_PROFILE: LabelingProfile = "accurate"


class NlpSettings(Section):
    profile: LabelingProfile = Field(
        default=DEFAULT_LABELING_PROFILE,
        description=(
            "accurate (sentence encoder), fast (n-grams only) or thorough (accurate, then the "
            "uncertain texts through a second, slower encoder, e5)."
        ),
    )
    thorough_languages: list[Annotated[str, StringConstraints(pattern=r"^[a-z]{2}$")]] = Field(
        default_factory=list,
        description="With profile thorough, only the uncertain texts in these languages "
        "(ISO 639-1 codes, such as en) go on to e5; the others keep their accurate label. "
        "Empty: every language. English gains the most (nlp/models/README.md).",
    )  # fmt: skip
    labelers: list[Annotated[str, registered("labeler")]] = Field(
        default_factory=lambda: ["language", "sentiment", "topic"],
        description="The labelling tasks of the analyze stage, in this order.",
    )
    batch_size: int = Field(
        default=2000, ge=1, description="Mentions labelled per batch by the analyze stage."
    )
    jobs: int = Field(
        default=0, ge=0,
        description="Processes of this machine that label each batch of the analyze stage, a "
        "slice each, and that derive the cues and signatures of the texts the authors stage "
        "reads (the labels and profiles are the same whatever their number); 0: one per core.",
    )  # fmt: skip
    review_below: float = Field(
        default=0.6, ge=0, le=1,
        description="Topic and sentiment labels whose calibrated score is below this are "
        "marked for review (`veille label --review`).",
    )  # fmt: skip
    models_dir: str = Field(
        default="var/models",
        description="Where `veille train` writes the workspace's models and which is active.",
    )
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings)
    authors: AuthorsSettings = Field(default_factory=AuthorsSettings)


class CalendarSettings(Section):
    """A team's calendar (iCalendar: a Google, Outlook or Apple calendar's export file or its
    secret subscription address) whose events the `calendars` stage marks on a brand's
    timeline, as `veille events add` does."""

    name: str = Field(
        min_length=1,
        max_length=100,
        pattern=r"^[A-Za-z0-9_.\-]+$",
        description="The calendar's name: letters, digits, `-`, `_`, `.`; unique.",
    )
    brand: str | None = Field(
        default=None, description="The brand whose timeline it marks (null: every brand's)."
    )
    path: str | None = Field(default=None, description="An .ics file (relative: to the config).")
    url_env: EnvName | None = Field(
        default=None,
        description="The environment variable holding its subscription address (a secret).",
    )
    timezone: TimeZoneName | None = Field(
        default=None,
        description="Time zone of its times written without one, when the calendar names none "
        "(default: schedules.timezone).",
    )

    @model_validator(mode="after")
    def _one_place(self) -> CalendarSettings:
        if (self.path is None) == (self.url_env is None):
            raise ValueError(
                "give a calendar either `path` (an .ics file) or `url_env` (the environment "
                "variable holding its subscription address)"
            )
        return self


class EventSettings(Section):
    calendars: list[CalendarSettings] = Field(
        default_factory=list,
        description="Calendars read by the `calendars` stage: their events are marked on the "
        "brands' timelines, and updated or removed as the calendar changes.",
    )

    @field_validator("calendars")
    @classmethod
    def _unique(cls, calendars: list[CalendarSettings]) -> list[CalendarSettings]:
        names = [c.name for c in calendars]
        twice = sorted({n for n in names if names.count(n) > 1})
        if twice:
            raise ValueError(f"calendar names must be unique: {', '.join(twice)} given twice")
        return calendars


class BackupSettings(Section):
    """Nightly backups of the whole database, one file a day (the `backup` stage)."""

    folder: str | None = Field(
        default=None,
        description="Where the `backup` stage writes `veille-YYYY-MM-DD.db` (the run's day in "
        "schedules.timezone), a copy of every row as `veille db copy --to` makes it, or "
        "`veille-YYYY-MM-DD.dump` (format pg_dump); null: no backups.",
    )
    format: Literal["sqlite", "pg_dump"] = Field(
        default="sqlite",
        description="sqlite: a SQLite file, restorable on either backend (`veille db copy "
        "--from`); pg_dump (PostgreSQL workspaces): PostgreSQL's own compressed archive of the "
        "workspace's schema, written by the server far faster than a row-by-row copy, "
        "restorable into PostgreSQL by the same command (needs pg_dump and pg_restore on PATH: "
        "Debian's postgresql-client, the server's major version or newer).",
    )
    keep: int = Field(
        default=7,
        ge=1,
        description="The newest backups kept; older `veille-*.db` and `veille-*.dump` files of "
        "the folder are deleted (and the personal data in them: their retention).",
    )


class PrivacySettings(Section):
    """Personal data: how long mentions are kept, and how exports and reports hide people."""

    retention_days: int | dict[str, int] = Field(
        default=395,
        description="Days a mention (its raw record, labels, matches) is kept after it was "
        "published, then the `retention` stage deletes it: one number, or per source kind "
        "(`{twitter_export: 90, default: 395}`).",
    )
    pseudonym_key: SecretStr | None = Field(
        default=None,
        description="Key of the pseudonyms of `veille export --pseudonymise` and "
        "`reports.pseudonymise`; only from VEILLE_PRIVACY__PSEUDONYM_KEY.",
    )
    allow: list[str] = Field(
        default_factory=list,
        description="Handles never pseudonymised (public figures); the brands' own_accounts "
        "are never pseudonymised either.",
    )

    @field_validator("retention_days")
    @classmethod
    def _retention(cls, value: int | dict[str, int]) -> int | dict[str, int]:
        days = {"default": value} if isinstance(value, int) else value
        kinds = [k.value for k in SourceKind]
        for key, n in days.items():
            if key != "default" and key not in kinds:
                raise ValueError(
                    f"{key!r} is not a source kind; use default or one of {', '.join(kinds)}"
                )
            if n < 1:
                raise ValueError(f"{key}: {n} days; keep mentions at least 1 day")
        return value

    def retention_for(self, kind: str) -> int:
        """Days mentions of this source kind are kept."""
        if isinstance(self.retention_days, int):
            return self.retention_days
        return self.retention_days.get(kind, self.retention_days.get("default", 395))


class WorkersSettings(Section):
    """Crawl and labelling workers on one or many machines (docs/workers.md)."""

    analyze: bool = Field(
        default=False,
        description="The analyze stage of runs hands batches of mentions to labelling workers, "
        "as `veille analyze --distributed` does.",
    )
    crawl: bool = Field(
        default=False,
        description="The crawl stage of runs hands the web sources to crawl workers sharing "
        "their requests in Redis (crawl.redis_url), as `veille crawl --distributed` does.",
    )
    broker_url: str = Field(
        default="amqp://guest:guest@127.0.0.1:5672//",
        description="Celery broker of the labelling workers (RabbitMQ: amqp://USER:PASSWORD@HOST:"
        "5672/VHOST). A password goes in VEILLE_WORKERS__BROKER_URL, not in the file.",
    )
    namespace: str = Field(
        default="veille",
        pattern=r"^[A-Za-z0-9_.\-]+$",
        max_length=60,
        description="Prefix of the Redis keys and name of the Celery queue: installations "
        "sharing one Redis or broker each use their own.",
    )
    local: int = Field(
        default=1,
        ge=0,
        le=64,
        description="Worker processes `--distributed` commands and stages start on their own "
        "machine for the run, besides the `veille worker` processes of any machine.",
    )
    heartbeat_seconds: float = Field(
        default=5.0, gt=0, le=300, description="How often a worker says it is alive."
    )
    dead_after_seconds: float = Field(
        default=60.0,
        gt=0,
        description="A worker silent this long is dead: a crawl stops waiting for it, "
        "`veille status` shows it as lost, and a run with no live worker fails.",
    )

    @model_validator(mode="after")
    def _dead_after_beats(self) -> WorkersSettings:
        if self.dead_after_seconds <= 2 * self.heartbeat_seconds:
            raise ValueError(
                f"dead_after_seconds ({self.dead_after_seconds:g}) must be more than twice "
                f"heartbeat_seconds ({self.heartbeat_seconds:g}), or live workers look dead"
            )
        return self


# Keys that moved, (section, key) then → now; Settings._moved_keys reads them where they were.
MOVED_KEYS = {("handoff", "workspace_url"): ("web", "url")}


class Settings(BaseSettings):
    """Everything Veille reads from `veille.yaml`, `.env` and `VEILLE_…` variables."""

    model_config = SettingsConfigDict(
        env_prefix="VEILLE_",
        env_nested_delimiter="__",
        extra="forbid",
        validate_assignment=True,
    )

    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    brands: list[BrandSettings] = Field(default_factory=list)
    sources: list[SourceSettings] = Field(default_factory=list)
    themes: list[ThemeSettings] = Field(
        default_factory=list,
        description="The brand team's own themes (named queries); reports break the brand's"
        " mentions down by them.",
    )
    schedules: ScheduleSettings = Field(default_factory=ScheduleSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    handoff: HandoffSettings = Field(default_factory=HandoffSettings)
    web: WebSettings = Field(default_factory=WebSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    workers: WorkersSettings = Field(default_factory=WorkersSettings)
    privacy: PrivacySettings = Field(default_factory=PrivacySettings)
    backup: BackupSettings = Field(default_factory=BackupSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        default="INFO",
        description="Log level of the command line and the scheduler (`--debug`: DEBUG).",
    )

    @model_validator(mode="before")
    @classmethod
    def _moved_keys(cls, data: Any) -> Any:
        """Keys an earlier version read elsewhere, still read where they were (with a note
        in the log saying where they are now): a configuration that worked keeps working."""
        if not isinstance(data, dict):
            return data
        for (old_section, old_key), (new_section, new_key) in MOVED_KEYS.items():
            section = data.get(old_section)
            if not isinstance(section, dict) or old_key not in section:
                continue
            section = {k: v for k, v in section.items() if k != old_key}
            value = data[old_section][old_key]
            target = dict(data.get(new_section) or {})
            if target.get(new_key, value) != value:
                raise ValueError(
                    f"{old_section}.{old_key} and {new_section}.{new_key} differ: keep "
                    f"{new_section}.{new_key} only"
                )
            target[new_key] = value
            data = {**data, old_section: section, new_section: target}
            logging.getLogger("veille.config").warning(
                "%s.%s is now %s.%s: move it there (it is read all the same)",
                old_section, old_key, new_section, new_key,
            )  # fmt: skip
        return data

    @model_validator(mode="after")
    def _cross_references(self) -> Settings:
        if self.backup.format == "pg_dump" and not self.database.url.startswith("postgresql"):
            raise ValueError(
                "backup.format: pg_dump backs up a PostgreSQL database, and database.url is "
                "SQLite; use backup.format: sqlite"
            )
        names = [b.name for b in self.brands]
        _no_duplicates(names, "brands", "brand name")
        _no_duplicates([s.name for s in self.sources], "sources", "source name")
        _no_duplicates([t.name for t in self.themes], "themes", "theme name")
        known = set(names)
        for i, brand in enumerate(self.brands):
            for competitor in brand.competitors:
                if competitor not in known:
                    raise ValueError(
                        f"brands[{i}].competitors: {competitor!r} is not a configured brand; "
                        f"add it under brands (known: {', '.join(names)})"
                    )

        def configured(brand_name: str, where: str) -> None:
            if brand_name not in known:
                raise ValueError(
                    f"{where}: {brand_name!r} is not a configured brand "
                    f"(known: {', '.join(names) or 'none'})"
                )

        for i, source in enumerate(self.sources):
            about = source.options.get("brand")
            if about is not None:
                configured(about, f"sources[{i}].options.brand")
        for i, theme in enumerate(self.themes):
            for brand_name in theme.brands:
                configured(brand_name, f"themes[{i}].brands")
        for i, route in enumerate(self.alerts.routes):
            for brand_name in route.brands:
                configured(brand_name, f"alerts.routes[{i}].brands")
        for where, keyed in (
            ("alerts.recipients", self.alerts.recipients),
            ("alerts.brands", self.alerts.brands),
            ("alerts.owners", self.alerts.owners),
            ("reports.recipients", self.reports.recipients),
        ):
            for keyed_brand in keyed:
                configured(keyed_brand, where)
        for i, report_route in enumerate(self.reports.routes):
            for brand_name in report_route.brands:
                configured(brand_name, f"reports.routes[{i}].brands")
            for target in report_route.targets:
                if target not in self.alerts.targets:
                    raise ValueError(
                        f"reports.routes[{i}].targets: {target!r} is not under alerts.targets "
                        f"(known: {', '.join(self.alerts.targets) or 'none defined'})"
                    )
        for i, calendar in enumerate(self.events.calendars):
            if calendar.brand is not None:
                configured(calendar.brand, f"events.calendars[{i}].brand")
        for i, rule in enumerate(self.handoff.rules):
            for brand_name in rule.brands:
                configured(brand_name, f"handoff.rules[{i}].brands")
            theme_names = [t.name for t in self.themes]
            for name in rule.themes:
                if name not in theme_names:
                    raise ValueError(
                        f"handoff.rules[{i}].themes: {name!r} is not under themes "
                        f"(known: {', '.join(theme_names) or 'none defined'})"
                    )
            for target in rule.targets:
                if target not in self.alerts.targets:
                    raise ValueError(
                        f"handoff.rules[{i}].targets: {target!r} is not under alerts.targets "
                        f"(known: {', '.join(self.alerts.targets) or 'none defined'})"
                    )
        return self

    @property
    def own_accounts(self) -> list[str]:
        """Every brand's own accounts: their posts are the brands' own, not talk about them
        (reports.exclude_own_posts; alerts never count them)."""
        return sorted({h for b in self.brands for h in b.own_accounts})

    def themes_for(self, brand: str) -> list[ThemeSettings]:
        """The themes shown for `brand`, in configuration order."""
        return [t for t in self.themes if t.applies_to(brand)]

    def brand(self, name: str) -> BrandSettings:
        for brand in self.brands:
            if brand.name.casefold() == name.casefold():
                return brand
        known = ", ".join(b.name for b in self.brands) or "none configured"
        raise KeyError(f"unknown brand {name!r}; configured brands: {known}")

    def zone_of(self, brand: str | None) -> str:
        """A brand's time zone (its `timezone`, else `schedules.timezone`); None: every
        brand's, `schedules.timezone`."""
        own = self.brand(brand).timezone if brand is not None else None
        return own or self.schedules.timezone

    def source(self, name: str) -> SourceSettings:
        for source in self.sources:
            if source.name == name:
                return source
        known = ", ".join(s.name for s in self.sources) or "none configured"
        raise KeyError(f"unknown source {name!r}; configured sources: {known}")


def _no_duplicates(values: list[str], key: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value.casefold() in seen:
            raise ValueError(f"{key}: {what} {value!r} appears twice; names must be unique")
        seen.add(value.casefold())
