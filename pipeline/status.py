"""`veille status`: the health of the installation, as a dict and as tables."""

from __future__ import annotations

from typing import Any

from rich.markup import escape
from rich.table import Table
from rich.text import Text

from pipeline.context import AppState


def collect_status(state: AppState) -> dict[str, Any]:
    from reports.alerts.listing import undelivered
    from storage.clock import wall_utcnow
    from storage.health import database_size, last_runs, pending_alerts, source_health
    from storage.locks import read_lock

    engine = state.engine()
    settings = state.settings
    jobs, stages = last_runs(engine)
    window = settings.schedules.silent_after_runs
    sources = source_health(
        engine,
        [(s.name, s.kind.value, s.kind.is_export) for s in settings.sources if s.enabled],
        window,
    )
    alert_count, alerts = pending_alerts(engine)
    from storage.clock import utcnow
    from storage.mutes import listing

    muted = [m.as_dict() for m in listing(engine, utcnow())]
    from storage.health import calendar_health

    calendars = calendar_health(engine, [(c.name, c.brand) for c in settings.events.calendars])
    waiting_count, waiting = undelivered(engine, limit=20)
    lock = read_lock(engine)
    from storage.workers import list_workers

    dead_after = settings.workers.dead_after_seconds
    now = wall_utcnow()
    workers = [w.as_dict(dead_after, now) for w in list_workers(engine)]
    labels = label_status(state)
    nightly = next((j for j in jobs if j["job"] == "nightly"), None)
    backups = None
    if settings.backup.folder is not None:
        from pathlib import Path

        from storage.backups import newest_backup

        backups = newest_backup(Path(settings.backup.folder), now)
    broken = [s.as_dict() for s in sources if s.last_state == "broken"]
    problems = [s.as_dict() for s in sources if s.problem and s.last_state != "broken"]
    return {
        "jobs": jobs,
        "stages": stages,
        "sources": [s.as_dict() for s in sources],
        "silent_sources": problems,
        "broken_sources": broken,
        "calendars": calendars,
        "silent_after_runs": window,
        "alerts": {"pending": alert_count, "items": alerts, "mutes": muted},
        "undelivered": {"total": waiting_count, "items": waiting},
        "database": database_size(engine),
        "backups": backups,
        "workers": workers,
        "labels": labels,
        "running": (
            {
                "holder": lock.holder,
                "host": lock.host,
                "pid": lock.pid,
                "since": lock.acquired_at.isoformat(),
                "expired": lock.expires_at < wall_utcnow(),
            }
            if lock is not None
            else None
        ),
        "healthy": not problems
        and not broken
        and not any(c["status"] == "failed" for c in calendars)
        and not any(d["status"] == "unconfirmed" for d in waiting)
        and (nightly is None or nightly["status"] in ("ok", "running"))
        and not any(j["status"] == "abandoned" for j in jobs)
        and not (backups is not None and nightly is not None and backups["stale"]),
    }


def label_status(state: AppState) -> list[dict[str, Any]]:
    """Per labelling task: the model in use (packaged, or the workspace's with what `veille
    train` measured), the labels stored, those people gave, those waiting for review."""
    from nlp.model_store import active_figures, active_model, model_id
    from storage.labels import label_counts
    from storage.vocab import MENTION_TASKS

    counts = label_counts(state.engine())
    out = []
    for task in MENTION_TASKS:
        figures = active_figures(state.settings, task)
        out.append({
            "task": task, "model": model_id(active_model(state.settings, task)),
            "trained_at": figures.get("trained_at"), "test_score": figures.get("test_score"),
            **counts.get(task, {"labels": 0, "people": 0, "to_review": 0}),
        })  # fmt: skip
    return out


def labels_table(rows: list[dict[str, Any]]) -> Table:
    table = Table(title="Labels (`veille label --review` lists those to review)",
                  title_justify="left")  # fmt: skip
    for col in ("task", "model", "trained (UTC)", "test score", "labels", "by people", "to review"):
        table.add_column(col, justify="left" if col in ("task", "model", "trained (UTC)")
                         else "right")  # fmt: skip
    for r in rows:
        score = r["test_score"]
        table.add_row(
            r["task"], r["model"], _when(r["trained_at"]) if r["trained_at"] else "packaged",
            f"{score:.3f}" if isinstance(score, int | float) else "—", _num(r["labels"]),
            _num(r["people"]), _num(r["to_review"]),
        )  # fmt: skip
    return table


def _when(value: str | None) -> str:
    return value[:19].replace("T", " ") if value else "—"


def _num(value: Any) -> str:
    return f"{int(value):,}" if isinstance(value, int | float) else "—"


