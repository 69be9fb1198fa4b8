"""Serve demo sites over real HTTP on 127.0.0.1, as a proxy that answers for their .test host names.

A crawler reaches the demo web the way it would go through any HTTP proxy (Scrapy's http_proxy),
so the archive records stable URLs such as http://www.dlzx.test/news/… whatever port the server
got, and robots.txt, redirects and allowed domains work per host as they do on the real web.
"""

from __future__ import annotations

import hashlib
import socket
import struct
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from crawler.demoweb.site import DemoSite, Page

NOT_FOUND = Page("<html><body><h1>404 页面不存在</h1></body></html>".encode(), "text/html; charset=utf-8", 404)


class DemoServer:
    """Demo sites behind one loopback port, with a log of what was asked of each host."""

    def __init__(self, sites: Mapping[str, DemoSite], host: str = "127.0.0.1"):
        self.by_host = {urlsplit(site.origin).netloc: site for site in sites.values()}
        self.bind = host
        self.log: list[tuple[str, str]] = []  # (host, path) of every request, for tests
        self.proxy = ""
        self._server: ThreadingHTTPServer | None = None

    def start(self, port: int = 0) -> str:
        """Bind (a free port unless given), serve in a thread, return the proxy URL to crawl through."""
        self._server = ThreadingHTTPServer((self.bind, port), self._handler())
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="demo-web", daemon=True).start()
        self.proxy = f"http://{self.bind}:{self._server.server_address[1]}"
        return self.proxy

    def stop(self) -> None:
        """Stop serving and free the port."""
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def requested(self, host: str) -> list[str]:
        """Paths that were asked of one host."""
        return [path for h, path in self.log if h == host]

    def answer(self, host: str, path: str) -> Page:
        """The page a host serves at a path."""
        site = self.by_host.get(host)
        return (site.get(path) if site else None) or NOT_FOUND

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keep-alive: a crawl makes thousands of requests
            disable_nagle_algorithm = True  # headers and body go out in two writes; do not wait 40 ms between them
            server_version = "DemoWeb/1.0"

            def do_GET(self) -> None:
                host, path = self._target()
                server.log.append((host, path))
                page = with_validators(server.answer(host, path))
                if page.status == 200 and not page.fault and not_modified(page, dict(self.headers)):
                    page = Page(b"", page.content_type, 304, page.headers)
                try:
                    self._send(page, head=False)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True  # the client gave up (a timeout, a page too large): fine

            def do_HEAD(self) -> None:
                self._send(server.answer(*self._target()), head=True)

            def _target(self) -> tuple[str, str]:
                # through a proxy the request line holds the absolute URL; directly, only the path
                parts = urlsplit(self.path)
                host = (parts.netloc or self.headers.get("Host", "")).lower().removesuffix(":80")
                return host, parts.path or "/"

            def _send(self, page: Page, head: bool) -> None:
                if page.fault.startswith("slow:"):
                    time.sleep(float(page.fault[5:]))  # this thread only: the server is threaded
                if page.fault == "reset":
                    self._reset()
                    return
                self.send_response(page.status)
                self.send_header("Content-Type", page.content_type)
                self.send_header("Content-Length", str(len(page.body)))
                for key, value in page.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if head:
                    return
                if page.fault == "truncate":
                    self.wfile.write(page.body[: len(page.body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(page.body)

            def _reset(self) -> None:
                """Close with a TCP reset (SO_LINGER 0), as a crashing server or a middlebox does."""
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()

            def log_message(self, format: str, *args: object) -> None:
                """Stay quiet: the crawl's own log says what was fetched."""

        return Handler


def with_validators(page: Page) -> Page:
    """Give every 200 answer an ETag (from its body), so feeds and sitemaps can be asked conditionally too."""
    if page.status != 200 or "ETag" in page.headers or page.fault:
        return page
    etag = '"' + hashlib.sha1(page.body).hexdigest()[:16] + '"'
    return Page(page.body, page.content_type, page.status, {**page.headers, "ETag": etag})


def not_modified(page: Page, request_headers: Mapping[str, str]) -> bool:
    """RFC 9110 conditional GET: If-None-Match decides when sent; else If-Modified-Since against Last-Modified."""
    if_none_match = request_headers.get("If-None-Match")
    if if_none_match is not None:
        return page.headers.get("ETag") in [tag.strip() for tag in if_none_match.split(",")]
    since, modified = request_headers.get("If-Modified-Since"), page.headers.get("Last-Modified")
    if not since or not modified:
        return False
    try:
        return parsedate_to_datetime(modified) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


@contextmanager
def serving(sites: Mapping[str, DemoSite]) -> Iterator[DemoServer]:
    """Serve sites for the length of a with-block."""
    server = DemoServer(sites)
    server.start()
    try:
        yield server
    finally:
        server.stop()
