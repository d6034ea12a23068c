"""A small local web server for bundled sites (the demo, the tests and the benchmark).

It serves a folder of static files where a query string is part of the file name
(`viewtopic.php?t=3` → `viewtopic.php__t=3`), and a few test endpoints:
`/delay/SECONDS/PATH` (a slow page), `/hang/PATH` (a page that never answers: a download
timeout however late the client's timer fires), `/status/CODE/PATH` (an error page),
`/loop/PATH` (a redirect to `/loop2/PATH`, which redirects back: a redirect loop), a Discourse-like
`/…/t/ID/posts.json?post_ids[]=…` answered from `t/ID/posts_all.json`, and "variants":
`/SITE/PATH` is looked up in `SITE/<variant>/PATH` first (e.g. a second state of a forum).
"""

from __future__ import annotations

import json
import re
import select
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

_TYPES = {".json": "application/json", ".xml": "application/xml", ".txt": "text/plain"}
_DELAY = re.compile(r"^/delay/([\d.]+)(/.*)$")
_HANG = re.compile(r"^/hang/")
_STATUS = re.compile(r"^/status/(\d{3})(/.*)$")
_LOOP = re.compile(r"^/loop(2?)(/.*)$")
_POSTS = re.compile(r"^(.*)/t/(\d+)/posts\.json$")


def file_name(path: str, query: str) -> str:
    """The file a request maps to: the path, then `__` and the query when there is one."""
    name = unquote(path).lstrip("/")
    if not name or name.endswith("/"):
        name += "index.html"
    return f"{name}__{unquote(query)}" if query else name


class SiteServer:
    """Serve `root` on 127.0.0.1 (port 0: any free port) in a background thread."""

    def __init__(
        self, root: Path, port: int = 0, content_types: dict[str, str] | None = None
    ) -> None:
        self.root = root.resolve()
        # file (relative to root, POSIX) -> Content-Type, for pages not served as UTF-8 HTML
        self.content_types = dict(content_types or {})
        self.variant: str | None = None
        self.requests: list[str] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()  # releases the requests `/hang/` holds
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> SiteServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def requested(self, fragment: str) -> list[str]:
        with self.lock:
            return [r for r in self.requests if fragment in r]

    def resolve(self, path: str, query: str) -> Path | None:
        name = file_name(path, query)
        candidates = []
        if self.variant:
            site, _, rest = name.partition("/")
            candidates.append(self.root / site / self.variant / (rest or "index.html"))
        candidates.append(self.root / name)
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_relative_to(self.root) and resolved.is_file():
                return resolved
            if resolved.is_dir() and (resolved / "index.html").is_file():
                return resolved / "index.html"
        return None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: a crawl reuses its connections

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                with server.lock:
                    server.requests.append(self.path)
                parts = urlsplit(self.path)
                path, query = parts.path, parts.query
                if _HANG.match(path):
                    self.hang()
                    return
                delay = _DELAY.match(path)
                if delay:
                    time.sleep(float(delay.group(1)))
                    path = delay.group(2)
                loop = _LOOP.match(path)
                if loop:
                    self.send_response(302)
                    self.send_header(
                        "Location", f"/loop{'' if loop.group(1) else '2'}{loop.group(2)}"
                    )
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status = _STATUS.match(path)
                if status:
                    self.reply(int(status.group(1)), b"error page", "text/plain")
                    return
                posts = _POSTS.match(path)
                if posts and "post_ids" in query:
                    self.discourse_posts(posts.group(1), posts.group(2), query)
                    return
                found = server.resolve(path, query)
                if found is None:
                    self.reply(404, b"not found", "text/plain")
                    return
                base = found.name.split("__", 1)[0]
                kind = server.content_types.get(found.relative_to(server.root).as_posix()) or (
                    _TYPES.get(Path(base).suffix, "text/html; charset=utf-8")
                )
                self.reply(200, found.read_bytes(), kind)

            def hang(self) -> None:
                """Answer nothing until the client closes the connection (or the server stops).

                A delayed answer is no sure timeout: a client whose event loop stalls past the
                delay (a loaded machine) reads the answer before its timer fires."""
                self.close_connection = True
                while not server.stopping.is_set():
                    readable, _, _ = select.select([self.connection], [], [], 0.1)
                    try:
                        if readable and not self.connection.recv(4096):
                            return  # the client gave up
                    except OSError:  # reset by the client
                        return

            def discourse_posts(self, prefix: str, topic: str, query: str) -> None:
                found = server.resolve(f"{prefix}/t/{topic}/posts_all.json", "")
                if found is None:
                    self.reply(404, b"not found", "text/plain")
                    return
                wanted = {int(v) for v in parse_qs(query).get("post_ids[]", [])}
                posts = json.loads(found.read_text(encoding="utf-8"))
                body = {"post_stream": {"posts": [p for p in posts if p["id"] in wanted]}}
                self.reply(200, json.dumps(body).encode(), "application/json")

            def reply(self, code: int, body: bytes, kind: str) -> None:
                try:
                    self.send_response(code)
                    self.send_header("Content-Type", kind)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout)
                    return

        return Handler


def serve_demo_sites(root: Path) -> tuple[str, Callable[[], None]]:
    """Start the demo sites (written into `root` by `veille_demo.make_sites.build`) on a free
    local port: (base URL, a function that stops them)."""
    server = SiteServer(root).start()
    return server.base_url, server.stop
