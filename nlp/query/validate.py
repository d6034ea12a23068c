"""Check the brand and theme queries of a loaded configuration, so that a bad one stops every
command."""

from __future__ import annotations

from pathlib import Path

import yaml

from config import yamlfile
from config.errors import ConfigError
from config.settings import Settings
from nlp.query.errors import QueryError
from nlp.query.parser import keyword_node, parse


def validate_brand_queries(settings: Settings, config_path: str | Path | None) -> None:
    """Raise ConfigError naming the file, the key (`brands[i].query`, `themes[i].query`) and
    the column of the first error."""
    for i, brand in enumerate(settings.brands):
        try:
            if isinstance(brand.query, str):
                parse(brand.query)
        except QueryError as exc:
            raise ConfigError(_where(config_path, ["brands", i, "query"], str(exc))) from None
        if isinstance(brand.query, list):
            for j, keyword in enumerate(brand.query):
                if not keyword.strip():
                    continue
                try:
                    keyword_node(keyword)
                except QueryError as exc:
                    steps: list[str | int] = ["brands", i, "query", j]
                    raise ConfigError(_where(config_path, steps, exc.reason)) from None
    for i, theme in enumerate(settings.themes):
        try:
            parse(theme.query)
        except QueryError as exc:
            raise ConfigError(_where(config_path, ["themes", i, "query"], str(exc))) from None


def _where(config_path: str | Path | None, steps: list[str | int], message: str) -> str:
    key = "".join(f"[{s}]" if isinstance(s, int) else f".{s}" for s in steps).lstrip(".")
    if config_path is None:
        return f"settings: {key}: {message}"
    line = _line_of(Path(config_path), steps)
    suffix = f" (line {line})" if line else ""
    return f"{config_path}: {key}: {message}{suffix}"


def _line_of(path: Path, steps: list[str | int]) -> int | None:
    """Line of the key at `steps` (["brands", 0, "query"]) in the YAML file, when it is there."""
    try:
        node = yamlfile.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    line = None
    for step in steps:
        if isinstance(node, yaml.MappingNode) and isinstance(step, str):
            found = next((v for k, v in node.value if k.value == step), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int):
            found = node.value[step] if step < len(node.value) else None
        else:
            found = None
        if found is None:
            return line
        node = found
        line = node.start_mark.line + 1
    return line
