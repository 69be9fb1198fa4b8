"""Name every fault a server or the network throws at a crawl, and count each under its own name.

The names (`fault/http_503`, `fault/timeout`, `fault/truncated`, `fault/redirect_loop`, …) are what
`newsarchive runs` shows as errors by kind and what the health rules' error rate is made of.
"""

from __future__ import annotations

from typing import Self

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet import defer, error
from twisted.web._newclient import ResponseFailed, ResponseNeverReceived

# Scrapy >= 2.15 wraps Twisted's errors in its own; older ones raise Twisted's: both are named here
BY_CLASS_NAME = {
    "DownloadTimeoutError": "timeout",
    "ResponseDataLossError": "truncated",
    "DownloadConnectionRefusedError": "connection_refused",
    "CannotResolveHostError": "dns",
}
TIMEOUTS = (error.TimeoutError, error.TCPTimedOutError, defer.TimeoutError)
RESETS = (error.ConnectionLost, error.ConnectionDone, ResponseNeverReceived, ConnectionResetError)
# magic numbers of files that are never a web page, whatever their name says
BINARY_MAGIC = (b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!", b"\x7fELF")


class RedirectLoop(IgnoreRequest):
    """A redirect leads back to a URL the request has already been through."""


def fault_name(exc: BaseException) -> str:
    """A short, stable name for why a request failed."""
    kind = type(exc).__name__
    if kind in BY_CLASS_NAME:
        return BY_CLASS_NAME[kind]
    if kind == "DownloadCancelledError" or isinstance(exc, defer.CancelledError):
        return "too_large" if "max size" in str(exc) else "cancelled"
    if kind == "DownloadFailedError":
        cause = exc.__cause__ or exc.__context__
        return fault_name(cause) if cause is not None else "connection_reset"
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}"
    if isinstance(exc, RedirectLoop):
        return "redirect_loop"
    if isinstance(exc, TIMEOUTS):
        return "timeout"
    if isinstance(exc, ResponseFailed):
        reasons = getattr(exc, "reasons", [])
        return "truncated" if any("DataLoss" in type(r.value).__name__ for r in reasons) else "connection_reset"
    if isinstance(exc, RESETS):
        return "connection_reset"
    if isinstance(exc, error.ConnectionRefusedError):
        return "connection_refused"
    if isinstance(exc, error.DNSLookupError):
        return "dns"
    return kind


def looks_binary(body: bytes) -> bool:
    """Tell whether a body is a binary file rather than text, from its first bytes."""
    head = body[:1024]
    return head.startswith(BINARY_MAGIC) or b"\x00" in head


class FaultMiddleware:
    """Downloader middleware: count every error status, exception, redirect loop and binary page by name."""

    def __init__(self, crawler: Crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if "kind" not in request.meta:
            return response  # robots.txt and the like: their middleware copes with their absence
        if response.status >= 400:
            self.stats.inc_value(f"fault/http_{response.status}")
        elif 300 <= response.status < 400 and self.loops(request, response):
            self.stats.inc_value("fault/redirect_loop")
            raise RedirectLoop(f"redirect loop at {request.url}")
        elif response.status == 200 and request.meta.get("kind") == "article" and looks_binary(response.body):
            self.stats.inc_value("fault/binary_body")
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if "kind" in request.meta and not isinstance(exception, IgnoreRequest):
            self.stats.inc_value(f"fault/{fault_name(exception)}")

    @staticmethod
    def loops(request: Request, response: Response) -> bool:
        location = response.headers.get("Location")
        if not location:
            return False
        target = response.urljoin(location.decode("latin-1"))
        return target == request.url or target in request.meta.get("redirect_urls", [])
