"""The examples of the annotation guide's decision rules (docs/annotation-guide.md: R1–R17 of
section 3, F1–F6 of section 8, forum posts), read from the guide itself. The labelers' tests
check every one against the packaged models, and `veille train` refuses a model that reads
more of them wrong than the active model (`nlp.retrain`).

The guide is read through `annotation-guide.md` beside this module, a link to the manual's
page: one text, which an installed package carries too."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from config.settings import SourceKind

GUIDE = Path(__file__).with_name("annotation-guide.md")
_RULE = re.compile(r"^\*\*([RF]\d+)\.")
_EXAMPLE = re.compile(
    r'^- "(?P<text>.+?)"\s*(?P<note>\([^)]*\))?\s*→\s*(?P<topic>\w+),\s*(?P<sentiment>\w+)\s*$'
)
# The guide's sections whose rules carry examples (3: the hard cases; 8: forum posts), and
# where the examples of each were written as the labelers read it (`config.settings.
# SourceKind`; section 3's examples come from anywhere: none).
SECTIONS = {"3": "", "8": SourceKind.FORUM.value}
# Rules whose examples are written by the brand itself (R4: its posts and replies; F4's
# examples are marked "(brand account)" one by one).
BRAND_RULES = frozenset({"R4"})


@dataclass(frozen=True)
class Example:
    rule: str
    text: str
    topic: str
    sentiment: str
    brand_authored: bool
    source_kind: str = ""


def guide_examples(path: Path | None = None) -> list[Example]:
    """Every `- "text" → topic, sentiment` example of the SECTIONS (of GUIDE by default),
    bullets joined across lines."""
    path = path or GUIDE
    text = path.read_text(encoding="utf-8")
    out: list[Example] = []
    rule = ""
    bullet: list[str] = []

    def flush() -> None:
        if bullet:
            joined = " ".join(part.strip() for part in bullet)
            found = _EXAMPLE.match(joined)
            if found is None:
                raise ValueError(f"{path}: rule {rule}: cannot read the example {joined!r}")
            note = found["note"] or ""
            out.append(Example(rule, found["text"], found["topic"], found["sentiment"],
                               rule in BRAND_RULES or "brand account" in note,
                               SECTIONS[section]))  # fmt: skip
            bullet.clear()

    section = ""
    for section in SECTIONS:
        body = text.split(f"\n## {section}.", 1)[1].split("\n## ", 1)[0]
        for line in body.splitlines():
            head = _RULE.match(line)
            if head:
                flush()
                rule = head[1]
            elif line.startswith("- "):
                flush()
                bullet.append(line)
            elif bullet and line.startswith("  "):
                bullet.append(line)
            else:
                flush()
        flush()
    return out
