"""The refusals of the code shared by the command line and the workspace (config.refusals):
every one says the same fields in French and English, reads in both, and the command line
keeps the English words."""

from __future__ import annotations

import importlib
import re
import string
from pathlib import Path

import pytest

from config.refusals import SHARED, Refusal, said

ROOT = Path(__file__).resolve().parents[1]
CODE = ("config", "storage", "nlp", "crawlers", "reports", "web", "pipeline")


def _modules() -> dict[str, dict[str, tuple[str, str]]]:
    """Every module's REFUSALS (found in the code, not listed again here)."""
    found = {"config.refusals.SHARED": dict(SHARED)}
    for package in CODE:
        for path in sorted((ROOT / package).rglob("*.py")):
            if re.search(r"^REFUSALS\b", path.read_text(encoding="utf-8"), re.M):
                name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
                found[name] = dict(importlib.import_module(name).REFUSALS)
    return found


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_refusal_names_the_same_fields_in_both_languages() -> None:
    modules = _modules()
    assert len(modules) >= 10  # users, events, mutes, calendars, periods, alerts, labels…
    for module, words in modules.items():
        for key, (french, english) in words.items():
            assert _fields(french) == _fields(english), (module, key)
            assert french != english, (module, key)  # written in each language


@pytest.mark.parametrize("module", sorted(_modules()))
def test_each_refusal_reads_in_both_languages(module: str) -> None:
    for key, (french, english) in _modules()[module].items():
        fields = {name: "x" for name in _fields(english)}
        refusal = Refusal({key: (french, english)}, key, **fields)
        assert str(refusal) == english.format(**fields) == said(refusal, "en")
        assert said(refusal, "fr") == french.format(**fields)
        assert isinstance(refusal, ValueError)  # what the callers catch


def test_a_refusal_is_said_and_another_error_reads_as_it_is() -> None:
    from storage.users import check_role

    with pytest.raises(Refusal) as caught:
        check_role("boss")
    assert str(caught.value) == "role 'boss' is not one of viewer, analyst, admin"
    assert said(caught.value, "fr") == (
        "le rôle « boss » n'est pas l'un de\u00a0: viewer, analyst, admin"
    )
    assert said(KeyError("x"), "fr") == "'x'"
    with pytest.raises(KeyError):
        Refusal({}, "nowhere")