def _seconds(value: Any) -> str:
    if not isinstance(value, int | float):
        return "—"
    return f"{value:.1f} s" if value < 120 else f"{value / 60:.1f} min"


def _status_text(status: str) -> Text:
    style = {"ok": "green", "failed": "red", "interrupted": "yellow", "abandoned": "red"}
    return Text(status, style=style.get(status, ""))


def runs_table(title: str, rows: list[dict[str, Any]], key: str) -> Table:
    table = Table(title=title, title_justify="left")
    for col in (key, "status", "started (UTC)", "took", "items", "errors", "error"):
        table.add_column(col, justify="right" if col in ("took", "items", "errors") else "left")
    for row in rows:
        table.add_row(
            Text(str(row[key])) if key == "job" else Text(f"{row['stage']} ({row['job']})"),
            _status_text(row["status"]),
            _when(row["started_at"]),
            _seconds(row["seconds"]),
            _num(row["items"]),
            _num(row["errors"]),
            Text((row["error"] or "")[:120]),  # Text: collected text is never markup
        )
    return table


def status_tables(status: dict[str, Any]) -> list[Table | str]:
    out: list[Table | str] = []
    running = status["running"]
    if running:
        out.append(
            f"A run is in progress: {running['holder']} (pid {running['pid']} on "
            f"{running['host']}) since {_when(running['since'])} UTC"
            + (" — its lock has expired: it probably crashed." if running["expired"] else ".")
        )
    if status["jobs"]:
        out.append(runs_table("Last run of each job", status["jobs"], "job"))
        out.append(runs_table("Last run of each stage", status["stages"], "stage"))
    else:
        out.append("No run recorded yet: `veille run` runs the pipeline once.")
    window = status["silent_after_runs"]
    if status["silent_sources"]:
        table = Table(
            title=f"Sources broken, or failed or silent {window} or more times in a row",
            title_justify="left",
        )
        for col in ("source", "kind", "in a row", "last state", "last success", "last error"):
            # Folded, not cut: the error names what to set (VEILLE_REDDIT_CLIENT_SECRET…).
            table.add_column(col, overflow="fold" if col == "last error" else "ellipsis")
        for s in status["silent_sources"]:
            table.add_row(
                Text(s["name"]), s["kind"], f"{s['streak']:,}", s["last_state"] or "—",
                _when(s["last_ok_at"]) if s["last_ok_at"] else "never",
                Text((s["last_error"] or "")[:400]),  # the whole "set VEILLE_…" sentence
            )  # fmt: skip
        out.append(table)
    else:
        out.append(f"Sources: none failed or stayed silent {window} collections in a row.")
    if status.get("calendars"):
        table = Table(title="Calendars (events.calendars)", title_justify="left")
        for col in ("calendar", "brand", "last read", "state", "last read well", "events / why"):
            table.add_column(col, overflow="fold" if col == "events / why" else "ellipsis")
        for c in status["calendars"]:
            said = (
                Text(str(c.get("error") or "")[:400])
                if c["status"] == "failed"
                else f"{c.get('new', 0):,} new, {c.get('updated', 0):,} updated, "
                f"{c.get('removed', 0):,} removed, {c.get('set_aside', 0):,} set aside"
                if c["status"] == "ok"
                else ""
            )
            table.add_row(
                Text(c["calendar"]), Text(c.get("brand") or "every brand"),
                _when(c.get("at")) if c.get("at") else "—", _status_text(c["status"]),
                _when(c["last_ok_at"]) if c["last_ok_at"] else "never", said,
            )  # fmt: skip
        out.append(table)
    if status.get("broken_sources"):
        forums = any(s["broken_pages"] for s in status["broken_sources"])
        others = any(not s["broken_pages"] for s in status["broken_sources"])
        title = {
            (True, False): "Sources whose pages show posts Veille cannot read (has the theme "
            "changed?)",
            (False, True): "Broken sources: a person must act (a credential to set, review "
            "markup that changed…)",
        }.get(
            (forums, others),
            "Broken sources: pages whose posts Veille cannot read, credentials to set…",
        )
        table = Table(title=title, title_justify="left")
        for col in ("source", "kind", "page", "what was wrong"):
            # Folded, not cut: the reason may name what to set (VEILLE_REDDIT_CLIENT_SECRET…).
            table.add_column(col, overflow="fold" if col == "what was wrong" else "ellipsis")
        for s in status["broken_sources"]:
            # An API source or a review page says why in its error (a credential to set, a
            # page whose review markup changed), without a list of forum pages.
            pages = s["broken_pages"][:3] or [{"url": "", "reason": s["last_error"] or ""}]
            for page in pages:
                table.add_row(
                    Text(s["name"]), s["kind"], Text(page.get("url") or "—"),
                    Text(page.get("reason") or ""),
                )  # fmt: skip
        out.append(table)
        if forums:
            out.append("`veille crawl --probe URL` shows what the crawler reads on a page.")
    alerts = status["alerts"]
    if alerts["pending"]:
        table = Table(title=f"Pending alerts: {alerts['pending']:,}", title_justify="left")
        for col in ("id", "brand", "kind", "severity", "status", "delivery", "opened (UTC)"):
            table.add_column(col)
        for a in alerts["items"]:
            table.add_row(
                str(a["id"]), Text(a["brand"]), a["kind"], a["severity"], a["status"],
                a["delivery"], _when(a["opened_at"]),
            )  # fmt: skip
        out.append(table)
    else:
        out.append("Alerts: none open or waiting to be delivered.")
    for m in alerts.get("mutes") or []:  # messages held: the team should know
        until = _when(m["until"])[:16]
        out.append(
            f"Muted (mute {m['id']}): {escape(m['brand'] or 'every brand')}, "
            f"{m['kind'] or 'every kind'}, until {until} UTC — {escape(m['reason'])} "
            f"({escape(m['created_by'])}); `veille alerts unmute {m['id']}` ends it."
        )
    waiting = status["undelivered"]
    if waiting["total"]:
        out.append(undelivered_table(waiting["total"], waiting["items"]))
    if status.get("workers"):
        out.append(workers_table(status["workers"]))
    if any(r["labels"] for r in status.get("labels", [])):
        out.append(labels_table(status["labels"]))
    backups = status.get("backups")
    if backups is not None and backups["newest"]:
        out.append(
            f"Backups: {backups['count']:,} in {escape(backups['folder'])}, the newest "
            f"{backups['newest']} ({_size(int(backups['bytes']))}, written "
            f"{_when(backups['at'])} UTC)"
            + (" — over two days old: has the backup stage failed?" if backups["stale"] else ".")
        )
    elif backups is not None:
        out.append(f"Backups: none yet in {escape(backups['folder'])} (the nightly backup stage).")
    db = status["database"]
    if db["backend"] == "sqlite":
        out.append(f"Database: SQLite {db['path']}, {_size(db['bytes'])}.")
    else:
        out.append(
            f"Database: PostgreSQL, {_size(db['bytes'])} in all, schema {db['schema']} "
            f"{_size(db['schema_bytes'])}."
        )
    return out


