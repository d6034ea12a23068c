"""The configuration reference, read from the settings model: every key, its type, default and use.

`keys()` walks the pydantic models of config/settings.py (and the typed options of the API
sources) and yields one `Key` per setting; `render()` writes them as the Markdown page
docs/configuration.md (docs/gen_config.py; a test fails when the committed page is stale).
The values a plugin field accepts come from the registries, which live on the floors above:
the caller hands their names in, as `load_settings(plugins=...)` does.
"""

from __future__ import annotations

import json
import types
from collections.abc import Callable, Collection, Iterator, Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from annotated_types import Ge, Gt, Le, Lt, MaxLen, MinLen
from pydantic import BaseModel, SecretStr
from pydantic.fields import FieldInfo
from pydantic_core import PydanticUndefined

from config.settings import Registered, Settings
from config.source_options import OPTIONS

PluginNames = Mapping[str, Collection[str] | Callable[[], Collection[str]]]


@dataclass(frozen=True)
class Key:
    path: str  # database.url, brands[].name, sources[].options.hashtags
    type: str  # readable: "integer ≥ 1", "list of text", "one of fr, en"
    default: str  # as YAML would write it; "required" when there is none
    description: str
    section: str  # the heading it is listed under ("sources[].options|KIND" for typed options)


def keys(plugins: PluginNames | None = None) -> Iterator[Key]:
    """Every setting of `veille.yaml`, section by section, in the model's order."""
    yield from _walk(Settings, "", "top level", plugins or {})
    for kind, model in OPTIONS.items():
        yield from _walk(model, "sources[].options.", f"sources[].options|{kind}", plugins or {})


def key_paths(plugins: PluginNames | None = None) -> set[str]:
    """The dotted paths of every key and section (`nlp`, `nlp.sentiment`, `nlp.sentiment.model`)."""
    paths: set[str] = set()
    for key in keys(plugins):
        parts = key.path.split(".")
        paths.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return paths | {p.removesuffix("[]") for p in paths}


def missing_descriptions() -> list[str]:
    """Keys whose field has no description: the reference would say nothing about them."""
    return [k.path for k in keys() if not k.description]


def _walk(model: type[BaseModel], prefix: str, section: str, plugins: PluginNames) -> Iterator[Key]:
    nested: list[tuple[type[BaseModel], str, str]] = []
    for name, field in model.model_fields.items():
        path = prefix + name
        sub, many = _submodel(field.annotation)
        if sub is not None:
            # brands[]: a list of records; alerts.targets.<name>: records by the user's names
            child = {"list": f"{path}[]", "map": f"{path}.<name>"}.get(many, path)
            nested.append((sub, f"{child}.", child))  # listed under its own heading
            continue
        yield Key(
            path=path,
            type=_type(field, plugins),
            default=_default(field),
            description=_description(field),
            section=section,
        )
    for sub, sub_prefix, sub_section in nested:
        yield from _walk(sub, sub_prefix, sub_section, plugins)


