"""`veille authors`: who is talking — profile, tier, influence, flags and reasons."""

from __future__ import annotations

from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import UsageError
from pipeline.options import day_start
from storage.vocab import PROFILES


def authors(
    ctx: typer.Context,
    brand: Annotated[
        str | None, typer.Option("--brand", "-b", help="Only authors who talked about BRAND.")
    ] = None,
    profile: Annotated[
        str | None,
        typer.Option("--profile", "-p", help=f"Only this profile: {', '.join(PROFILES)}."),
    ] = None,
    top: Annotated[int, typer.Option("--top", "-n", min=1, help="How many authors.")] = 20,
    refresh: Annotated[
        bool, typer.Option("--refresh", help="Recompute stale profiles first (as `analyze` does).")
    ] = False,
    full: Annotated[
        bool,
        typer.Option(
            "--full",
            help="With --refresh: recompute the whole window (rebuild the near-duplicate index).",
        ),
    ] = False,
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", help="With --refresh: end the window on DATE (YYYY-MM-DD)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """List authors, most influential first, with profile, tier, influence, flags and reasons."""
    state: AppState = ctx.obj
    if profile is not None and profile not in PROFILES:
        raise UsageError(f"unknown profile {profile!r}; choose one of: {', '.join(PROFILES)}")
    if brand is not None:
        try:
            brand = state.settings.brand(brand).name
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    as_of_end = day_start(as_of, "--as-of", next_day=True)
    engine = state.engine()
    if refresh:
        from nlp.authors.compute import recompute
        from nlp.label_pool import jobs_of

        counts = recompute(
            engine, state.settings.nlp.authors, as_of_end, full=full,
            jobs=jobs_of(state.settings),
        )  # fmt: skip
        if not as_json:
            state.say(
                "Profiles up to date." if counts["skipped"]
                else f"Recomputed {counts['authors']:,} authors, wrote "
                f"{counts['profiles_written']:,} profiles, {counts['flags']:,} flagged mentions."
            )  # fmt: skip
    from storage.authors import list_profiles

    with engine.connect() as conn:
        rows = list_profiles(conn, brand=brand, profile=profile, top=top)
    if as_json:
        state.emit_json({"brand": brand, "profile": profile, "authors": rows})
        return
    if not rows:
        state.say("No author profiles match; run `veille analyze` (or `veille authors --refresh`).")
        return
    from pipeline.render import authors_table

    state.console.print(authors_table(rows))


def register(app: typer.Typer) -> None:
    app.command()(authors)
