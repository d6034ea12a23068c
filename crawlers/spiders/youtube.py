"""YouTube: the comment threads of a channel's videos (Data API v3, an API key).

`channels.list` gives the channel's uploads playlist, `playlistItems.list` its newest videos
(`max_videos`), `videos.list` their views and comment counts (1 unit of quota for 50 videos):
only a video with more comments than at the last run is read, by `commentThreads.list`
(`part=snippet,replies`, `order=time`, `pageToken`), newest first down to the threads the last
run saw (less `revisit_days`, for their new replies) or the look-back; a thread with more
replies than it embeds gets them from `comments.list`. The key travels in the
`X-Goog-Api-Key` header, never in a URL (URLs are logged).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import timedelta
from typing import Any

from scrapy import Request
from scrapy.http import Response

from crawlers.api import ApiSpider
from crawlers.networks import count, iso
from crawlers.networks.youtube import map_comment, skip_reason

MOST = 50  # playlistItems and videos: at most 50 per call


def error_reasons(data: Any) -> set[str]:
    """The `errors[].reason` and `details[].reason` of a Google API error body."""
    error = data.get("error") if isinstance(data, dict) else None
    if not isinstance(error, dict):
        return set()
    found = {str(e.get("reason")) for e in error.get("errors") or [] if isinstance(e, dict)}
    found |= {str(d.get("reason")) for d in error.get("details") or [] if isinstance(d, dict)}
    return found


class YoutubeSpider(ApiSpider):
    name = "youtube"
    source_kind = "youtube"
    network = "YouTube"

    def __init__(self, source: str, *args: Any, now: str | None = None, **kwargs: Any) -> None:
        super().__init__(source, *args, now=now, **kwargs)
        self.key: str | None = None
        self.quota_gone = False

    def auth_headers(self) -> dict[str, str]:
        return {"X-Goog-Api-Key": self.key} if self.key else {}

    def call(self, method: str, callback: Any, params: dict[str, Any], **cb: Any) -> Request:
        return self.api_request(
            f"{self.base}/{method}", callback, params=params, cb_kwargs={"method": method, **cb}
        )

    # -- channel, videos ------------------------------------------------------------------------
    def first_requests(self) -> Iterable[Request]:
        secrets = self.need_secrets("api_key_env")
        if secrets is None:
            return
        self.key = secrets["api_key_env"]
        for channel in self.options.channels:
            yield self.call(
                "channels",
                self.parse_channel,
                {"part": "snippet,contentDetails,statistics", "id": channel},
                channel=channel,
            )

    def parse_channel(self, response: Response, method: str, channel: str) -> Iterator[Any]:
        data = yield from self.read(response, f"the channel {channel}")
        if data is None:
            return
        items = data.get("items") or []
        if not items:
            self.report_error(
                f"{self.source.name}: YouTube knows no channel {channel}; check the source's "
                "channels (the id after youtube.com/channel/)",
                broken=True,
            )
            return
        uploads = items[0].get("contentDetails", {}).get("relatedPlaylists", {}).get("uploads")
        if uploads:
            yield self.playlist_request(channel, str(uploads), None, [])

    def playlist_request(
        self, channel: str, playlist: str, token: str | None, videos: list[str]
    ) -> Request:
        size = min(self.options.page_size, MOST, self.options.max_videos)
        return self.call(
            "playlistItems",
            self.parse_playlist,
            {"part": "snippet,contentDetails", "playlistId": playlist, "maxResults": size,
             "pageToken": token},
            channel=channel, playlist=playlist, videos=videos,
        )  # fmt: skip

    def parse_playlist(
        self, response: Response, method: str, channel: str, playlist: str, videos: list[str]
    ) -> Iterator[Any]:
        data = yield from self.read(response, f"the videos of {channel}")
        if data is None:
            return
        for item in data.get("items") or []:
            video = (item.get("contentDetails") or {}).get("videoId")
            if video and video not in videos:
                videos.append(str(video))
        token = data.get("nextPageToken")
        if token and len(videos) < self.options.max_videos:
            yield self.playlist_request(channel, playlist, str(token), videos)
            return
        videos = videos[: self.options.max_videos]
        for start in range(0, len(videos), MOST):
            yield self.call(
                "videos",
                self.parse_videos,
                {"part": "snippet,statistics", "id": ",".join(videos[start : start + MOST])},
                channel=channel,
                asked=videos[start : start + MOST],
            )

    def parse_videos(
        self, response: Response, method: str, channel: str, asked: list[str]
    ) -> Iterator[Any]:
        data = yield from self.read(response, f"the statistics of {len(asked)} videos")
        if data is None:
            return
        found = {str(v.get("id")): v for v in data.get("items") or []}
        for video_id in asked:
            item = found.get(video_id)
            if item is None:  # private, deleted or not yet processed
                self.count("youtube/videos_unavailable")
                continue
            comments = count((item.get("statistics") or {}).get("commentCount")) or 0
            state = self.known(f"video:{video_id}")
            if comments == 0 or (state is not None and state.posts_seen >= comments):
                self.count("youtube/videos_unchanged")
                continue
            video = {
                "id": video_id,
                "title": (item.get("snippet") or {}).get("title"),
                "channel": channel,
                "comments": comments,
                "views": count((item.get("statistics") or {}).get("viewCount")),
            }
            yield self.threads_request(video, None)

    # -- comments -------------------------------------------------------------------------------
    def threads_request(self, video: dict[str, Any], token: str | None, **cb: Any) -> Request:
        return self.call(
            "commentThreads",
            self.parse_threads,
            {"part": "snippet,replies", "videoId": video["id"], "order": "time",
             "textFormat": "html", "maxResults": self.options.page_size, "pageToken": token},
            video=video, **cb,
        )  # fmt: skip

    def parse_threads(
        self,
        response: Response,
        method: str,
        video: dict[str, Any],
        page: int = 1,
        newest: tuple[str, str] | None = None,
    ) -> Iterator[Any]:
        data = yield from self.read(response, f"the comments of the video {video['id']}")
        if data is None:
            return
        stream = f"video:{video['id']}"
        known = self.known(stream)
        stop_at = self.cutoff
        if known is not None and known.last_post_at is not None:
            # Threads seen by the last run, less revisit_days: their new replies are read.
            again = known.last_post_at - timedelta(days=self.source.revisit_days)
            stop_at = max(stop_at, again)
        # The channel's own comments are the brand's when the source says whose channel it is.
        owner = video["channel"] if self.source.options.get("brand") else None
        stop = False
        for thread in data.get("items") or []:
            snippet = thread.get("snippet") or {}
            top = snippet.get("topLevelComment") or {}
            published = (top.get("snippet") or {}).get("publishedAt")
            moment = iso(published)
            if moment is not None and moment < stop_at:
                stop = True
                continue
            if published and (newest is None or (moment or stop_at) > (iso(newest[1]) or stop_at)):
                newest = (str(top.get("id")), str(published))
            reason = skip_reason(top, thread)
            if reason:
                self.skip(reason)
                continue
            total = count(snippet.get("totalReplyCount")) or 0
            yield map_comment(top, self.source.name, video, owner=owner, replies=total)
            listed = (thread.get("replies") or {}).get("comments") or []
            if self.options.replies and total > len(listed):
                yield self.replies_request(video, str(top.get("id")), None)
                continue
            for reply in listed:
                if skip_reason(reply):
                    self.skip(str(skip_reason(reply)))
                    continue
                yield map_comment(reply, self.source.name, video, owner=owner)
        token = data.get("nextPageToken")
        if token and not stop and page < self.options.max_pages:
            yield self.threads_request(video, str(token), page=page + 1, newest=newest)
            return
        yield self.stream_done(
            stream,
            f"https://www.youtube.com/watch?v={video['id']}",
            newest[0] if newest else None,
            iso(newest[1]) if newest else None,
            int(video["comments"]),
            title=video.get("title"),
        )

    def replies_request(self, video: dict[str, Any], parent: str, token: str | None) -> Request:
        return self.call(
            "comments",
            self.parse_replies,
            {"part": "snippet", "parentId": parent, "textFormat": "html",
             "maxResults": 100, "pageToken": token},
            video=video, parent=parent,
        )  # fmt: skip

    def parse_replies(
        self, response: Response, method: str, video: dict[str, Any], parent: str
    ) -> Iterator[Any]:
        data = yield from self.read(response, f"the replies to {parent}")
        if data is None:
            return
        owner = video["channel"] if self.source.options.get("brand") else None
        for reply in data.get("items") or []:
            reason = skip_reason(reply)
            if reason:
                self.skip(reason)
                continue
            yield map_comment(reply, self.source.name, video, owner=owner)
        token = data.get("nextPageToken")
        if token:
            yield self.replies_request(video, parent, str(token))

    # -- errors ---------------------------------------------------------------------------------
    def on_error(self, response: Response, data: Any, what: str) -> Iterator[Any]:
        reasons = error_reasons(data)
        env = self.options.api_key_env
        if "commentsDisabled" in reasons:
            video = response.request.cb_kwargs.get("video") if response.request else None
            self.count("youtube/comments_disabled")
            if isinstance(video, dict):  # not asked again until its comment count changes
                yield self.stream_done(
                    f"video:{video['id']}", response.url, None, None, int(video["comments"])
                )
            return
        if reasons & {"quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded"}:
            if not self.quota_gone:
                self.quota_gone = True
                self.report_error(
                    f"{self.source.name}: YouTube answered {response.status} quotaExceeded for "
                    f"{what}: the daily quota of the API key in {env} is spent (10,000 units a "
                    "day unless raised; it resets at midnight Pacific time); the rest is left "
                    "for the next run"
                )
            return
        if reasons & {"keyInvalid", "API_KEY_INVALID", "keyExpired", "API_KEY_EXPIRED"}:
            self.report_error(
                f"{self.source.name}: YouTube refused the API key in {env} ({response.status}: "
                f"not valid or expired); set a valid key there (Google Cloud console, APIs & "
                "Services, Credentials)",
                broken=True,
            )
            return
        yield from super().on_error(response, data, what)

    def forbidden_advice(self, data: Any) -> str:
        reasons = error_reasons(data)
        if reasons & {"accessNotConfigured", "SERVICE_DISABLED"}:
            return (
                "the YouTube Data API v3 is not enabled for the project of the key in "
                f"{self.options.api_key_env}; enable it in the Google Cloud console"
            )
        return f"access refused ({', '.join(sorted(reasons)) or 'forbidden'})"
