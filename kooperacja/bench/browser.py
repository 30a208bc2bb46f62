"""The benchmark's browser part: `streamlit run` on a copy of the warehouse, driven by headless Chromium."""

from __future__ import annotations

import base64
import contextlib
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from kooperacja.model.formatting import plural

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]
IDLE_JS = """() => {
  const app = document.querySelector("[data-testid='stApp']");
  const drawn = document.querySelector("[data-testid='stMain'] [data-testid='stElementContainer']");
  return !!(app && drawn && app.getAttribute('data-test-script-state') === 'notRunning');
}"""
PAGES = {"przeglad": "/", "gmina": "/gmina", "alerty": "/alerty"}
TOUR_USERS = {"admin": "admin", "animator": "animator1", "wzk": "wzk", "zarzad": "zarzad"}
PASSWORD = "demo"  # the demo users' password
QUIET_S = 1.0  # idle this long without another run: the page is done
REPEAT = 3


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _server_kb(pid: int, field: str) -> int:
    found = re.search(rf"{field}:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    return int(found.group(1)) if found else 0


def _reset_peak(pid: int) -> None:
    with contextlib.suppress(OSError):
        Path(f"/proc/{pid}/clear_refs").write_text("5")


def _start(db: Path, today: date, log: Path) -> tuple[subprocess.Popen, str]:
    port = _free_port()
    env = {**os.environ, "KOOPERACJA_DB": str(db), "KOOPERACJA_TODAY": today.isoformat()}
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.headless=true",
        f"--server.port={port}",
        "--server.address=127.0.0.1",
        "--browser.gatherUsageStats=false",
        "--server.fileWatcherType=none",
    ]
    with log.open("wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("streamlit did not become healthy")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def _wait_done(page: Any, start: float, timeout: float = 120) -> float:
    """Seconds from `start` to the last time the app became idle, once it has stayed idle QUIET_S."""
    idle_since = None
    while time.perf_counter() - start < timeout:
        if page.evaluate(IDLE_JS):
            now = time.perf_counter()
            idle_since = idle_since or now
            if now - idle_since >= QUIET_S:
                return idle_since - start
        else:
            idle_since = None
        page.wait_for_timeout(25)
    raise TimeoutError("the app did not become idle")


class _Bytes:
    """Bytes the browser received: HTTP bodies as sent on the wire, and websocket frames (decoded)."""

    def __init__(self, cdp: Any) -> None:
        self.http = self.ws = 0
        cdp.send("Network.enable")
        cdp.on("Network.dataReceived", self._data)
        cdp.on("Network.webSocketFrameReceived", self._frame)

    def _data(self, event: dict) -> None:
        self.http += event.get("encodedDataLength", 0)

    def _frame(self, event: dict) -> None:
        resp = event["response"]
        payload = resp.get("payloadData", "")
        self.ws += len(base64.b64decode(payload)) if resp.get("opcode") == 2 else len(payload.encode())

    def reset(self) -> None:
        self.http = self.ws = 0


def time_browser(db_path: str, today: date, say: Callable[[str], None] = print) -> dict[str, Any]:
    """Navigation-to-idle time and bytes received for the overview, a gmina and the alerts (as admin)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        return {"skipped": f"brak {CHROMIUM}"}
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "app.duckdb"
        shutil.copy(db_path, db)
        proc, url = _start(db, today, Path(tmp) / "streamlit.log")
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                try:
                    out = _measure(browser, proc, url, say)
                    out["tour"] = _tour(browser, proc, url, say)
                    return out
                finally:
                    browser.close()
        finally:
            _stop(proc)


def _measure(browser: Any, proc: subprocess.Popen, url: str, say: Callable[[str], None]) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="pl-PL")
    page = context.new_page()
    page.set_default_timeout(120_000)
    counter = _Bytes(context.new_cdp_session(page))
    start = time.perf_counter()
    page.goto(url)
    _wait_done(page, start)
    login_s = _login(page, "admin")
    out: dict[str, Any] = {"login_to_overview_ms": round(login_s * 1000), "pages": []}
    for name, path in PAGES.items():
        runs, sizes, ws_sizes, peaks = [], [], [], []
        for n in range(REPEAT + 1):  # the first visit fills the server's caches
            counter.reset()
            _reset_peak(proc.pid)
            start = time.perf_counter()
            page.goto(url + path)
            runs.append(_wait_done(page, start) * 1000)
            sizes.append(counter.http + counter.ws)
            ws_sizes.append(counter.ws)
            peaks.append(_server_kb(proc.pid, "VmHWM") / 1024)
            if n == 0 and name == "przeglad" and not page.locator(".js-plotly-plot").count():
                say("  uwaga: na przeglądzie nie ma wykresu plotly")
        out["pages"].append(
            {
                "page": name,
                "first_ms": round(runs[0]),
                "idle_ms": round(statistics.median(runs[1:])),
                "bytes": int(statistics.median(sizes[1:])),
                "ws_bytes": int(statistics.median(ws_sizes[1:])),
                "first_bytes": sizes[0],
                "server_peak_rss_mb": round(max(peaks), 1),
            }
        )
        b = out["pages"][-1]
        say(
            f"  przeglądarka {name:<8} {b['idle_ms']} ms (pierwszy raz {b['first_ms']} ms), "
            f"{b['bytes'] / 2**20:.2f} MB"
        )
    out["server_rss_mb"] = round(_server_kb(proc.pid, "VmRSS") / 1024, 1)
    context.close()
    return out


def _login(page: Any, username: str) -> float:
    """Log in on the open login page; seconds until the overview is idle."""
    page.get_by_label("Login", exact=True).fill(username)
    page.get_by_label("Hasło", exact=True).fill(PASSWORD)
    start = time.perf_counter()
    page.get_by_role("button", name="Zaloguj się").click()
    return _wait_done(page, start)


def _tour(browser: Any, proc: subprocess.Popen, url: str, say: Callable[[str], None]) -> dict[str, Any]:
    """Every page as every role, each in its own browser session: the served app's peak RSS over it all
    (VmHWM, not reset: the caches of every page and role are held at once)."""
    from kooperacja.model.access import PAGE_ROLES

    visits, start_all = [], time.perf_counter()
    _reset_peak(proc.pid)
    for role, username in TOUR_USERS.items():
        context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="pl-PL")
        page = context.new_page()
        page.set_default_timeout(120_000)
        start = time.perf_counter()
        page.goto(url)
        _wait_done(page, start)
        _login(page, username)
        for name, roles in PAGE_ROLES.items():
            if role not in roles:
                continue
            start = time.perf_counter()
            page.goto(url + ("/" if name == "przeglad" else f"/{name}"))
            idle = _wait_done(page, start)
            visits.append({"page": name, "role": role, "idle_ms": round(idle * 1000)})
        context.close()
    peak = round(_server_kb(proc.pid, "VmHWM") / 1024, 1)
    walked = plural(len(visits), "wizyta", "wizyty", "wizyt")
    say(f"  przeglądarka: {walked} (każda strona, każda rola), szczyt RSS serwera {peak} MB")
    return {
        "visits": visits,
        "server_peak_rss_mb": peak,
        "server_rss_mb": round(_server_kb(proc.pid, "VmRSS") / 1024, 1),
        "elapsed_s": round(time.perf_counter() - start_all, 1),
    }
