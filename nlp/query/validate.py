"""Check the brand queries of a loaded configuration, so that a bad one stops every command."""

from __future__ import annotations

from pathlib import Path

import yaml

from config import yamlfile
from config.errors import ConfigError
from config.settings import Settings
from nlp.query.errors import QueryError
from nlp.query.parser import keyword_node, parse


def validate_brand_queries(settings: Settings, config_path: str | Path | None) -> None:
    """Raise ConfigError naming the file, `brands[i].query` and the column of the first error."""
    for i, brand in enumerate(settings.brands):
        try:
            if isinstance(brand.query, str):
                parse(brand.query)
        except QueryError as exc:
            raise ConfigError(_where(config_path, (i, None), str(exc))) from None
        if isinstance(brand.query, list):
            for j, keyword in enumerate(brand.query):
                if not keyword.strip():
                    continue
                try:
                    keyword_node(keyword)
                except QueryError as exc:
                    raise ConfigError(_where(config_path, (i, j), exc.reason)) from None


def _where(config_path: str | Path | None, at: tuple[int, int | None], message: str) -> str:
    brand, keyword = at
    key = f"brands[{brand}].query" + (f"[{keyword}]" if keyword is not None else "")
    if config_path is None:
        return f"settings: {key}: {message}"
    line = _line_of(Path(config_path), brand, keyword)
    suffix = f" (line {line})" if line else ""
    return f"{config_path}: {key}: {message}{suffix}"


def _line_of(path: Path, brand: int, keyword: int | None) -> int | None:
    """Line of brands[brand].query (or of its keyword) in the YAML file, when it is there."""
    try:
        node = yamlfile.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    steps: list[str | int] = ["brands", brand, "query"]
    if keyword is not None:
        steps.append(keyword)
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
