"""`veille privacy erase|export|log`: a person's erasure and access requests (GDPR)."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from pipeline.context import AppState
from pipeline.errors import UsageError

privacy_app = typer.Typer(
    help="Personal data: erase a person or posts, export what is held about a person, "
    "list past erasures."
)


def _author(value: str) -> tuple[str, str]:
    from storage.privacy import Target

    try:
        target = Target.author(value)
    except ValueError as exc:
        raise UsageError(f"--author {exc}") from None
    assert target.source is not None and target.handle is not None
    return target.source, target.handle


@privacy_app.command("erase")
def erase_cmd(
    ctx: typer.Context,
    author: Annotated[
        str | None,
        typer.Option("--author", help="SOURCE:HANDLE: the person's posts, author rows, profile."),
    ] = None,
    mention: Annotated[int | None, typer.Option("--mention", help="One mention, by id.")] = None,
    match: Annotated[
        str | None, typer.Option("--match", help="Every mention whose text holds TEXT.")
    ] = None,
    by: Annotated[
        str | None, typer.Option("--by", help="Who asks (logged; default: the system user).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would go; change nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Erase a person (or posts): rows, raw records, labels, alert references; tombstone them."""
    from storage.privacy import Target, erase

    given = [o for o, v in (("--author", author), ("--mention", mention), ("--match", match))
             if v is not None]  # fmt: skip
    if len(given) != 1:
        raise UsageError("give exactly one of --author SOURCE:HANDLE, --mention ID, --match TEXT")
    if author is not None:
        source, handle = _author(author)
        target = Target("author", source=source, handle=handle)
    elif mention is not None:
        target = Target("mention", mention_id=mention)
    else:
        assert match is not None
        if len(match.strip()) < 3:
            raise UsageError("--match needs at least 3 characters of the text to erase")
        target = Target("match", text=match)
    state: AppState = ctx.obj
    from reports.privacy import documents_quoting
    from storage.clock import utcnow

    # The documents are searched before the erasure: afterwards the texts are gone.
    engine = state.engine()
    result = erase(engine, target, by or getpass.getuser(), utcnow(), dry_run=dry_run)
    handles = [h for _, _, h in result.found.handles]
    documents = documents_quoting(state.settings, result.found, handles)
    if as_json:
        state.emit_json({
            "erasure_id": result.erasure_id, "dry_run": dry_run, "counts": result.counts,
            "sent_messages": result.sent, "documents": [str(p) for p in documents],
        })  # fmt: skip
        return
    if result.nothing:
        state.say("Nothing held matches; nothing erased.")
        return
    verb = "Would erase" if dry_run else "Erased"
    rows = ", ".join(f"{n:,} {table}" for table, n in result.counts.items() if n)
    state.say(f"{verb}: {rows}.")
    if result.erasure_id is not None:
        state.say(f"Logged as erasure #{result.erasure_id}; later crawls and imports skip it.")
    if result.sent:
        state.say(
            f"{len(result.sent):,} alert message(s) already sent may quote it (not recalled):"
        )
        for m in result.sent:
            state.say(f"  delivery {m['id']} ({m['brand']}, {m['kind']}) sent {m['sent_at']} "
                      f"to {escape(str(m['delivered_to'] or m['target']))}")  # fmt: skip
    if documents:
        state.say(f"{len(documents):,} document(s) written earlier quote it; delete or rewrite:")
        for path in documents:
            state.say(f"  {escape(str(path))}")


@privacy_app.command("export")
def export_cmd(
    ctx: typer.Context,
    author: Annotated[str, typer.Option("--author", help="SOURCE:HANDLE of the person.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="JSON file to write.")],
) -> None:
    """Everything held about one person, as JSON (an access request)."""
    from storage.access import person_data, write_json

    source, handle = _author(author)
    state: AppState = ctx.obj
    with state.engine().connect() as conn:
        data = person_data(conn, source, handle)
    write_json(data, out)
    state.say(
        f"Wrote {len(data['mentions']):,} mentions and {len(data['authors']):,} author rows of "
        f"{escape(source)}:{escape(handle)} to {escape(str(out))}."
    )


@privacy_app.command("log")
def log_cmd(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """The erasure log: what kind of erasure, when, by whom, how many rows (no personal data)."""
    from storage.privacy import erasure_log

    state: AppState = ctx.obj
    with state.engine().connect() as conn:
        entries = erasure_log(conn)
    if as_json:
        state.emit_json({"erasures": entries})
        return
    if not entries:
        state.say("No erasure yet.")
    for e in entries:
        rows = ", ".join(f"{n:,} {t}" for t, n in e["counts"].items() if n) or "no rows"
        state.say(
            f"#{e['id']} {e['at']:%Y-%m-%d %H:%M} UTC {e['what']} by {escape(e['by'])}: {rows}"
        )


@privacy_app.command("retention")
def retention_cmd(
    ctx: typer.Context,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what would go; delete nothing.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object for scripts.")] = False,
) -> None:
    """Delete now what the nightly `retention` stage would: mentions past privacy.retention_days."""
    from pipeline.stages.retention import cutoffs
    from storage.clock import utcnow
    from storage.retention import apply_retention

    state: AppState = ctx.obj
    now = utcnow()
    counts = apply_retention(
        state.engine(), cutoffs(state.settings, now), getpass.getuser(), now, dry_run=dry_run
    )
    if as_json:
        state.emit_json({"dry_run": dry_run, **counts})
        return
    verb = "Would delete" if dry_run else "Deleted"
    kinds = ", ".join(f"{n:,} {k}" for k, n in counts["by_kind"].items() if n) or "none"
    state.say(
        f"{verb} {counts['mentions']:,} mentions past their retention ({kinds}), "
        f"{counts.get('authors', 0):,} authors left with none, {counts.get('rejected', 0):,} "
        "records kept aside."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(privacy_app, name="privacy")
