"""Numbers from many sessions: percentiles, waves of simultaneous requests, tables."""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from bench.protocol import Interaction, Session


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (q in 0..1) of `values`; NaN when empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


@dataclass
class Stats:
    """Latencies (seconds) of many requests, their rate and their failures."""

    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0  # wall time the requests took, summed over waves
    errors: int = 0

    def add(self, other: Stats) -> Stats:
        self.latencies += other.latencies
        self.elapsed += other.elapsed
        self.errors += other.errors
        return self

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        """Requests answered per second of wall time."""
        return self.count / self.elapsed if self.elapsed > 0 else math.nan

    @property
    def p50(self) -> float:
        return percentile(self.latencies, 0.5)

    @property
    def p95(self) -> float:
        return percentile(self.latencies, 0.95)

    @property
    def max(self) -> float:
        return max(self.latencies) if self.latencies else math.nan


def error_count(sessions: Sequence[Session]) -> int:
    return sum(len(s.errors) for s in sessions)


async def wave(
    sessions: Sequence[Session], action: Callable[[Session], Awaitable[Interaction | None]]
) -> Stats:
    """Every session does `action` at the same moment; the latencies and the rate
    (requests per second from the first send to the last answer)."""
    before = error_count(sessions)
    started = time.perf_counter()
    results = await asyncio.gather(*(action(s) for s in sessions), return_exceptions=True)
    elapsed = time.perf_counter() - started
    stats = Stats(elapsed=elapsed)
    failed = 0
    for result in results:
        if isinstance(result, BaseException):
            failed += 1
        elif isinstance(result, Interaction):
            if result.status == "ok":
                stats.latencies.append(result.latency)
            elif result.status != "cancelled":
                failed += 1
    stats.errors = failed + error_count(sessions) - before
    return stats


async def connect_all(sessions: Sequence[Session], batch: int = 50) -> None:
    """Connect in batches (a browser tab connects before the user acts; not measured)."""
    for i in range(0, len(sessions), batch):
        await asyncio.gather(*(s.connect() for s in sessions[i : i + batch]))


async def close_all(sessions: Sequence[Session]) -> None:
    await asyncio.gather(*(s.close() for s in sessions), return_exceptions=True)


# ---------------------------------------------------------------- formatting


def ms(seconds: float) -> str:
    return "n/a" if seconds is None or math.isnan(seconds) else f"{1000 * seconds:.0f}"


def num(value: float, digits: int = 0) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.{digits}f}"


def ratio(ours: float, bare: float) -> str:
    if not bare or math.isnan(bare) or ours is None or math.isnan(ours):
        return "n/a"
    return f"{ours / bare:.2f}"


@dataclass
class Table:
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    text_columns: int = 1  # the first columns are text (left-aligned), the rest numbers

    def markdown(self) -> str:
        left = min(self.text_columns, len(self.headers))
        align = ["---"] * left + ["---:"] * (len(self.headers) - left)
        lines = [f"### {self.title}", ""]
        if self.note:
            lines += [self.note, ""]
        lines += [
            "| " + " | ".join(self.headers) + " |",
            "| " + " | ".join(align) + " |",
        ]
        lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in self.rows]
        return "\n".join(lines)
