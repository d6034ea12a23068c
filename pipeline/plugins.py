"""Every extension point of Veille in one place: its registry, entry-point group and names.

Each kind of plugin is found through one registry (`config.plugins.Registry`, or the
labelers' decorator registry): the built-ins are the modules of a package, walked on first
use, and third-party plugins are declared in their own package's metadata under an entry-point
group, so they register exactly as the built-ins do. Commands are the exception: the built-in
ones are listed in pipeline/commands/__init__.py, in the order of `veille --help`.
docs/extending.md shows a minimal plugin of each kind.

| kind           | group              | built-ins in                 | a plugin is           |
|----------------|--------------------|------------------------------|-----------------------|
| export reader  | veille.readers     | crawlers/readers/            | a module              |
| spider         | veille.spiders     | crawlers/spiders/            | a Spider class        |
| forum engine   | veille.engines     | crawlers/engines/            | a ForumEngine class   |
| labeler        | veille.labelers    | nlp/labelers/                | a module of @register |
| detector       | veille.detectors   | reports/detect/              | a Detector class      |
| alert channel  | veille.channels    | reports/alerts/channels/     | a Channel class       |
| report section | veille.sections    | reports/sections/            | a ReportSection class |
| stage          | veille.stages      | pipeline/stages/             | a module              |
| command        | veille.commands    | pipeline/commands/ (listed)  | a module of register  |

`config_names()` gives the config the names its plugin fields may take (checked when the
settings are loaded); the registries are read only when a field needs them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ExtensionPoint:
    kind: str
    group: str  # the entry-point group third-party packages declare their plugins under
    names: Callable[[], list[str]]  # the registered names, in the registry's order


def _formats() -> list[str]:
    from crawlers.readers import FORMATS

    return list(FORMATS)


def _spiders() -> list[str]:
    from crawlers.spiders import SPIDERS

    return list(SPIDERS)


def _engines() -> list[str]:
    from crawlers.engines import ENGINES

    return list(ENGINES)


def _labelers() -> list[str]:
    from nlp.labelers import available

    return list(available())


def _sentiment_backends() -> list[str]:
    from nlp.labelers import available

    return list(available().get("sentiment", {}))


def _detectors() -> list[str]:
    from reports.detect import DETECTORS

    return list(DETECTORS)


def _channels() -> list[str]:
    from reports.alerts.channels import CHANNELS

    return list(CHANNELS)


def _sections() -> list[str]:
    from reports.sections import SECTIONS

    return list(SECTIONS)


def _commands() -> list[str]:
    import typer

    from pipeline.cli import app

    group = typer.main.get_command(app)
    return list(getattr(group, "commands", {}))


def _stages() -> list[str]:
    from pipeline.stages import known_stages

    return known_stages()


EXTENSION_POINTS = (
    ExtensionPoint("export reader", "veille.readers", _formats),
    ExtensionPoint("spider", "veille.spiders", _spiders),
    ExtensionPoint("forum engine", "veille.engines", _engines),
    ExtensionPoint("labeler", "veille.labelers", _labelers),
    ExtensionPoint("detector", "veille.detectors", _detectors),
    ExtensionPoint("alert channel", "veille.channels", _channels),
    ExtensionPoint("report section", "veille.sections", _sections),
    ExtensionPoint("stage", "veille.stages", _stages),
    ExtensionPoint("command", "veille.commands", _commands),
)


def engine_choices() -> list[str]:
    from crawlers.engines import engine_names

    return engine_names()


def config_names() -> dict[str, Callable[[], list[str]]]:
    """kind -> the names a config field of that kind accepts (see config.settings.registered)."""
    return {
        "forum_engine": engine_choices,
        "stage": _stages,
        "labeler": _labelers,
        "sentiment_backend": _sentiment_backends,
        "detector": _detectors,
        "channel": _channels,
    }
