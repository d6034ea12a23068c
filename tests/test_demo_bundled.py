"""The demo's committed files are what their generators write: a change to the demo's
templates or synonyms that forgets to regenerate them fails here."""

from __future__ import annotations

from pathlib import Path

from veille_demo import exports


def test_the_bundled_exports_are_what_veille_demo_exports_writes(tmp_path: Path) -> None:
    exports.generate(tmp_path)
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == sorted(p.name for p in exports.BUNDLED.iterdir())
    for name in written:
        assert (tmp_path / name).read_bytes() == (exports.BUNDLED / name).read_bytes(), (
            f"veille_demo/exports/{name} is not what the generator writes: run "
            "`python -m veille_demo.exports` and commit the files"
        )
