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

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from config.settings import Settings, SourceSettings


class ImportProblem(Exception):
    """An inbox or a file that cannot be imported, worded for a person (exit code 1)."""

    exit_code = 1


class ImportUsageError(ImportProblem):
    """A source or format named wrongly (exit code 2)."""

    exit_code = 2


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
            raise ImportUsageError(
                f"{', '.join(unknown)} is not a configured export source; export sources: "
                f"{', '.join(sorted(known)) or f'none (add a {_export_kinds()})'}"
            )
        sources = [s for s in sources if s.name in only]
    targets: list[ImportTarget] = []
    for source in sources:
        folder = Path(source.path or "")
        if not folder.is_dir():
            raise ImportProblem(
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
    """Import the targets, in order, in one child process; one summary per file.

    Skipped files (already imported, the same content as an earlier file of this run, or
    in an inbox another process is importing) and unreadable ones say why. One importer per
    export source at a time: the source's lock (`import:NAME`, see storage.locks) is held
    from before a file is claimed until its import ends, so a second `veille import` of the
    same inbox skips its files instead of importing them twice.
    """

    locks = _SourceLocks(engine, settings.schedules.lock_timeout_seconds)
    try:
        return _import(settings, engine, targets, run_id, force, say, locks)
    finally:
        locks.release()


def _import(
    settings: Settings,
    engine: Engine,
    targets: list[ImportTarget],
    run_id: int | None,
    force: bool,
    say: Callable[[str], None],
    locks: _SourceLocks,
) -> list[dict[str, Any]]:
    from crawlers.crawling import spider_for
    from crawlers.process import CrawlFailed, CrawlJob, run_crawl
    from crawlers.readers import ReaderError
    from crawlers.readers.detect import detect_format
    from storage.imports import begin_import, content_hash, find_import, finish_import

    summaries: list[dict[str, Any]] = []
    pending: list[tuple[int, _Pending]] = []  # (position in summaries, file to import)
    claimed: dict[tuple[str, str], Path] = {}  # (source, content hash) -> file of this run
    sources: list[SourceSettings] = []
    for target in targets:
        path = target.path
        if not path.exists():
            raise ImportProblem(f"{path}: no such file or folder; check the path.")
        try:
            fmt = detect_format(path) if target.format == "auto" else target.format
        except ReaderError as exc:
            summaries.append(_failed(str(path), target.source or "?", str(exc)))
            _keep_file_aside(engine, path, str(exc), run_id)
            continue
        source = _source_for(settings, target.source, fmt)
        busy = locks.take(source.name)
        if busy is not None:
            skip = f"another process is importing into {source.name}: {busy}; try again later"
            say(f"{path}: skipped, {skip}.")
            summaries.append(_skipped(str(path), source.name, skip))
            continue
        sha, size = content_hash(path)
        found = find_import(engine, source.name, sha)
        why: str | None = None
        if (source.name, sha) in claimed:
            why = f"same content as {claimed[source.name, sha]}, imported in this run"
        elif found is not None and found.status != "running" and not force:
            why = (
                f"already imported as {found.path}"
                if found.status == "done"
                else f"failed before ({found.error}); fix the file, or use --force to retry"
            )
        if why is not None:
            say(f"{path}: skipped, {why}.")
            summaries.append(_skipped(str(path), source.name, why))
            continue
        claimed[source.name, sha] = path
        state = begin_import(engine, str(path), sha, size, fmt, source.name)
        if state.committed:
            say(f"{path}: resuming after the {state.committed:,} records already stored.")
        job = CrawlJob(
            spider_for(source),
            source.name,
            {
                "path": str(path.resolve()), "format": fmt, "skip": state.committed,
                "import_id": state.id, "run_id": run_id,
            },
        )  # fmt: skip
        pending.append(
            (len(summaries), _Pending(path, fmt, source.name, sha, state.id, state.committed, job))
        )
        summaries.append({})
        sources.append(source)
    if not pending:
        return summaries
    try:
        results = run_crawl(
            _with_sources(settings, sources), [p.job for _, p in pending], sequential=True
        )
    except CrawlFailed as exc:
        for position, file in pending:
            finish_import(engine, file.import_id, "failed", error=str(exc))
            summaries[position] = _failed(str(file.path), file.source, str(exc))
        return summaries
    for (position, file), result in zip(pending, results, strict=True):
        after = find_import(engine, file.source, file.sha)
        result.update(
            file=str(file.path), format=file.format, status=after.status if after else "?",
            skipped_records=file.skipped_records,
        )  # fmt: skip
        if after is not None and after.error:
            result["error"] = after.error
        summaries[position] = result
    return summaries


class _SourceLocks:
    """The import locks of this process, one per export source, taken on first use."""

    def __init__(self, engine: Engine, timeout: float) -> None:
        self.engine = engine
        self.timeout = timeout
        self.held: dict[str, Any] = {}
        self.busy: dict[str, str] = {}

    def take(self, source: str) -> str | None:
        """None when this process holds the source's lock, else who holds it."""
        from storage.locks import LockHeld, RunLock

        if source in self.held:
            return None
        if source in self.busy:
            return self.busy[source]
        lock = RunLock(self.engine, f"import into {source}", _lock_name(source), self.timeout)
        try:
            self.held[source] = lock.acquire()
        except LockHeld as exc:
            self.busy[source] = exc.info.describe() if exc.info else "another session"
            return self.busy[source]
        return None

    def release(self) -> None:
        for lock in self.held.values():
            lock.release()
        self.held.clear()


def failed_sources(files: list[dict[str, Any]]) -> list[str]:
    """The export sources a file of one import failed for (by name, sorted)."""
    return sorted({str(f.get("source")) for f in files if f.get("error")})


def by_source(files: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """What each export source's files of one import gave (the health of the sources reads
    it: `storage.health.source_health`): files, records seen, the first error; a source whose
    every file was skipped (already imported, another process's) is not listed, as no new
    export is not a silent source."""
    found: dict[str, dict[str, Any]] = {}
    for f in files:
        if f.get("status") == "skipped":
            continue
        name = str(f.get("source"))
        entry = found.setdefault(name, {"source": name, "files": 0, "seen": 0})
        entry["files"] += 1
        entry["seen"] += int(f.get("seen") or 0)
        if f.get("error") and "error" not in entry:
            entry["error"] = f"{f.get('file')}: {f['error']}"
    return sorted(found.values(), key=lambda e: str(e["source"]))


def _lock_name(source: str) -> str:
    import zlib

    # run_locks.name holds 80 characters: a long source name is cut and told apart by a CRC.
    name = f"import:{source}"
    return name if len(name) <= 80 else f"{name[:70]}:{zlib.crc32(source.encode()):08x}"


@dataclass
class _Pending:
    """A file about to be imported: its import row and the child's job."""

    path: Path
    format: str
    source: str
    sha: str
    import_id: int
    skipped_records: int
    job: Any


def _source_for(settings: Settings, name: str | None, fmt: str) -> SourceSettings:
    """The named source, else the one export source of the format's kind, else an ad-hoc one."""
    from config.settings import SourceKind, SourceSettings
    from crawlers.readers import reader

    kind = SourceKind(reader(fmt).source_kind)
    if name is not None:
        try:
            source = settings.source(name)
        except KeyError as exc:
            raise ImportUsageError(str(exc.args[0])) from None
        if not source.kind.is_export:
            raise ImportUsageError(
                f"source {name!r} is a {source.kind.value} source; imports go to a "
                f"{_export_kinds()} source"
            )
        return source
    matching = [s for s in settings.sources if s.kind == kind]
    if len(matching) == 1:
        return matching[0]
    if len(matching) > 1:
        raise ImportUsageError(
            f"several {kind.value} sources are configured ({', '.join(s.name for s in matching)}); "
            "say which one with --source"
        )
    default = kind.value.removesuffix("_export") + "-import"  # twitter-import, facebook-import
    return SourceSettings(name=default, kind=kind, path=".")


def _export_kinds() -> str:
    """ "twitter_export or facebook_export": the kinds of source an import goes to."""
    from config.settings import SourceKind

    return " or ".join(kind.value for kind in SourceKind.exports())


def _with_sources(settings: Settings, sources: list[SourceSettings]) -> Settings:
    """The settings with the ad-hoc sources of this run added (configured ones are there)."""
    known = {s.name for s in settings.sources}
    extra = {s.name: s for s in sources if s.name not in known}
    if not extra:
        return settings
    return settings.model_copy(update={"sources": [*settings.sources, *extra.values()]})


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
