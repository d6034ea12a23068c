"""A local HTTP server that records the webhook requests it gets (Slack, Teams, JSON webhook),
and misbehaves on purpose, for the channel tests and bench/reliability.py.

Modes: `ok` (answers `status`, 200 by default), `slow` (reads the request, answers after
`delay` seconds), `drop` (reads the request, closes the connection without an answer),
`error` (answers 500 without keeping the request). A server that is down is a free port.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Request:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class HookServer:
    mode: str = "ok"
    status: int = 200
    delay: float = 2.0
    requests: list[Request] = field(default_factory=list)  # kept (all but `error`)

    def __post_init__(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                if server.mode == "error":
                    self.send_response(500)
                    self.end_headers()
                    return
                server.requests.append(Request(self.path, dict(self.headers.items()), body))
                if server.mode == "drop":
                    self.close_connection = True
                    self.connection.close()
                    return
                if server.mode == "slow":
                    time.sleep(server.delay)
                self.send_response(server.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def url(self, path: str = "/hook") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> HookServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> HookServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
