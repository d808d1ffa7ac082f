"""Run the performance benchmark of issue 9 and write docs/performance.md.

    .venv/bin/python -m bench                 # everything (about 13 minutes on 2 cores)
    .venv/bin/python -m bench --quick         # every scenario, small numbers: a smoke run
    .venv/bin/python -m bench --only room     # one scenario (or several)

Scenarios: cold (f), pages (a), fragments (b), burst (d), room (c and e), push (h: the
room on push, issue 19: waiting phones, the fallback, 1,000 phones on one server and on
two behind nginx), and firstvisit
(issue 20: a phone's first visit in Chromium, bench/firstvisit.py). Each starts
its own servers (the app, and bare Streamlit apps from bench/ with the repository's
`.streamlit/config.toml`) on 127.0.0.1, drives them with simulated browser tabs
(`bench/protocol.py`), prints its tables, and the run ends with the issue's targets,
each measured value and whether it is met. A full run (no --only, no --quick) also
writes docs/performance.md, with bench/notes.md included verbatim.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import math
import os
import platform
import sys
import time
import traceback
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import firstvisit, protocol, pushroom, scenarios  # noqa: E402
from bench.measure import Table, ms, num  # noqa: E402

SCENARIOS = ("cold", "pages", "fragments", "burst", "room", "push", "firstvisit")
DOC = ROOT / "docs" / "performance.md"
NOTES = ROOT / "bench" / "notes.md"
COMMAND = ".venv/bin/python -m bench"


def plan(quick: bool) -> dict:
    if quick:
        return {
            "cold": {"repeats": 1},
            "pages": {
                "counts": [1, 5, 10],
                "bare_repeats": 2,
                "default_repeats": 1,
                "default_max": 10,
            },
            "fragments": {"n": 10, "questions": 2, "bare_waves": 3},
            "burst": {"n": 20},
            "room": {
                "plan": scenarios.RoomPlan(
                    participants=20,
                    join_seconds=5,
                    lobby_seconds=10,
                    questions=3,
                    think=(1.0, 3.0),
                    reveal_pause=0.5,
                    bare_lobby_seconds=5,
                    answer_wait=8,
                )
            },
            "push": {
                "plan": pushroom.PushPlan(
                    phones=20,
                    wait_seconds=10,
                    questions=2,
                    answer_spread=3,
                    bare_seconds=5,
                    fallback_seconds=6,
                    big=60,
                    big_wait_seconds=5,
                    networks=4,
                )
            },
            "firstvisit": {"n": 20, "throttle": False},
        }
    return {
        "cold": {"repeats": 5},
        "pages": {
            "counts": [1, 50, 100, 200],
            "bare_repeats": 3,
            "default_repeats": 1,
            "default_max": 50,
        },
        "fragments": {"n": 100, "questions": 3, "bare_waves": 5},
        "burst": {"n": 200},
        "room": {"plan": scenarios.RoomPlan()},
        "push": {"plan": pushroom.PushPlan()},
        "firstvisit": {"n": 200},
    }


RUNNERS = {
    "cold": lambda p: scenarios.cold_start(**p),
    "pages": lambda p: scenarios.page_views(**p),
    "fragments": lambda p: scenarios.fragment_clicks(**p),
    "burst": lambda p: scenarios.bursts(**p),
    "room": lambda p: scenarios.room(**p),
    "push": lambda p: pushroom.push_room(**p),
    "firstvisit": lambda p: firstvisit.first_visit(**p),
}


# ---------------------------------------------------------------- targets


def _fmt_share(value: float) -> str:
    return num(value, 2)


def targets(m: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) for every target of issue 9 this run measured."""
    rows: list[tuple[str, str, bool | None]] = []

    def add(name: str, key: str | tuple, show, test) -> None:
        keys = key if isinstance(key, tuple) else (key,)
        if not all(k in m for k in keys):
            return
        values = [m[k] for k in keys]
        if any(isinstance(v, float) and math.isnan(v) for v in values):
            rows.append((name, "not measured", False))
            return
        rows.append((name, show(*values), bool(test(*values))))

    push_targets(m, add)
    counts = sorted(
        int(k.rsplit("_", 1)[1]) for k in m if k.startswith("view_worst_") and "page" not in k
    )
    for n in counts:
        add(
            f"Any page view ({n} sessions): at least 0.25 of the bare app's rate",
            (f"view_worst_{n}", f"view_worst_page_{n}"),
            lambda v, page: f"{v:.2f} (/{page})",
            lambda v, page: v >= 0.25,
        )
        for page in ("home", "join"):
            add(
                f"/{'' if page == 'home' else page} page view ({n} sessions): at least 0.35",
                f"view_{n}_{page}",
                _fmt_share,
                lambda v: v >= 0.35,
            )
    for key in sorted(k for k in m if k.startswith("fragment_") and k != "fragment_errors"):
        what = key.removeprefix("fragment_")
        add(
            f"Fragment interaction '{what}': at least 0.6 of the bare app's rate",
            key,
            _fmt_share,
            lambda v: v >= 0.6,
        )
    add(
        "Room answer, everyone at once (burst): at least 0.6 of the bare poll app's rate",
        "burst_room_answer_rate_share",
        _fmt_share,
        lambda v: v >= 0.6,
    )
    n = int(m.get("burst_n", 200))
    add(
        f"{n} open the join link at once: p95 at most 1.0 s and at most twice the bare app's",
        ("burst_join_p95", "burst_bare_p95"),
        lambda v, b: f"{ms(v)} ms (bare {ms(b)} ms, {v / b:.2f}x)",
        lambda v, b: v <= 1.0 and v <= 2 * b,
    )
    add(
        f"{n} open the home page at once: p95 at most 1.5 s",
        "burst_home_p95",
        lambda v: f"{ms(v)} ms",
        lambda v: v <= 1.5,
    )
    add(
        "Room: p95 of a participant's answer at most 100 ms",
        "room_answer_p95",
        lambda v: f"{ms(v)} ms",
        lambda v: v <= 0.1,
    )
    add("Room: zero errors", "room_errors", lambda v: f"{v:.0f}", lambda v: v == 0)
    add("Room: zero answers lost", "room_lost", lambda v: f"{v:.0f}", lambda v: v == 0)
    add(
        "Room: the host's live count never more than 2 s behind",
        "room_host_lag_max",
        lambda v: f"{v:.2f} s" if math.isfinite(v) else "some answers never shown",
        lambda v: v <= 2.0,
    )
    add(
        "Waiting room: at most 25% of one core",
        ("wait_cpu", "wait_cpu_bare"),
        lambda v, b: f"{100 * v:.0f}% (bare poll app {100 * b:.0f}%)",
        lambda v, b: v <= 0.25,
    )
    add(
        "Waiting room: the host's next question reaches all within 2.5 s (p95)",
        ("wait_start_p95", "wait_start_max", "wait_seen", "room_joined"),
        lambda p95, worst, seen, joined: (
            f"p95 {ms(p95)} ms, max {ms(worst)} ms, {seen:.0f} of {joined:.0f} phones"
        ),
        lambda p95, worst, seen, joined: p95 <= 2.5 and seen == joined,
    )
    add(
        "At most 150 KB of server memory per connected session (room)",
        "room_kb_per_session",
        lambda v: f"{v:.0f} KB",
        lambda v: v <= 150,
    )
    views = [k for k in m if k.startswith("kb_per_session_app_")]
    if views:
        key = max(views, key=lambda k: int(k.rsplit("_", 1)[1]))
        add(
            f"At most 150 KB per connected session (page views, {key.rsplit('_', 1)[1]} sessions)",
            key,
            lambda v: f"{v:.0f} KB",
            lambda v: v <= 150,
        )
    add(
        f"At most 250 MB RSS with {m.get('room_joined', 200):.0f} sessions in a room",
        "room_rss_mb",
        lambda v: f"{v:.0f} MB",
        lambda v: v <= 250,
    )
    add(
        "/join, a phone's first visit: at most 1.0 MB on the wire (bare app beside it)",
        ("fv_join_kb", "fv_bare_kb"),
        lambda v, b: f"{v:,.0f} KB (bare {b:,.0f} KB)",
        lambda v, b: v <= 1024,
    )
    add(
        "/join, a phone's first visit on fast 3G: usable form within 7 s",
        "fv_join_fast3g",
        lambda v: f"{v:.1f} s",
        lambda v: v <= 7.0,
    )
    for page in ("home", "quiz"):
        add(
            f"/{'' if page == 'home' else page}, a phone's first visit: at most 1.2 MB",
            f"fv_{page}_kb",
            lambda v: f"{v:,.0f} KB",
            lambda v: v <= 1.2 * 1024,
        )
    add(
        "A second visit: at most 50 KB (worst page)",
        ("fv_join_second_kb", "fv_home_second_kb", "fv_quiz_second_kb"),
        lambda *v: f"{max(v):.1f} KB",
        lambda *v: max(v) <= 50,
    )
    add(
        f"{m.get('fv_n', 200):.0f} first visits to the join link at once: p95 no worse "
        "than uncompressed",
        ("fv_burst_p95", "fv_burst_p95_plain"),
        lambda v, p: f"{ms(v)} ms (uncompressed {ms(p)} ms)",
        lambda v, p: v <= p,
    )
    add(
        f"Server CPU for {m.get('fv_n', 200):.0f} first visits (reported)",
        ("fv_burst_cpu", "fv_burst_cpu_plain"),
        lambda v, p: f"{v:.1f} s (uncompressed {p:.1f} s)",
        lambda v, p: True,
    )
    add(
        "Cold start to the first rendered page: at most 1.5 times the bare app's",
        ("cold_first_app", "cold_first_bare"),
        lambda a, b: f"{ms(a)} ms vs {ms(b)} ms ({a / b:.2f}x)",
        lambda a, b: a <= 1.5 * b,
    )
    return rows


