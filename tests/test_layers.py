"""The house's floors hold: imports between Veille's top-level packages run downwards only.

config ← storage ← nlp ← crawlers; reports may use config, storage and nlp (not crawlers);
web (the analysts' workspace) may use config, storage, nlp and reports; pipeline (CLI,
jobs) sits on top and nothing imports it; nothing in the product imports veille_demo,
which reaches the CLI through the `veille.commands` entry point as any plugin would. Every
import counts: at module level, inside functions, under `if TYPE_CHECKING:`, and
`import_module("...")` with a written name. The rule is docs/development.md's picture.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# package -> the top-level packages of ours it may import (itself included).
MAY_IMPORT: dict[str, set[str]] = {
    "config": {"config"},
    "storage": {"config", "storage"},
    "nlp": {"config", "storage", "nlp"},
    "crawlers": {"config", "storage", "nlp", "crawlers"},
    "reports": {"config", "storage", "nlp", "reports"},
    # The analysts' web workspace: beside crawlers, under the CLI that starts it.
    "web": {"config", "storage", "nlp", "reports", "web"},
    "pipeline": {"config", "storage", "nlp", "crawlers", "reports", "web", "pipeline"},
    # Not the product: the demo and test material, a plugin of the CLI (veille.commands).
    "veille_demo": {
        "config",
        "storage",
        "nlp",
        "crawlers",
        "reports",
        "web",
        "pipeline",
        "veille_demo",
    },
}
OURS = set(MAY_IMPORT)


def imported(path: Path, root: Path = ROOT) -> Iterator[tuple[int, str]]:
    """(line, absolute module name) of every import in the file, however it is written."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    module = ".".join(path.relative_to(root).with_suffix("").parts)
    package = (
        module.rsplit(".", 1)[0] if path.name != "__init__.py" else module[: -len(".__init__")]
    )
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: from . import x, from ..storage import y
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, node.module] if node.module else base)
            else:
                name = node.module or ""
            yield node.lineno, name
            for alias in node.names:  # `from pipeline import cli` names pipeline.cli too
                yield node.lineno, f"{name}.{alias.name}"
        elif (
            isinstance(node, ast.Call)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None))
            == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.lineno, node.args[0].value


def floor_problems(root: Path = ROOT) -> list[str]:
    problems = []
    for package, allowed in MAY_IMPORT.items():
        for path in sorted((root / package).rglob("*.py")):
            for line, name in imported(path, root):
                top = name.split(".")[0]
                if top in OURS and top not in allowed:
                    problems.append(
                        f"{path.relative_to(root)}:{line}: {package} imports {name} "
                        f"({package} may import {', '.join(sorted(allowed))})"
                    )
    return sorted(set(problems))


def test_imports_run_downwards_between_the_floors() -> None:
    problems = floor_problems()
    assert not problems, "\n".join(problems)


def test_every_product_package_is_on_a_floor() -> None:
    """A new top-level package must be given its floor here (and in docs/development.md)."""
    packages = {
        p.parent.name
        for p in ROOT.glob("*/__init__.py")
        if p.parent.name not in ("tests", "bench", "docs")
    }
    assert packages == OURS, f"packages without a floor: {sorted(packages - OURS)}"


def test_the_check_sees_every_way_of_importing(tmp_path: Path) -> None:
    (tmp_path / "storage").mkdir()
    (tmp_path / "storage" / "__init__.py").write_text("")
    (tmp_path / "storage" / "bad.py").write_text(
        "from __future__ import annotations\n"
        "from typing import TYPE_CHECKING\n"
        "from importlib import import_module\n"
        "if TYPE_CHECKING:\n"
        "    from nlp.text import normalise\n"
        "def later():\n"
        "    import crawlers.readers\n"
        "    return import_module('reports.html')\n"
        "from config import settings\n"
    )
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "__init__.py").write_text("from ..pipeline import cli\n")
    (tmp_path / "nlp").mkdir()
    (tmp_path / "nlp" / "ok.py").write_text("from storage import vocab\nfrom . import text\n")
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "demo.py").write_text("from veille_demo import sites\n")
    found = [p.split(": ", 1)[1].split(" (")[0] for p in floor_problems(tmp_path)]
    assert found == [
        "config imports pipeline",
        "config imports pipeline.cli",
        "reports imports veille_demo",
        "reports imports veille_demo.sites",
        "storage imports nlp.text",
        "storage imports nlp.text.normalise",
        "storage imports crawlers.readers",
        "storage imports reports.html",
    ], found


def test_the_demo_reaches_the_cli_through_its_entry_point_only() -> None:
    from importlib.metadata import entry_points

    assert [ep.value for ep in entry_points(group="veille.commands", name="demo")] == [
        "veille_demo.command"
    ]
