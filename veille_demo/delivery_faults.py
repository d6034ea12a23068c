"""The delivery fault scenarios: a planted bad buzz, a real SMTP server that misbehaves, and
how many copies arrive. The tests assert on them; bench/reliability.py prints them.

Each scenario returns the copies the server received, the deliveries' final states and whether
an unconfirmed message is shown by `veille status --json` and `veille alerts list --json`.
The guarantee wants exactly 1 copy, or 0 with `unconfirmed` shown.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import Engine

from veille_demo.bad_buzz import plant_bad_buzz
from veille_demo.mailservers import MailServer

AT = datetime(2026, 3, 9, 15, 0, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 1.0  # smtp.timeout_seconds of the scenarios: the slow server answers after 2.5 s


@dataclass
class Outcome:
    """What became of the scenario's message (the first one owed, delivery 1)."""

    scenario: str
    copies: int  # copies of that message the server received
    state: str  # its delivery state at the end
    unconfirmed_shown: bool  # listed as unconfirmed by `status --json` and `alerts list --json`
    message_ids: list[str] = field(default_factory=list)  # of the copies received
    others: dict[str, int] = field(default_factory=dict)  # other messages (back to normal…)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """Exactly one copy, or none and the unconfirmed message shown to a person."""
        if self.copies == 1:
            return self.state != "unconfirmed" or self.unconfirmed_shown
        return self.copies == 0 and self.state == "unconfirmed" and self.unconfirmed_shown


@dataclass
class Workspace:
    folder: Path
    config: Path
    engine: Engine
    server: MailServer

    def settings(self) -> Any:
        from config.loading import load_settings

        return load_settings(self.config)

    def check(self, at: datetime) -> Any:
        from reports.alerts.check import check

        return check(self.engine, self.settings(), at)

    def deliver(self, at: datetime) -> Any:
        from reports.alerts.delivery import deliver_pending

        return deliver_pending(self.engine, self.settings(), at)

    def state(self, delivery_id: int = 1) -> str:
        from storage.deliveries import get

        record = get(self.engine, delivery_id)
        return record.status if record is not None else "absent"

    def cli(self, *args: str) -> tuple[int, str]:
        """`veille --config … ARGS` in this process; (exit code, stdout)."""
        from pipeline.cli import main

        out = io.StringIO()
        code = 0
        with contextlib.redirect_stdout(out):
            try:
                main(["--config", str(self.config), *args])
            except SystemExit as exc:
                code = int(exc.code or 0)
        return code, out.getvalue()

    def unconfirmed_shown(self, delivery_id: int = 1) -> bool:
        """The delivery is listed as unconfirmed by both `veille status --json` and
        `veille alerts list --json`."""
        _, status = self.cli("status", "--json")
        _, listed = self.cli("alerts", "list", "--json")
        wanted = {"id": delivery_id, "status": "unconfirmed"}
        in_status = any(
            wanted.items() <= d.items() for d in json.loads(status)["undelivered"]["items"]
        )
        in_list = any(wanted.items() <= d.items() for d in json.loads(listed)["undelivered"])
        return in_status and in_list

    def outcome(self, name: str, notes: list[str] | None = None) -> Outcome:
        copies: dict[str, list[str]] = {}
        for r in self.server.received:
            copies.setdefault(str(r.message["X-Veille-Delivery"]), []).append(r.message_id)
        mine = copies.pop("1", [])
        return Outcome(
            name, len(mine), self.state(1), self.unconfirmed_shown(1), mine,
            {k: len(v) for k, v in sorted(copies.items())}, notes or [],
        )  # fmt: skip


def write_config(folder: Path, db_url: str, port: int, **smtp: Any) -> Path:
    data = {
        "database": {"url": db_url},
        "brands": [{"name": "Lumino", "query": "lumino"}],
        "alerts": {
            "recipients": {"Lumino": ["crisis@lumino.example"]},
            "operators": ["ops@lumino.example"],
            "outbox_dir": str(folder / "outbox"),
        },
        "smtp": {
            "host": "127.0.0.1",
            "port": port,
            "security": "none",
            "timeout_seconds": TIMEOUT,
            "retries": 1,
            "backoff_seconds": 0.01,
            "sender": "veille@lumino.example",
            **smtp,
        },
    }
    path = folder / "veille.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@contextlib.contextmanager
def workspace(folder: Path, db_url: str | None = None, mode: str = "ok") -> Iterator[Workspace]:
    """A migrated database with a planted bad buzz, and a (stopped) server in `mode`."""
    from storage.engine import make_engine
    from storage.schema import upgrade

    folder.mkdir(parents=True, exist_ok=True)
    url = db_url or f"sqlite:///{folder / 'veille.db'}"
    engine = make_engine(url)
    upgrade(engine)
    plant_bad_buzz(engine, "Lumino", AT)
    server = MailServer(mode, delay=TIMEOUT + 1.5)
    ws = Workspace(folder, write_config(folder, url, server.port), engine, server)
    try:
        yield ws
    finally:
        server.stop()
        engine.dispose()


