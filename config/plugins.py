"""Extension points found by name: the modules of a built-in package, then an entry-point group.

Every extension point of Veille (export readers, spiders, forum engines, labelers, detectors,
report sections, stages) is a `Registry`: a mapping from a plugin's declared `name` to the
plugin, filled on first use. The built-ins are found by walking their package (each module is
imported, and `collect` picks its plugins out of it); third-party plugins are found through
a Python entry-point group (`veille.readers`, `veille.spiders`…) whose entries name a module
or an object, handed to the same `collect`. So a built-in registers exactly as a plugin would:
by being a module with the right metadata. `pipeline/plugins.py` lists every registry.

This module sits on the lowest floor so that every floor can declare its registries; it
imports nothing of Veille's.
"""

from __future__ import annotations

import logging
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from functools import cache
from importlib import import_module
from importlib.metadata import EntryPoint, distributions
from types import ModuleType
from typing import Any, TypeVar

log = logging.getLogger("veille.plugins")

P = TypeVar("P")
T = TypeVar("T")
Collect = Callable[[Any], Iterable[tuple[str, P]]]


def package_modules(package: str, skip: Iterable[str] = ()) -> list[ModuleType]:
    """The modules of `package` (not its sub-packages), imported, sorted by name.

    Modules whose name starts with `_` and those named in `skip` (helpers) are left out. An
    import error of a built-in module is a bug and is raised.
    """
    root = import_module(package)
    left_out = set(skip)
    names = sorted(
        info.name
        for info in pkgutil.iter_modules(root.__path__)
        if not info.ispkg and not info.name.startswith("_") and info.name not in left_out
    )
    return [import_module(f"{package}.{name}") for name in names]


def entry_point_objects(group: str) -> list[tuple[str, Any]]:
    """(entry point, loaded object) of every installed entry point of `group`.

    A third-party plugin that cannot be loaded is switched off loudly: logged, left out.
    """
    found: list[tuple[str, Any]] = []
    for ep in sorted(_installed().get(group, []), key=lambda e: (e.name, e.value)):
        try:
            found.append((f"{ep.name} = {ep.value}", ep.load()))
        except Exception as exc:  # a broken plugin must not stop Veille
            log.warning("Disabled plugin %s = %s (%s): %s", ep.name, ep.value, group, exc)
    return found


@cache
def _installed() -> dict[str, list[EntryPoint]]:
    """Every installed entry point by group, read once per process (a scan of every package)."""
    groups: dict[str, list[EntryPoint]] = {}
    seen: set[str] = set()
    for dist in distributions():
        name = re.sub(r"[-_.]+", "-", dist.metadata["Name"] or "").lower()
        if name in seen:  # the first on sys.path wins, as for importlib.metadata.entry_points
            continue
        seen.add(name)
        for ep in dist.entry_points:
            groups.setdefault(ep.group, []).append(ep)
    return groups


def rescan() -> None:
    """Forget the entry points read so far: a package has been installed since."""
    _installed.cache_clear()


def classes_in(module: Any, base: type[T], attribute: str = "name") -> list[type[T]]:
    """Concrete plugin classes: subclasses of `base` defined in `module` with a non-empty name.

    `module` may also be a class itself (an entry point naming a class).
    """
    if isinstance(module, type):
        candidates = [module]
    else:
        candidates = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == module.__name__
        ]
    return [c for c in candidates if issubclass(c, base) and getattr(c, attribute, None)]


class Registry(MutableMapping[str, P]):
    """Plugins of one kind by name, discovered on first use (package walk, then entry points).

    `what` names one plugin in messages ("export format"), `plural` the list ("formats").
    The mapping is ordered by discovery, or by `order` (a key of a name and its plugin) when
    given, whatever was added or removed since. A name found twice is a warning and the
    first one found wins, so a plugin cannot shadow a built-in unnoticed. Tests may add or
    remove plugins like in a dict; `refresh()` forgets everything (the next access discovers
    again).
    """

    def __init__(
        self,
        what: str,
        plural: str,
        package: str | None,
        group: str,
        collect: Collect[P],
        *,
        skip: Iterable[str] = (),
        order: Callable[[str, P], Any] | None = None,
    ) -> None:
        self.what = what
        self.plural = plural
        self.package = package
        self.group = group
        self.collect = collect
        self.skip = tuple(skip)
        self.order = order
        self.duplicates: list[str] = []  # "name: first, second" for the conformance tests
        self._plugins: dict[str, P] | None = None
        self._origins: dict[str, str] = {}

    # -- discovery ---------------------------------------------------------------------
    def _discover(self) -> dict[str, P]:
        found: dict[str, P] = {}
        self._origins = {}
        self.duplicates = []
        sources: list[tuple[str, Any]] = []
        if self.package is not None:
            sources += [(m.__name__, m) for m in package_modules(self.package, self.skip)]
        sources += entry_point_objects(self.group)
        for origin, obj in sources:
            for name, plugin in self.collect(obj):
                if name in found:
                    if found[name] is not plugin:
                        self.duplicates.append(f"{name}: {self._origins[name]}, {origin}")
                        log.warning(
                            "Two %s are named %r: %s and %s; using the first",
                            self.plural, name, self._origins[name], origin,
                        )  # fmt: skip
                    continue
                found[name] = plugin
                self._origins[name] = origin
        return found

    @property
    def plugins(self) -> dict[str, P]:
        if self._plugins is None:
            self._plugins = self._discover()
        return self._plugins

    def refresh(self) -> None:
        """Forget what was found: the next access walks the package and entry points again."""
        self._plugins = None
        rescan()  # a package may have been installed since

    def origin(self, name: str) -> str:
        """Where the plugin `name` came from: its module, or its entry point."""
        self.plugins  # noqa: B018 -- discovery fills the origins
        return self._origins.get(name, "added at run time")

    # -- lookups -----------------------------------------------------------------------
    def names(self) -> list[str]:
        if self.order is None:
            return list(self.plugins)
        key = self.order
        return [name for name, _ in sorted(self.plugins.items(), key=lambda item: key(*item))]

    def unknown(self, name: str) -> KeyError:
        """The error for a name that is not registered: it lists the valid ones."""
        known = ", ".join(self.names()) or "none installed"
        return KeyError(f"unknown {self.what} {name!r}; known {self.plural}: {known}")

    def get_plugin(self, name: str) -> P:
        """The plugin `name`, or a KeyError listing the valid names."""
        try:
            return self.plugins[name]
        except KeyError:
            raise self.unknown(name) from None

    # -- MutableMapping ----------------------------------------------------------------
    def __getitem__(self, name: str) -> P:
        return self.plugins[name]

    def __setitem__(self, name: str, plugin: P) -> None:
        self.plugins[name] = plugin

    def __delitem__(self, name: str) -> None:
        del self.plugins[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.plugins)

    def __repr__(self) -> str:
        return f"Registry({self.group}: {', '.join(self.names())})"
