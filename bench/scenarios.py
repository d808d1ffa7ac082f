"""The benchmark's scenarios (issue 9): each drives the app and a bare app in one run.

Every scenario is an async function taking its parameters and returning a `Result`:
tables to print and named metrics that `bench/run.py` checks against the targets.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import re
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench import push
from bench.measure import Stats, Table, close_all, connect_all, ms, num, percentile, ratio, wave
from bench.protocol import LoadError, Session
from bench.server import ROOT, CpuWindow, Server, run_server

APP = "app.py"
BARE = "bench/bare_app.py"
BARE_FRAGMENT = "bench/bare_fragment_app.py"
BARE_POLL = "bench/bare_poll_app.py"
PAUSE = 0.1  # between waves: a user never clicks twice within a millisecond
ANSWERED = re.compile(r"(\d+) of (\d+) \w+ answered")
QUESTION = re.compile(r"Question (\d+) of (\d+)")


@dataclass
class Result:
    tables: list[Table] = field(default_factory=list)
    metrics: dict[str, float] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


# The columns of every table that sets our rate beside the bare app's.
RATE_COLUMNS = ["runs/s", "p50 ms", "p95 ms", "max ms", "errors", "runs/s vs bare", "p50 vs bare"]


def app_pages() -> list[str]:
    """Every page's URL path in reading order ("" is the home page)."""
    from teamroles.content.site import load_site
    from teamroles.navigation import HOME, site_pages

    return ["" if spec.url_path == HOME else spec.url_path for spec in site_pages(load_site())]


def label(path: str) -> str:
    return f"/{path}"


def database_env(folder: str) -> tuple[str, dict[str, str]]:
    url = f"sqlite:///{Path(folder) / 'rooms.sqlite3'}"
    return url, {"TEAMROLES_DATABASE_URL": url}


async def open_all(sessions: Sequence[Session], path: str, query: str = "", batch: int = 20):
    """Open a page in every session, a batch at a time (not measured: a warm start)."""
    for i in range(0, len(sessions), batch):
        await asyncio.gather(*(s.open(path, query) for s in sessions[i : i + batch]))


# ---------------------------------------------------------------- (f) cold start


async def _first_page(server: Server, path: str = "") -> float:
    """Seconds from process start until a page's first run has finished."""
    async with Session(server.url, name="cold") as session:
        result = await session.open(path)
        if result.status != "ok" or session.errors:
            raise LoadError(f"{server.name}: the first page did not render: {session.errors}")
        return result.finished - server.started


def compile_bytecode() -> None:
    """Compile the app's modules as a first start would: Python keeps a module's
    bytecode in `__pycache__/` and reads it back on every later start, unless the
    machine sets PYTHONDONTWRITEBYTECODE (this one does), in which case every start
    compiles the app again (about 30 ms here). Streamlit's own bytecode was written
    when it was installed."""
    import compileall

    for folder in ("teamroles", "app_pages"):
        compileall.compile_dir(str(ROOT / folder), quiet=1)


async def cold_start(repeats: int) -> Result:
    """Each round starts the bare app, the app (home) and the app (/join) once, in turn,
    so that what else the machine does falls on all three alike; medians of the rounds."""
    compile_bytecode()
    plan = ((BARE, "bare", ""), (APP, "app", ""), (APP, "join", "join"))
    health: dict[str, list[float]] = {name: [] for _, name, _ in plan}
    first: dict[str, list[float]] = {name: [] for _, name, _ in plan}
    for _ in range(repeats):
        for app, name, path in plan:
            with tempfile.TemporaryDirectory() as folder:
                _, env = database_env(folder)
                with run_server(app, name=name, env=env) as server:
                    health[name].append(server.healthy_after)
                    first[name].append(await _first_page(server, path))
    rows, metrics = [], {}
    for _, name, _ in plan:
        metrics[f"cold_health_{name}"] = percentile(health[name], 0.5)
        metrics[f"cold_first_{name}"] = percentile(first[name], 0.5)
        rows.append(
            [
                "app, /join first" if name == "join" else name,
                ms(percentile(health[name], 0.5)),
                ms(percentile(first[name], 0.5)),
                ms(max(first[name])),
                ratio(percentile(first[name], 0.5), metrics["cold_first_bare"]),
            ]
        )
    metrics["cold_join_app"] = metrics.pop("cold_first_join")
    table = Table(
        "(f) Cold start",
        [
            "app",
            "start to health, ms",
            "start to first page, ms",
            "worst first page, ms",
            "first page vs bare",
        ],
        rows,
        note=f"Process start to `/_stcore/health` ok, and to the first page's first run "
        f"finished (the home page, or /join as a phone's first visit); median of {repeats} "
        "rounds, the three servers started in turn in each. The app's bytecode is compiled "
        "first, as a machine's first start does (this one sets PYTHONDONTWRITEBYTECODE).",
    )
    return Result([table], metrics)


