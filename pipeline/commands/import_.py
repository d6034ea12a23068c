"""`veille import`: bring Twitter/X and Facebook exports in (inbox folders or given files)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from crawlers.readers import FORMATS
from pipeline.context import AppState

# `--format` choices: auto, then every registered export reader (crawlers.readers.FORMATS).
Format = StrEnum("Format", {name: name for name in ["auto", *FORMATS]})  # type: ignore[misc]


def import_(
    ctx: typer.Context,
    path: Annotated[
        Path | None,
        typer.Argument(help="An export file or folder; without it, every export source's inbox."),
    ] = None,
    fmt: Annotated[
        Format, typer.Option("--format", "-f", help="The export's format (auto: from its content).")
    ] = Format("auto"),
    source: Annotated[
        list[str] | None,
        typer.Option("--source", "-s", help="Import into this export source (repeatable)."),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Import again files already imported (same content).")
    ] = False,
    errors: Annotated[
        bool, typer.Option("--errors", help="List the records kept aside by imports, and stop.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="With --errors: at most N rows.")] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON summary for scripts.")] = False,
) -> None:
    """Import export files: PATH, or every new file in the inbox folders of export sources."""
    state: AppState = ctx.obj
    if errors:
        from pipeline.render import show_set_aside

        show_set_aside(state, "import", "imports", limit, as_json)
        return
    from crawlers.importing import (
        ImportTarget,
        by_source,
        failed_sources,
        import_targets,
        inbox_targets,
    )
    from crawlers.process import merge
    from pipeline.errors import UsageError
    from pipeline.summary import show
    from storage.runs import recorded_run

    if path is not None and source and len(source) > 1:
        raise UsageError("give at most one --source with a PATH")
    settings = state.settings
    engine = state.engine()
    if path is not None:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder; check the path")
        targets = [ImportTarget(path, source[0] if source else None, fmt.value)]
    else:
        targets = inbox_targets(settings, source)
        if not targets:
            state.say("No files in the inbox folders; nothing to import.")
    with recorded_run(engine, "import", stage="import") as run:
        files = import_targets(settings, engine, targets, run.id, force=force, say=state.say)
        summary = merge(files)
        summary["files"] = len(files)
        summary["skipped_files"] = sum(1 for f in files if f.get("status") == "skipped")
        summary["failed_files"] = sum(1 for f in files if f.get("status") == "failed")
        # As the stage records it (storage.health reads `failed_sources` and `detail`).
        run.counts = {
            **{k: v for k, v in summary.items() if k != "sources"},
            "failed_sources": failed_sources(files),
            "detail": {"sources": by_source(files)},
        }
        if summary["failed_files"]:
            run.status = "partial"
    show(state, summary, as_json, what="Imported")
    problems = [str(f["error"]) for f in files if f.get("error")]
    if problems:
        from pipeline.errors import CommandError

        raise CommandError(
            f"{len(problems):,} file(s) could not be fully imported: "
            + " | ".join(problems)
            + " (what was read before a problem is stored; `veille import --errors` lists "
            "these files and the records kept aside)"
        )


def register(app: typer.Typer) -> None:
    app.command("import")(import_)
