"""Streamlit servers, started, timed, watched (CPU, memory) and stopped: the one launcher
of the benchmark and of the browser tests (`tests/browser.py` starts its servers here).

A server is `python -m streamlit run APP` on 127.0.0.1 and a free port, from the
repository root (so the repository's `.streamlit/config.toml` applies) or, for
Streamlit's default settings, from a temporary folder holding a copy of the app and
no `.streamlit/` at all. Its CPU time and memory come from `/proc/PID/stat` and
`/proc/PID/status`. Nothing here imports the tests or the app.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path(__file__).resolve().parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
HEALTH_TIMEOUT = 60.0


@dataclass
class Server:
    """A running server: its URL, process and when it was started."""

    name: str
    url: str
    process: subprocess.Popen
    started: float  # perf_counter just before the process was spawned
    healthy_after: float = 0.0  # seconds from start to /_stcore/health "ok"
    notes: dict = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server process has used so far."""
        stat = Path(f"/proc/{self.pid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2 :].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def rss_kb(self) -> int:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
        return 0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health(url: str) -> bool:
    with (
        contextlib.suppress(OSError),
        urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response,
    ):
        return response.read().decode().strip() == "ok"
    return False


@contextlib.contextmanager
def run_server(
    app: str,
    *,
    name: str | None = None,
    env: dict[str, str] | None = None,
    defaults: bool = False,
    args: list[str] | None = None,
    port: int | None = None,
) -> Iterator[Server]:
    """Start `streamlit run app`; yield the Server once healthy; stop it.

    `env` adds to (or overrides) the server's environment variables. `defaults=True`
    runs a copy of the (single-file) app from an empty temporary folder: Streamlit's
    default settings, none of the repository's config. `port` picks the port (a
    restart on the same address), else a free one."""
    port = port or free_port()
    environment = {**os.environ, **(env or {})}
    workdir = tempfile.mkdtemp(prefix="bench-server-")
    try:
        if defaults:
            target = Path(workdir) / Path(app).name
            shutil.copy(ROOT / app, target)
            script, cwd = str(target), workdir
            # a home folder of its own: no ~/.streamlit/config.toml either
            environment["HOME"] = workdir
        else:
            script, cwd = app, str(ROOT)
        command = [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            script,
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
            *(args or []),
        ]
        log_path = Path(workdir) / "server.log"
        with open(log_path, "wb") as log:
            started = time.perf_counter()
            process = subprocess.Popen(
                command, cwd=cwd, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
            url = f"http://127.0.0.1:{port}"
            server = Server(name or app, url, process, started)
            try:
                deadline = started + HEALTH_TIMEOUT
                while not _health(url):
                    if process.poll() is not None:
                        raise RuntimeError(
                            f"streamlit exited: {log_path.read_text(errors='replace')}"
                        )
                    if time.perf_counter() > deadline:
                        raise TimeoutError(f"{app} did not become healthy")
                    time.sleep(0.02)
                server.healthy_after = time.perf_counter() - started
                yield server
            finally:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


class CpuWindow:
    """The server's CPU share over a stretch of wall time (1.0 = one whole core)."""

    def __init__(self, server: Server):
        self.server = server
        self.cpu0 = server.cpu_seconds()
        self.wall0 = time.perf_counter()

    def share(self) -> float:
        wall = time.perf_counter() - self.wall0
        return (self.server.cpu_seconds() - self.cpu0) / wall if wall > 0 else 0.0


async def settle(server: Server, seconds: float = 0.5) -> None:
    """Give the server a moment with no load (after a burst, before a measurement)."""
    await asyncio.sleep(seconds)