# ---------------------------------------------------------------- (a) page views


async def _views_at(server: Server, pages: list[str], n: int, repeats: int):
    sessions = [Session(server.url, name=f"{server.name}-{n}-{i}") for i in range(n)]
    rss_before = server.rss_kb()
    try:
        await connect_all(sessions)
        await open_all(sessions, pages[0])
        per_page: dict[str, Stats] = {}
        for _ in range(repeats):
            for page in pages:
                stats = await wave(sessions, lambda s, page=page: s.goto(page))
                per_page.setdefault(page, Stats()).add(stats)
                await asyncio.sleep(PAUSE)
        rss_after = server.rss_kb()
    finally:
        await close_all(sessions)
    return per_page, rss_before, rss_after


async def page_views(
    counts: list[int], bare_repeats: int, default_repeats: int, default_max: int
) -> Result:
    pages = app_pages()
    results: dict[str, dict[int, dict[str, Stats]]] = {}
    memory: dict[str, dict[int, tuple[int, int]]] = {}
    plan = [
        ("bare", BARE, False, [""], bare_repeats),
        ("bare (Streamlit defaults)", BARE, True, [""], default_repeats),
        ("app", APP, False, pages, 1),
    ]
    for name, app, defaults, paths, repeats in plan:
        with tempfile.TemporaryDirectory() as folder:
            _, env = database_env(folder)
            with run_server(app, name=name, env=env, defaults=defaults) as server:
                await _views_at(server, paths, 2, 1)  # warm up imports and caches
                for n in counts:
                    if defaults and n > default_max:
                        continue  # Streamlit's defaults are slow: context, not the subject
                    # one session gets more rounds: its rate is one over its latency
                    rounds = repeats * (5 if n == 1 else 1)
                    per_page, before, after = await _views_at(server, paths, n, rounds)
                    results.setdefault(name, {})[n] = per_page
                    memory.setdefault(name, {})[n] = (before, after)
    tables, metrics = [], {}
    for n in counts:
        bare = results["bare"][n][""]
        default = results["bare (Streamlit defaults)"].get(n, {}).get("", Stats())
        table = Table(
            f"(a) Page views, {n} session{'s' if n > 1 else ''} at once",
            ["page", *RATE_COLUMNS],
            note="Each session views every page in turn; all sessions change page at the same "
            "moment. The bare app is measured on the same machine in the same run.",
        )
        table.rows.append(_view_row("bare app (repo config)", bare, bare))
        if default.count:
            table.rows.append(_view_row("bare app (Streamlit defaults)", default, bare))
        worst = None
        for page, stats in results["app"][n].items():
            table.rows.append(_view_row(label(page), stats, bare))
            share = stats.rate / bare.rate
            metrics[f"view_{n}_{page or 'home'}"] = share
            if worst is None or share < worst[0]:
                worst = (share, page)
        if n > 1:
            metrics[f"view_worst_{n}"], metrics[f"view_worst_page_{n}"] = worst
        tables.append(table)
    mem = Table(
        "(a) Server memory with every session connected",
        ["app", "sessions", "RSS before, MB", "RSS after, MB", "KB per session"],
    )
    for name in results:
        for n in counts:
            if n not in memory[name]:
                continue
            before, after = memory[name][n]
            per = (after - before) / n
            mem.rows.append([name, n, num(before / 1024, 1), num(after / 1024, 1), num(per)])
            metrics[f"kb_per_session_{name}_{n}"] = per
    tables.append(mem)
    metrics["view_errors"] = sum(
        stats.errors
        for by_n in results.values()
        for pages_ in by_n.values()
        for stats in pages_.values()
    )
    return Result(tables, metrics)


def _view_row(name: str, stats: Stats, bare: Stats) -> list[str]:
    return [
        name,
        num(stats.rate),
        ms(stats.p50),
        ms(stats.p95),
        ms(stats.max),
        str(stats.errors),
        ratio(stats.rate, bare.rate),
        ratio(stats.p50, bare.p50),
    ]


# ---------------------------------------------------------------- (b) fragment interactions


