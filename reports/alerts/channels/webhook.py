"""A generic JSON webhook, signed: HMAC-SHA256 over the timestamp and the body.

Headers: `X-Veille-Timestamp` (Unix seconds when sent), `X-Veille-Signature`
(`sha256=` + hex HMAC-SHA256, with the key from the variable `secret_env` names, of
`<timestamp>.<body>`), `X-Veille-Event` (alert.opened…), `X-Veille-Delivery` (the delivery id)
and `X-Veille-Message-Id` (the same on a resend: a receiver can drop a copy it already has).
The README shows how to verify them.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from reports.alerts.channels.http import HttpChannel

if TYPE_CHECKING:
    from reports.alerts.letter import Letter

SIGNATURE = "X-Veille-Signature"
TIMESTAMP = "X-Veille-Timestamp"


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """`sha256=<hex>` of HMAC-SHA256(secret, timestamp + "." + body)."""
    digest = hmac.new(secret, timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + digest.hexdigest()


class WebhookChannel(HttpChannel):
    name = "webhook"

    def payload(self, letter: Letter) -> dict[str, Any]:
        view = letter.view
        return {**view.data, "summary": view.subject, "text": view.headline}

    def headers(self, letter: Letter, data: bytes) -> Callable[[], dict[str, str]]:
        secret = self.target.secret("secret_env").encode("utf-8")
        fixed = {
            "X-Veille-Event": letter.view.event,
            "X-Veille-Delivery": str(letter.record.id),
            "X-Veille-Message-Id": letter.message_id,
        }

        def signed() -> dict[str, str]:
            # The wall clock, even under `--now`: receivers compare it with theirs.
            timestamp = str(int(time.time()))
            return {**fixed, TIMESTAMP: timestamp, SIGNATURE: sign(secret, timestamp, data)}

        return signed
