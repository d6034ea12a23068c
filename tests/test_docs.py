"""The manual stays true: the site builds, the configuration reference is the model's, and
every `veille …` command line and every config key the README and docs/ mention exists."""

from __future__ import annotations

import importlib
import importlib.util
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from config.reference import key_paths, missing_descriptions
from config.source_options import OPTIONS
from pipeline.cli import app

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
SECTIONS = {"database", "brands", "sources", "schedules", "reports", "alerts", "smtp", "crawl",
            "nlp", "log_level", "privacy"}  # fmt: skip
# Mappings whose keys are the user's own (brand names), or options of an untyped source kind.
FREE = ("alerts.recipients", "reports.recipients", "sources[].options", "privacy.retention_days")


def _load_generator() -> object:
    spec = importlib.util.spec_from_file_location("gen_config", ROOT / "docs" / "gen_config.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_configuration_reference_is_generated_from_the_settings_model() -> None:
    generator = _load_generator()
    committed = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert committed == generator.page(), (  # type: ignore[attr-defined]
        "docs/configuration.md is out of date: run `python docs/gen_config.py` and commit it"
    )
    assert not missing_descriptions(), (
        f"settings without a description (Field(description=...) in config/): "
        f"{', '.join(missing_descriptions())}"
    )


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    """MkDocs --strict: a broken link or anchor, or a page left out of the nav, fails (not
    --quiet: MkDocs 1.6 then hides the warnings --strict counts, and passes)."""
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=ROOT, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "configuration" / "index.html").is_file()


# -- commands ----------------------------------------------------------------------------------


def _code(text: str) -> Iterator[tuple[str, str, int]]:
    """(kind, content, line) of every fenced block ("block:LANG") and inline code span."""
    fence: list[str] | None = None
    lang, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("```"):
            if fence is None:
                fence, lang, start = [], stripped[3:].strip(), number
            else:
                yield f"block:{lang}", "\n".join(fence), start
                fence = None
            continue
        if fence is not None:
            fence.append(line)
            continue
        for span in re.findall(r"`([^`]+)`", line):
            yield "inline", span, number


def _command_lines(text: str) -> Iterator[tuple[int, str]]:
    for kind, content, line in _code(text):
        if kind == "inline":
            if content.startswith("veille "):
                yield line, content
            continue
        joined = re.sub(r"\\\n\s*", " ", content)  # shell continuation lines
        for offset, row in enumerate(joined.splitlines()):
            found = re.search(r"(?:^\s*|\$ |/bin/|\| |&& )(veille (?:.(?!&&))*)", row)
            if found and not row.lstrip().startswith(("Error", "Usage")):
                yield line + offset + 1, found.group(1)


def _words(command: str) -> list[str]:
    command = command.split(" #")[0]
    for stop in (" | ", " < ", " > ", " 2>", " && ", " ; "):
        command = command.split(stop)[0]
    command = command.replace("[", " ").replace("]", " ").replace("…", " ")
    try:
        return shlex.split(command)[1:]
    except ValueError:  # an unbalanced quote in a sketch: take the words as they come
        return command.split()[1:]


def _option_names(command: Any) -> set[str]:
    return {name for param in command.params for name in (*param.opts, *param.secondary_opts)}


def _check(root: Any, words: list[str]) -> str | None:
    """What is wrong with the command line `veille WORDS`, or None (click's command tree, as
    typer builds it: a group has `commands`, an option `opts`)."""
    command = root
    globals_ = _option_names(root) | {"--help", "-h"}
    taking_value = {
        name for p in root.params if p.param_type_name == "option" and not p.is_flag
        for name in p.opts
    }  # fmt: skip
    rest = list(words)
    while rest and rest[0].startswith("-"):  # global options before the command
        word = rest.pop(0)
        if word.split("=")[0] not in globals_:
            return f"no global option {word}"
        if word in taking_value and rest and "=" not in word:
            rest.pop(0)
    while hasattr(command, "commands") and rest:
        name = rest[0]
        if name.isupper() or name in ("...", "COMMAND"):  # a placeholder: `veille COMMAND --help`
            return None
        sub = command.commands.get(name)
        if sub is None:
            if command is root:
                return f"no command {name!r}"
            return f"no command {name!r} under {command.name!r}"
        command = sub
        rest.pop(0)
    known = _option_names(command) | globals_ | {"--help", "-h"}
    for word in rest:
        if word.startswith("--") and word.split("=")[0] not in known:
            return f"{command.name}: no option {word}"
    return None


