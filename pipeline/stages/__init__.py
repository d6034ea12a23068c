"""The stages of a run, as thin job functions in a registry (the order of a run is a list).

A stage is a module with a `name` and a `def run(ctx: StageContext) -> StageResult`: the
modules of this package, and those of the `veille.stages` entry-point group, are registered
in STAGES by that name. `veille run` (and the demo, and the scheduler) call them in the order
the config (`schedules.stages`, default `config.settings.PIPELINE_STAGES`) or the command
line lists; each stage reads from and writes to the database, so any stage can be re-run alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from threading import Event
from types import ModuleType
from typing import TYPE_CHECKING, Any

from config.plugins import Registry

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings
    from pipeline.context import AppState


@dataclass
class StageContext:
    state: AppState
    run_id: int | None = None  # the stage's row in `runs`: parent of its per-source rows
    now: datetime | None = None  # the run's clock (tests pass a fixed one)
    options: dict[str, Any] = field(default_factory=dict)
    stop: Event = field(default_factory=Event)  # set on SIGTERM/SIGINT: see should_stop()

    def should_stop(self) -> bool:
        """True once the run must end: finish the current batch (commit it), then return.

        Long stages check it between batches or sources; the result they return then says
        what was done, and the runner records the stage as `interrupted`.
        """
        return self.stop.is_set()

    @property
    def settings(self) -> Settings:
        return self.state.settings

    @property
    def engine(self) -> Engine:
        return self.state.engine()


@dataclass
class StageResult:
    items: int = 0
    errors: int = 0
    counts: dict[str, Any] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)  # paths written (reports, e-mails…)
    failed_sources: list[str] = field(default_factory=list)


StageFn = Callable[[StageContext], StageResult]


def _stage_of(module: ModuleType) -> list[tuple[str, str]]:
    """A stage module's (name, "module:function"); modules without a `name` are helpers."""
    name = getattr(module, "name", None)
    if not isinstance(name, str) or not callable(getattr(module, "run", None)):
        return []
    return [(name, f"{module.__name__}:run")]


# name -> "module:function", found on first use; tests point names at their own functions.
STAGES: Registry[str] = Registry(
    "stage", "stages", __name__, "veille.stages", _stage_of, order=lambda name, _: name
)


def known_stages() -> list[str]:
    """The names a run may list: the default order's (installed or not), then the others."""
    from config.settings import PIPELINE_STAGES

    return list(dict.fromkeys([*PIPELINE_STAGES, *STAGES]))


def load_stage(name: str) -> StageFn:
    module, _, func = STAGES.get_plugin(name).partition(":")
    fn: StageFn = getattr(import_module(module), func)
    return fn
