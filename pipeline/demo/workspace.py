"""Build the demo workspace and fill it with the bundled sample mentions."""

from __future__ import annotations

import gzip
import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from importlib import import_module
from pathlib import Path
from typing import Any

from pipeline.context import AppState
from storage.records import AuthorRecord, BrandMatch, MentionRecord

DATA = Path(__file__).with_name("data") / "mentions.jsonl.gz"
CONFIG = Path(__file__).with_name("veille.demo.yaml")


def sample_records(path: Path = DATA) -> Iterator[MentionRecord]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            raw: dict[str, Any] = json.loads(line)
            a = raw["author"]
            yield MentionRecord(
                source=raw["source"], source_kind=raw["source_kind"],
                external_id=raw["external_id"], text=raw["text"], url=raw["url"],
                thread_id=raw["thread_id"], thread_title=raw["thread_title"], lang=raw["lang"],
                published_at=datetime.fromisoformat(raw["published_at"]),
                likes=raw["likes"], shares=raw["shares"], comments=raw["comments"],
                views=raw["views"], rating=raw["rating"],
                author=AuthorRecord(handle=a["handle"], name=a["name"], followers=a["followers"]),
                author_followers=a["followers"], raw=raw,
                brands=[BrandMatch(brand=b, query="demo") for b in raw["brands"]],
            )  # fmt: skip


def prepare(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "veille.yaml"
    shutil.copyfile(CONFIG, config)
    return config


def run_demo(state: AppState, directory: Path) -> None:
    """`veille demo`: the nightly run against the bundled demo sources, in a fresh workspace.

    The stages this installation has run as the nightly job does; while no collection stage
    (crawl, import) is installed, the bundled sample mentions are loaded instead.
    """
    from storage.schema import upgrade

    state.config_path = prepare(directory)
    engine = state.engine(check_schema=False)
    upgrade(engine)
    from pipeline.stages import STAGES

    if not any(name in STAGES for name in ("crawl", "import")):
        load_sample(state)
    from pipeline.jobs import spec
    from pipeline.runner import StopFlag, run_pipeline
    from pipeline.shutdown import graceful_signals

    nightly = spec(state.settings, "nightly")
    stop = StopFlag()
    with demo_servers(state), graceful_signals(stop):
        summary = run_pipeline(
            state, nightly.stages, job=nightly.id, options=nightly.options, stop=stop
        )
    from pipeline.commands.run import show_summary

    show_summary(state, summary)
    from pipeline.render import stats_tables
    from storage.queries import stats

    for table in stats_tables(stats(engine)):
        state.console.print(table)
    _show_paths(state, summary.outputs)
    if not summary.ok:
        from pipeline.errors import CommandError

        raise CommandError(
            f"The demo run {summary.status}: {'; '.join(summary.failures()) or 'see above'}."
        )


def load_sample(state: AppState) -> None:
    """The fallback while no collection stage is installed: store the bundled mentions."""
    from storage.upsert import MentionStore

    counts = MentionStore(state.engine(), batch_size=state.settings.database.batch_size).store(
        sample_records()
    )
    state.say(
        f"Loaded {counts.seen:,} bundled sample mentions ({counts.new:,} new, "
        f"{counts.updated:,} updated, {counts.unchanged:,} unchanged): no crawl or import "
        "stage is installed."
    )


@contextmanager
def demo_servers(state: AppState) -> Iterator[None]:
    """The local sites the demo sources point at, when this installation bundles them.

    A `pipeline/demo/servers.py` exposing `running(settings)` (a context manager) is started
    around the run; without it the run goes on (the collection stages then find nothing).
    """
    try:
        servers = import_module("pipeline.demo.servers")
    except ModuleNotFoundError as exc:
        if exc.name != "pipeline.demo.servers":
            raise
        yield
        return
    with servers.running(state.settings):
        yield


def _show_paths(state: AppState, outputs: list[str]) -> None:
    from rich.text import Text

    reports = Path(state.settings.reports.output_dir)
    outbox = Path(state.settings.alerts.outbox_dir)
    written = [p for p in outputs if Path(p).suffix in (".html", ".pdf")]
    if not written and reports.is_dir():
        written = sorted(str(p) for p in reports.rglob("*") if p.suffix in (".html", ".pdf"))
    for path in written:
        state.console.print(Text(f"Report: {path}"))
    if not written:
        state.console.print(Text(f"Reports: none written (folder {reports})."))
    emails = sorted(outbox.glob("*.eml")) if outbox.is_dir() else []
    state.console.print(Text(f"Outbox: {outbox} ({len(emails):,} e-mails)"))
