"""Documents already written that may quote an erased person: alert e-mails, report files.

They are documents (sent, archived, read): an erasure lists them so the controller can delete
or regenerate them, and never rewrites them behind the reader's back.
"""

from __future__ import annotations

import html
from email import message_from_bytes, policy
from pathlib import Path

from config.settings import Settings
from storage.privacy import Found

# Written documents worth reading as text (PDFs are listed by brand and period instead).
_TEXT_SUFFIXES = (".html", ".json", ".txt", ".csv", ".jsonl", ".md")


def _eml_text(path: Path) -> str:
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    parts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            try:
                parts.append(str(part.get_content()))  # type: ignore[attr-defined]
            except (LookupError, ValueError):
                continue
    return "\n".join([str(msg.get("Subject", "")), *parts])


def _quotes(text: str, needles: list[str]) -> bool:
    folded = html.unescape(text).casefold()
    return any(n in folded for n in needles)


def documents_quoting(settings: Settings, found: Found, handles: list[str]) -> list[Path]:
    """E-mails in the outbox and report files (HTML, JSON…) that hold a handle or a text."""
    needles = [t.casefold() for t in found.texts if len(t) >= 12]
    needles += [f"@{h}".casefold() for h in handles] + [f">{h}<".casefold() for h in handles]
    needles += [f'"{h}"'.casefold() for h in handles]
    # Display names, as a report cell or a JSON value shows them.
    needles += [f">{n}<".casefold() for n in found.names] + [
        f'"{n}"'.casefold() for n in found.names
    ]
    if not needles:
        return []
    out: list[Path] = []
    outbox = Path(settings.alerts.outbox_dir)
    if outbox.is_dir():
        for path in sorted(outbox.glob("*.eml")):
            try:
                if _quotes(_eml_text(path), needles):
                    out.append(path)
            except OSError:
                continue
    reports_dir = Path(settings.reports.output_dir)
    if reports_dir.is_dir():
        for path in sorted(reports_dir.rglob("*")):
            if path.suffix.lower() not in _TEXT_SUFFIXES or not path.is_file():
                continue
            try:
                if _quotes(path.read_text(encoding="utf-8", errors="replace"), needles):
                    out.append(path)
            except OSError:
                continue
    return out
