"""The stages of a run, as thin job functions in a registry (the order of a run is a list).

A stage module defines `def run(ctx: StageContext) -> StageResult` and registers it in
STAGES below. `veille run` (and the demo, and the scheduler) call them in the order the
config or the command line lists; each stage reads from and writes to the database, so any
stage can be re-run alone.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from importlib import import_module
from threading import Event
from typing import TYPE_CHECKING, Any

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

# name -> "module:function"; the order is the default order of a run.
STAGES: dict[str, str] = {
    "detect": "pipeline.stages.detect:run",
    "alerts": "pipeline.stages.alerts:run",
    "import": "pipeline.stages.import_:run",
    "crawl": "pipeline.stages.crawl:run",
    "authors": "pipeline.stages.authors:run",
    "report": "pipeline.stages.report:run",
    "analyze": "pipeline.stages.analyze:run",
}


def load_stage(name: str) -> StageFn:
    if name not in STAGES:
        raise KeyError(f"unknown stage {name!r}; known stages: {', '.join(STAGES) or 'none'}")
    module, _, func = STAGES[name].partition(":")
    fn: StageFn = getattr(import_module(module), func)
    return fn
