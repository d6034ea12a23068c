"""The `veille` command line: a Typer app whose commands load their heavy parts on use."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from typing import Annotated

import typer

from pipeline.commands import register_all
from pipeline.context import AppState
from pipeline.errors import UsageError

app = typer.Typer(
    name="veille",
    help="Veille: social-media monitoring and e-reputation for brands.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


@app.callback()
def _global_options(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="Configuration file (default ./veille.yaml, else built-ins)."
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only results.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks on failure.")] = False,
    log_json: Annotated[
        bool, typer.Option("--log-json", help="Log to stderr as one JSON object a line.")
    ] = False,
    now: Annotated[
        str | None,
        typer.Option(
            "--now",
            help="Run as of this ISO date-time (2026-11-22T09:00 is UTC; or give an offset): "
            "every timestamp, report and e-mail of the command uses it.",
        ),
    ] = None,
) -> None:
    from pipeline.logs import setup_logging
    from storage.clock import parse_now, set_now

    if now is not None:
        try:
            set_now(parse_now(now))
        except ValueError as exc:
            raise UsageError(f"--now {exc}") from None
    else:
        set_now(None)

    # The level from the config's log_level applies once the config is read (AppState.settings).
    setup_logging("DEBUG" if debug else "INFO", as_json=log_json)
    global _STATE
    ctx.obj = _STATE = AppState(config_path=config, quiet=quiet, debug=debug)
    ctx.call_on_close(ctx.obj.close)


_STATE: AppState | None = None


register_all(app)


def main(argv: list[str] | None = None) -> None:
    """Entry point: failures become one sentence on stderr and an exit code (0, 1 or 2)."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    try:
        app(args=args, prog_name="veille")
    except SystemExit:
        raise
    except KeyboardInterrupt:
        _fail("Interrupted; whatever was committed before stays stored.", 130)
    except Exception as exc:
        if debug:
            # The traceback, then the same sentence and exit code as without --debug (a
            # configuration error is 2 either way).
            traceback.print_exc()
        code = getattr(exc, "exit_code", None)
        if isinstance(code, int):
            _fail(str(exc), code)
        if type(exc).__module__.split(".")[0] in ("sqlalchemy", "sqlite3", "psycopg"):
            # A database failure no command anticipated: still one sentence saying what to do.
            from storage.errors import translate

            url = "the configured database"
            if _STATE is not None and _STATE.settings_loaded:
                url = _STATE.settings.database.url
            _fail(str(translate(exc, url)), 1)
        _fail(
            f"Unexpected error: {type(exc).__name__}: {exc}. Run again with --debug to see "
            "the traceback, and report it if it persists.",
            1,
        )


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"Error: {message}\n" if not message.startswith("Error") else message + "\n")
    sys.stderr.flush()
    raise SystemExit(code)


if __name__ == "__main__":
    main()
