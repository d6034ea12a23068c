"""Conformance of every registry (STYLE pattern 14): each plugin builds, has a unique name and
complete metadata, and the derived lists agree with what the config accepts. Each test
gathers every problem before failing, so one run shows them all."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from plugin_support import install

from config.plugins import Registry, package_modules
from config.settings import PIPELINE_STAGES, ScheduleSettings
from pipeline.stages import STAGES, load_stage


@pytest.fixture
def fresh() -> Iterator[list[Registry[object]]]:
    """Registries refreshed by a test are refreshed again after it (its plugins forgotten)."""
    touched: list[Registry[object]] = []
    yield touched
    for registry in touched:
        registry.refresh()


# -- the mechanism ---------------------------------------------------------------------------


def _named(obj: object) -> list[tuple[str, object]]:
    name = getattr(obj, "name", None)
    return [(name, obj)] if isinstance(name, str) else []


def test_a_registry_finds_entry_points_and_keeps_the_first_of_two_names(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    install(
        tmp_path,
        {"veille.tests": {"one": "veille_t_one", "two": "veille_t_two", "bad": "veille_t_bad"}},
        {
            "veille_t_one.py": "name = 'alpha'\n",
            "veille_t_two.py": "name = 'alpha'\n",  # the same name again: warned, not used
            "veille_t_bad.py": "raise ImportError('missing dependency')\n",
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry: Registry[object] = Registry("thing", "things", None, "veille.tests", _named)
    with caplog.at_level(logging.WARNING, "veille.plugins"):
        assert registry.names() == ["alpha"]
    assert getattr(registry["alpha"], "__name__", None) == "veille_t_one"
    assert registry.duplicates == ["alpha: one = veille_t_one, two = veille_t_two"]
    assert (
        "Disabled plugin bad = veille_t_bad" in caplog.text and "missing dependency" in caplog.text
    )
    assert "Two things are named 'alpha'" in caplog.text
    with pytest.raises(KeyError, match="unknown thing 'beta'; known things: alpha"):
        registry.get_plugin("beta")


def test_package_walk_leaves_out_private_and_helper_modules() -> None:
    names = [m.__name__ for m in package_modules("crawlers.readers", skip=("base",))]
    assert "crawlers.readers.base" not in names and "crawlers.readers.twarc2" in names
    assert names == sorted(names)


# -- stages ----------------------------------------------------------------------------------


def test_every_stage_builds_and_the_default_orders_name_registered_stages() -> None:
    problems = [f"duplicate stage {d}" for d in STAGES.duplicates]
    for name in STAGES:
        try:
            fn = load_stage(name)
        except Exception as exc:
            problems.append(f"{name}: does not load ({type(exc).__name__}: {exc})")
            continue
        if not callable(fn) or len(inspect.signature(fn).parameters) != 1:
            problems.append(f"{name}: run is not a function of one StageContext")
        module = inspect.getmodule(fn)
        if getattr(module, "name", None) != name:
            problems.append(f"{name}: its module declares name {getattr(module, 'name', None)!r}")
    defaults = ScheduleSettings()
    for listed in (PIPELINE_STAGES, defaults.stages, defaults.incremental_stages):
        problems += [f"{n}: in a default order, not registered" for n in listed if n not in STAGES]
    problems += [
        f"{n}: registered, in no default order" for n in STAGES if n not in PIPELINE_STAGES
    ]
    assert not problems, "\n".join(problems)
    with pytest.raises(KeyError, match="unknown stage 'crawler'; known stages: alerts, "):
        load_stage("crawler")


def test_a_third_party_stage_is_found_through_its_entry_point(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh: list[Registry[object]]
) -> None:
    install(
        tmp_path,
        {"veille.stages": {"tidy": "veille_t_tidy"}},
        {
            "veille_t_tidy.py": """
            from pipeline.stages import StageResult

            name = "tidy"

            def run(ctx):
                return StageResult(items=7)
            """
        },
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    STAGES.refresh()
    fresh.append(STAGES)  # type: ignore[arg-type]
    assert STAGES["tidy"] == "veille_t_tidy:run"
    assert STAGES.origin("tidy") == "tidy = veille_t_tidy"
    assert load_stage("tidy")(None).items == 7  # type: ignore[arg-type]
