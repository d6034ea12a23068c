"""A sentiment model made of two model files' language blocks: the new file's specialists of
some languages, the active file's for the others and for every other language (`MULTILINGUAL`).

A sentiment model reads each text with the block of its language alone (`SentimentModel.raw`:
French and English specialists, a multilingual block for the rest; each with its own
temperature and cascade threshold). So a retrain that is better in English and worse in French
need not be all or nothing: `veille train sentiment` takes the languages where the new model
is not worse (`nlp.retrain.languages_taken`) and keeps the active model's blocks for the rest.
The combined file reads each language exactly as the file its block came from does (tested).

    python -m nlp.language_blocks NEW ACTIVE --languages en [--out FILE]

writes such a file (by default beside NEW, as `<stem>-<languages>.npz`); the same two files
give the same bytes.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from nlp.labelers.sentiment import MULTILINGUAL, SPECIALISTS
from nlp.model_io import file_identity, load_npz, meta_array, meta_of, save_npz

# The model-wide settings both files must share: each block's stack was fitted with them.
SHARED = ("version", "n_features", "specialists", "domain_rules")


class CannotCombine(ValueError):
    """The two files' blocks cannot be read side by side: the message says why."""


def combined_path(new: Path, languages: Sequence[str]) -> Path:
    """Where the combined model is written by default: beside `new`, `<stem>-<languages>`."""
    return new.with_name(f"{new.stem}-{'-'.join(languages)}{new.suffix}")


def _block_of(name: str) -> str:
    """The block an array belongs to: its name's prefix (`en_thorough_coef` → `en`)."""
    return name.split("_", 1)[0]


def _block(arrays: dict[str, np.ndarray], name: str) -> dict[str, np.ndarray]:
    return {k: v for k, v in arrays.items() if _block_of(k) == name}


def _trained_in(meta: dict[str, Any], block: str, identity: str) -> str:
    """The identity of the file a block was trained in: the file's own, or, for a block that a
    combined file took from another, the one that file recorded."""
    recorded: str = meta.get("blocks", {}).get(block, {}).get("file", identity)
    return recorded


def _reads_tuned(arrays: dict[str, np.ndarray], block: str) -> bool:
    return f"{block}_tuned" in arrays


class ModelPair:
    """A new sentiment model file and the active one, each read once: which of their language
    blocks differ (`changed`), and the model combining them (`combine`)."""

    def __init__(self, new: Path, active: Path) -> None:
        self.new, self.active = new, active
        self.taken, self.kept = load_npz(new), load_npz(active)

    def changed(self) -> list[str]:
        """The specialists whose blocks differ between the two files (a block taken from a file
        that had taken it from the active one changes nothing: not worth a new model)."""
        out = []
        for name in SPECIALISTS:
            mine, theirs = _block(self.taken, name), _block(self.kept, name)
            if mine.keys() != theirs.keys() or any(
                not np.array_equal(mine[k], theirs[k]) for k in mine
            ):
                out.append(name)
        return out

    def combine(self, languages: Sequence[str], out: Path) -> dict[str, Any]:
        """Write to `out` the model with the new file's specialist blocks of `languages` and
        the active file's other blocks; return its `meta` (which records where each block came
        from)."""
        return _combine(self.new, self.active, self.taken, self.kept, languages, out)


def changed(new: Path, active: Path) -> list[str]:
    """`ModelPair.changed` of the two files."""
    return ModelPair(new, active).changed()


def combine(new: Path, active: Path, languages: Sequence[str], out: Path) -> dict[str, Any]:
    """`ModelPair.combine` of the two files."""
    return ModelPair(new, active).combine(languages, out)


def _combine(
    new: Path, active: Path, taken: dict[str, np.ndarray], kept: dict[str, np.ndarray],
    languages: Sequence[str], out: Path,
) -> dict[str, Any]:  # fmt: skip
    unknown = sorted(set(languages) - set(SPECIALISTS))
    if unknown or not languages:
        raise CannotCombine(
            f"only the specialists' blocks ({', '.join(SPECIALISTS)}) can be taken from a new "
            f"sentiment model, not {unknown or 'none'}"
        )
    new_meta, active_meta = meta_of(taken), meta_of(kept)
    for key in SHARED:
        if new_meta.get(key) != active_meta.get(key):
            raise CannotCombine(
                f"{new} and {active} differ in {key!r} ({new_meta.get(key)!r} against "
                f"{active_meta.get(key)!r}): their blocks were not fitted alike; retrain "
                "rather than combine"
            )
    chosen = {block: ("new" if block in languages else "active")
              for block in (MULTILINGUAL, *SPECIALISTS)}  # fmt: skip
    for path, arrays in ((new, taken), (active, kept)):
        unknown = sorted(name for name in arrays if name not in ("meta", "classes")
                         and _block_of(name) not in chosen)  # fmt: skip
        if unknown:
            raise CannotCombine(
                f"{path} holds arrays outside the language blocks ({', '.join(unknown[:3])}): "
                "a model of another layout; retrain rather than combine"
            )
    files = {"new": taken, "active": kept}
    metas = {"new": new_meta, "active": active_meta}
    identities = {"new": file_identity(new), "active": file_identity(active)}
    arrays = {name: value for block, side in chosen.items()
              for name, value in _block(files[side], block).items()}  # fmt: skip
    # The tuned e5 file a block's thorough stack learnt from: one per model file.
    tuned = {metas[side].get("e5_tuned") for block, side in chosen.items()
             if _reads_tuned(files[side], block)}  # fmt: skip
    if len(tuned) > 1:
        raise CannotCombine(
            f"{new} and {active} read different tuned e5 classifiers in their thorough stacks: "
            "retrain rather than combine"
        )
    e5 = {metas[side].get("e5") for block, side in chosen.items()
          if f"{block}_thorough_coef" in arrays}  # fmt: skip
    if len(e5) > 1:
        raise CannotCombine(f"{new} and {active} read different e5 encoders: retrain")
    cv = {side: meta.get("cv", {}) for side, meta in metas.items()}
    meta = {key: active_meta[key] for key in SHARED if key in active_meta}
    meta.update({
        "seed": active_meta.get("seed"),
        "e5": next(iter(e5), None),
        "e5_tuned": next(iter(tuned), None),
        "cv": {**{k: v for k, v in cv["active"].items() if k not in SPECIALISTS},
               **{block: cv[side][block] for block, side in chosen.items()
                  if block in cv[side]}},
        "blocks": {block: {"from": side, "file": _trained_in(metas[side], block, identities[side])}
                   for block, side in chosen.items()},
        "train_size": {side: meta.get("train_size") for side, meta in metas.items()},
    })  # fmt: skip
    arrays["meta"] = meta_array(meta)
    arrays["classes"] = kept["classes"]
    save_npz(out, arrays)
    return meta


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("new", type=Path, help="the sentiment model file to take blocks from")
    parser.add_argument("active", type=Path, help="the one whose other blocks are kept")
    parser.add_argument("--languages", nargs="+", required=True, choices=SPECIALISTS)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    out = args.out or combined_path(args.new, args.languages)
    try:
        meta = combine(args.new, args.active, args.languages, out)
    except CannotCombine as exc:
        raise SystemExit(f"error: {exc}") from None
    print(json.dumps({"out": str(out), "blocks": meta["blocks"]}, indent=1))


if __name__ == "__main__":
    main()
