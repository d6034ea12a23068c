"""The workspace in French and English: every word in both languages with the same fields, no
template writes a word of its own (each goes through web/words/), every key used exists and
every word is used."""

from __future__ import annotations

import re
import string
from html.parser import HTMLParser
from pathlib import Path

import pytest
from jinja2 import Environment

from reports.messages import MESSAGES
from web.words import WORDS

WEB = Path(__file__).resolve().parents[1] / "web"
TEMPLATES = sorted((WEB / "templates").glob("*.html"))
# Words that are the same in every language: the product, file formats, keyboard keys.
SAME_EVERYWHERE = {"Veille", "CSV", "JSON", "PDF", "HTML", "ICS", "URL", "Enter", "Esc"}
SHOWN_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-confirm", "label"}
EXPRESSION = "\x00"  # where a {{ }} or {% %} was
LETTERS = re.compile(r"[^\W\d_]{2,}")
# t("key"), t('key'), ctx.t("key", …), words.html("key"), words.text("key"); a key ending
# in "." before ~ or + is a prefix (t("role." ~ user.role)).
USED = re.compile(r"""\b(?:t|html|text)\(\s*["']([a-z0-9_.]+)["']\s*(~|\+|f)?""")
QUOTED = re.compile(r"""["']([a-z0-9_]+\.[a-z0-9_.]+)["']""")  # a key named, shown later


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_word_has_both_languages_and_the_same_fields() -> None:
    for key, entry in WORDS.items():
        assert entry["fr"].strip() and entry["en"].strip(), key
        assert _fields(entry["fr"]) == _fields(entry["en"]), key


class _Shown(HTMLParser):
    """The text a person sees in a template's own markup: data and shown attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.shown: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skip += 1
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.shown.append(value)
        if tag == "input":
            kind = dict(attrs).get("type")
            if kind in ("submit", "button") and dict(attrs).get("value"):
                self.shown.append(dict(attrs)["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skip -= 1

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.shown.append(data)


def own_words(source: str) -> list[str]:
    """The words a template writes itself, outside every {{ }} and {% %}."""
    env = Environment()
    parts = []
    for _, kind, value in env.lex(source):  # a {% %} is nothing (`<option{% if %} selected…`)
        parts.append(value if kind == "data" else EXPRESSION if kind == "variable_begin" else "")
    parser = _Shown()
    parser.feed("".join(parts))
    found = []
    for text in parser.shown:
        for word in LETTERS.findall(text.replace(EXPRESSION, " ")):
            if word not in SAME_EVERYWHERE:
                found.append(word)
    return found


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_templates_hold_no_words_of_their_own(template: Path) -> None:
    assert own_words(template.read_text(encoding="utf-8")) == [], (
        f"{template.name} writes these words itself: put them in web/words/ and show them "
        "with t('key')"
    )


def test_the_check_finds_words_in_text_and_attributes() -> None:
    assert own_words('<p title="Hello">{{ t("x") }} Inbox</p>') == ["Hello", "Inbox"]
    assert own_words('<button data-confirm="{{ t(\'x\') }}">{{ t("y") }} →</button>') == []
    assert own_words("<style>body { color: red }</style><kbd>j</kbd> Veille") == []
    assert own_words('<option{% if a %} selected{% endif %}>{{ t("x") }}</option>') == []
    assert own_words('<tr{% if bad %} class="bad"{% endif %}><td>{{ x }} new</td></tr>') == ["new"]


def _sources() -> dict[str, str]:
    files = [*TEMPLATES, *WEB.glob("*.py")]
    return {p.name: p.read_text(encoding="utf-8") for p in files}


def test_every_key_used_exists_and_every_word_is_used() -> None:
    used, prefixes = set(), set()
    for name, text in _sources().items():
        for key, more in USED.findall(text):
            if more and key.endswith("."):
                prefixes.add(key)
                assert any(k.startswith(key) for k in [*WORDS, *MESSAGES]), (name, key)
            else:
                used.add(key)
                assert key in WORDS or key in MESSAGES, f"{name}: no word {key!r}"
        used.update(k for k in QUOTED.findall(text) if k in WORDS)
    unused = [k for k in WORDS if k not in used and not any(k.startswith(p) for p in prefixes)]
    assert unused == [], f"words of web/words/ nothing shows: {unused}"