async def fragment_clicks(n: int, questions: int, bare_waves: int) -> Result:
    from teamroles.content.site import load_site

    site = load_site()
    quiz = site.quizzes[0]  # the picker's first choice
    found: dict[str, Stats] = {}
    unverified = 0

    def add(key: str, stats: Stats) -> None:
        found.setdefault(key, Stats()).add(stats)

    with run_server(BARE_FRAGMENT, name="bare fragment") as server:
        sessions = [Session(server.url, name=f"bf-{i}") for i in range(n)]
        try:
            await connect_all(sessions)
            await open_all(sessions, "")
            for _ in range(bare_waves):
                await asyncio.sleep(PAUSE)  # every wave, the first too, after a pause
                add("bare", await wave(sessions, lambda s: s.click("Click")))
        finally:
            await close_all(sessions)

    with tempfile.TemporaryDirectory() as folder:
        _, env = database_env(folder)
        with run_server(APP, name="app", env=env) as server:
            sessions = [Session(server.url, name=f"q-{i}") for i in range(n)]
            rng = random.Random(9)
            try:
                await connect_all(sessions)
                await open_all(sessions, "quiz")
                await asyncio.sleep(PAUSE)  # as before every wave
                add("quiz start", await wave(sessions, lambda s: s.click("Start the quiz")))
                for _ in range(questions):
                    await asyncio.sleep(PAUSE)
                    add(
                        "quiz answer",
                        await wave(sessions, lambda s: s.click(rng.choice(quiz.choices))),
                    )
                    unverified += sum(
                        not (s.has_text("Right:") or s.has_text("Not quite:")) for s in sessions
                    )
                    await asyncio.sleep(PAUSE)
                    add(
                        "quiz next question",
                        await wave(sessions, lambda s: s.click("Next question")),
                    )

                paced, paced_msgs = await _paced_quiz(server, quiz, questions=10)
                add("paced quiz answer (one session)", paced)
                stored, stored_msgs = await _paced_quiz(server, quiz, questions=10, store=True)
                add("paced quiz answer (one session, its browser store reported)", stored)

                if site.debt_figure is not None:
                    boxes = [box.label for box in site.debt_figure.boxes]
                    await open_all(sessions, "hidden-technical-debt")
                    for i in range(2):
                        await asyncio.sleep(PAUSE)
                        add(
                            "debt figure: toggle",
                            await wave(
                                sessions, lambda s: s.toggle("Colour the boxes by owning role")
                            ),
                        )
                        await asyncio.sleep(PAUSE)
                        add(
                            "debt figure: pick a box",
                            await wave(
                                sessions,
                                lambda s, i=i: s.choose(
                                    "Pick a part of the system", boxes[(i * 3) % len(boxes)]
                                ),
                            ),
                        )
                if site.workflow is not None:
                    await open_all(sessions, "journey")
                    for _ in range(3):
                        await asyncio.sleep(PAUSE)
                        add("journey: Next", await wave(sessions, lambda s: s.click("Next")))
            finally:
                await close_all(sessions)

    bare = found["bare"]
    table = Table(
        f"(b) Fragment interactions, {n} sessions at once",
        ["interaction", *RATE_COLUMNS],
        note="A click on a widget inside an `st.fragment` reruns only that fragment "
        "(`ClientState.fragment_id`). Bare: a title and one fragment holding a button.",
    )
    metrics = {}
    for key, stats in found.items():
        table.rows.append(
            _view_row("bare app: fragment button" if key == "bare" else key, stats, bare)
        )
        if key != "bare":
            metrics[f"fragment_{key}"] = stats.rate / bare.rate
    metrics.pop("fragment_paced quiz answer (one session)", None)
    metrics.pop("fragment_paced quiz answer (one session, its browser store reported)", None)
    metrics["paced_answer_p95"] = found["paced quiz answer (one session)"].p95
    metrics["paced_store_answer_p95"] = found[
        "paced quiz answer (one session, its browser store reported)"
    ].p95
    notes_paced = (
        f"paced quiz: one session answers at a reader's pace; {paced_msgs:.1f} messages "
        f"per answer from the server; {stored_msgs:.1f} once the browser store has reported "
        "(as in a browser: the progress store's `keep` then draws a component per answer)"
    )
    metrics["fragment_errors"] = sum(stats.errors for stats in found.values()) + unverified
    notes = [f"{unverified} quiz answers did not show a verdict"] if unverified else []
    notes.append(notes_paced)
    return Result([table], metrics, notes)


