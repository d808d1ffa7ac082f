"""How fast each page of the app serves a crowd, against a bare Streamlit app in the same run.

Starts two servers on this machine (the app and `bench/bare_app.py`, both with the
repository's `.streamlit/config.toml`), opens SESSIONS websocket sessions at once on each page
and has each ask for ROUNDS script runs, one after another, the way a browser does. Prints, per
page, script runs per second and the median and 95th-percentile wait for one run, and the
ratios to the bare app. No timing is asserted anywhere: this is a measurement.

    .venv/bin/python bench/page_runs.py --sessions 50 --rounds 4

The whole benchmark (page views, fragment clicks, bursts, the workshop room, cold start,
against bare apps in the same run) is `.venv/bin/python -m bench` (bench/run.py).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from pathlib import Path

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from teamroles.navigation import HOME, site_pages  # noqa: E402
from teamroles.site import load_site  # noqa: E402
from tests.browser import streamlit_server  # noqa: E402


async def one_session(ws_url: str, page_name: str, rounds: int) -> list[float]:
    """Run the page `rounds` times in one session; the seconds each run took."""
    waits = []
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None) as ws:
        for _ in range(rounds):
            request = BackMsg()
            request.rerun_script.query_string = ""
            request.rerun_script.page_name = page_name
            started = time.perf_counter()
            await ws.send(request.SerializeToString())
            while True:
                message = ForwardMsg()
                message.ParseFromString(await ws.recv())
                if message.WhichOneof("type") == "script_finished":
                    break
            waits.append(time.perf_counter() - started)
    return waits


async def crowd(url: str, page_name: str, sessions: int, rounds: int) -> dict:
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    started = time.perf_counter()
    results = await asyncio.gather(
        *(one_session(ws_url, page_name, rounds) for _ in range(sessions))
    )
    elapsed = time.perf_counter() - started
    waits = sorted(wait for session in results for wait in session)
    return {
        "runs_per_s": len(waits) / elapsed,
        "median_ms": 1000 * statistics.median(waits),
        "p95_ms": 1000 * waits[int(0.95 * (len(waits) - 1))],
    }


def measure(app: str, page_names: list[str], sessions: int, rounds: int) -> dict[str, dict]:
    with streamlit_server(app=app) as url:
        asyncio.run(crowd(url, page_names[0], 2, 1))  # warm up imports and caches
        return {name: asyncio.run(crowd(url, name, sessions, rounds)) for name in page_names}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="sessions at once (default 50)")
    parser.add_argument("--rounds", type=int, default=4, help="runs per session (default 4)")
    parser.add_argument("--pages", nargs="*", help="URL paths to measure (default: every page)")
    args = parser.parse_args()

    bare = measure("bench/bare_app.py", [""], args.sessions, args.rounds)[""]
    pages = args.pages or [spec.url_path for spec in site_pages(load_site())]
    ours = measure("app.py", ["" if p == HOME else p for p in pages], args.sessions, args.rounds)

    print(f"{args.sessions} sessions x {args.rounds} runs each, on one server per app\n")
    print("| page | runs/s | median ms | p95 ms | runs/s vs bare | median vs bare |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    rows = [("(bare Streamlit app)", bare)] + [(name or "/", stats) for name, stats in ours.items()]
    for name, stats in rows:
        print(
            f"| {name} | {stats['runs_per_s']:.0f} | {stats['median_ms']:.0f} "
            f"| {stats['p95_ms']:.0f} | {stats['runs_per_s'] / bare['runs_per_s']:.2f} "
            f"| {stats['median_ms'] / bare['median_ms']:.2f} |"
        )


if __name__ == "__main__":
    main()
