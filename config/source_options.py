"""The typed `options:` of the API sources (mastodon, bluesky, reddit, youtube) and the reviews.

Secrets never sit in the configuration: an option names the environment variable that holds
one (`client_secret_env: VEILLE_REDDIT_CLIENT_SECRET`), and a secret written in the file is
refused with the variable to set instead.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Keys that would hold a secret: refused, with the *_env option naming its variable instead.
_SECRET_KEYS = {
    "token": "token_env",
    "access_token": "token_env",
    "password": "password_env",
    "app_password": "password_env",
    "client_id": "client_id_env",
    "client_secret": "client_secret_env",
    "api_key": "api_key_env",
    "key": "api_key_env",
}


def _env_name(value: str) -> str:
    if not _ENV_NAME.match(value):
        raise ValueError(
            f"{value!r} is not an environment variable name (letters, digits and _, like "
            "VEILLE_SLACK_URL; write the NAME of the variable holding the secret, never the "
            "secret)"
        )
    return value


EnvName = Annotated[str, AfterValidator(_env_name)]


def _no_empty(values: list[str]) -> list[str]:
    cleaned = [v.strip() for v in values]
    if any(not v for v in cleaned):
        raise ValueError("an entry is empty")
    return cleaned


Terms = Annotated[list[str], AfterValidator(_no_empty)]


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")

    page_size: int = Field(default=40, ge=1, le=100, description="Items asked per request.")
    max_pages: int = Field(
        default=10, ge=1, le=1000, description="Pages read per stream and run (first runs)."
    )
    brand: str | None = Field(
        default=None,
        description="The brand every mention of this source is about (its own channel).",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_secrets(cls, data: Any) -> Any:
        if isinstance(data, dict):
            for key, env_key in _SECRET_KEYS.items():
                if key in data and env_key in cls.model_fields:
                    default = cls.model_fields[env_key].default
                    raise ValueError(
                        f"{key}: secrets are never read from files; remove it and set the "
                        f"environment variable {data.get(env_key) or default} instead "
                        f"(its name is the option {env_key})"
                    )
        return data


def _hashtag(value: str) -> str:
    tag = value.strip().lstrip("#")
    if not tag or not re.fullmatch(r"[\w]+", tag):
        raise ValueError(f"{value!r} is not a hashtag (letters, digits and _ after an optional #)")
    return tag


class MastodonOptions(_Options):
    """A Mastodon instance (the source's url): hashtag timelines and status search."""

    hashtags: list[Annotated[str, AfterValidator(_hashtag)]] = Field(
        default_factory=list, description="Hashtag timelines to read (public)."
    )
    queries: Terms = Field(
        default_factory=list, description="Status searches (need a token on most instances)."
    )
    token_env: EnvName = Field(
        default="VEILLE_MASTODON_TOKEN",
        description="Variable holding an access token (optional; status search needs one).",
    )
    local_only: bool = Field(default=False, description="Only this instance's posts.")
    page_size: int = Field(default=40, ge=1, le=40, description="Statuses asked per request.")

    @model_validator(mode="after")
    def _something_to_read(self) -> MastodonOptions:
        if not self.hashtags and not self.queries:
            raise ValueError("give hashtags (timelines to read) or queries (searches), or both")
        return self


class BlueskyOptions(_Options):
    """Bluesky post search (app.bsky.feed.searchPosts), anonymous or with an app password."""

    queries: Terms = Field(min_length=1, description="Post searches (app.bsky.feed.searchPosts).")
    sort: Literal["latest", "top"] = Field(default="latest", description="latest or top.")
    lang: str | None = Field(default=None, description="Only posts in this language (fr).")
    handle_env: EnvName = Field(
        default="VEILLE_BLUESKY_HANDLE",
        description="Variable holding the account's handle (with an app password: search through "
        "its PDS).",
    )
    password_env: EnvName = Field(
        default="VEILLE_BLUESKY_APP_PASSWORD",
        description="Variable holding the account's app password.",
    )
    pds_url: str = Field(
        default="https://bsky.social",
        pattern=r"^https?://",
        description="Where the account logs in (createSession) and searches when logged in.",
    )
    author_profiles: bool = Field(
        default=True, description="Ask the authors' profiles (followers) with getProfiles."
    )
    page_size: int = Field(default=25, ge=1, le=100, description="Posts asked per request.")


def _subreddit(value: str) -> str:
    name = value.strip().removeprefix("/").removeprefix("r/")
    if not re.fullmatch(r"[A-Za-z0-9_]{2,21}", name):
        raise ValueError(f"{value!r} is not a subreddit name (2 to 21 letters, digits or _)")
    return name


class RedditOptions(_Options):
    """Reddit through its official API (OAuth client credentials)."""

    subreddits: list[Annotated[str, AfterValidator(_subreddit)]] = Field(
        default_factory=list, description="Subreddits whose new posts are read (/r/NAME/new)."
    )
    queries: Terms = Field(
        default_factory=list,
        description="Searches (/search?sort=new, all of Reddit unless search_in_subreddits).",
    )
    search_in_subreddits: bool = Field(
        default=False, description="Search the queries in the subreddits only (restrict_sr)."
    )
    comments: bool = Field(default=True, description="Collect the comments of matched posts.")
    client_id_env: EnvName = Field(
        default="VEILLE_REDDIT_CLIENT_ID",
        description="Variable holding the OAuth client id of a script app.",
    )
    client_secret_env: EnvName = Field(
        default="VEILLE_REDDIT_CLIENT_SECRET",
        description="Variable holding the OAuth client secret.",
    )
    auth_url: str = Field(
        default="https://www.reddit.com/api/v1/access_token",
        pattern=r"^https?://",
        description="Where the application-only token is asked.",
    )
    user_agent: str | None = Field(
        default=None,
        description="The User-Agent Reddit asks for: '<platform>:<app id>:<version> (by "
        "/u/<username>)'; unset: the crawl's own (Veille/… with the contact URL).",
    )
    page_size: int = Field(default=100, ge=1, le=100, description="Items asked per listing page.")

    @model_validator(mode="after")
    def _something_to_read(self) -> RedditOptions:
        if not self.subreddits and not self.queries:
            raise ValueError("give subreddits (listings to read) or queries (searches), or both")
        return self


def _channel(value: str) -> str:
    if not re.fullmatch(r"UC[A-Za-z0-9_-]{22}", value.strip()):
        raise ValueError(
            f"{value!r} is not a YouTube channel id (24 characters starting with UC, as in "
            "youtube.com/channel/UC…)"
        )
    return value.strip()


class YoutubeOptions(_Options):
    """The comment threads of a channel's videos (YouTube Data API v3, API key)."""

    channels: list[Annotated[str, AfterValidator(_channel)]] = Field(
        min_length=1,
        description="Channel ids (youtube.com/channel/UC…) whose videos' comments are read.",
    )
    api_key_env: EnvName = Field(
        default="VEILLE_YOUTUBE_API_KEY",
        description="Variable holding the YouTube Data API v3 key.",
    )
    max_videos: int = Field(default=50, ge=1, le=500, description="Newest videos per channel.")
    replies: bool = Field(default=True, description="Fetch all replies (comments.list).")
    page_size: int = Field(default=100, ge=1, le=100, description="Items asked per request.")


OPTIONS: dict[str, type[_Options]] = {
    "mastodon": MastodonOptions,
    "bluesky": BlueskyOptions,
    "reddit": RedditOptions,
    "youtube": YoutubeOptions,
}

# The API a source kind reads when its url is left out (Mastodon has no default instance).
DEFAULT_URLS = {
    "bluesky": "https://public.api.bsky.app",
    "reddit": "https://oauth.reddit.com",
    "youtube": "https://www.googleapis.com/youtube/v3",
}


def check_options(kind: str, options: dict[str, Any]) -> dict[str, Any]:
    """The options of a source kind, validated and with their defaults (others as given)."""
    model = OPTIONS.get(kind)
    if model is None:
        return options
    return model.model_validate(options).model_dump()