async def _report_store(session: Session) -> None:
    """What the browser's progress store does once per session (teamroles/ui/progress.py):
    `setStateValue("kept", {read: token, items: {}})` on its component (an empty store)."""
    for node in list(session.nodes.values()):
        element = node.element
        if node.kind == "bidi_component" and element.component_name == "teamroles.progress":
            data = json.loads(element.json or "{}")
            if data.get("read"):
                kept = json.dumps({"read": data["read"], "items": {}})
                session.values[element.id] = WidgetState(
                    id=element.id, json_value=json.dumps({"kept": kept})
                )
                await session._rerun("report", "progress", fragment_id=node.fragment_id)
                return
    raise LoadError("no progress store drawn")


async def _paced_quiz(
    server: Server, quiz, questions: int, store: bool = False
) -> tuple[Stats, float]:
    """One reader alone on the quiz: an answer, a pause, the next question. `store`: the
    browser store reports first, as it does in a browser (the load client does not)."""
    session = Session(server.url, name="paced")
    stats, messages = Stats(), []
    rng = random.Random(5)
    try:
        await session.open("quiz")
        if store:
            await _report_store(session)
        await session.click("Start the quiz")
        for _ in range(questions):
            await asyncio.sleep(0.3)
            before = session.messages
            started = time.perf_counter()
            result = await session.click(rng.choice(quiz.choices))
            stats.elapsed += time.perf_counter() - started
            if result.status == "ok":
                stats.latencies.append(result.latency)
                messages.append(session.messages - before)
            await asyncio.sleep(0.3)
            if not session.has_widget("Next question", "button"):
                break
            await session.click("Next question")
        stats.errors = len(session.errors)
    finally:
        await session.close()
    return stats, (sum(messages) / len(messages) if messages else float("nan"))


# ---------------------------------------------------------------- (d) bursts


async def burst(
    url: str,
    n: int,
    path: str,
    query: str = "",
    name: str = "b",
    before: Callable[[], Awaitable[object]] | None = None,
) -> tuple[Stats, list[Session]]:
    """n new tabs open a page at the same moment: connect, first run; seconds until each
    page has finished rendering, counted from before the connection (or from before
    `before`, what a tab does first: the first-visit scenario fetches the page's files)."""
    sessions = [Session(url, name=f"{name}-{i}") for i in range(n)]

    async def one(session: Session) -> float | None:
        started = time.perf_counter()
        try:
            if before is not None:
                await before()
            await session.connect()
            result = await session.open(path, query)
        except (LoadError, OSError, TimeoutError, EOFError, StopIteration):
            return None
        return result.finished - started if result.status == "ok" else None

    started = time.perf_counter()
    times = await asyncio.gather(*(one(s) for s in sessions))
    stats = Stats(elapsed=time.perf_counter() - started)
    stats.latencies = [t for t in times if t is not None]
    stats.errors = sum(t is None for t in times) + sum(len(s.errors) for s in sessions)
    return stats, sessions


def _room_quiz(questions: int):
    from teamroles.content.site import load_site

    quizzes = [quiz for quiz in load_site().quizzes if quiz.questions]
    return max(quizzes, key=lambda quiz: min(len(quiz.questions), questions))


def _stored_answers(service, code: str) -> dict[tuple[str, int], str]:
    from teamroles.room.store import answers, participants

    query = (
        sa.select(participants.c.nickname, answers.c.question_index, answers.c.choice)
        .join(participants, participants.c.id == answers.c.participant_id)
        .where(answers.c.room_code == code)
    )
    with service.engine.connect() as connection:
        return {(row.nickname, row.question_index): row.choice for row in connection.execute(query)}