def test_every_documented_command_line_exists() -> None:
    root = typer.main.get_command(app)
    problems, checked = [], 0
    for page in PAGES:
        for line, command in _command_lines(page.read_text(encoding="utf-8")):
            checked += 1
            wrong = _check(root, _words(command))
            if wrong:
                problems.append(f"{page.relative_to(ROOT)}:{line}: `{command}`: {wrong}")
    assert checked > 80, f"only {checked} command lines found: is the parser still right?"
    assert not problems, "\n".join(problems)


def test_the_command_check_catches_what_it_must() -> None:
    root = typer.main.get_command(app)
    assert _check(root, _words("veille report --brand B --period yesterday")) is None
    assert _check(root, _words("veille --now 2026-11-22T09:00 alerts check --json")) is None
    assert _check(root, _words("veille detectt x.csv")) == "no command 'detectt'"
    assert _check(root, _words("veille db downgrade")) == "no command 'downgrade' under 'db'"
    assert _check(root, _words("veille crawl --sources a")) == "crawl: no option --sources"


# -- configuration keys ------------------------------------------------------------------------


def _is_code(dotted: str) -> bool:
    """`nlp.authors.tiers.assign_tiers` names code; `nlp.authors.window_days` does not."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:n]))
        except ImportError:
            continue
        for attr in parts[n:]:
            if not hasattr(obj, attr):
                return False
            obj = getattr(obj, attr)
        return True
    return False


def _inline_keys(text: str) -> Iterator[tuple[int, str]]:
    for kind, content, line in _code(text):
        if kind != "inline":
            continue
        for span in content.split(", "):
            span = re.sub(r"[:=].*$", "", span.strip())  # `alerts.language: fr|en`
            span = re.sub(r"\.<[^>]+>$", "", span)  # alerts.recipients.<brand>
            if re.search(r"\.(py|md|ya?ml|html|j2|csv|jsonl?|txt|eml|pdf)$", span):
                continue  # a file: reports/alerts.py
            key = re.sub(r"\[\d*\]", "[]", span)
            if key.startswith("options."):  # a source's options
                key = "sources[]." + key
            head = key.split(".")[0].split("[")[0]
            if "." in key and head in SECTIONS and re.fullmatch(r"[a-z_\[\].]+", key):
                yield line, key


# Mappings of records under the user's own names (alerts.targets.<name>.channel).
MAPS = tuple(sorted({k.split(".<name>")[0] for k in key_paths() if ".<name>" in k}))


def _yaml_keys(data: object, path: str = "") -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            child = f"{path}.{key}" if path else str(key)
            if path in MAPS:
                child = f"{path}.<name>"
            yield child
            if path == "sources[]" and key == "options" and isinstance(value, dict):
                kind = data.get("kind")
                model = OPTIONS.get(str(kind))
                for option in value:
                    if model is not None and option not in model.model_fields:
                        yield f"{child}.{option}!"  # not an option of its kind
                continue
            if child.startswith(FREE):
                continue
            yield from _yaml_keys(value, child)
    elif isinstance(data, list):
        for item in data:
            yield from _yaml_keys(item, f"{path}[]")


def _yaml_blocks(text: str) -> Iterator[tuple[int, object]]:
    for kind, content, line in _code(text):
        if kind != "block:yaml":
            continue
        data = yaml.safe_load(content)
        if isinstance(data, list):  # entries of `sources:` shown alone
            data = {"sources": data}
        yield line, data


def test_every_documented_config_key_exists() -> None:
    known = key_paths()
    problems, checked, inline = [], 0, 0
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for line, key in _inline_keys(text):
            inline += 1
            if key in known or key.startswith(tuple(f"{f}." for f in FREE)) or _is_code(key):
                continue
            problems.append(f"{page.relative_to(ROOT)}:{line}: `{key}` is not a setting")
        for line, data in _yaml_blocks(text):
            for key in _yaml_keys(data):
                checked += 1
                if key.endswith("!") or key not in known:
                    problems.append(
                        f"{page.relative_to(ROOT)}:{line}: YAML key {key.rstrip('!')} is not a "
                        "setting"
                    )
    assert checked > 50 and inline > 50, f"only {checked} YAML and {inline} inline keys found"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("text", "bad"),
    [
        ("Set `alerts.treshold` to 0.6.", "alerts.treshold"),
        ("```yaml\nnlp:\n  sentiment:\n    bakend: default\n```\n", "nlp.sentiment.bakend"),
        ("```yaml\n- name: m\n  kind: mastodon\n  options: {hashtag: [x]}\n```\n",
         "sources[].options.hashtag"),
    ],
)  # fmt: skip
def test_the_key_check_catches_a_misspelt_key(text: str, bad: str) -> None:
    known = key_paths()
    found = [k for _, k in _inline_keys(text) if k not in known]
    found += [k.rstrip("!") for _, d in _yaml_blocks(text) for k in _yaml_keys(d)
              if k.endswith("!") or k not in known]  # fmt: skip
    assert found == [bad]
