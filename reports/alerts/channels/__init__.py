"""Where alert messages go: e-mail, Slack, Microsoft Teams, a signed JSON webhook — by name.

A channel is a `reports.alerts.channels.base.Channel` subclass with a `name`; the built-ins are
the classes of this package's modules, third-party ones are classes (or modules of them) named
by the `veille.channels` entry-point group. A target of `alerts.targets` chooses one with its
`channel` key; every channel delivers under the same guarantee (see reports/alerts/delivery.py).
"""

from __future__ import annotations

from typing import Any

from config.plugins import Registry, classes_in
from reports.alerts.channels.base import Channel, Target


def _channels_of(obj: Any) -> list[tuple[str, type[Channel]]]:
    return [(c.name, c) for c in classes_in(obj, Channel)]


# channel name -> class, sorted by name.
CHANNELS: Registry[type[Channel]] = Registry(
    "channel",
    "channels",
    __name__,
    "veille.channels",
    _channels_of,
    skip=("base", "http"),
    order=lambda name, _: name,
)


__all__ = ["CHANNELS", "Channel", "Target"]
