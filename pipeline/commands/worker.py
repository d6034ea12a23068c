"""`veille worker crawl|analyze`: a long-lived worker process of a multi-machine installation."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState

worker_app = typer.Typer(
    help="Run a crawl or labelling worker (one or many per machine; PostgreSQL only).",
    no_args_is_help=True,
)


@worker_app.command("analyze")
def analyze(
    ctx: typer.Context,
    concurrency: Annotated[
        int,
        typer.Option(
            "--concurrency",
            "-n",
            min=1,
            max=64,
            help="Labelling processes (each loads the models once); 1: this process labels.",
        ),
    ] = 1,
) -> None:
    """Label the batches `veille analyze --distributed` sends, until stopped (SIGTERM, Ctrl-C)."""
    state: AppState = ctx.obj
    from nlp.workers import exit_now, queue_name, run_worker
    from storage.workers import hide_password, require_shared_database

    require_shared_database(state.settings.database.url, "veille worker analyze")
    state.engine()  # fail early on a database not at this schema version
    state.say(
        f"Labelling worker: queue {queue_name(state.settings)} on "
        f"{hide_password(state.settings.workers.broker_url)}, {concurrency} process(es)."
    )
    code = run_worker(state.settings, concurrency, "DEBUG" if state.debug else "WARNING")
    state.close()
    exit_now(code)


@worker_app.command("crawl")
def crawl(ctx: typer.Context) -> None:
    """Crawl the runs `veille crawl --distributed` starts, sharing their requests in Redis with
    the other crawl workers, until stopped (SIGTERM, Ctrl-C)."""
    import signal
    import threading

    state: AppState = ctx.obj
    from crawlers.crawl_workers import serve
    from storage.workers import hide_password, require_shared_database

    require_shared_database(state.settings.database.url, "veille worker crawl")
    state.engine()  # fail early on a database not at this schema version
    state.say(
        f"Crawl worker: runs of namespace {state.settings.workers.namespace} on "
        f"{hide_password(state.settings.crawl.redis_url)}."
    )
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    code = serve(state.settings, "DEBUG" if state.debug else "WARNING", stop)
    state.close()
    raise typer.Exit(code)


def register(app: typer.Typer) -> None:
    app.add_typer(worker_app, name="worker")
