"""`veille demo`: a demo workspace with bundled sample data, run end to end.

Registered by the `veille.commands` entry point `demo = veille_demo.command`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState


def demo(
    ctx: typer.Context,
    directory: Annotated[Path, typer.Argument(help="Demo workspace folder.")] = Path("demo"),
) -> None:
    """Run the nightly job on the bundled demo sources in a demo workspace; print the outputs."""
    state: AppState = ctx.obj
    from veille_demo.workspace import run_demo

    run_demo(state, directory)


def register(app: typer.Typer) -> None:
    app.command()(demo)
