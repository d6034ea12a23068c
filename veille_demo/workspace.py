"""`veille demo`: the nightly run, exactly, against the bundled demo sources in a workspace.

The demo writes its forum, feed and review pages into the workspace (`var/sites`) and serves
them on localhost, drops its exports (an X archive, X search exports with a bad buzz in the
last hour, a Facebook download and a Facebook group's Graph export) into the workspace's inbox
folders, then runs the nightly job with the demo's clock (`DEMO_NOW`, set as
`veille --now` sets it): every stage of `config.settings.PIPELINE_STAGES`. It ends with
the paths of the reports and of the outbox, where the alert e-mail lands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pipeline.context import AppState

CONFIG = Path(__file__).with_name("veille.demo.yaml")
CALENDAR = Path(__file__).with_name("marketing.ics")  # the team's calendar (events.calendars)


def prepare(directory: Path, base_url: str) -> Path:
    """Write the workspace's veille.yaml, its web sources pointing at `base_url`."""
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "veille.yaml"
    config.write_text(CONFIG.read_text(encoding="utf-8").replace("{base_url}", base_url))
    (directory / CALENDAR.name).write_bytes(CALENDAR.read_bytes())
    return config


SITES = "var/sites"  # in the workspace: the demo's web sites, written by each run


def install_exports(directory: Path, rows: list[dict[str, Any]]) -> None:
    """Drop the bundled exports and those of the generated talk (`rows`) into the inboxes, as
    a user would."""
    from veille_demo.exports import INBOXES, install
    from veille_demo.history import write_history

    install(directory)
    write_history(directory / INBOXES["twitter"], directory / INBOXES["facebook"], rows)


def run_demo(state: AppState, directory: Path) -> None:
    from pipeline.errors import CommandError
    from pipeline.jobs import spec
    from pipeline.render import show_summary
    from pipeline.shutdown import graceful_signals
    from pipeline.stage_runner import StopFlag, run_pipeline
    from storage.clock import fixed_now, set_now, utcnow
    from storage.schema import upgrade
    from veille_demo.generate import generate
    from veille_demo.history import DEMO_NOW
    from veille_demo.make_sites import build
    from veille_demo.server import serve_demo_sites

    if fixed_now() is None:  # the demo's clock, unless `veille --now` names another moment
        set_now(DEMO_NOW)
    talk = generate()
    base_url, stop_server = serve_demo_sites(build(directory / SITES, talk))
    try:
        state.config_path = prepare(directory, base_url)
        state.say(f"Demo workspace {directory}: demo sites served at {base_url}")
        upgrade(state.engine(check_schema=False))
        install_exports(directory, talk)
        nightly = spec(state.settings, "nightly")
        stop = StopFlag()
        with graceful_signals(stop):
            summary = run_pipeline(
                state, nightly.stages, job=nightly.id, options=nightly.options, stop=stop,
                now=utcnow(),
            )  # fmt: skip
    finally:
        stop_server()
    show_summary(state, summary)
    _show_paths(state, summary.outputs)
    if not summary.ok:
        raise CommandError(
            f"The demo run {summary.status}: {'; '.join(summary.failures()) or 'see above'}."
        )


def _show_paths(state: AppState, outputs: list[str]) -> None:
    from rich.text import Text

    from config.settings import REPORT_FORMATS

    reports = Path(state.settings.reports.output_dir)
    outbox = Path(state.settings.alerts.outbox_dir)
    written = [p for p in outputs if Path(p).suffix.lstrip(".") in REPORT_FORMATS]
    for path in written:
        state.console.print(Text(f"Report: {path}"))
    if not written:
        state.console.print(Text(f"Reports: none written (folder {reports})."))
    emails = sorted(outbox.glob("*.eml")) if outbox.is_dir() else []
    state.console.print(Text(f"Outbox: {outbox} ({len(emails):,} e-mails)"))
    for email in emails:
        state.console.print(Text(f"  {email.name}"))