async def bursts(n: int) -> Result:
    from teamroles.room import open_service

    found: dict[str, Stats] = {}
    metrics: dict[str, float] = {}
    notes: list[str] = []
    poll = None
    with run_server(BARE, name="bare") as server:
        _, warm_sessions = await burst(server.url, 2, "")
        await close_all(warm_sessions)
        found["bare: open the page"], sessions = await burst(server.url, n, "")
        await close_all(sessions)

    with tempfile.TemporaryDirectory() as folder:
        url, env = database_env(folder)
        service = open_service(url)
        quiz = _room_quiz(10)
        with run_server(APP, name="app", env=env) as server:
            _, warm_sessions = await burst(server.url, 2, "join", "")
            await close_all(warm_sessions)
            found["app: open the home page"], sessions = await burst(server.url, n, "")
            await close_all(sessions)
            created = service.create_room(quiz.id, questions=3, max_participants=max(500, n))
            query = f"room={created.code}"
            found["app: open the join link"], sessions = await burst(
                server.url, n, "join", query, name="j"
            )
            try:
                opened = [s for s in sessions if s.has_widget("Join", "button")]
                for i, session in enumerate(sessions):
                    if session in opened:
                        await session.type("Nickname", f"Burst {i:03d}")
                found["app: press Join (form submit)"] = await wave(
                    opened, lambda s: s.submit("Join")
                )
                joined = [s for s in sessions if "me=" in s.query_string]
                poll = next((iv for s in joined for iv, _ in s.timers.values()), None)
                listeners = [push.Listener(s).start() for s in joined]
                service.start(created.code, created.host_token)
                await asyncio.gather(
                    *(
                        s.wait_for_text(f"Question 1 of {quiz_len(service, created.code)}", 30)
                        for s in joined
                    )
                )
                acked: dict[tuple[str, int], str] = {}
                rng = random.Random(4)

                async def answer(s: Session, i: int):
                    choice = rng.choice(quiz.choices)
                    result = await s.click(choice)
                    if s.has_text("You answered"):
                        acked[(f"Burst {i:03d}", 0)] = choice
                    return result

                index = {id(s): i for i, s in enumerate(sessions)}
                found["app: room answer, all at once"] = await wave(
                    joined, lambda s: answer(s, index[id(s)])
                )
                stored = _stored_answers(service, created.code)
                lost = sum(stored.get(key) != choice for key, choice in acked.items())
                metrics["burst_answers_acked"] = len(acked)
                metrics["burst_answers_lost"] = lost
                metrics["burst_joined"] = len(joined)
                if len(joined) < n:
                    notes.append(f"only {len(joined)} of {n} joined in the join burst")
                await push.stop_all(listeners)
            finally:
                await close_all(sessions)
        from teamroles.room.engines import close_services

        close_services()

    poll = poll or _poll_seconds()
    with run_server(BARE_POLL, name="bare poll", env={"BENCH_POLL_SECONDS": str(poll)}) as server:
        found["bare poll app: open the page"], sessions = await burst(server.url, n, "")
        try:
            await asyncio.sleep(2 * poll)
            found["bare poll app: button in the polling fragment, all at once"] = await wave(
                sessions, lambda s: s.click("Click")
            )
        finally:
            await close_all(sessions)

    bare_open = found["bare: open the page"]
    table = Table(
        f"(d) Bursts: {n} tabs at the same moment",
        ["what", "count", "p50 ms", "p95 ms", "max ms", "runs/s", "errors", "p95 vs bare"],
        note="Open: a new tab connects and its page's first run finishes (timed from before "
        "the websocket connects). Join: the join form submitted by everyone at once. Answer: "
        "everyone taps an answer at the same moment, while every phone polls; the bare "
        f"counterpart is a bare app whose only fragment polls every {poll} s and holds a button.",
    )
    bare_click = found["bare poll app: button in the polling fragment, all at once"]
    for key, stats in found.items():
        base = bare_click if ("answer" in key or "button" in key) else bare_open
        compare = "" if "Join" in key else ratio(stats.p95, base.p95)
        table.rows.append(
            [
                key,
                stats.count,
                ms(stats.p50),
                ms(stats.p95),
                ms(stats.max),
                num(stats.rate),
                stats.errors,
                compare,
            ]
        )
    metrics["burst_n"] = n
    metrics["burst_join_p95"] = found["app: open the join link"].p95
    metrics["burst_home_p95"] = found["app: open the home page"].p95
    metrics["burst_bare_p95"] = bare_open.p95
    metrics["burst_room_answer_rate_share"] = (
        found["app: room answer, all at once"].rate
        / found["bare poll app: button in the polling fragment, all at once"].rate
    )
    metrics["burst_errors"] = sum(stats.errors for stats in found.values())
    return Result([table], metrics, notes)


def quiz_len(service, code: str) -> int:
    return service.state(code).total


def _poll_seconds() -> float:
    from teamroles.room import screens as workshop

    return float(workshop.PARTICIPANT_POLL_SECONDS)


# ---------------------------------------------------------------- (c) room and (e) waiting room


@dataclass
class RoomPlan:
    participants: int = 200
    join_seconds: float = 30.0
    lobby_seconds: float = 60.0
    questions: int = 10
    think: tuple[float, float] = (1.0, 10.0)
    reveal_pause: float = 0.5
    bare_lobby_seconds: float = 20.0
    answer_wait: float = 20.0  # the host reveals after everyone answered, or this long


