"""`veille label`: record, import or export people's labels (they win over models), and list
the model labels worth a person's check (`--review`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from pipeline.context import AppState
from pipeline.errors import CommandError, UsageError


def label(
    ctx: typer.Context,
    mention_id: Annotated[int | None, typer.Argument(help="The mention to label.")] = None,
    assignments: Annotated[
        list[str] | None, typer.Argument(help="TASK=VALUE pairs, e.g. sentiment=negative.")
    ] = None,
    import_file: Annotated[
        Path | None, typer.Option("--import", help="CSV of mention_id,task,value to record.")
    ] = None,
    export_file: Annotated[
        Path | None, typer.Option("--export", help="Write every human label to this CSV.")
    ] = None,
    ids_only: Annotated[
        bool,
        typer.Option(
            "--ids-only",
            help="With --export: source, external id and label, no text (what a training "
            "corpus keeps past privacy.retention_days).",
        ),
    ] = False,
    review: Annotated[
        bool,
        typer.Option(
            "--review",
            help="List the model labels to check (low confidence), widest reach first.",
        ),
    ] = False,
    brand: Annotated[
        str | None, typer.Option("--brand", help="With --review: this brand's mentions only.")
    ] = None,
    limit: Annotated[
        int, typer.Option("--limit", min=1, help="With --review: how many to list.")
    ] = 50,
    as_json: Annotated[
        bool, typer.Option("--json", help="With --review: one JSON object.")
    ] = False,
) -> None:
    """Record a person's labels (they win over models and are never overwritten), or list
    the model labels worth checking (--review)."""
    state: AppState = ctx.obj
    from nlp import human_labels as labelling

    chosen = sum(x is not None for x in (mention_id, import_file, export_file)) + review
    if chosen != 1:
        raise UsageError(
            "give either MENTION_ID TASK=VALUE…, or --import FILE, or --export FILE, or --review"
        )
    if (brand is not None or as_json) and not review:
        raise UsageError("--brand and --json go with --review")
    if review:
        _list_review(state, brand, limit, as_json)
        return
    pairs: list[tuple[str, str]] = []
    if mention_id is not None:
        if not assignments:
            raise UsageError("say what to record, e.g. `veille label 42 sentiment=negative`")
        try:
            pairs = [labelling.parse_assignment(a) for a in assignments]
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    engine = state.engine()
    if export_file is not None:
        n = labelling.export_human(engine, export_file, ids_only=ids_only)
        state.say(f"Wrote {n:,} human labels to {export_file}.")
        return
    if import_file is not None:
        try:
            report = labelling.import_human(engine, import_file)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        state.say(f"Recorded {report.saved:,} labels from {str(import_file)!r}.")
        from rich.markup import escape

        for problem in report.problems[:20]:
            state.say(f"  {escape(problem)}")
        if report.problems:
            more = len(report.problems) - 20
            state.say(
                (f"  … and {more:,} more. " if more > 0 else "  ")
                + f"{len(report.problems):,} bad lines were kept aside (`rejected` table, "
                "stage label); fix them and import them again."
            )
        return
    assert mention_id is not None
    try:
        labelling.record(engine, mention_id, pairs)
    except LookupError as exc:
        raise CommandError(str(exc)) from None
    from pipeline.context import login_name
    from storage.audit import log

    for task, value in pairs:  # the mention's history in `veille serve` shows it
        log(engine, f"cli:{login_name()}", "label", f"mention:{mention_id}",
            {"task": task, "value": value})  # fmt: skip
    state.say(f"Mention {mention_id}: " + ", ".join(f"{t}={v}" for t, v in pairs) + ".")


def _list_review(state: AppState, brand: str | None, limit: int, as_json: bool) -> None:
    from storage.labels import count_to_review, labels_to_review

    items = labels_to_review(state.engine(), brand=brand, limit=limit)
    total = count_to_review(state.engine(), brand=brand)
    if as_json:
        state.emit_json(
            {"total": total, "review": [
                {"mention_id": i.mention_id, "task": i.task, "value": i.value,
                 "score": i.score, "reach": i.reach, "brands": list(i.brands),
                 "text": i.text[:280]}
                for i in items
            ]}
        )  # fmt: skip
        return
    if not items:
        state.say("No label to review" + (f" for {brand}." if brand else "."))
        return
    from rich.markup import escape

    state.say(f"{total:,} labels to review, widest reach first (then lowest score)"
              + (f"; the first {len(items):,}:" if total > len(items) else ":"))  # fmt: skip
    for i in items:
        text = " ".join(i.text.split())
        text = text if len(text) <= 100 else text[:99] + "…"
        score = "-" if i.score is None else f"{i.score:.2f}"
        state.say(
            f"  {i.mention_id:>8}  {i.task}={i.value} ({score})  reach {i.reach:,}  {escape(text)}"
        )
    state.say("Correct one with `veille label MENTION_ID TASK=VALUE`.")


def register(app: typer.Typer) -> None:
    app.command()(label)
