"""Turn collected HTML into plain text: no markup or script survives."""

from __future__ import annotations

import html
import re
import unicodedata

from w3lib.html import remove_tags, remove_tags_with_content

_BLOCK = re.compile(r"<\s*(br|/p|/div|/li|/blockquote|/h[1-6]|/tr)\b[^>]*>", re.I)
_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_LINES = re.compile(r"\s*\n\s*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def html_to_text(markup: str) -> str:
    """Plain text of an HTML fragment: scripts, styles and tags dropped, entities decoded."""
    if not markup:
        return ""
    text = remove_tags_with_content(markup, which_ones=("script", "style", "noscript", "template"))
    text = _BLOCK.sub("\n", text)
    text = remove_tags(text)
    text = html.unescape(text)
    # Entities may have encoded markup ("&lt;script&gt;"): it is text now, and stays text.
    return normalise_text(text)


def normalise_text(text: str) -> str:
    """NFC, no control characters, single spaces, at most one blank line."""
    # Most texts are one printable line (no control character, tab, newline, no-break or
    # zero-width space: str.isprintable refuses all of those) already in NFC: only strip.
    if text.isprintable() and "  " not in text and unicodedata.is_normalized("NFC", text):
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub("", text)
    text = _SPACES.sub(" ", text)
    text = _LINES.sub("\n", text)
    return text.strip()
