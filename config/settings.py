"""The typed settings tree: one pydantic model per section of `veille.yaml`."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from enum import StrEnum
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, SettingsConfigDict

from config.source_options import DEFAULT_URLS, OPTIONS, check_options

_CRON_FIELD = re.compile(r"^[\d*/,\-A-Za-z?LW#]+$")


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


def registered(kind: str, always: Collection[str] = ()) -> AfterValidator:
    """A field naming a plugin (a forum engine, a stage, a labeler…), checked at load time.

    The registries live on the floors above, which config/ never imports: the caller of
    `load_settings(..., plugins={kind: names})` hands the names in (pipeline/plugins.py does),
    through pydantic's validation context, so a wrong name is reported like any other bad
    value: file, key path, line and the allowed values. Names in `always` are config's own
    (`auto`, the default stages) and need no registry; without a context nothing is checked.
    """

    def check(value: str, info: ValidationInfo) -> str:
        if value in always:
            return value
        names = ((info.context or {}).get("plugins") or {}).get(kind)
        if names is None:
            return value
        allowed = list(names() if callable(names) else names)
        if value not in allowed:
            raise ValueError(f"{value!r} is not one of {', '.join(allowed)}")
        return value

    return AfterValidator(check)


ForumEngineName = Annotated[str, registered("forum_engine", always=("auto",))]


class DatabaseSettings(Section):
    url: str = Field(
        default="sqlite:///var/veille.db",
        description="SQLAlchemy URL: sqlite:///PATH (embedded default) or postgresql+psycopg://…",
    )
    batch_size: int = Field(default=5000, ge=1, le=1_000_000)
    busy_timeout_seconds: float = Field(
        default=15.0, ge=0, description="SQLite: how long to wait for a lock held by another job."
    )
    echo: bool = False

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
    name: str = Field(min_length=1)
    query: str | list[str] = Field(
        description="Boolean query (or, until then, a list of keywords) deciding which mentions"
        " are about this brand."
    )
    competitors: list[str] = Field(default_factory=list)
    own_accounts: list[str] = Field(
        default_factory=list, description="The brand's own handles/page names on social networks."
    )
    reports: bool = Field(default=True, description="Write reports for this brand.")

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


class SourceSettings(Section):
    name: str = Field(min_length=1, pattern=r"^[A-Za-z0-9_.\-]+$")
    kind: SourceKind
    url: str | None = Field(default=None, description="Start URL (forums, feeds, review pages).")
    path: str | None = Field(default=None, description="Inbox folder (exports).")
    engine: ForumEngineName = Field(
        default="auto", description="auto (detected from the first page) or a forum engine."
    )
    timezone: str = "Europe/Paris"
    language: str | None = None
    lookback_days: int = Field(default=30, ge=1)
    revisit_days: int = Field(default=7, ge=0)
    enabled: bool = True
    options: dict[str, Any] = Field(default_factory=dict)

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
PIPELINE_STAGES = ["crawl", "import", "analyze", "authors", "detect", "alerts", "report"]
StageName = Annotated[str, registered("stage", always=PIPELINE_STAGES)]
_STAGE_NAME = re.compile(r"^[a-z][a-z0-9_\-]*$")


class ScheduleSettings(Section):
    """The jobs `veille schedule` runs, the stages of a run and the run lock."""

    timezone: str = "Europe/Paris"
    nightly_run: str | None = "0 2 * * *"
    alerts_check: str | None = "*/15 * * * *"
    weekly_report: str | None = "0 6 * * 1"
    monthly_report: str | None = "0 6 1 * *"
    misfire_grace_seconds: int = Field(default=3600, ge=1)
    stages: list[StageName] = Field(
        default_factory=lambda: list(PIPELINE_STAGES),
        description="The stages of the nightly run (and of `veille run`), in this order.",
    )
    incremental_stages: list[StageName] = Field(
        default_factory=lambda: ["crawl", "import", "analyze", "alerts"],
        description="The stages of the job run every `alerts_check`.",
    )
    lock_timeout_seconds: int = Field(default=600, ge=5)
    lock_wait_seconds: int = Field(default=1800, ge=0)
    silent_after_runs: int = Field(default=3, ge=1)

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

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"{value!r} is not a time zone name; use an IANA name such as Europe/Paris"
            ) from None
        return value


ReportPeriod = Literal["yesterday", "last-7-days", "last-30-days"]


class ReportSettings(Section):
    languages: list[Literal["fr", "en"]] = Field(default_factory=lambda: ["fr"])  # type: ignore[arg-type]
    periods: list[ReportPeriod] = Field(default_factory=lambda: ["yesterday"])  # type: ignore[arg-type]
    formats: list[Literal["html", "pdf"]] = Field(default_factory=lambda: ["html", "pdf"])  # type: ignore[arg-type]
    output_dir: str = "var/reports"
    exclude_suspicious: bool = Field(
        default=True,
        description="Leave mentions flagged as suspicious (mention_flags) out of the figures.",
    )


class AlertSettings(Section):
    bucket_minutes: int = Field(default=5, ge=1, le=1440)
    threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Anomaly score of the negative series that alerts.",
    )
    min_negative: int = Field(default=10, ge=1)
    lookback_days: int = Field(
        default=14, ge=3, le=90, description="History the detector reads (it warms up one day)."
    )
    detector: Annotated[str, registered("detector")] = Field(
        default="streaming", description="The anomaly detector scoring the negative series."
    )
    normal_ratio: float = Field(
        default=2.0, gt=1.0, description="Back to normal below this many times the expected level."
    )
    influence_threshold: float = Field(default=80.0, ge=0.0, le=100.0)
    cooldown_minutes: int = Field(default=60, ge=0)
    recipients: dict[str, list[str]] = Field(default_factory=dict)
    operators: list[str] = Field(default_factory=list)
    outbox_dir: str = "var/outbox"
    language: Literal["fr", "en"] | None = Field(
        default=None,
        description="Language of the alert e-mails; unset: the first of reports.languages.",
    )

    @field_validator("recipients")
    @classmethod
    def _emails(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for brand, addresses in value.items():
            for address in addresses:
                if "@" not in address:
                    raise ValueError(f"{address!r} (for {brand}) is not an e-mail address")
        return value


class SmtpSettings(Section):
    host: str | None = None
    port: int = Field(default=587, ge=1, le=65535)
    user: str | None = None
    password: SecretStr | None = Field(default=None, description="Only from VEILLE_SMTP__PASSWORD.")
    security: Literal["starttls", "ssl", "none"] = "starttls"
    timeout_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(
        default=3, ge=0, le=10, description="Retries of one e-mail within a check."
    )
    backoff_seconds: float = Field(default=2.0, ge=0, description="First wait; doubles each retry.")
    sender: str = "veille@localhost"


class CrawlSettings(Section):
    contact_url: str = "https://github.com/veille-project/veille"
    concurrency_per_domain: int = Field(default=2, ge=1, le=32)
    download_delay: float = Field(default=0.5, ge=0)
    autothrottle: bool = True
    timeout_seconds: float = Field(default=30.0, gt=0)
    retries: int = Field(default=2, ge=0, le=10)
    obey_robots: bool = True
    rate_limit_max_wait_seconds: float = Field(
        default=900.0,
        ge=0,
        description="Longest wait for a rate-limit window (429 Retry-After, quota reset); a "
        "longer one leaves the rest of the source for the next run.",
    )
    rate_limit_retries: int = Field(default=3, ge=0, le=10)

    @property
    def user_agent(self) -> str:
        return f"Veille/0.1 (+{self.contact_url})"


class SentimentSettings(Section):
    backend: Annotated[str, registered("sentiment_backend")] = Field(
        default="default", description="default, transformers or a plugin's backend."
    )
    model: str | None = None
    batch_size: int = Field(default=32, ge=1)


class AuthorsSettings(Section):
    """Contributor profiles, influence and suspicious-prescription flags (`nlp.authors`)."""

    window_days: int = Field(default=90, ge=1, le=3650)
    min_posts: int = Field(default=3, ge=1, description="Fewer posts in the window: `inconnu`.")
    duplicate_threshold: float = Field(default=0.7, gt=0, le=1)
    duplicate_hours: float = Field(default=48.0, gt=0)
    duplicate_min_authors: int = Field(default=3, ge=2)
    new_account_days: int = Field(default=30, ge=1)
    burst_min_posts: int = Field(default=8, ge=2)
    review_min_same_day: int = Field(default=5, ge=2)


class NlpSettings(Section):
    profile: Literal["accurate", "fast"] = "accurate"
    labelers: list[Annotated[str, registered("labeler")]] = Field(
        default_factory=lambda: ["language", "sentiment", "topic"],
        description="The labelling tasks of the analyze stage, in this order.",
    )
    batch_size: int = Field(default=2000, ge=1)
    sentiment: SentimentSettings = Field(default_factory=SentimentSettings)
    authors: AuthorsSettings = Field(default_factory=AuthorsSettings)


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
    schedules: ScheduleSettings = Field(default_factory=ScheduleSettings)
    reports: ReportSettings = Field(default_factory=ReportSettings)
    alerts: AlertSettings = Field(default_factory=AlertSettings)
    smtp: SmtpSettings = Field(default_factory=SmtpSettings)
    crawl: CrawlSettings = Field(default_factory=CrawlSettings)
    nlp: NlpSettings = Field(default_factory=NlpSettings)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @model_validator(mode="after")
    def _cross_references(self) -> Settings:
        names = [b.name for b in self.brands]
        _no_duplicates(names, "brands", "brand name")
        _no_duplicates([s.name for s in self.sources], "sources", "source name")
        known = set(names)
        for i, brand in enumerate(self.brands):
            for competitor in brand.competitors:
                if competitor not in known:
                    raise ValueError(
                        f"brands[{i}].competitors: {competitor!r} is not a configured brand; "
                        f"add it under brands (known: {', '.join(names)})"
                    )
        for i, source in enumerate(self.sources):
            about = source.options.get("brand")
            if about is not None and about not in known:
                raise ValueError(
                    f"sources[{i}].options.brand: {about!r} is not a configured brand "
                    f"(known: {', '.join(names) or 'none'})"
                )
        for recipient_brand in self.alerts.recipients:
            if recipient_brand not in known:
                raise ValueError(
                    f"alerts.recipients: {recipient_brand!r} is not a configured brand "
                    f"(known: {', '.join(names) or 'none'})"
                )
        return self

    def brand(self, name: str) -> BrandSettings:
        for brand in self.brands:
            if brand.name.casefold() == name.casefold():
                return brand
        known = ", ".join(b.name for b in self.brands) or "none configured"
        raise KeyError(f"unknown brand {name!r}; configured brands: {known}")

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
