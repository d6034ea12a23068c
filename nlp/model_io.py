"""Model files as NumPy archives whose bytes depend only on their arrays: the same training
gives the same file (no time stamp inside, names in sorted order)."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

_EPOCH = (1980, 1, 1, 0, 0, 0)


def save_npz(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Write `arrays` as a compressed .npz (np.load reads it) reproducibly, atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(arrays):
            buffer = io.BytesIO()
            np.lib.format.write_array(buffer, np.asanyarray(arrays[name]), allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, buffer.getvalue(), compresslevel=6)
    tmp.replace(path)


def load_npz(path: Path) -> dict[str, np.ndarray]:
    with np.load(path, allow_pickle=False) as data:
        return {k: data[k] for k in data.files}


def file_identity(path: Path) -> str:
    """A model file's identity: the start of its bytes' SHA-256, named in what was built from
    it (a stack trained on a tuned file's probabilities, a combined model's blocks, caches)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def meta_of(arrays: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """A model file's `meta`: its settings and figures, a JSON text stored as a 0-d array."""
    meta: dict[str, Any] = json.loads(str(arrays["meta"]))
    return meta


def meta_array(meta: Mapping[str, Any]) -> np.ndarray:
    """`meta` as a model file stores it (keys sorted, so the same meta gives the same bytes)."""
    return np.array(json.dumps(meta, sort_keys=True))
