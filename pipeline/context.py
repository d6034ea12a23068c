"""What every command needs, built lazily: settings, engine, consoles."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console
    from sqlalchemy import Engine

    from config.settings import Settings


@dataclass
class AppState:
    config_path: Path | None = None
    quiet: bool = False
    debug: bool = False
    _settings: Settings | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)
    _console: Console | None = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            from config.loading import DEFAULT_CONFIG, load_settings
            from nlp.query import validate_brand_queries
            from pipeline.plugins import config_names

            # Names of plugins (engines, stages, labelers…) are checked against the registries.
            settings = load_settings(self.config_path, plugins=config_names())
            # Brand queries are checked here (config/ cannot parse them): a bad one stops
            # every command with exit code 2 before any work.
            path = self.config_path or (DEFAULT_CONFIG if DEFAULT_CONFIG.is_file() else None)
            validate_brand_queries(settings, path)
            self._settings = settings
            if not self.debug:
                from pipeline.logs import set_level

                set_level(settings.log_level)
        return self._settings

    @property
    def settings_loaded(self) -> bool:
        return self._settings is not None

    def close(self) -> None:
        """Dispose of the engine (its pooled connections); a later engine() makes a new one."""
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def engine(self, check_schema: bool = True) -> Engine:
        """The database engine; unless told otherwise, refuses a schema not at this version."""
        if self._engine is None:
            from storage.engine import make_engine

            db = self.settings.database
            # Only the commands that create or migrate the schema may create a SQLite file.
            self._engine = make_engine(
                db.url, echo=db.echo, busy_timeout=db.busy_timeout_seconds,
                create=not check_schema,
            )  # fmt: skip
        if check_schema:
            from storage.schema import check

            check(self._engine)
        return self._engine

    @property
    def console(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(quiet=self.quiet, highlight=False)
        return self._console

    def say(self, message: str) -> None:
        """Human-facing output; silenced by --quiet."""
        if not self.quiet:
            self.console.print(message)

    @staticmethod
    def emit_json(payload: Any) -> None:
        """One JSON object on one line of stdout, for scripts (never silenced)."""
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, default=str) + "\n")
        sys.stdout.flush()

    def progress(self, description: str, total: int | None = None) -> Any:
        """A Rich progress bar on stderr, hidden with --quiet or when stderr is not a terminal."""
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        console = Console(stderr=True, quiet=self.quiet)
        progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=True,
            disable=self.quiet or not console.is_terminal,
        )
        return progress


def login_name() -> str:
    """Who runs the command, for the audit log (`unknown` where there is no login name)."""
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (a container): say so rather than guess
        return "unknown"