def workers_table(rows: list[dict[str, Any]]) -> Table:
    """Crawl and labelling workers of every machine, and their last heartbeat."""
    table = Table(title="Workers (`veille worker crawl|analyze`)", title_justify="left")
    for col in ("worker", "kind", "state", "last heartbeat (UTC)", "since (UTC)", "done",
                "doing"):  # fmt: skip
        table.add_column(col, justify="right" if col == "done" else "left")
    style = {"busy": "green", "lost": "red", "stopped": "dim"}
    for w in rows:
        table.add_row(
            Text(w["name"]), w["kind"], Text(w["state"], style=style.get(w["state"], "")),
            _when(w["heartbeat_at"]), _when(w["started_at"]),
            f"{w['done']:,} {'pages' if w['kind'] == 'crawl' else 'mentions'}",
            Text(w["doing"] or "—"),
        )  # fmt: skip
    return table


def undelivered_table(total: int, rows: list[dict[str, Any]]) -> Table:
    """Messages not delivered: unconfirmed ones wait for a person, failed ones are retried."""
    table = Table(
        title=f"Messages not delivered: {total:,} (unconfirmed: `veille alerts resend ID` sends "
        "again, `veille alerts confirm ID` records that it arrived; failed: the next check "
        "retries)",
        title_justify="left",
    )
    for col in ("id", "about", "kind", "channel", "to", "status", "handed over (UTC)",
                "message id", "why"):  # fmt: skip
        table.add_column(col)
    for d in rows:
        about = (f"alert {d['alert_id']}" if d["alert_id"]
                 else f"mention {d['mention_id']}" if d.get("mention_id") else "—")  # fmt: skip
        table.add_row(
            str(d["id"]), about, d["kind"], d["channel"], Text(d["target"]),
            Text(d["status"], style="red" if d["status"] == "unconfirmed" else "yellow"),
            _when(d["handed_at"]), Text(d["message_id"] or "—"), Text((d["error"] or "")[:120]),
        )  # fmt: skip
    return table


def _size(n: int) -> str:
    size = float(n)
    for unit in ("bytes", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:,.0f} {unit}" if unit == "bytes" else f"{size:,.1f} {unit}"
        size /= 1024
    return f"{n:,} bytes"