def _submodel(annotation: Any) -> tuple[type[BaseModel] | None, str]:
    """The record model of a field and how it nests: "one", a "list" or a "map" of them."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation, "one"
    item = None
    if get_origin(annotation) is list:
        (item,) = get_args(annotation)
        many = "list"
    elif get_origin(annotation) is dict:
        item = get_args(annotation)[1]
        many = "map"
    if isinstance(item, type) and issubclass(item, BaseModel):
        return item, many
    return None, "one"


def _description(field: FieldInfo) -> str:
    return " ".join((field.description or "").split())


def _default(field: FieldInfo) -> str:
    if field.default_factory is not None:
        value = field.default_factory()  # type: ignore[call-arg]
    elif field.default is PydanticUndefined:
        return "required"
    else:
        value = field.default
    if isinstance(value, BaseModel):
        return ""
    return _yaml(value)


def _yaml(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, list):
        return "[" + ", ".join(_yaml(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{}" if not value else json.dumps(value, ensure_ascii=False)
    if isinstance(value, float) and value.is_integer():
        return str(int(value)) if abs(value) < 1e15 else str(value)
    if isinstance(value, str) and (value == "" or value.strip() != value):
        return json.dumps(value)
    return str(value)


def _type(field: FieldInfo, plugins: PluginNames) -> str:
    text = _annotation(field.annotation, plugins)
    bounds = _bounds(field.metadata)
    text += f" {bounds}" if bounds else ""
    for item in field.metadata:
        text += _registered(item, plugins)
    return text


def _annotation(annotation: Any, plugins: PluginNames) -> str:
    origin = get_origin(annotation)
    args = get_args(annotation)
    if origin is Annotated:
        inner = _annotation(args[0], plugins)
        bounds = _bounds(args[1:])
        inner += f" {bounds}" if bounds else ""
        for item in args[1:]:
            inner += _registered(item, plugins)
        return inner
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin in (Union, types.UnionType):
        named = [a for a in args if a is not type(None)]
        text = " or ".join(_annotation(a, plugins) for a in named)
        return f"{text} or null" if len(named) < len(args) else text
    if origin is list:
        return "list of " + _annotation(args[0], plugins)
    if origin is dict:
        return f"mapping of {_annotation(args[0], plugins)} to {_annotation(args[1], plugins)}"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "one of " + ", ".join(str(m.value) for m in annotation)
    return {
        str: "text",
        int: "integer",
        float: "number",
        bool: "true or false",
        SecretStr: "secret (environment only)",
        Any: "any",
    }.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _bounds(metadata: Collection[Any]) -> str:
    words = []
    for item in metadata:
        if isinstance(item, Ge):
            words.append(f"≥ {_number(item.ge)}")
        elif isinstance(item, Gt):
            words.append(f"> {_number(item.gt)}")
        elif isinstance(item, Le):
            words.append(f"≤ {_number(item.le)}")
        elif isinstance(item, Lt):
            words.append(f"< {_number(item.lt)}")
        elif isinstance(item, MinLen) and item.min_length:
            words.append(f"at least {item.min_length} long")
        elif isinstance(item, MaxLen):
            words.append(f"at most {item.max_length} long")
    return ", ".join(words)


def _number(value: Any) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def _registered(item: Any, plugins: PluginNames) -> str:
    """For a plugin field (`settings.registered`): the names it accepts, else nothing."""
    item = getattr(item, "func", None)
    if not isinstance(item, Registered):
        return ""
    names = plugins.get(item.kind)
    found = list(names() if callable(names) else names) if names is not None else []
    allowed = list(dict.fromkeys([*item.always, *found]))
    what = item.kind.replace("_", " ")
    listed = f": {', '.join(allowed)}" if allowed else ""
    return f" (a registered {what}{listed})"


def render(plugins: PluginNames | None = None) -> str:
    """docs/configuration.md: one table per section of `veille.yaml`."""
    out = [
        "# Configuration reference",
        "",
        "<!-- Generated from config/settings.py by `python docs/gen_config.py`: edit the",
        "     models' descriptions there, not this page. -->",
        "",
        "Every key of `veille.yaml`, read from the settings model (`config/settings.py`) and the",
        "typed options of the API sources (`config/source_options.py`). A key left out takes its",
        "default. Any key can also be set in the environment: `VEILLE_` and the key path in",
        "capitals, `__` between levels (`database.url` is `VEILLE_DATABASE__URL`). Where settings",
        "come from and how a bad value is reported: [Configuration](settings.md). Values a",
        "plugin field accepts are the registered plugins' names ([Extending](extending.md)).",
    ]
    section = None
    for key in keys(plugins):
        if key.section != section:
            section = key.section
            heading = "Top level" if section == "top level" else f"`{section}`"
            if "|" in section:  # the typed options of one kind of source
                options, kind = section.split("|")
                heading = f"`{options}` of a `{kind}` source"
            out += ["", f"## {heading}", "", "| key | type | default | what it does |"]
            out += ["|---|---|---|---|"]
        default = f"`{key.default}`" if key.default not in ("required", "") else key.default
        out.append(f"| `{key.path}` | {_cell(key.type)} | {default} | {_cell(key.description)} |")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
