"""`veille report`: a brand's e-reputation report for a period, as HTML and/or PDF."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import UsageError


def _split(value: str, allowed: tuple[str, ...], option: str) -> list[str]:
    items = [v.strip().lower() for v in value.split(",") if v.strip()]
    bad = [v for v in items if v not in allowed]
    if bad or not items:
        raise UsageError(
            f"{option} {value!r}: {', '.join(bad) or 'nothing given'} is not one of "
            f"{', '.join(allowed)} (several may be given, separated by commas)"
        )
    return list(dict.fromkeys(items))


def report(
    ctx: typer.Context,
    brand: Annotated[
        str | None,
        typer.Option("--brand", "-b", help="Brand (default: every brand with reports: true)."),
    ] = None,
    period: Annotated[
        str,
        typer.Option(
            "--period",
            "-p",
            help="yesterday, last-7-days, last-30-days or YYYY-MM-DD..YYYY-MM-DD (local days).",
        ),
    ] = "yesterday",
    fmt: Annotated[
        str | None,
        typer.Option(
            "--format",
            "-f",
            help="html, pdf, json, pptx or several: html,pdf (default: reports.formats).",
        ),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", "-l", help="fr (default), en, or fr,en.")] = "fr",
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="Folder to write to (default: reports.output_dir)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Write an e-reputation report (HTML, PDF, JSON and/or slides) and record it; refreshes
    index.html."""
    state: AppState = ctx.obj
    settings = state.settings
    from config.settings import REPORT_FORMATS

    formats = _split(fmt or ",".join(settings.reports.formats), REPORT_FORMATS, "--format")
    langs = _split(lang, ("fr", "en"), "--lang")
    if brand is not None:
        try:
            brands = [settings.brand(brand).name]
        except KeyError as exc:
            raise UsageError(str(exc.args[0])) from None
    else:
        brands = [b.name for b in settings.brands if b.reports]
        if not brands:
            raise UsageError(
                "no brand to report on: give --brand NAME or set reports: true on a brand "
                "under brands in the configuration"
            )
    from reports.periods import PeriodError, parse_period
    from storage.clock import utcnow

    now = utcnow()  # `veille --now` replays another day: "yesterday" and "generated at" follow
    try:
        window = parse_period(period, now=now, tz=settings.schedules.timezone)
    except PeriodError as exc:
        raise UsageError(f"--period: {exc}") from None
    folder = Path(out) if out else Path(settings.reports.output_dir)
    engine = state.engine()
    from reports.output import keep_themes, write_index, write_reports
    from storage.runs import recorded_run

    paths: list[str] = []
    with recorded_run(engine, "report", stage="report") as run:
        keep_themes(engine, settings, [window])
        for name in brands:
            content, written = write_reports(
                engine, settings, folder, name, window, langs, formats, now=now, run_id=run.id
            )
            paths += [str(w.path) for w in written]
            volume = content.headline["volume"].current or 0
            state.say(
                f"{name}, {window.first_day} to {window.last_day}: {int(volume):,} mentions"
                + (" (no mentions in this period)" if volume == 0 else "")
            )
        index = write_index(engine, folder, langs[0], settings.schedules.timezone)
        run.counts = {"reports": len(paths)}
    if as_json:
        state.emit_json({"reports": paths, "index": str(index)})
        return
    for p in paths:
        state.console.print(p, soft_wrap=True)
    state.say(f"Index of all reports: {index}")


def register(app: typer.Typer) -> None:
    app.command()(report)
