"""Running code on a thread of its own.

Playwright's sync API (the browser tests' session-wide Chromium, earlier in the same
pytest process) keeps an event loop running on the main thread. `asyncio.run` and a
second sync Playwright refuse to start there, so tests run them on a worker thread.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor


def on_own_thread(function, *args, **kwargs):
    """`function(*args, **kwargs)` on a fresh thread; its result, or its exception."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


def run_async(coroutine):
    """`asyncio.run(coroutine)` on a fresh thread, whatever loop this thread runs."""
    return on_own_thread(asyncio.run, coroutine)
