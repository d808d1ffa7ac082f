"""A phone's first visit, in Chromium (issue 20): bytes on the wire and time to ready.

Each page is loaded in a new phone context (375x812, a mobile user agent: an empty
cache), optionally throttled through CDP's `Network.emulateNetworkConditions` (fast
3G: 1.6 Mbit/s down, 750 kbit/s up, 150 ms latency). The bytes are the sum of
`Network.loadingFinished` `encodedDataLength` (headers and body as sent, so after
compression), the time runs from `page.goto` until the page is usable: for `/join`
the nickname field can be typed in, for any other page the app's first run has
finished. The second visit is the same page opened again in the same context.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench.chromium import launch_chromium, phone_context, wait_for_app
from bench.measure import Table, close_all, ms
from bench.scenarios import Result, _room_quiz, database_env
from bench.scenarios import burst as open_at_once
from bench.server import run_server

APP, BARE = "app.py", "bench/bare_app.py"

FAST_3G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
}
NICKNAME = 'input[aria-label="Nickname"]'


@dataclass
class Transfer:
    url: str
    encoded: int  # bytes on the wire (headers included)
    encoding: str  # content-encoding ("" when none)
    kind: str  # CDP's resource type: Script, Stylesheet, Font, Document...


@dataclass
class Visit:
    path: str
    seconds: float
    transfers: list[Transfer] = field(default_factory=list)

    @property
    def bytes(self) -> int:
        return sum(t.encoded for t in self.transfers)

    def by_kind(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for t in self.transfers:
            kinds[t.kind] = kinds.get(t.kind, 0) + t.encoded
        return kinds


def _wait_ready(page, path: str, timeout: float) -> None:
    if path.startswith("join"):
        page.wait_for_selector(NICKNAME, state="visible", timeout=timeout)
        enabled = (
            f"() => {{ const e = document.querySelector({NICKNAME!r}); return e && !e.disabled; }}"
        )
        page.wait_for_function(enabled, timeout=timeout)
    wait_for_app(page, timeout=timeout)


def _load(context, url: str, path: str, throttled: bool, timeout: float) -> Visit:
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    if throttled:
        cdp.send("Network.emulateNetworkConditions", FAST_3G)
    responses: dict[str, tuple[str, str, str]] = {}
    transfers: list[Transfer] = []

    def on_response(event: dict) -> None:
        headers = {k.lower(): v for k, v in event["response"].get("headers", {}).items()}
        responses[event["requestId"]] = (
            event["response"]["url"],
            headers.get("content-encoding", ""),
            event.get("type", ""),
        )

    def on_finished(event: dict) -> None:
        url_, encoding, kind = responses.get(event["requestId"], ("?", "", "?"))
        transfers.append(Transfer(url_, int(event["encodedDataLength"]), encoding, kind))

    cdp.on("Network.responseReceived", on_response)
    cdp.on("Network.loadingFinished", on_finished)
    started = time.perf_counter()
    page.goto(f"{url}/{path}", timeout=timeout)
    _wait_ready(page, path, timeout)
    seconds = time.perf_counter() - started
    # requests still in flight when the page became ready are counted too
    page.wait_for_load_state("networkidle", timeout=timeout)
    visit = Visit(path, seconds, list(transfers))
    page.close()
    return visit


def first_visits(
    url: str, paths: list[str], *, throttled: bool, second: bool = False, timeout=120_000
) -> list[tuple[Visit, Visit | None]]:
    """Each path opened once in a new phone context; with `second`, then again in the
    same context (a second visit: a warm cache)."""
    found = []
    with launch_chromium() as chromium:
        for path in paths:
            context = phone_context(chromium)
            try:
                first = _load(context, url, path, throttled, timeout)
                again = _load(context, url, path, throttled, timeout) if second else None
            finally:
                context.close()
            found.append((first, again))
    return found


# ---------------------------------------------------------------- the bench scenario

PAGES = ["join?room={code}", "", "quiz"]  # the app's pages measured (issue 20)
KB = 1024  # the unit


async def _http_get_all(url: str, paths: list[str], accept: str) -> int:
    """GET each path in turn on one keep-alive connection, as a browser's first visit
    fetches the page's files; return the bytes received."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    received = 0
    try:
        for path in paths:
            writer.write(
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nAccept-Encoding: {accept}\r\n"
                "Connection: keep-alive\r\n\r\n".encode()
            )
            head = await reader.readuntil(b"\r\n\r\n")
            length = next(
                int(line.split(b":", 1)[1])
                for line in head.split(b"\r\n")
                if line.lower().startswith(b"content-length:")
            )
            received += len(head) + len(await reader.readexactly(length))
    finally:
        writer.close()
    return received


def _row(name: str, visits: dict, bare: dict | None) -> list[str]:
    plain, slow = visits[False], visits[True]
    cells = [
        name,
        f"{plain[0].bytes / KB:,.0f}",
        f"{slow[0].seconds:.1f}",
        f"{plain[0].seconds:.1f}",
    ]
    cells.append(f"{plain[1].bytes / KB:,.1f}")
    cells.append(f"{plain[0].bytes / bare[False][0].bytes:.2f}" if bare else "1.00")
    return cells