ROLE_PAGES = ("product-manager", "data-scientist", "dev-team", "qa")


def push_targets(m: dict, add) -> None:
    """Issue 19's targets (the room on push), and issue 9's ratios kept from slipping."""
    n = int(m.get("push_n", 200))
    add(
        f"19: {n} phones waiting 60 s: at most 5% of one core and 0.15x the bare poll app (2 s)",
        ("push_wait_cpu", "push_wait_cpu_bare", "push_wait_sent"),
        lambda v, b, sent: (
            f"{100 * v:.1f}% (bare poll app {100 * b:.0f}%, {v / b:.3f}x); {sent:.0f} requests sent"
        ),
        lambda v, b, sent: v <= 0.05 and v <= 0.15 * b,
    )
    add(
        f"19: next question on all {n} screens: p95 at most 1.5 s, max at most 2.5 s",
        ("push_next_p95", "push_next_max", "push_next_missed"),
        lambda p95, worst, missed: f"p95 {ms(p95)} ms, max {ms(worst)} ms, {missed:.0f} missed",
        lambda p95, worst, missed: p95 <= 1.5 and worst <= 2.5 and missed == 0,
    )
    add(
        f"19: {n} answers spread over 10 s: p95 at most 100 ms",
        "push_answer_p95",
        lambda v: f"{ms(v)} ms",
        lambda v: v <= 0.1,
    )
    add(
        "19: answers: 0 lost, 0 stored against another question (the database)",
        ("push_lost", "push_wrong", "push_answers"),
        lambda lost, wrong, count: f"{lost:.0f} lost, {wrong:.0f} wrong, of {count:.0f}",
        lambda lost, wrong, count: lost == 0 and wrong == 0 and count > 0,
    )
    add(
        "19: the host's answer count never more than 1 s behind",
        "push_host_lag_max",
        lambda v: f"{v:.2f} s" if math.isfinite(v) else "some answers never shown",
        lambda v: v <= 1.0,
    )
    big = int(m.get("big_n", 1000))
    add(
        f"19: {big} phones waiting on one server: at most 10% of one core, RSS at most 400 MB",
        ("big1_cpu", "big1_rss_mb", "big1_next_p95", "big1_next_max"),
        lambda v, rss, p95, worst: (
            f"{100 * v:.1f}%, {rss:.0f} MB; next question p95 {ms(p95)} ms, max {ms(worst)} ms"
        ),
        lambda v, rss, p95, worst: v <= 0.10 and rss <= 400,
    )
    add(
        f"19: {big} phones, two servers behind nginx: next question p95 below one server's",
        ("big2_next_p95", "big1_next_p95", "big2_next_max"),
        lambda two, one, worst: f"p95 {ms(two)} ms (one server {ms(one)} ms), max {ms(worst)} ms",
        lambda two, one, worst: two < one,
    )
    add(
        f"19: {n} phones on the fallback (route blocked): CPU and next question (reported)",
        ("fallback_cpu", "push_wait_cpu_bare", "fallback_runs", "fallback_next_p95"),
        lambda v, b, runs, p95: (
            f"{100 * v:.0f}% of a core ({v / b:.2f}x the bare poll app), {runs:.0f} runs/s, "
            f"next question p95 {ms(p95)} ms"
        ),
        lambda *v: True,
    )
    burst = int(m.get("burst_n", 200))
    add(
        f"19: {burst} open the join link at once: p95 at most 2x the bare app's",
        ("burst_join_p95", "burst_bare_p95"),
        lambda v, b: f"{ms(v)} ms (bare {ms(b)} ms, {v / b:.2f}x)",
        lambda v, b: v <= 2 * b,
    )
    add(
        "19: cold start to the first rendered join page: at most 1.5x the bare app's",
        ("cold_join_app", "cold_first_bare"),
        lambda a, b: f"{ms(a)} ms vs {ms(b)} ms ({a / b:.2f}x)",
        lambda a, b: a <= 1.5 * b,
    )
    counts = sorted(
        int(k.rsplit("_", 1)[1]) for k in m if k.startswith("view_worst_") and "page" not in k
    )
    if counts:
        top = counts[-1]
        add(
            f"9, kept: home page views ({top} sessions) at least 0.25x the bare app's rate",
            f"view_{top}_home",
            _fmt_share,
            lambda v: v >= 0.25,
        )
        keys = tuple(f"view_{top}_{page}" for page in ROLE_PAGES)
        add(
            f"9, kept: each role page ({top} sessions) at least 0.17x",
            keys,
            lambda *v: f"{min(v):.2f}-{max(v):.2f}",
            lambda *v: min(v) >= 0.17,
        )
    keys = tuple(f"fragment_quiz {what}" for what in ("start", "answer", "next question"))
    add(
        "9, kept: quiz clicks at least 0.43x the bare fragment app's rate",
        keys,
        lambda *v: f"{min(v):.2f}-{max(v):.2f}",
        lambda *v: min(v) >= 0.43,
    )
    add(
        "9, kept: the paced quiz (one session): answer p95 (reported; 58-68 ms two turns ago)",
        ("paced_answer_p95", "paced_store_answer_p95"),
        lambda v, s: f"{ms(v)} ms; {ms(s)} ms with the browser store reported",
        lambda v, s: True,
    )


