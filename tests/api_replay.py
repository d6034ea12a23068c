"""A local HTTP server replaying API answers from `routes.yaml` files (the API crawl tests).

Each route answers one kind of request with a status, headers and a body shaped as the API's
public documentation shows:

    - method: GET                      # default GET
      path: /api/v1/timelines/tag/lumino
      query: {limit: "40", max_id: null}   # these parameters with these values (null: absent)
      form: {grant_type: client_credentials}   # POST form fields (subset)
      json: {identifier: lumino.bsky.social}   # POST JSON body (subset)
      header: {Authorization: Bearer tok}      # request headers (exact values)
      variant: run2                    # only in this state of the server (default: any)
      times: 1                         # answers this many matching requests, then passes
      status: 200
      headers: {Link: '<{base}/…?max_id=2>; rel="next"', X-RateLimit-Reset: "{iso+300}"}
      body: tag_page1.json             # a file beside routes.yaml (or `text:` inline)

The first route that matches answers; unmatched requests get a 404 with a JSON error, so a
test sees what it did not expect. `{base}` is the server's URL, `{iso+N}` / `{epoch+N}` the
time N seconds from the request (ISO 8601 / Unix). Every request is logged with its time.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import yaml


@dataclass
class Seen:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def url(self) -> str:
        from urllib.parse import urlencode

        return self.path + ("?" + urlencode(self.query) if self.query else "")


@dataclass
class Route:
    spec: dict[str, Any]
    used: int = 0

    def matches(self, seen: Seen, variant: str | None) -> bool:
        s = self.spec
        if s.get("variant") and s["variant"] != variant:
            return False
        if s.get("method", "GET") != seen.method or s["path"] != seen.path:
            return False
        if "times" in s and self.used >= int(s["times"]):
            return False
        for key, value in (s.get("query") or {}).items():
            if value is None:
                if key in seen.query:
                    return False
            elif seen.query.get(key) != str(value):
                return False
        for key, value in (s.get("header") or {}).items():
            if seen.headers.get(key.lower()) != value:
                return False
        if "form" in s:
            form = {k: v[0] for k, v in parse_qs(seen.body.decode()).items()}
            if any(form.get(k) != str(v) for k, v in s["form"].items()):
                return False
        if "json" in s:
            try:
                data = json.loads(seen.body or b"null")
            except ValueError:
                return False
            if not isinstance(data, dict) or any(data.get(k) != v for k, v in s["json"].items()):
                return False
        return True


@dataclass
class ApiReplay:
    """Serve the routes of one folder (reload with `load`) on 127.0.0.1, port 0."""

    folder: Path
    variant: str | None = None
    routes: list[Route] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.load(self.folder)

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    def load(self, folder: Path, variant: str | None = None) -> ApiReplay:
        """Serve `folder`'s routes afresh (counts reset, log cleared)."""
        with self.lock:
            self.folder = folder
            self.variant = variant
            specs = yaml.safe_load((folder / "routes.yaml").read_text(encoding="utf-8"))
            self.routes = [Route(spec) for spec in specs]
            self.seen = []
        return self

    def start(self) -> ApiReplay:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def requests(self, fragment: str = "") -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if fragment in s.url]

    def fill(self, text: str, now: float) -> str:
        out = text.replace("{base}", self.base_url)
        while "{iso+" in out or "{epoch+" in out:
            start = out.find("{iso+") if "{iso+" in out else out.find("{epoch+")
            end = out.index("}", start)
            kind, seconds = out[start + 1 : end].split("+")
            moment = now + float(seconds)
            value = (
                datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")
                if kind == "iso"
                else str(int(moment))
            )
            out = out[:start] + value + out[end + 1 :]
        return out

    def answer(self, seen: Seen) -> tuple[int, dict[str, str], bytes]:
        with self.lock:
            self.seen.append(seen)
            route = next((r for r in self.routes if r.matches(seen, self.variant)), None)
            if route is None:
                body = json.dumps({"error": f"no route for {seen.method} {seen.url}"})
                return 404, {"Content-Type": "application/json"}, body.encode()
            route.used += 1
        spec = route.spec
        if "body" in spec:
            text = (self.folder / spec["body"]).read_text(encoding="utf-8")
        else:
            text = spec.get("text", "")
        headers = {"Content-Type": spec.get("content_type", "application/json; charset=utf-8")}
        for key, value in (spec.get("headers") or {}).items():
            headers[key] = self.fill(str(value), seen.at)
        return int(spec.get("status", 200)), headers, self.fill(text, seen.at).encode("utf-8")

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def _serve(self, method: str) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                seen = Seen(
                    method=method,
                    path=parts.path,
                    query={k: v[-1] for k, v in parse_qs(parts.query).items()},
                    headers={k.lower(): v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                    at=time.time(),
                )
                status, headers, body = replay.answer(seen)
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    return

            def do_GET(self) -> None:
                self._serve("GET")

            def do_POST(self) -> None:
                self._serve("POST")

        return Handler


def iso_utc(value: str) -> datetime:
    """An expected date of the fixtures' expected-values files, as an aware UTC datetime."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)