@dataclass
class _Room:
    """What the participants and the host of one room saw and did."""

    n: int
    total: int = 0
    joined: int = 0
    tried: int = 0  # participants who joined or failed to
    all_tried: asyncio.Event = field(default_factory=asyncio.Event)
    join_page: list[float] = field(default_factory=list)
    join_submit: list[float] = field(default_factory=list)
    answers: list[float] = field(default_factory=list)  # send until script_finished
    answers_felt: list[float] = field(default_factory=list)  # click until script_finished
    acked: dict[tuple[str, int], str] = field(default_factory=dict)
    ack_times: dict[int, list[float]] = field(default_factory=dict)
    seen: dict[int, list[float]] = field(default_factory=dict)  # question -> seen times
    shown: dict[int, float] = field(default_factory=dict)  # question -> host click sent
    refused: int = 0
    missing_buttons: int = 0
    failed: int = 0
    host_counts: list[tuple[float, int, int]] = field(default_factory=list)  # t, q, count
    host_question: int = 0
    listeners: list = field(default_factory=list)  # bench/push.py, one per phone


def _nickname(i: int) -> str:
    return f"Player {i:03d}"


async def _participant(
    room: _Room, session: Session, code: str, i: int, plan: RoomPlan, choices, rng
) -> None:
    await asyncio.sleep(i * plan.join_seconds / room.n)
    nickname = _nickname(i)
    try:
        joined = await _join(room, session, code, nickname)
    finally:
        room.tried += 1
        if room.tried == room.n:
            room.all_tried.set()
    if not joined:
        return
    try:
        for k in range(1, room.total + 1):
            wait = plan.join_seconds + plan.lobby_seconds + 120 if k == 1 else 120
            seen = await session.wait_for_text(f"Question {k} of {room.total}", wait)
            room.seen.setdefault(k, []).append(seen)
            await asyncio.sleep(rng.uniform(*plan.think))
            choice = rng.choice(choices)
            if not session.has_widget(choice, "button"):
                room.missing_buttons += 1
                continue
            asked = time.perf_counter()
            result = await session.click(choice)
            if result.status != "ok":
                room.failed += 1
                continue
            room.answers.append(result.latency)
            room.answers_felt.append(result.finished - asked)
            if session.has_text("You answered"):
                room.acked[(nickname, k - 1)] = choice
                room.ack_times.setdefault(k, []).append(result.finished)
            else:
                room.refused += 1
    except LoadError:
        room.failed += 1


async def _join(room: _Room, session: Session, code: str, nickname: str) -> bool:
    try:
        started = time.perf_counter()
        await session.connect()
        opened = await session.open("join", f"room={code}")
        if opened.status != "ok":
            room.failed += 1
            return False
        room.join_page.append(opened.finished - started)
        await session.type("Nickname", nickname)
        joined = await session.submit("Join")
    except (LoadError, OSError, TimeoutError):
        room.failed += 1
        return False
    if joined.status != "ok" or "me=" not in session.query_string:
        room.failed += 1
        return False
    room.join_submit.append(joined.latency)
    room.joined += 1
    room.listeners.append(push.Listener(session).start())  # the screen's listener
    return True


async def _host(
    room: _Room,
    host: Session,
    participants: list[Session],
    server: Server,
    plan: RoomPlan,
    report: dict,
) -> None:
    """Wait for everyone, measure the lobby, then run every question."""
    await asyncio.wait_for(room.all_tried.wait(), plan.join_seconds + 120)
    report["join_done"] = time.perf_counter()
    people = "person" if room.joined == 1 else "people"
    await host.wait_for_text(f"{room.joined} {people} joined", 30)
    report["poll"] = next((iv for s in participants for iv, _ in s.timers.values()), None)
    runs0 = sum(s.runs_finished for s in participants)
    report["rss_lobby_start"] = server.rss_kb()
    window = CpuWindow(server)
    await asyncio.sleep(plan.lobby_seconds)
    report["lobby_cpu"] = window.share()
    report["lobby_runs_per_s"] = (
        sum(s.runs_finished for s in participants) - runs0
    ) / plan.lobby_seconds
    report["rss_lobby"] = server.rss_kb()
    questions = CpuWindow(server)
    started = time.perf_counter()
    runs0 = sum(s.runs_finished for s in participants) + host.runs_finished
    for k in range(1, room.total + 1):
        action = "Start" if k == 1 else "Next question"
        result = await host.click(action)
        room.shown[k] = result.sent
        everyone = f"{room.joined} of {room.joined} "
        with contextlib.suppress(LoadError):  # not everyone answered: reveal anyway
            await host.wait_for_text(everyone, plan.answer_wait)
        await host.click("Reveal answer")
        await asyncio.sleep(plan.reveal_pause)
    await host.click("Show the results")
    elapsed = time.perf_counter() - started
    report["questions_cpu"] = questions.share()
    report["questions_runs_per_s"] = (
        sum(s.runs_finished for s in participants) + host.runs_finished - runs0
    ) / elapsed
    report["rss_end"] = server.rss_kb()


