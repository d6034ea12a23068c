"""Real SMTP servers (aiosmtpd) that misbehave on purpose, for the delivery tests and bench.

`MailServer(mode=...)` listens on 127.0.0.1 and records every message it accepted:

- `ok`: answers at once;
- `slow`: takes the whole message, then answers the end of DATA after `delay` seconds (a
  client whose timeout is shorter never learns that the message arrived);
- `close-mid-data`: answers DATA with 354, reads a few lines of the message and drops the
  connection (the message never arrives);
- `refuse-data`: takes the message and answers the end of DATA with 554 (clearly refused);
- `kill`: takes the message, then kills the process `victim` with SIGKILL before answering
  (a sender killed past its "data sent" mark); `kill-at-rcpt` kills it at RCPT instead
  (before the mark). The message counts as received only in `kill`.

A server that is down is simply a free port nobody listens on (`free_port()`).
"""

from __future__ import annotations

import asyncio
import email
import os
import signal
import socket
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Received:
    rcpt_tos: list[str]
    message: Message

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])


@dataclass
class _Handler:
    mode: str
    delay: float
    victim: int | None = None
    received: list[Received] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.mode == "kill-at-rcpt" and self.victim:
            os.kill(self.victim, signal.SIGKILL)
            await asyncio.sleep(0.2)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.content)
        if self.mode == "refuse-data":
            return "554 Transaction failed: refused on purpose"
        self.received.append(Received(list(envelope.rcpt_tos), message))
        if self.mode == "slow":
            await asyncio.sleep(self.delay)
        if self.mode == "kill" and self.victim:
            os.kill(self.victim, signal.SIGKILL)
            await asyncio.sleep(0.2)
        return "250 OK: queued"


class _ClosingSMTP(SMTP):
    """Answers DATA, reads three lines of the message, then drops the connection."""

    async def smtp_DATA(self, arg: str) -> None:
        if not self.envelope or not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        for _ in range(3):
            await self._reader.readuntil(b"\r\n")
        assert self.transport is not None
        self.transport.abort()  # type: ignore[attr-defined]  # no goodbye: the connection is gone


class _Controller(Controller):
    def __init__(self, handler: _Handler, port: int) -> None:
        super().__init__(handler, hostname="127.0.0.1", port=port)
        self.mode = handler.mode

    def factory(self) -> SMTP:
        if self.mode == "close-mid-data":
            return _ClosingSMTP(self.handler, **self.SMTP_kwargs)
        return super().factory()  # type: ignore[no-any-return]


class MailServer:
    """An SMTP server on 127.0.0.1:`port` (a free one by default) behaving as `mode` says."""

    def __init__(self, mode: str = "ok", port: int | None = None, delay: float = 2.0) -> None:
        self.port = port or free_port()
        self.handler = _Handler(mode, delay)
        self._controller: _Controller | None = None

    @property
    def mode(self) -> str:
        return self.handler.mode

    @mode.setter
    def mode(self, value: str) -> None:
        self.handler.mode = value
        if self._controller is not None:
            self.stop()
            self.start()

    @property
    def victim(self) -> int | None:
        return self.handler.victim

    @victim.setter
    def victim(self, pid: int | None) -> None:
        self.handler.victim = pid

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self) -> MailServer:
        self._controller = _Controller(self.handler, self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __enter__(self) -> MailServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
