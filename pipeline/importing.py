"""Import export files: the inbox folders of export sources, or files named on the command line.

Each file goes through the export spider (so through the same item pipelines as a crawl) in
its own child process, one after the other (a single SQLite writer at a time). A file is
recognised by its content hash: once `done` it is not imported again under any name.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.errors import CommandError, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings, SourceSettings

FORMAT_KIND = {
    "twitter-archive": "twitter_export",
    "twarc2": "twitter_export",
    "twitter-csv": "twitter_export",
    "facebook-dyi": "facebook_export",
    "facebook-graph": "facebook_export",
    "crowdtangle": "facebook_export",
}
# Files still being written or copied into an inbox, and hidden files, are left alone.
_UNFINISHED = (".part", ".crdownload", ".tmp", ".download", ".partial")


@dataclass
class ImportTarget:
    path: Path
    source: str | None  # None: chosen from the format
    format: str = "auto"


def inbox_targets(settings: Settings, only: list[str] | None = None) -> list[ImportTarget]:
    """Every file (or unpacked export folder) in the inbox folders of the export sources."""
    sources = [s for s in settings.sources if s.kind.is_export and s.enabled]
    if only:
        known = {s.name for s in sources}
        unknown = [name for name in only if name not in known]
        if unknown:
            raise UsageError(
                f"{', '.join(unknown)} is not a configured export source; export sources: "
                f"{', '.join(sorted(known)) or 'none (add a twitter_export or facebook_export)'}"
            )
        sources = [s for s in sources if s.name in only]
    targets: list[ImportTarget] = []
    for source in sources:
        folder = Path(source.path or "")
        if not folder.is_dir():
            raise CommandError(
                f"The inbox folder {folder} of source {source.name} does not exist; create it "
                "(and drop export files into it) or fix that source's path in the configuration."
            )
        for entry in sorted(folder.iterdir()):
            if entry.name.startswith(".") or entry.name.endswith(_UNFINISHED):
                continue
            targets.append(ImportTarget(entry, source.name))
    return targets


def import_targets(
    settings: Settings,
    engine: Engine,
    targets: list[ImportTarget],
    run_id: int | None = None,
    force: bool = False,
    say: Callable[[str], None] = lambda _: None,
) -> list[dict[str, Any]]:
    """Import each target in turn; one summary per file (skipped files say why)."""
    from crawlers.readers import ReaderError
    from crawlers.readers.detect import detect_format
    from crawlers.runner import CrawlFailed, CrawlJob, run_crawl
    from storage.imports import begin_import, content_hash, find_import, finish_import

    summaries: list[dict[str, Any]] = []
    for target in targets:
        path = target.path
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder; check the path.")
        try:
            fmt = detect_format(path) if target.format == "auto" else target.format
        except ReaderError as exc:
            summaries.append(_failed(str(path), target.source or "?", str(exc)))
            _keep_file_aside(engine, path, str(exc), run_id)
            continue
        source = _source_for(settings, target.source, fmt)
        sha, size = content_hash(path)
        found = find_import(engine, source.name, sha)
        if found is not None and found.status != "running" and not force:
            why = (
                f"already imported as {found.path}"
                if found.status == "done"
                else f"failed before ({found.error}); fix the file, or use --force to retry"
            )
            say(f"{path}: skipped, {why}.")
            summaries.append(_skipped(str(path), source.name, why))
            continue
        state = begin_import(engine, str(path), sha, size, fmt, source.name)
        if state.committed:
            say(f"{path}: resuming after the {state.committed:,} records already stored.")
        job = CrawlJob(
            "export",
            source.name,
            {
                "path": str(path.resolve()), "format": fmt, "skip": state.committed,
                "import_id": state.id, "run_id": run_id,
            },
        )  # fmt: skip
        try:
            [result] = run_crawl(_with_source(settings, source), [job])
        except CrawlFailed as exc:
            finish_import(engine, state.id, "failed", error=str(exc))
            summaries.append(_failed(str(path), source.name, str(exc)))
            continue
        after = find_import(engine, source.name, sha)
        result.update(
            file=str(path), format=fmt, status=after.status if after else "?",
            skipped_records=state.committed,
        )  # fmt: skip
        if after is not None and after.error:
            result["error"] = after.error
        summaries.append(result)
    return summaries


def _source_for(settings: Settings, name: str | None, fmt: str) -> SourceSettings:
    """The named source, else the one export source of the format's kind, else an ad-hoc one."""
    from config.settings import SourceKind, SourceSettings

    kind = SourceKind(FORMAT_KIND[fmt])
    if name is not None:
        try:
            source = settings.source(name)
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
        if not source.kind.is_export:
            raise UsageError(
                f"source {name!r} is a {source.kind.value} source; imports go to a "
                "twitter_export or facebook_export source"
            )
        return source
    matching = [s for s in settings.sources if s.kind == kind]
    if len(matching) == 1:
        return matching[0]
    if len(matching) > 1:
        raise UsageError(
            f"several {kind.value} sources are configured ({', '.join(s.name for s in matching)}); "
            "say which one with --source"
        )
    default = "twitter-import" if kind == SourceKind.TWITTER_EXPORT else "facebook-import"
    return SourceSettings(name=default, kind=kind, path=".")


def _with_source(settings: Settings, source: SourceSettings) -> Settings:
    if any(s.name == source.name for s in settings.sources):
        return settings
    return settings.model_copy(update={"sources": [*settings.sources, source]})


def _keep_file_aside(engine: Engine, path: Path, reason: str, run_id: int | None) -> None:
    from storage.runs import keep_aside

    keep_aside(engine, "import", str(path), reason, location="file", run_id=run_id)


def _skipped(file: str, source: str, why: str) -> dict[str, Any]:
    return {
        "source": source, "file": file, "status": "skipped", "reason": why, "seen": 0,
        "new": 0, "updated": 0, "unchanged": 0, "dropped": {}, "errors": 0,
    }  # fmt: skip


def _failed(file: str, source: str, error: str) -> dict[str, Any]:
    return {**_skipped(file, source, error), "status": "failed", "errors": 1, "error": error}