def targets_table(rows) -> Table:
    table = Table("Targets", ["target", "measured", "met"], text_columns=3)
    for name, measured, met in rows:
        table.rows.append([name, measured, "met" if met else "NOT MET"])
    return table


# ---------------------------------------------------------------- the machine


def machine() -> dict[str, str]:
    model = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "cpus": str(os.cpu_count()),
        "model": model,
        "python": platform.python_version(),
        "streamlit": version("streamlit"),
        "plotly": version("plotly"),
        "sqlalchemy": version("sqlalchemy"),
        "websockets": version("websockets"),
        "system": f"{platform.system()} {platform.release()}",
    }


def write_doc(
    tables: list[Table], target_rows, info: dict, command: str, took: float, notes: list[str]
) -> None:
    written = NOTES.read_text(encoding="utf-8").strip() if NOTES.exists() else ""
    lines = [
        "# Performance",
        "",
        "Written by `bench/run.py` (the section on what made the difference comes from "
        "`bench/notes.md`); numbers come from this benchmark, never from timed tests.",
        "",
        "```bash",
        command,
        "```",
        "",
        f"- Date: {datetime.date.today().isoformat()}; the run took {took / 60:.1f} minutes.",
        f"- Machine: {info['cpus']} CPUs ({info['model']}), {info['system']}.",
        f"- Python {info['python']}, Streamlit {info['streamlit']}, Plotly {info['plotly']}, "
        f"SQLAlchemy {info['sqlalchemy']}, websockets {info['websockets']} (load generator).",
        "- Every scenario measures a bare Streamlit app in the same run, on the same machine, "
        "with the repository's `.streamlit/config.toml`; ratios are ours over the bare app's.",
        "",
        "## How it measures",
        "",
        "One websocket connection per simulated user speaks Streamlit's own protocol "
        "(`bench/protocol.py`): it opens pages, keeps the element tree and widget values, "
        "clicks buttons, picks options and submits forms by their labels, sends a click "
        "inside an `st.fragment` as a fragment rerun and answers `run_every` timers like a "
        "browser, with at most one request in flight per user. A latency is the time from "
        "sending a request until its run's `script_finished` (for a new tab, from before "
        "the connection). Runs per second: requests answered over the wall time from the "
        "first send to the last answer of a wave of simultaneous requests. Server CPU and "
        "memory come from `/proc/PID/stat` and `/proc/PID/status`; the load generator runs "
        "on the same machine (all script runs share one core, the GIL; the second core is "
        "left to the load generator).",
        "",
        targets_table(target_rows).markdown().replace("### Targets", "## Targets"),
        "",
    ]
    if written:
        lines += [written, ""]
    lines += ["## Results", ""]
    for table in tables:
        lines += [table.markdown(), ""]
    if notes:
        lines += ["Notes from this run:", ""] + [f"- {note}" for note in notes] + [""]
    DOC.write_text("\n".join(lines).rstrip() + "\n", encoding="utf-8")


