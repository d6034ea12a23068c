"""What a channel is: a named way to deliver one message to one target, under the guarantee.

`send(letter, handover)` builds what the channel carries from the letter (the alert's view or
its full e-mail), calls `handover.mark()` just before the data leaves (committed in the
database), and returns where it went. It raises `SendError` when nothing was handed over (the
message stays owed) and `Unconfirmed` when it was and no answer came (never sent again
automatically); `handover.undo()` when a clear refusal shows the data did not arrive.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from reports.alerts.mailer import Handover, SendError

if TYPE_CHECKING:
    from config.settings import Settings, TargetSettings
    from reports.alerts.letter import Letter


@dataclass(frozen=True)
class Target:
    """A delivery's destination: its name and its settings (None for the built-in lists
    `recipients`, a brand's `alerts.recipients`, and `operators`, `alerts.operators`)."""

    name: str
    options: TargetSettings | None = None

    def secret(self, key: str) -> str:
        """The value of the environment variable the target names under `key` (url_env…):
        secrets are never in the config file, only the variable's name is."""
        variable = getattr(self.options, key, None) if self.options else None
        if not variable:
            raise SendError(f"alerts.targets.{self.name}.{key} is not set")
        value = os.environ.get(variable, "").strip()
        if not value:
            raise SendError(
                f"the environment variable {variable} (alerts.targets.{self.name}.{key}) is "
                "not set; export it where Veille runs"
            )
        return value


class Channel:
    """One way of delivering: subclasses set `name` and implement `send`."""

    name: ClassVar[str] = ""

    def __init__(self, settings: Settings, target: Target) -> None:
        self.settings = settings
        self.target = target

    def send(self, letter: Letter, handover: Handover) -> str:
        """Deliver the letter to the target; return where it went (never a secret)."""
        raise NotImplementedError

    def describe(self) -> dict[str, Any]:
        return {"channel": self.name, "target": self.target.name}
