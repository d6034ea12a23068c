"""Microsoft Teams workflow webhooks: an Adaptive Card with the e-mail's first screen.

The card is posted as a message attachment, as the Teams "When a Teams webhook request is
received" workflow expects. Collected text (authors, posts, terms) goes into `TextRun`s of a
`RichTextBlock`, which Teams never reads as Markdown, and is bidi-isolated; only our own title
is a `TextBlock`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from reports import bidi
from reports.alerts.channels.http import HttpChannel

if TYPE_CHECKING:
    from reports.alerts.letter import Letter

CARD = "application/vnd.microsoft.card.adaptive"


def runs(*parts: tuple[str, dict[str, Any]]) -> dict[str, Any]:
    """A RichTextBlock of plain TextRuns (no Markdown)."""
    return {
        "type": "RichTextBlock",
        "inlines": [{"type": "TextRun", "text": text, **style} for text, style in parts if text],
    }


class TeamsChannel(HttpChannel):
    name = "teams"

    def payload(self, letter: Letter) -> dict[str, Any]:
        v = letter.view
        t = letter.translator
        body: list[dict[str, Any]] = [
            {"type": "TextBlock", "text": v.title, "weight": "Bolder", "size": "Large",
             "wrap": True, "color": "Good" if v.event == "alert.closed" else "Attention"},
            runs((v.headline, {"weight": "Bolder"})),
        ]  # fmt: skip
        for line in v.lines:
            body.append(runs((line, {})))
        if v.facts:
            body.append(
                {"type": "FactSet", "facts": [{"title": k, "value": val} for k, val in v.facts]}
            )
        for post in v.posts:
            who = bidi.isolate(post.author) if post.author else t("alert.unknown_author")
            reach = t("posts.interactions", n=post.engagement)
            meta = f"{who} · {post.followers} · {post.source} · {post.when} · {reach}"
            body.append({**runs((meta, {"isSubtle": True})), "separator": True})
            body.append(runs((bidi.isolate(post.text), {})))
            if post.url:
                link = {"type": "Action.OpenUrl", "title": t("alert.open"), "url": post.url}
                body.append({"type": "ActionSet", "actions": [link]})
        if v.drivers:
            terms = ", ".join(f"{bidi.isolate(w)} ({n})" for w, n in v.drivers)
            body.append(runs((f"{t('alert.terms')}{t('punct.colon')} {terms}", {"isSubtle": True})))
        if v.footer:
            body.append(runs((v.footer, {"isSubtle": True, "size": "Small"})))
        card: dict[str, Any] = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "lang": v.lang,
            "body": body,
        }
        if v.links:
            card["actions"] = [
                {"type": "Action.OpenUrl", "title": label, "url": url} for label, url in v.links
            ]
        return {
            "type": "message",
            "summary": v.subject,
            "attachments": [{"contentType": CARD, "contentUrl": None, "content": card}],
        }
