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

import time
from dataclasses import dataclass, field

from tests.browser import launch_chromium, phone_context, wait_for_app

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
