"""Sending e-mails: SMTP (STARTTLS, SSL or plain) or `.eml` files in an outbox folder.

The guarantee rests on one moment, the hand-over: the SMTP `DATA` command. Everything before it
(connect, EHLO, STARTTLS, AUTH, MAIL, RCPT) is retried with back-off, since the server cannot
have the message yet. Just before `DATA` the caller's `Handover.mark()` records the "data sent"
mark (committed in the database); from then on a timeout or a lost connection before the
server's answer to the end of the data raises `Unconfirmed`, which is never retried: the
message may have arrived. A clear refusal (a reply code, or the data could not even be written
whole, so the server never saw its end) undoes the mark and counts as not handed over.
"""

from __future__ import annotations

import copy
import io
import logging
import os
import re
import smtplib
import ssl
import time
from collections.abc import Callable
from datetime import UTC
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Protocol

from config.settings import Settings, SmtpSettings
from storage.clock import utcnow

log = logging.getLogger(__name__)


class SendError(Exception):
    """Not handed over (refused, unreachable…): the message stays owed, safe to send again."""


class Unconfirmed(Exception):
    """Handed over and no answer came (timeout, connection lost): it may have arrived, so it
    is never sent again automatically."""


class Handover(Protocol):
    def mark(self) -> None:
        """Record, durably, that the message data is about to leave (before SMTP DATA)."""
        ...

    def undo(self) -> None:
        """The data provably did not arrive: forget the mark."""
        ...


class NoMark:
    """A hand-over nobody records (tests, one-off sends)."""

    def mark(self) -> None:
        pass

    def undo(self) -> None:
        pass


class Mailer(Protocol):
    def send(
        self, msg: EmailMessage, recipients: list[str], handover: Handover | None = None
    ) -> str:
        """Send or store the message; return where it went. Raises SendError or Unconfirmed."""
        ...


class OutboxMailer:
    """No SMTP server configured: each e-mail becomes a `.eml` file in the outbox folder.

    The file name comes from the message itself (its Date, X-Veille-Alert and
    X-Veille-Delivery), so writing the same message again replaces the same file instead of
    adding a copy.
    """

    def __init__(self, outbox: Path) -> None:
        self.outbox = outbox

    def path_for(self, msg: EmailMessage) -> Path:
        tag = re.sub(r"[^A-Za-z0-9_.-]+", "-", str(msg.get("X-Veille-Alert", "mail")))
        if msg.get("X-Veille-Delivery"):
            tag += f"-{msg['X-Veille-Delivery']}"
        try:
            stamp = parsedate_to_datetime(str(msg["Date"])).astimezone(UTC)
        except (TypeError, ValueError):
            stamp = utcnow()
        return self.outbox / f"{stamp:%Y%m%d-%H%M%S}-alert-{tag}.eml"

    def send(
        self, msg: EmailMessage, recipients: list[str], handover: Handover | None = None
    ) -> str:
        handover = handover or NoMark()
        try:
            self.outbox.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise SendError(f"cannot write to the outbox {self.outbox}: {exc}") from None
        path = self.path_for(msg)
        handover.mark()
        tmp = path.with_suffix(".eml.part")
        try:
            tmp.write_bytes(msg.as_bytes())
            tmp.replace(path)  # atomic: a reader never sees half a file
        except OSError as exc:
            handover.undo()
            raise SendError(f"cannot write {path}: {exc}") from None
        return str(path)


class _NotHandedOver(Exception):
    """A failure before (or instead of) the hand-over: worth another attempt."""


