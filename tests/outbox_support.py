"""The e-mails Veille wrote to its outbox folder (alerts.outbox_dir), read back as a mail
client reads them."""

from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage
from pathlib import Path


def outbox_mails(outbox: Path) -> list[EmailMessage]:
    """The outbox's messages, in the order they were written (their names sort so)."""
    files = sorted(outbox.glob("*.eml")) if outbox.is_dir() else []
    return [
        email.message_from_bytes(f.read_bytes(), policy=email.policy.default)  # type: ignore[misc]
        for f in files
    ]


def plain_text(msg: EmailMessage) -> str:
    """The message's text part."""
    return str(msg.get_body(("plain",)).get_content())  # type: ignore[union-attr]