def smtp_down_then_up(ws: Workspace) -> Outcome:
    """Nobody listens at the first check; the server is back for the next ones."""
    first = ws.check(AT)
    ws.server.start()
    ws.check(AT + timedelta(minutes=15))
    ws.check(AT + timedelta(minutes=30))
    return ws.outcome("smtp down, then up", [f"first check: {first.delivery.failed} owed"])


def slow_end_of_data(ws: Workspace) -> Outcome:
    """The server takes the message but answers the end of DATA after the client's timeout."""
    ws.server.start()
    for minutes in (0, 15, 45, 90):  # later checks, past the stale claim too
        ws.check(AT + timedelta(minutes=minutes))
    return ws.outcome("slow past smtp.timeout_seconds during DATA")


def closed_mid_data(ws: Workspace) -> Outcome:
    """The server drops the connection in the middle of the message."""
    ws.server.start()
    for minutes in (0, 15, 45):
        ws.check(AT + timedelta(minutes=minutes))
    return ws.outcome("connection closed mid-DATA")


def refused_end_of_data(ws: Workspace) -> Outcome:
    """The server refuses the message at the end of DATA (554), then accepts it later."""
    ws.server.start()
    ws.check(AT)
    ws.server.mode = "ok"
    ws.check(AT + timedelta(minutes=15))
    ws.check(AT + timedelta(minutes=30))
    return ws.outcome("554 at the end of DATA, then accepted")


def _child_check(ws: Workspace, at: datetime) -> subprocess.Popen[bytes]:
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH")) if p)
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.Popen(
        [sys.executable, "-m", "pipeline.cli", "--quiet", "--config", str(ws.config), "alerts",
         "check", "--now", at.isoformat()],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip


def _killed(ws: Workspace, mode: str) -> list[str]:
    """Run `veille alerts check` in a child that the server kills with SIGKILL."""
    ws.server.mode = mode
    ws.server.start()
    child = _child_check(ws, AT)
    ws.server.victim = child.pid
    try:
        code = child.wait(timeout=300)
    finally:
        if child.poll() is None:
            child.kill()
    ws.server.victim = None
    ws.server.mode = "ok"
    return [f"child exit code {code} (-9: killed)", f"left {ws.state(1)}"]


def killed_past_the_mark(ws: Workspace) -> Outcome:
    """kill -9 of the sending check after the data went out; checks before and after the
    30-minute stale claim send nothing again."""
    notes = _killed(ws, "kill")
    ws.check(AT + timedelta(minutes=10))  # claim still fresh: left alone
    ws.check(AT + timedelta(minutes=45))  # stale: past the mark, so unconfirmed, not resent
    ws.check(AT + timedelta(minutes=60))
    return ws.outcome("kill -9 past the data-sent mark", notes)


def killed_before_the_mark(ws: Workspace) -> Outcome:
    """kill -9 of the sending check at RCPT (before the mark): sent once the claim is stale."""
    notes = _killed(ws, "kill-at-rcpt")
    ws.check(AT + timedelta(minutes=10))
    ws.check(AT + timedelta(minutes=45))
    ws.check(AT + timedelta(minutes=60))
    return ws.outcome("kill -9 before the data-sent mark", notes)


def operators_down_then_up(ws: Workspace) -> Outcome:
    """The "run failed" e-mail while SMTP is down: queued, delivered once it is back."""
    from pipeline.notify import Queued, notify_operators

    notes = []
    try:
        notify_operators(ws.settings(), "[Veille] nightly run 7 failed: crawl", "body\n",
                         now=AT, key="run:7")  # fmt: skip
        notes.append("sent at once (unexpected: the server is down)")
    except Queued as exc:
        notes.append(f"queued: {exc}"[:120])
    ws.server.start()
    ws.deliver(AT + timedelta(minutes=15))
    ws.deliver(AT + timedelta(minutes=30))
    return ws.outcome("operators' e-mail while SMTP is down, then up", notes)


SCENARIOS: dict[str, tuple[str, Callable[[Workspace], Outcome]]] = {
    "down": ("ok", smtp_down_then_up),
    "slow": ("slow", slow_end_of_data),
    "closed": ("close-mid-data", closed_mid_data),
    "refused": ("refuse-data", refused_end_of_data),
    "kill-after-mark": ("ok", killed_past_the_mark),
    "kill-before-mark": ("ok", killed_before_the_mark),
    "operators": ("ok", operators_down_then_up),
}


def run_scenario(name: str, folder: Path, db_url: str | None = None) -> Outcome:
    mode, scenario = SCENARIOS[name]
    started = time.monotonic()
    with workspace(folder, db_url, mode) as ws:
        outcome = scenario(ws)
    outcome.notes.append(f"{time.monotonic() - started:.1f} s")
    return outcome
