"""Write docs/configuration.md from the settings model: `python docs/gen_config.py [--check]`."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "docs" / "configuration.md"


def page() -> str:
    sys.path.insert(0, str(ROOT))
    from config.reference import render
    from pipeline.plugins import config_names

    return render(config_names())


def main(argv: list[str]) -> int:
    text = page()
    if "--check" in argv:
        if PAGE.read_text(encoding="utf-8") != text:
            print(f"{PAGE} is out of date: run `python docs/gen_config.py`", file=sys.stderr)
            return 1
        return 0
    PAGE.write_text(text, encoding="utf-8")
    print(f"wrote {PAGE}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