class SmtpMailer:
    """SMTP with a timeout; retries with exponential back-off, only before the hand-over."""

    def __init__(self, settings: SmtpSettings, sleep: Callable[[float], None] = time.sleep) -> None:
        if not settings.host:
            raise ValueError("smtp.host is not set")
        self.s = settings
        self.sleep = sleep

    @property
    def where(self) -> str:
        return f"smtp://{self.s.host}:{self.s.port}"

    def _password(self) -> str | None:
        if self.s.password is not None:
            return self.s.password.get_secret_value()
        return os.environ.get("VEILLE_SMTP__PASSWORD")

    def send(
        self, msg: EmailMessage, recipients: list[str], handover: Handover | None = None
    ) -> str:
        handover = handover or NoMark()
        if not recipients:
            raise SendError("no recipients")
        delay = self.s.backoff_seconds
        last = "unknown error"
        for attempt in range(self.s.retries + 1):
            try:
                self._send_once(msg, recipients, handover)
                return self.where
            except _NotHandedOver as exc:
                last = str(exc)
                # Never log the password: only the error class and the server's words.
                log.warning(
                    "sending %s to %s:%s failed before the hand-over (attempt %d of %d): %s",
                    msg.get("X-Veille-Alert"), self.s.host, self.s.port, attempt + 1,
                    self.s.retries + 1, last,
                )  # fmt: skip
                if attempt < self.s.retries:
                    self.sleep(delay)
                    delay *= 2
        raise SendError(
            f"could not send via {self.s.host}:{self.s.port} after {self.s.retries + 1} "
            f"attempts: {last}"
        )

    def _connect(self) -> smtplib.SMTP:
        s = self.s
        if s.security == "ssl":
            return smtplib.SMTP_SSL(
                s.host or "", s.port, timeout=s.timeout_seconds,
                context=ssl.create_default_context(),
            )  # fmt: skip
        return smtplib.SMTP(s.host or "", s.port, timeout=s.timeout_seconds)

    def _send_once(self, msg: EmailMessage, recipients: list[str], handover: Handover) -> None:
        try:
            smtp = self._connect()
        except (OSError, smtplib.SMTPException) as exc:
            raise _NotHandedOver(_describe(exc)) from None
        done = False
        try:
            data = self._envelope(smtp, msg, recipients)
            try:
                handover.mark()
            except Exception as exc:  # the mark could not be recorded: nothing leaves
                raise _NotHandedOver(f"could not record the hand-over: {_describe(exc)}") from None
            self._data(smtp, data, handover)
            done = True
        finally:
            if done:
                try:
                    smtp.quit()
                except (OSError, smtplib.SMTPException):
                    smtp.close()  # the message is accepted: a slow goodbye changes nothing
            else:
                smtp.close()

    def _envelope(self, smtp: smtplib.SMTP, msg: EmailMessage, recipients: list[str]) -> bytes:
        """EHLO, STARTTLS, AUTH, MAIL, RCPT: the steps that may fail and be tried again."""
        s = self.s
        try:
            smtp.ehlo()
            if s.security == "starttls":
                smtp.starttls(context=ssl.create_default_context())
                smtp.ehlo()
            password = self._password()
            if s.user and password:
                smtp.login(s.user, password)
            data, options = _flatten(msg, s.sender, recipients)
            if "SMTPUTF8" in options and not smtp.has_extn("smtputf8"):
                raise smtplib.SMTPNotSupportedError(
                    "an address is not ASCII and the server does not offer SMTPUTF8"
                )
            code, reply = smtp.mail(s.sender, options)
            if code != 250:
                raise smtplib.SMTPSenderRefused(code, reply, s.sender)
            refused = {}
            for rcpt in recipients:
                code, reply = smtp.rcpt(rcpt)
                if code not in (250, 251):
                    refused[rcpt] = (code, reply)
            if len(refused) == len(recipients):
                raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
            if refused:
                log.warning("the server refused some recipients: %s", ", ".join(sorted(refused)))
            return data
        except (OSError, smtplib.SMTPException) as exc:
            raise _NotHandedOver(_describe(exc)) from None

    @staticmethod
    def _data(smtp: smtplib.SMTP, data: bytes, handover: Handover) -> None:
        """DATA, the message, the end of data: past the mark, only a clear refusal is retried."""
        try:
            smtp.putcmd("data")
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            handover.undo()  # the server asked for nothing yet: the message never left
            raise _NotHandedOver(_describe(exc)) from None
        if code != 354:
            handover.undo()
            raise _NotHandedOver(_describe(smtplib.SMTPDataError(code, reply)))
        body = smtplib._quote_periods(data)  # type: ignore[attr-defined]
        if not body.endswith(b"\r\n"):
            body += b"\r\n"
        try:
            smtp.send(body + b".\r\n")
        except (OSError, smtplib.SMTPException) as exc:
            # Not every byte was written, so the server never saw the end of the data (".").
            handover.undo()
            raise _NotHandedOver(f"the connection broke while sending: {_describe(exc)}") from None
        try:
            code, reply = smtp.getreply()
        except (OSError, smtplib.SMTPException) as exc:
            raise Unconfirmed(
                f"the data was sent but the server did not answer ({_describe(exc)}); it may "
                "have arrived, so it is not sent again automatically"
            ) from None
        if code != 250:
            handover.undo()  # the server said it did not take the message
            raise _NotHandedOver(_describe(smtplib.SMTPDataError(code, reply)))


def _flatten(msg: EmailMessage, sender: str, recipients: list[str]) -> tuple[bytes, list[str]]:
    """The message as sent (Bcc removed, CRLF lines) and the MAIL options it needs."""
    international = any(not a.isascii() for a in [sender, *recipients])
    out = copy.copy(msg)
    del out["Bcc"]
    del out["Resent-Bcc"]
    policy = msg.policy.clone(linesep="\r\n")
    if international:
        policy = policy.clone(utf8=True)  # type: ignore[call-arg]
    buf = io.BytesIO()
    BytesGenerator(buf, policy=policy).flatten(out, linesep="\r\n")
    return buf.getvalue(), (["SMTPUTF8", "BODY=8BITMIME"] if international else [])


def _describe(exc: BaseException | None) -> str:
    if exc is None:
        return "unknown error"
    return f"{type(exc).__name__}: {exc}".splitlines()[0][:300]


def make_mailer(settings: Settings) -> Mailer:
    """SMTP when `smtp.host` is set, else the outbox folder (the embedded default)."""
    if settings.smtp.host:
        return SmtpMailer(settings.smtp)
    return OutboxMailer(Path(settings.alerts.outbox_dir))
