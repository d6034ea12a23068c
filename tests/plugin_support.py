"""Throwaway third-party plugins for tests: a module and a distribution with entry points.

`install(folder, {"veille.readers": {"jsonfeed": "veille_jsonfeed"}}, {"veille_jsonfeed.py":
"..."})` writes the module and a `veille_test_plugin-0.1.dist-info` folder declaring the entry
points; with `folder` on sys.path (or PYTHONPATH for a child process), `importlib.metadata`
finds them exactly as it finds an installed package's.
"""

from __future__ import annotations

import textwrap
from pathlib import Path


def install(
    folder: Path,
    groups: dict[str, dict[str, str]],
    modules: dict[str, str],
    dist: str = "veille_test_plugin",
) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for filename, source in modules.items():
        (folder / filename).parent.mkdir(parents=True, exist_ok=True)
        (folder / filename).write_text(textwrap.dedent(source).lstrip(), encoding="utf-8")
    info = folder / f"{dist}-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {dist}\nVersion: 0.1\n", encoding="utf-8"
    )
    lines = []
    for group, entries in groups.items():
        lines.append(f"[{group}]")
        lines += [f"{name} = {value}" for name, value in entries.items()]
        lines.append("")
    (info / "entry_points.txt").write_text("\n".join(lines), encoding="utf-8")
    return folder