def _host_listener(room: _Room):
    def listen(kind: str, text: str, when: float) -> None:
        if kind == "heading":
            match = QUESTION.search(text)
            if match:
                room.host_question = int(match.group(1))
        elif kind == "progress":
            match = ANSWERED.search(text)
            if match:
                room.host_counts.append((when, room.host_question, int(match.group(1))))

    return listen


def _host_lag(room: _Room) -> list[float]:
    """For the j-th answer acknowledged on question k: seconds until the host's screen
    counted at least j answers for k (0 if it already did)."""
    lags = []
    for k, times in room.ack_times.items():
        counts = [(t, c) for t, q, c in room.host_counts if q == k]
        for j, acked_at in enumerate(sorted(times), start=1):
            shown = next((t for t, c in counts if c >= j), None)
            if shown is None:
                lags.append(float("inf"))
            else:
                lags.append(max(0.0, shown - acked_at))
    return lags


async def room(plan: RoomPlan) -> Result:
    from teamroles.room import open_service
    from teamroles.room.engines import close_services

    n = plan.participants
    report: dict = {}
    quiz = _room_quiz(plan.questions)
    with tempfile.TemporaryDirectory() as folder:
        url, env = database_env(folder)
        service = open_service(url)
        created = service.create_room(
            quiz.id, questions=plan.questions, max_participants=max(500, n)
        )
        state = service.state(created.code)
        room_ = _Room(n=n, total=state.total)
        with run_server(APP, name="app", env=env) as server:
            warm = Session(server.url, name="warm")
            await warm.open("join", "")
            await warm.close()
            host = Session(server.url, name="host")
            host.text_listener = _host_listener(room_)
            await host.open("workshop", f"room={created.code}&host={created.host_token}")
            host_listener = push.Listener(host).start()
            report["rss_base"] = server.rss_kb()
            rng = random.Random(10)
            sessions = [Session(server.url, name=_nickname(i)) for i in range(n)]
            tasks = [
                asyncio.create_task(
                    _participant(
                        room_,
                        session,
                        created.code,
                        i,
                        plan,
                        state.choices,
                        random.Random(rng.random()),
                    )
                )
                for i, session in enumerate(sessions)
            ]
            started = time.perf_counter()
            try:
                await _host(room_, host, sessions, server, plan, report)
                await asyncio.wait_for(asyncio.gather(*tasks), plan.think[1] + 30)
            finally:
                for task in tasks:
                    task.cancel()
                await push.stop_all([*room_.listeners, host_listener])
                await close_all(sessions)
                host_errors = len(host.errors)
                await host.close()
            duration = time.perf_counter() - started
            stored = _stored_answers(service, created.code)
        close_services()

    poll = report.get("poll") or _poll_seconds()
    bare = await _bare_waiting_room(n, poll, plan.bare_lobby_seconds)

    lost = sum(stored.get(key) != choice for key, choice in room_.acked.items())
    unacked = sum(key not in room_.acked for key in stored)
    errors = sum(len(s.errors) for s in sessions) + host_errors + room_.failed
    lags = _host_lag(room_)
    first = [t - room_.shown[1] for t in room_.seen.get(1, [])]
    later = [t - room_.shown[k] for k, ts in room_.seen.items() if k > 1 for t in ts]
    per_session = (report["rss_lobby"] - report["rss_base"]) / max(room_.joined, 1)

    answers = Stats(latencies=room_.answers)
    felt = Stats(latencies=room_.answers_felt)
    room_table = Table(
        f"(c) Room: {n} participants join over {plan.join_seconds:.0f} s and answer "
        f"{room_.total} questions (think time {plan.think[0]:.0f}-{plan.think[1]:.0f} s)",
        ["what", "count", "p50 ms", "p95 ms", "max ms"],
        note=f"The host drives the real host page over the websocket; the room lasted "
        f"{duration:.0f} s. Answer: the tap's fragment rerun (send until script_finished); "
        "'as felt' also counts the wait for the phone's own poll when one was running.",
    )
    room_table.rows += [
        [
            "open the join link (connect + first run)",
            len(room_.join_page),
            *_three(Stats(latencies=room_.join_page)),
        ],
        ["press Join", len(room_.join_submit), *_three(Stats(latencies=room_.join_submit))],
        ["answer", answers.count, *_three(answers)],
        ["answer, as felt", felt.count, *_three(felt)],
        ["host's live count behind the answers", len(lags), *_three(Stats(latencies=lags))],
        [
            "next question reaches a phone (after Start: see (e))",
            len(later),
            *_three(Stats(latencies=later)),
        ],
    ]
    counts = Table(
        "(c) Room: correctness and load",
        ["what", "value"],
        [
            ["participants joined", f"{room_.joined} of {n}"],
            ["answers acknowledged on the phones", len(room_.acked)],
            ["answers in the database", len(stored)],
            ["acknowledged answers lost (not in the database, or another choice)", lost],
            ["answers stored but not acknowledged", unacked],
            ["answers refused by the app", room_.refused],
            ["questions shown without answer buttons", room_.missing_buttons],
            ["errors (exceptions, drops, timeouts, failed requests)", errors],
            ["server CPU while answering, share of one core", num(report["questions_cpu"], 2)],
            ["script runs per second while answering", num(report["questions_runs_per_s"])],
            ["server RSS at the end, MB", num(report["rss_end"] / 1024, 1)],
        ],
        text_columns=2,
    )
    waiting = Table(
        f"(e) Waiting room: {room_.joined} participants in the lobby for "
        f"{plan.lobby_seconds:.0f} s, then the host starts",
        ["what", "app", f"bare poll app ({poll} s)", "app vs bare"],
        note="CPU: the server process's utime+stime over the window divided by wall time "
        "(1.0 = one whole core). Start: from the host's click until each phone shows "
        "question 1. The bare poll app is a title and one fragment with `run_every` equal to "
        f"the app's poll interval, measured over {plan.bare_lobby_seconds:.0f} s.",
    )
    waiting.rows += [
        [
            "server CPU, share of one core",
            num(report["lobby_cpu"], 2),
            num(bare["cpu"], 2),
            ratio(report["lobby_cpu"], bare["cpu"]),
        ],
        [
            "script runs per second",
            num(report["lobby_runs_per_s"]),
            num(bare["runs_per_s"]),
            ratio(report["lobby_runs_per_s"], bare["runs_per_s"]),
        ],
        [
            "server RSS, MB",
            num(report["rss_lobby"] / 1024, 1),
            num(bare["rss"] / 1024, 1),
            ratio(report["rss_lobby"], bare["rss"]),
        ],
        [
            "KB per connected session",
            num(per_session),
            num(bare["kb_per_session"]),
            ratio(per_session, bare["kb_per_session"]),
        ],
        ["start reaches a phone: p50 ms", ms(percentile(first, 0.5)), "", ""],
        ["start reaches a phone: p95 ms", ms(percentile(first, 0.95)), "", ""],
        ["start reaches a phone: max ms", ms(max(first) if first else float("nan")), "", ""],
        ["phones that saw question 1", f"{len(first)} of {room_.joined}", "", ""],
    ]
    metrics = {
        "room_answer_p95": answers.p95,
        "room_errors": errors,
        "room_lost": lost,
        "room_joined": room_.joined,
        "room_host_lag_max": max(lags) if lags else float("nan"),
        "wait_cpu": report["lobby_cpu"],
        "wait_cpu_bare": bare["cpu"],
        "wait_start_p95": percentile(first, 0.95),
        "wait_start_max": max(first) if first else float("nan"),
        "wait_seen": len(first),
        "room_kb_per_session": per_session,
        "room_rss_mb": max(report["rss_lobby"], report["rss_end"]) / 1024,
    }
    return Result([room_table, counts, waiting], metrics)


def _three(stats: Stats) -> list[str]:
    return [ms(stats.p50), ms(stats.p95), ms(stats.max)]


async def _bare_waiting_room(n: int, poll: float, seconds: float) -> dict:
    with run_server(BARE_POLL, name="bare poll", env={"BENCH_POLL_SECONDS": str(poll)}) as server:
        sessions = [Session(server.url, name=f"bw-{i}") for i in range(n)]
        warm = Session(server.url, name="warm")
        await warm.open("")
        await warm.close()
        before = server.rss_kb()
        try:
            await connect_all(sessions)
            await open_all(sessions, "")
            await asyncio.sleep(2 * poll)
            runs0 = sum(s.runs_finished for s in sessions)
            window = CpuWindow(server)
            await asyncio.sleep(seconds)
            cpu = window.share()
            runs = (sum(s.runs_finished for s in sessions) - runs0) / seconds
            rss = server.rss_kb()
        finally:
            await close_all(sessions)
    return {"cpu": cpu, "runs_per_s": runs, "rss": rss, "kb_per_session": (rss - before) / n}
