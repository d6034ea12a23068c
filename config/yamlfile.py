"""The YAML reader of configuration files: no anchors or aliases, bounded nesting.

An alias repeats a node without copying it in the file, so a 1 KB file of nested aliases
("billion laughs") expands to gigabytes once loaded; a configuration never needs one, so
the reader refuses anchors and aliases outright, naming the line. PyYAML composes nested
nodes recursively, so nesting is capped well below Python's recursion limit.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_DEPTH = 100


class RefusedYAML(yaml.YAMLError):
    """Valid YAML that a configuration may not use; `line` and `column` are 1-based."""

    def __init__(self, problem: str, mark: yaml.Mark) -> None:
        super().__init__(problem)
        self.problem = problem
        self.line = mark.line + 1
        self.column = mark.column + 1


class _Loader(yaml.SafeLoader):
    depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            sign = "*" if isinstance(event, yaml.AliasEvent) else "&"
            raise RefusedYAML(
                f"{sign}{event.anchor}: anchors and aliases (&name, *name, <<: *name) are not "
                "accepted in a configuration; write the values out in full",
                event.start_mark,
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise RefusedYAML(
                    f"nested more than {MAX_DEPTH} levels deep; a configuration needs a few",
                    event.start_mark,
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def load(text: str) -> Any:
    """The data of a YAML document, or YAMLError (RefusedYAML for what a config may not use)."""
    loader = _Loader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def compose(text: str) -> yaml.Node | None:
    """The node tree of a YAML document (for line numbers), with the same refusals as load."""
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()
