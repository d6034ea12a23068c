"""The workspace's own models: `veille train` writes versioned model files into
`nlp.models_dir/<task>/` and records which one is active in `nlp.models_dir/active.json`;
without one, the labelers use the model packaged with Veille."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from config.settings import Settings

PACKAGED = Path(__file__).resolve().parent / "models"
TRAINABLE = ("topic", "sentiment")
ACTIVE = "active.json"


def packaged_model(task: str) -> Path:
    return PACKAGED / f"{task}.npz"


def _folder(settings: Settings) -> Path:
    return Path(settings.nlp.models_dir)


def _read_active(folder: Path) -> dict[str, Any]:
    path = folder / ACTIVE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(
            f"{path}: unreadable ({exc}); delete it to use the packaged models"
        ) from None
    return data if isinstance(data, dict) else {}


def active_figures(settings: Settings, task: str) -> dict[str, Any]:
    """What `veille train` recorded when it activated the workspace's model of `task` (test
    score, when, people's labels); empty for the packaged model."""
    entry = _read_active(_folder(settings)).get(task)
    figures = entry.get("figures") if isinstance(entry, dict) else None
    return dict(figures) if isinstance(figures, dict) else {}


def active_model(settings: Settings, task: str) -> Path:
    """The model file the labeler of `task` uses: the workspace's active one, else packaged."""
    entry = _read_active(_folder(settings)).get(task)
    if entry:
        path = _folder(settings) / task / str(entry["file"])
        if not path.exists():
            raise FileNotFoundError(
                f"{path}: the active {task} model is missing; run `veille train {task}` again "
                f"or remove the {task!r} entry from {_folder(settings) / ACTIVE}"
            )
        return path
    return packaged_model(task)


def new_model_path(settings: Settings, task: str, now: datetime) -> Path:
    """A fresh, versioned file name: <task>-<UTC time>[-n].npz."""
    folder = _folder(settings) / task
    stem = f"{task}-{now.strftime('%Y%m%dT%H%M%S')}"
    path, n = folder / f"{stem}.npz", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.npz"
    return path


def activate(settings: Settings, task: str, path: Path, figures: dict[str, Any]) -> None:
    """Make `path` (inside the workspace's models folder) the active model of `task`."""
    folder = _folder(settings)
    data = _read_active(folder)
    data[task] = {"file": path.name, "figures": figures}
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (ACTIVE + ".tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp.replace(folder / ACTIVE)


def model_id(path: Path) -> str:
    """A short name for the labels' `model` column: packaged, or the workspace file's stem."""
    return "packaged" if path.parent == PACKAGED else path.stem
