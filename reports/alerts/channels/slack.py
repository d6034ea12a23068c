"""Slack incoming webhooks: a Block Kit message with the e-mail's first screen.

Collected text (authors, posts, terms) goes into `plain_text` objects only, so nothing in it is
read as Slack markup (`<!channel>`, links, *bold*), and is bidi-isolated; our own labels may be
`mrkdwn`, escaped. Slack limits are kept: a header of 150 characters, sections of 3,000,
10 fields, 50 blocks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import bidi
from reports.alerts.channels.http import HttpChannel

if TYPE_CHECKING:
    from reports.alerts.letter import Letter


def plain(text: str, limit: int = 3000) -> dict[str, Any]:
    return {"type": "plain_text", "text": _cut(text, limit) or " ", "emoji": False}


def mrkdwn(text: str, limit: int = 3000) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": _cut(text, limit) or " "}


def escape(text: str) -> str:
    """Slack's three escapes for mrkdwn text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class SlackChannel(HttpChannel):
    name = "slack"

    def payload(self, letter: Letter) -> dict[str, Any]:
        v = letter.view
        t = letter.translator
        blocks: list[dict[str, Any]] = [
            {"type": "header", "text": plain(v.title, 150)},
            {"type": "section", "text": plain(v.headline)},
        ]
        if v.lines:
            blocks.append({"type": "section", "text": plain("\n".join(v.lines))})
        if v.facts:
            fields = [mrkdwn(f"*{escape(label)}*\n{escape(value)}") for label, value in v.facts]
            blocks.append({"type": "section", "fields": fields[:10]})
        for post in v.posts:
            who = bidi.isolate(post.author) if post.author else t("alert.unknown_author")
            reach = t("posts.interactions", n=post.engagement)
            meta = f"{who} · {post.followers} · {post.source} · {post.when} · {reach}"
            blocks.append({"type": "context", "elements": [plain(meta, 300)]})
            section: dict[str, Any] = {"type": "section", "text": plain(bidi.isolate(post.text))}
            if post.url:
                section["accessory"] = {
                    "type": "button", "text": plain(t("alert.open"), 75), "url": post.url[:3000],
                }  # fmt: skip
            blocks.append(section)
        if v.drivers:
            terms = ", ".join(f"{bidi.isolate(w)} ({n})" for w, n in v.drivers)
            line = f"{t('alert.terms')}{t('punct.colon')} {terms}"
            blocks.append({"type": "context", "elements": [plain(line)]})
        if v.links:
            blocks.append({
                "type": "actions",
                "elements": [
                    {"type": "button", "text": plain(label, 75), "url": url[:3000]}
                    for label, url in v.links[:5]
                ],
            })  # fmt: skip
        if v.footer:
            blocks.append({"type": "context", "elements": [plain(v.footer, 300)]})
        return {"text": _cut(v.subject, 3000), "blocks": blocks[:50]}
