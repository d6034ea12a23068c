"""Sending e-mails: SMTP (STARTTLS, SSL or plain) with retries, or `.eml` files in an outbox."""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

from config.settings import Settings, SmtpSettings
from storage.clock import utcnow

log = logging.getLogger(__name__)


class SendError(Exception):
    """An e-mail could not be sent (after the retries); it stays pending."""


class Mailer(Protocol):
    def send(self, msg: EmailMessage, recipients: list[str]) -> str:
        """Send or store the message; return where it went."""
        ...


class OutboxMailer:
    """No SMTP server configured: each e-mail becomes a `.eml` file in the outbox folder."""

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    def send(self, msg: EmailMessage, recipients: list[str]) -> str:
        self.outbox.mkdir(parents=True, exist_ok=True)
        tag = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(msg.get("X-Veille-Alert", "mail")))
        # Named by the run's clock (`--now`), not the wall clock: a replay writes the same name.
        path = self.outbox / f"{utcnow():%Y%m%d-%H%M%S}-alert-{tag}.eml"
        tmp = path.with_suffix(".eml.part")
        tmp.write_bytes(msg.as_bytes())
        tmp.replace(path)  # atomic: a reader never sees half a file
        return str(path)


class SmtpMailer:
    """SMTP with a timeout, and retries with exponential back-off within one call."""

    def __init__(self, settings: SmtpSettings, sleep: Callable[[float], None] = time.sleep) -> None:
        if not settings.host:
            raise ValueError("smtp.host is not set")
        self.s = settings
        self.sleep = sleep

    def _password(self) -> str | None:
        if self.s.password is not None:
            return self.s.password.get_secret_value()
        return os.environ.get("VEILLE_SMTP__PASSWORD")

    def send(self, msg: EmailMessage, recipients: list[str]) -> str:
        if not recipients:
            raise SendError("no recipients")
        delay = self.s.backoff_seconds
        last: Exception | None = None
        for attempt in range(self.s.retries + 1):
            try:
                self._send_once(msg, recipients)
                return f"smtp://{self.s.host}:{self.s.port}"
            except (OSError, smtplib.SMTPException) as exc:
                last = exc
                # Never log the password: only the error class and the server's words.
                log.warning(
                    "sending %s to %s:%s failed (attempt %d of %d): %s",
                    msg.get("X-Veille-Alert"), self.s.host, self.s.port, attempt + 1,
                    self.s.retries + 1, _describe(exc),
                )  # fmt: skip
                if attempt < self.s.retries:
                    self.sleep(delay)
                    delay *= 2
        raise SendError(
            f"could not send via {self.s.host}:{self.s.port} after {self.s.retries + 1} "
            f"attempts: {_describe(last)}"
        )

    def _send_once(self, msg: EmailMessage, recipients: list[str]) -> None:
        s = self.s
        host = s.host or ""
        smtp: smtplib.SMTP
        if s.security == "ssl":
            smtp = smtplib.SMTP_SSL(
                host, s.port, timeout=s.timeout_seconds, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, s.port, timeout=s.timeout_seconds)
        with smtp:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            password = self._password()
            if s.user and password:
                smtp.login(s.user, password)
            smtp.send_message(msg, from_addr=s.sender, to_addrs=recipients)


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def make_mailer(settings: Settings) -> Mailer:
    """SMTP when `smtp.host` is set, else the outbox folder (the embedded default)."""
    if settings.smtp.host:
        return SmtpMailer(settings.smtp)
    return OutboxMailer(Path(settings.alerts.outbox_dir))
