"""A real HTTP server on 127.0.0.1 for link tests: each path serves one case.

A route with an ETag or Last-Modified header answers a matching conditional GET
(If-None-Match / If-Modified-Since) with 304 and no body, as real servers do;
`responses` records the status of every answer.
"""

from __future__ import annotations

import gzip
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import brotli


@dataclass
class Route:
    status: int = 200
    body: bytes | Callable[[], Iterator[bytes]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers)))
        route = self.server.routes.get(self.path.split("?", 1)[0])
        if route is None:
            self.send_response(404)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(b"<html><body>Not here</body></html>")
            return
        if route.delay:
            time.sleep(route.delay)
        if route.status == 200 and _unchanged(route, self.headers):
            self.server.responses.append((self.path, 304))
            self.send_response(304)
            for name in ("ETag", "Last-Modified"):
                if name in route.headers:
                    self.send_header(name, route.headers[name])
            self.end_headers()
            return
        self.server.responses.append((self.path, route.status))
        self.send_response(route.status)
        for name, value in route.headers.items():
            self.send_header(name, value.replace("{port}", str(self.server.server_port)))
        try:
            if callable(route.body):
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for chunk in route.body():
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            else:
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
        except (BrokenPipeError, ConnectionResetError):
            pass


def _unchanged(route: Route, headers: object) -> bool:
    etag, modified = route.headers.get("ETag"), route.headers.get("Last-Modified")
    asked_etag = headers.get("If-None-Match")  # type: ignore[attr-defined]
    asked_modified = headers.get("If-Modified-Since")  # type: ignore[attr-defined]
    if etag and asked_etag:
        return asked_etag == etag
    return bool(modified and asked_modified == modified)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    routes: dict[str, Route]
    requests: list[tuple[str, dict[str, str]]]
    responses: list[tuple[str, int]]


class WebServer:
    """Serves `routes` on 127.0.0.1 in a thread; `url(path)` gives the address."""

    def __init__(self) -> None:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.routes = {}
        self._server.requests = []
        self._server.responses = []
        # A short poll interval: shutdown() waits up to one interval, and every test stops a server.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="test-web", daemon=True)

    def __enter__(self) -> WebServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    @property
    def port(self) -> int:
        return self._server.server_port

    @property
    def requests(self) -> list[tuple[str, dict[str, str]]]:
        return self._server.requests

    @property
    def responses(self) -> list[tuple[str, int]]:
        return self._server.responses

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def add(self, path: str, body: bytes | Callable[[], Iterator[bytes]] = b"", *, status: int = 200,
            content_type: str | None = "text/html; charset=utf-8", delay: float = 0.0, **headers: str) -> str:
        all_headers = {name.replace("_", "-"): value for name, value in headers.items()}
        if content_type:
            all_headers["Content-Type"] = content_type
        self._server.routes[path] = Route(status, body, all_headers, delay)
        return self.url(path)


def gzipped(data: bytes) -> bytes:
    return gzip.compress(data)


def deflated(data: bytes) -> bytes:
    return zlib.compress(data)


def brotlied(data: bytes) -> bytes:
    return brotli.compress(data)