async def first_visit(n: int, throttle: bool = True) -> Result:
    """Issue 20: a phone's first visit, in Chromium, with and without compression, beside
    the bare app; and n phones opening the join link at once, with and without."""
    from teamroles.room import open_service

    metrics: dict[str, float] = {}
    notes: list[str] = []
    modes = [False, True] if throttle else [False]
    table = Table(
        "A phone's first visit (Chromium, 375x812, empty cache)",
        [
            "page",
            "KB on the wire",
            "s to ready, fast 3G",
            "s to ready, unthrottled",
            "second visit KB",
            "bytes vs bare",
        ],
        note="Fast 3G: CDP `Network.emulateNetworkConditions`, 1.6 Mbit/s down, 150 ms "
        "latency. Ready: the nickname field can be typed in (`/join`), else the first run "
        "has finished. KB of 1,024 bytes, CDP's `encodedDataLength` summed.",
    )
    burst = Table(
        f"{n} phones open the join link at once, first visits (files over HTTP, then the page)",
        ["server", "p50 ms", "p95 ms", "max ms", "errors", "MB sent", "server CPU s"],
        text_columns=1,
    )

    def visit_all(url: str, paths: list[str]) -> dict:
        return {slow: first_visits(url, paths, throttled=slow, second=not slow) for slow in modes}

    with run_server(BARE, name="bare") as server:
        found = await asyncio.to_thread(visit_all, server.url, [""])
        bare = {slow: found[slow][0] for slow in modes}
    if not throttle:
        bare[True] = bare[False]
    table.rows.append(_row("bare Streamlit app", bare, None))

    with tempfile.TemporaryDirectory() as folder:
        url, env = database_env(folder)
        service = open_service(url)
        created = service.create_room(_room_quiz(3).id, questions=3, max_participants=max(500, n))
        pages = [p.format(code=created.code) for p in PAGES]
        needed: list[str] = []
        for compressed in (False, True):
            label_ = "compressed" if compressed else "uncompressed (Streamlit as it is)"
            server_env = {
                **env,
                "TEAMROLES_COMPRESS": "1" if compressed else "0",
                "TEAMROLES_STATIC_CACHE": str(Path(folder) / "static-cache"),
            }
            with run_server(APP, name="app", env=server_env) as server:
                if compressed:
                    # The files are compressed on their first request, once (the host
                    # opens the app before the room does); timed apart from the visits.
                    warm = time.perf_counter()
                    await _http_get_all(server.url, needed, BROWSER_ACCEPT)
                    notes.append(
                        f"compressing the files of {len(pages)} pages on their first "
                        f"request (an empty cache folder): {time.perf_counter() - warm:.1f} s, "
                        "once"
                    )
                found = await asyncio.to_thread(visit_all, server.url, pages)
                needed = sorted(
                    {
                        urlsplit(t.url).path
                        for first, _ in found[False]
                        for t in first.transfers
                        if urlsplit(t.url).path.startswith("/static/")
                    }
                )
                if not throttle:
                    found[True] = found[False]
                for i, page in enumerate(PAGES):
                    visits = {slow: found[slow][i] for slow in (False, True)}
                    name = "/" + page.split("{")[0].rstrip("=")
                    table.rows.append(_row(f"`{name}` ({label_})", visits, bare))
                    key = {"join?room": "join", "": "home", "quiz": "quiz"}[name[1:]]
                    tag = "" if compressed else "_plain"
                    metrics[f"fv_{key}_kb{tag}"] = visits[False][0].bytes / KB
                    metrics[f"fv_{key}_fast3g{tag}"] = visits[True][0].seconds
                    metrics[f"fv_{key}_second_kb{tag}"] = visits[False][1].bytes / KB
                join_visit = found[False][0][0]
                files = [
                    urlsplit(t.url).path
                    for t in join_visit.transfers
                    if t.kind in {"Document", "Script", "Stylesheet", "Font"}
                ]
                query = f"room={created.code}"
                # warm: the files compressed (first request) and one page run
                await _http_get_all(server.url, files, BROWSER_ACCEPT)
                cpu = server.cpu_seconds()
                received: list[int] = []

                async def fetch_files(received=received, files=files) -> None:
                    received.append(await _http_get_all(server.url, files, BROWSER_ACCEPT))

                stats, sessions = await open_at_once(
                    server.url, n, "join", query, name="fv", before=fetch_files
                )
                sent = sum(received)
                cpu = server.cpu_seconds() - cpu
                await close_all(sessions)
                burst.rows.append(
                    [
                        label_,
                        ms(stats.p50),
                        ms(stats.p95),
                        ms(stats.max),
                        str(stats.errors),
                        f"{sent / 1e6:,.0f}",
                        f"{cpu:.1f}",
                    ]
                )
                metrics[f"fv_burst_p95{'' if compressed else '_plain'}"] = stats.p95
                metrics[f"fv_burst_cpu{'' if compressed else '_plain'}"] = cpu
                metrics[f"fv_burst_errors{'' if compressed else '_plain'}"] = stats.errors
        from teamroles.room.engines import close_services

        close_services()
    metrics["fv_bare_kb"] = bare[False][0].bytes / KB
    metrics["fv_n"] = n
    return Result(tables=[table, burst], metrics=metrics, notes=notes)


BROWSER_ACCEPT = "gzip, deflate, br, zstd"
