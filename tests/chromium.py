"""Headless Chromium driven over the DevTools protocol on a pipe: load a page, listen, screenshot, ask the DOM.

No driver and no Python dependency: Chromium reads commands on fd 3 and answers on fd 4, one JSON
message per NUL-terminated record (--remote-debugging-pipe), the way Puppeteer talks to it.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-pipe",
)


def chromium_path() -> str | None:
    """The Chromium binary, as Debian's `chromium` package installs it."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium with one page; every event it sends is kept in `events`."""

    def __init__(self, profile: Path, timeout: float = 60):
        cmd_r, cmd_w = _high(os.pipe())
        out_r, out_w = _high(os.pipe())
        self.log = profile.with_name(profile.name + ".log")
        binary = chromium_path()
        assert binary, "chromium is not installed (make system installs it)"
        # bash (dash takes one-digit fds only) moves the pipe ends to fds 3 and 4, where Chromium expects them.
        script = f'exec "$0" "$@" 3<&{cmd_r} 4>&{out_w}'
        with self.log.open("wb") as err:
            self.proc = subprocess.Popen(
                ["bash", "-c", script, binary, *FLAGS, f"--user-data-dir={profile}"],
                pass_fds=(cmd_r, out_w),
                stdout=subprocess.DEVNULL,
                stderr=err,
            )
        os.close(cmd_r)
        os.close(out_w)
        self.writer, self.reader = cmd_w, out_r
        self.timeout, self.buffer, self.next_id = timeout, b"", 0
        self.events: list[dict[str, Any]] = []
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = self.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session=self.session)

    def call(self, method: str, params: dict[str, Any] | None = None, session: str | None = None) -> dict[str, Any]:
        """Sends one command and waits for its answer, keeping the events that arrive meanwhile."""
        self.next_id += 1
        message: dict[str, Any] = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        try:
            os.write(self.writer, json.dumps(message).encode() + b"\0")
        except BrokenPipeError:
            raise RuntimeError(f"Chromium has gone: {self._log_tail()}") from None
        while True:
            answer = self._receive()
            if answer.get("id") == message["id"]:
                if "error" in answer:
                    raise RuntimeError(f"{method}: {answer['error']}")
                return answer.get("result", {})

    def page(self, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
        """Sends a command to the page."""
        return self.call(method, params, self.session)

    def open(self, url: str, width: int = 1200) -> None:
        """Loads a URL at a desktop width and waits for its load event."""
        self.page(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
        )
        self.page("Page.navigate", {"url": url})
        while not any(e.get("method") == "Page.loadEventFired" for e in self.events):
            self._receive()

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (the test's own code, not the page's)."""
        return self.page("Runtime.evaluate", {"expression": expression, "returnByValue": True})["result"].get("value")

    def screenshot(self, clip: dict[str, float] | None = None) -> bytes:
        """A PNG of the whole page, or of one region of it."""
        params: dict[str, Any] = {"format": "png", "captureBeyondViewport": True}
        if clip is None:
            width, height = self.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]"
            )
            clip = {"x": 0, "y": 0, "width": width, "height": min(height, 16000)}
        params["clip"] = {**clip, "scale": 1}
        return base64.b64decode(self.page("Page.captureScreenshot", params)["data"])

    def console_errors(self) -> list[str]:
        """Console messages, uncaught exceptions, dialogs and error log entries (CSP violations, failed loads)."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.consoleAPICalled":
                out.append(f"console.{params['type']}: {[a.get('value') for a in params.get('args', [])]}")
            elif method == "Runtime.exceptionThrown":
                out.append(f"exception: {params['exceptionDetails'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                out.append(f"dialog: {params.get('message')}")
            elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
                out.append(f"log: {params['entry']['text']}")
        return out

    def requests(self) -> list[str]:
        """Every URL the page asked for."""
        return [e["params"]["request"]["url"] for e in self.events if e.get("method") == "Network.requestWillBeSent"]

    def close(self) -> None:
        """Closes the browser and reaps its process."""
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.writer)
        os.close(self.reader)

    def _log_tail(self) -> str:
        """The last lines Chromium wrote, for a failure message."""
        lines = self.log.read_text(errors="replace").splitlines() if self.log.exists() else []
        return " | ".join(line for line in lines if "dbus" not in line)[-600:]

    def _receive(self) -> dict[str, Any]:
        """Reads the next message; a dialog is answered at once so that it cannot block the page."""
        deadline = time.monotonic() + self.timeout
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.reader], [], [], left)[0]:
                raise TimeoutError(f"Chromium did not answer: {self._log_tail()}")
            chunk = os.read(self.reader, 1 << 20)
            if not chunk:
                raise RuntimeError(f"Chromium closed the pipe: {self._log_tail()}")
            self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        message = json.loads(raw)
        if "method" in message:
            self.events.append(message)
            if message["method"] == "Page.javascriptDialogOpening":
                self.next_id += 1
                reply = {"id": self.next_id, "method": "Page.handleJavaScriptDialog", "params": {"accept": True}}
                os.write(self.writer, json.dumps({**reply, "sessionId": self.session}).encode() + b"\0")
        return message


def _high(fds: tuple[int, int]) -> tuple[int, int]:
    """Moves a pipe's ends above fd 10, so that putting them on fds 3 and 4 cannot overwrite one with the other."""
    out = tuple(fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in fds)
    for fd in fds:
        os.close(fd)
    return out[0], out[1]
