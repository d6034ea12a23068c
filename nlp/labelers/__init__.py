"""Registered, versioned labelers: `load(task, settings)` gives one ready to `label_batch`.

Built-in labelers register exactly as a plugin would, with `@register(task, version=...)` on
a factory `(settings) -> Labeler`: the modules of this package are imported on first use, then
the modules named by the `veille.labelers` entry-point group. Several versions of one task stay
loadable; `load` takes the newest unless told which, and the backend named in the settings
(`nlp.sentiment.backend`; the other tasks have the default backend).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from config.plugins import entry_point_objects, package_modules, rescan
from nlp.labelers.base import Doc, Labeler, NotConfigured, Prediction

if TYPE_CHECKING:
    from config.settings import Settings

__all__ = ["Doc", "Labeler", "NotConfigured", "Prediction", "available", "load", "register"]

Factory = Callable[["Settings"], Labeler]

GROUP = "veille.labelers"


@dataclass(frozen=True)
class Entry:
    task: str
    backend: str
    version: str
    factory: Factory


_REGISTRY: dict[tuple[str, str], dict[str, Entry]] = {}
_populated = False


def register(task: str, version: str, backend: str = "default") -> Callable[[Factory], Factory]:
    """Declare a labeler factory for `task` (and `backend`) at `version`."""

    def decorate(factory: Factory) -> Factory:
        versions = _REGISTRY.setdefault((task, backend), {})
        if version in versions and versions[version].factory is not factory:
            raise ValueError(f"labeler {task}/{backend} version {version!r} is registered twice")
        versions[version] = Entry(task, backend, version, factory)
        return factory

    return decorate


def _populate(again: bool = False) -> None:
    """Import the labeler modules (their decorators register them), once; tests may ask again."""
    global _populated
    if not _populated or again:
        _populated = True
        if again:
            rescan()
        # Importing this package stays light: the modules (numpy, models) load on first use.
        package_modules(__name__, skip=("base",))
        entry_point_objects(GROUP)


def available() -> dict[str, dict[str, list[str]]]:
    """task -> backend -> versions, for listings and conformance tests."""
    _populate()
    out: dict[str, dict[str, list[str]]] = {}
    for (task, backend), versions in sorted(_REGISTRY.items()):
        out.setdefault(task, {})[backend] = sorted(versions)
    return out


def _backend_for(task: str, settings: Settings) -> str:
    if task == "sentiment":
        return settings.nlp.sentiment.backend
    return "default"


def load(task: str, settings: Settings | None = None, version: str | None = None) -> Labeler:
    """A ready labeler for `task`; unknown names fail listing the known ones."""
    from config.settings import Settings

    _populate()
    settings = settings if settings is not None else Settings()
    backend = _backend_for(task, settings)
    versions = _REGISTRY.get((task, backend))
    if not versions:
        known = ", ".join(sorted({t for t, _ in _REGISTRY}))
        raise KeyError(f"no labeler {task!r} with backend {backend!r}; known labelers: {known}")
    if version is None:
        version = max(versions, key=_version_key)
    if version not in versions:
        raise KeyError(
            f"labeler {task!r} has no version {version!r}; known: {', '.join(sorted(versions))}"
        )
    return versions[version].factory(settings)


def _version_key(version: str) -> tuple[int, str]:
    tail = version.rsplit(".v", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, version)