# ---------------------------------------------------------------- main


async def run(selected: list[str], settings: dict) -> tuple[list[Table], dict, list[str]]:
    tables: list[Table] = []
    metrics: dict = {}
    notes: list[str] = []
    for name in selected:
        started, cpu = time.perf_counter(), time.process_time()
        print(f"== {name} ...", flush=True)
        try:
            result = await RUNNERS[name](settings[name])
        except Exception:  # one broken scenario must not hide the others' numbers
            traceback.print_exc()
            notes.append(f"scenario {name} failed: see the traceback above")
            print(f"\n(scenario {name} FAILED)\n", flush=True)
            continue
        took = time.perf_counter() - started
        load = (time.process_time() - cpu) / took
        result.notes.append(
            f"scenario {name}: {took:.0f} s; the load generator used {100 * load:.0f}% of one core"
        )
        for table in result.tables:
            print()
            print(table.markdown())
        print()
        for note in result.notes:
            print(f"note: {note}")
        print(flush=True)
        tables += result.tables
        metrics.update(result.metrics)
        notes += result.notes
    return tables, metrics, notes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", nargs="+", choices=SCENARIOS, help="run only these scenarios")
    parser.add_argument("--quick", action="store_true", help="small numbers: a smoke run")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    parser.add_argument(
        "--max-minutes", type=float, default=20, help="hard stop: no request after this"
    )
    args = parser.parse_args(argv)
    selected = [name for name in SCENARIOS if not args.only or name in args.only]
    protocol.set_deadline(args.max_minutes * 60)
    started = time.perf_counter()
    tables, metrics, notes = asyncio.run(run(selected, plan(args.quick)))
    took = time.perf_counter() - started
    rows = targets(metrics)
    print(targets_table(rows).markdown())
    for note in notes:
        print(f"note: {note}")
    if args.quick:
        print("\n(--quick: small numbers; the targets are for the full run)")
    print(f"\nTotal: {took:.0f} s")
    full = not args.only and not args.quick
    if full and not args.no_docs and not any("failed" in note for note in notes):
        write_doc(tables, rows, machine(), COMMAND, took, notes)
        print(f"Wrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
