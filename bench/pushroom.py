"""The room on push (issue 19): phones that wait on the listener, beside the bare poll app.

One scenario, `push`, in parts, each with servers of its own, all in one run:
- the bare poll app (a fragment with `run_every` = 2 s) with N sessions: its CPU;
- the app on SQLite with N phones in a room, each playing the listener
  (bench/push.py) and a host on the host page: a wait (CPU, what the phones sent),
  then questions: the next question reaching every screen, N answers spread over
  a few seconds (latency, then the database: none lost, none against another
  question), the host's live count behind them;
- the same server, a second room whose N phones cannot reach the route (the
  listener's fallback: a trigger every 2 s): its CPU and runs, and the next question;
- a fresh server with `big` phones waiting: CPU, RSS, the next question;
- two servers on PostgreSQL behind nginx (the shipped config, bench/cluster.py),
  `big` phones coming from many /24 networks of loopback (127.0.K.1), so that
  `ip_hash` spreads them: the next question, each process's CPU.

Phones join through the service (the join form is measured by the burst and room
scenarios) and open their own link, `/join?room=CODE&me=TOKEN`, as a phone does.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bench import push
from bench.measure import Stats, Table, close_all, ms, num, percentile, ratio
from bench.protocol import LoadError, Session
from bench.scenarios import (
    APP,
    Result,
    _bare_waiting_room,
    _host_lag,
    _host_listener,
    _Room,
    _room_quiz,
    _stored_answers,
    database_env,
)
from bench.server import CLOCK_TICKS, CpuWindow, Server, run_server
from teamroles.room.broker import MAX_PER_ROOM

PHONE_POLL = 2.0  # the bare poll app's interval: the phones' old timer, the fallback's


@dataclass
class PushPlan:
    phones: int = 200
    wait_seconds: float = 60.0
    questions: int = 3
    answer_spread: float = 10.0
    bare_seconds: float = 30.0
    fallback_seconds: float = 30.0
    big: int = 1000
    big_wait_seconds: float = 30.0
    networks: int = 16  # source /24s of loopback for the proxied phones
    cluster: bool = True


@dataclass
class Phone:
    session: Session
    listener: push.Listener
    nickname: str


def _pid_cpu(pid: int) -> float:
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                stat = (entry / "stat").read_text()
                if int(stat[stat.rindex(")") + 2 :].split()[1]) == pid:
                    found.append(int(entry.name))
    return found


class PidsCpu:
    """CPU share (1.0 = one core) of a set of processes over a window."""

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.cpu0 = self._cpu()
        self.wall0 = time.perf_counter()
        self.load0 = time.process_time()

    def _cpu(self) -> float:
        total = 0.0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                total += _pid_cpu(pid)
        return total

    def share(self) -> float:
        return (self._cpu() - self.cpu0) / (time.perf_counter() - self.wall0)

    def load_share(self) -> float:
        """The load generator's own share over the same window."""
        return (time.process_time() - self.load0) / (time.perf_counter() - self.wall0)


def _local(i: int, networks: int) -> tuple[str, int] | None:
    return (f"127.0.{1 + i % networks}.1", 0) if networks else None


async def phones_in_room(
    url: str,
    service,
    code: str,
    n: int,
    *,
    prefix: str,
    blocked: bool = False,
    networks: int = 0,
    batch: int = 25,
) -> list[Phone]:
    """n people join room `code` and open their own link; each plays its listener."""
    joined = [service.join(code, f"{prefix} {i:04d}") for i in range(n)]
    phones: list[Phone] = []

    async def one(i: int) -> Phone:
        local = _local(i, networks)
        session = Session(url, name=joined[i].nickname, local_addr=local)
        opened = await session.open("join", f"room={code}&me={joined[i].token}")
        if opened.status != "ok":
            raise LoadError(f"{session.name}: the phone's page did not open")
        listener = push.Listener(session, blocked=blocked, local_addr=local).start()
        return Phone(session, listener, joined[i].nickname)

    for start in range(0, n, batch):
        phones += await asyncio.gather(*(one(i) for i in range(start, min(n, start + batch))))
    return phones


async def close_phones(phones: list[Phone]) -> None:
    await push.stop_all([p.listener for p in phones])
    await close_all([p.session for p in phones])


async def next_question(host: Session, phones: list[Phone], k: int, total: int) -> list[float]:
    """The host moves on (Start, or Next question); seconds until each phone shows
    question k (from the host's click sent); inf for a phone that never did."""
    action = "Start" if k == 1 else "Next question"
    result = await host.click(action)
    if result.status != "ok":
        raise LoadError(f"the host's {action} failed: {result.status}")

    async def seen(phone: Phone) -> float:
        try:
            return await phone.session.wait_for_text(f"Question {k} of {total}", 60) - result.sent
        except LoadError:
            return float("inf")

    return list(await asyncio.gather(*(seen(p) for p in phones)))


async def answers_spread(
    room: _Room, phones: list[Phone], k: int, choices, spread: float, rng: random.Random
) -> None:
    """Each phone taps an answer at a random moment within `spread` seconds."""

    async def one(phone: Phone, delay: float, choice: str) -> None:
        await asyncio.sleep(delay)
        if not phone.session.has_widget(choice, "button"):
            room.missing_buttons += 1
            return
        try:
            result = await phone.session.click(choice)
        except LoadError:
            room.failed += 1
            return
        if result.status != "ok":
            room.failed += 1
            return
        room.answers.append(result.latency)
        if phone.session.has_text("You answered"):
            room.acked[(phone.nickname, k - 1)] = choice
            room.ack_times.setdefault(k, []).append(result.finished)
        else:
            room.refused += 1

    plan = [(p, rng.uniform(0, spread), rng.choice(choices)) for p in phones]
    await asyncio.gather(*(one(*item) for item in plan))


def _sent(phones: list[Phone]) -> int:
    return sum(len(p.session.interactions) for p in phones)


def _finite(values: list[float]) -> list[float]:
    return [v for v in values if v != float("inf")]


async def _open_host(url: str, code: str, token: str, room: _Room | None = None, local=None):
    host = Session(url, name="host", local_addr=local)
    if room is not None:
        host.text_listener = _host_listener(room)
    await host.open("workshop", f"room={code}&host={token}")
    return host, push.Listener(host, local_addr=local).start()


# ---------------------------------------------------------------- the parts


async def _room_on_push(plan: PushPlan, report: dict) -> None:
    """N phones on one server (SQLite): wait, questions, answers; then the fallback."""
    from teamroles.room import open_service
    from teamroles.room.engines import close_services

    n = plan.phones
    quiz = _room_quiz(plan.questions)
    with tempfile.TemporaryDirectory() as folder:
        url, env = database_env(folder)
        service = open_service(url)
        created = service.create_room(quiz.id, questions=plan.questions, max_participants=n)
        state = service.state(created.code)
        room = _Room(n=n, total=state.total)
        with run_server(APP, name="app", env=env) as server:
            warm = Session(server.url, name="warm")
            await warm.open("join", "")
            await warm.close()
            host, host_listener = await _open_host(
                server.url, created.code, created.host_token, room
            )
            phones = await phones_in_room(server.url, service, created.code, n, prefix="Phone")
            try:
                with contextlib.suppress(LoadError):
                    await host.wait_for_text(f"{n} people joined", 30)
                await asyncio.sleep(3)  # the last opens settle
                sent0, polls0 = _sent(phones), sum(p.listener.polls for p in phones)
                window = CpuWindow(server)
                await asyncio.sleep(plan.wait_seconds)
                report["wait_cpu"] = window.share()
                report["wait_sent"] = _sent(phones) - sent0
                report["wait_polls"] = sum(p.listener.polls for p in phones) - polls0
                report["wait_rss"] = server.rss_kb()
                rng = random.Random(19)
                nexts, cpu_q = [], CpuWindow(server)
                for k in range(1, room.total + 1):
                    nexts += await next_question(host, phones, k, room.total)
                    await answers_spread(room, phones, k, state.choices, plan.answer_spread, rng)
                    with contextlib.suppress(LoadError):
                        await host.wait_for_text(f"{n} of {n} ", 10)
                    await host.click("Reveal answer")
                    await asyncio.sleep(0.5)
                report["questions_cpu"] = cpu_q.share()
                report["next"] = nexts
                report["errors"] = sum(len(p.session.errors) for p in phones) + len(host.errors)
                report["fallback_fired_in_push"] = sum(p.listener.fired["fallback"] for p in phones)
            finally:
                await close_phones(phones)
                await host_listener.stop()
                await host.close()
            stored = _stored_answers(service, created.code)

            # The fallback: a second room whose phones cannot reach the route.
            created2 = service.create_room(quiz.id, questions=1, max_participants=n)
            host, host_listener = await _open_host(server.url, created2.code, created2.host_token)
            phones = await phones_in_room(
                server.url, service, created2.code, n, prefix="Blocked", blocked=True
            )
            try:
                await asyncio.sleep(5)  # two failures, then the timed triggers
                runs0 = sum(p.session.runs_finished for p in phones)
                window = CpuWindow(server)
                await asyncio.sleep(plan.fallback_seconds)
                report["fallback_cpu"] = window.share()
                report["fallback_runs"] = (
                    sum(p.session.runs_finished for p in phones) - runs0
                ) / plan.fallback_seconds
                report["fallback_mode"] = sum(p.listener.mode == "fallback" for p in phones)
                total2 = service.state(created2.code).total
                report["fallback_next"] = await next_question(host, phones, 1, total2)
            finally:
                await close_phones(phones)
                await host_listener.stop()
                await host.close()
        close_services()
    report["room"] = room
    report["stored"] = stored
    report["lags"] = _host_lag(room)


async def _big_one_server(plan: PushPlan, report: dict) -> None:
    from teamroles.room import open_service
    from teamroles.room.engines import close_services

    quiz = _room_quiz(2)
    with tempfile.TemporaryDirectory() as folder:
        url, env = database_env(folder)
        service = open_service(url)
        created = service.create_room(quiz.id, questions=2, max_participants=plan.big)
        with run_server(APP, name="app", env=env) as server:
            host, host_listener = await _open_host(server.url, created.code, created.host_token)
            rss0 = server.rss_kb()
            opened = time.perf_counter()
            phones = await phones_in_room(
                server.url, service, created.code, plan.big, prefix="Big", batch=50
            )
            report["big1_open_s"] = time.perf_counter() - opened
            try:
                await asyncio.sleep(5)
                sent0 = _sent(phones)
                window = PidsCpu([server.pid])
                await asyncio.sleep(plan.big_wait_seconds)
                report["big1_cpu"] = window.share()
                report["big1_load"] = window.load_share()
                report["big1_sent"] = _sent(phones) - sent0
                report["big1_fallback"] = sum(p.listener.mode == "fallback" for p in phones)
                report["big1_fallback_fired"] = sum(p.listener.fired["fallback"] for p in phones)
                report["big1_rss"] = server.rss_kb()
                report["big1_rss0"] = rss0
                total = service.state(created.code).total
                cpu = PidsCpu([server.pid])
                report["big1_next"] = await next_question(host, phones, 1, total)
                report["big1_next_cpu_s"] = cpu.share() * (time.perf_counter() - cpu.wall0)
            finally:
                await close_phones(phones)
                await host_listener.stop()
                await host.close()
        close_services()


_LOG = re.compile(r'^(\S+) "GET /rooms/\S+ [^"]*" \d+ upstream=\S+:(\d+)')


async def _big_two_servers(plan: PushPlan, report: dict) -> None:
    from bench import cluster
    from bench.server import free_port
    from teamroles.room import open_service
    from teamroles.room.engines import close_services

    quiz = _room_quiz(2)
    with cluster.postgres_schema() as url, contextlib.ExitStack() as stack:
        env = {"TEAMROLES_DATABASE_URL": url}
        servers: list[Server] = [
            stack.enter_context(run_server(APP, name=f"app {i + 1}", env=env)) for i in range(2)
        ]
        listen = free_port()
        ports = [urlsplit(s.url).port for s in servers]
        process, prefix = stack.enter_context(
            cluster.nginx_process(listen, ports, connections=8192)
        )
        proxy = f"http://127.0.0.1:{listen}"
        service = open_service(url)
        created = service.create_room(quiz.id, questions=2, max_participants=plan.big)
        host, host_listener = await _open_host(proxy, created.code, created.host_token)
        opened = time.perf_counter()
        phones = await phones_in_room(
            proxy,
            service,
            created.code,
            plan.big,
            prefix="Proxied",
            networks=plan.networks,
            batch=50,
        )
        report["big2_open_s"] = time.perf_counter() - opened
        try:
            await asyncio.sleep(5)
            pids = {
                "app 1": [servers[0].pid],
                "app 2": [servers[1].pid],
                "nginx": [process.pid, *_children(process.pid)],
            }
            windows = {name: PidsCpu(p) for name, p in pids.items()}
            await asyncio.sleep(plan.big_wait_seconds)
            report["big2_wait_cpu"] = {name: w.share() for name, w in windows.items()}
            report["big2_load"] = windows["nginx"].load_share()
            report["big2_rss"] = [s.rss_kb() for s in servers]
            report["big2_fallback"] = sum(p.listener.mode == "fallback" for p in phones)
            total = service.state(created.code).total
            windows = {name: PidsCpu(p) for name, p in pids.items()}
            report["big2_next"] = await next_question(host, phones, 1, total)
            report["big2_next_cpu"] = {name: w.share() for name, w in windows.items()}
            report["big2_next_load"] = windows["nginx"].load_share()
            report["big2_errors"] = sum(len(p.session.errors) for p in phones)
        finally:
            await close_phones(phones)
            await host_listener.stop()
            await host.close()
        # which server each source network reached (the access log, /rooms/ requests)
        where: dict[str, str] = {}
        for line in (prefix / "access.log").read_text(errors="replace").splitlines():
            match = _LOG.match(line)
            if match:
                where[match.group(1)] = match.group(2)
        split = {str(port): 0 for port in ports}
        for i in range(plan.big):
            port = where.get(_local(i, plan.networks)[0])
            if port in split:
                split[port] += 1
        report["big2_split"] = [split[str(port)] for port in ports]
        close_services()


# ---------------------------------------------------------------- the scenario


async def push_room(plan: PushPlan) -> Result:
    report: dict = {}
    bare = await _bare_waiting_room(plan.phones, PHONE_POLL, plan.bare_seconds)
    await _room_on_push(plan, report)
    await _big_one_server(plan, report)
    if plan.cluster:
        await _big_two_servers(plan, report)

    n = plan.phones
    room: _Room = report["room"]
    stored = report["stored"]
    lost = sum(stored.get(key) != choice for key, choice in room.acked.items())
    wrong = sum(key not in room.acked for key in stored)
    answers = Stats(latencies=room.answers)
    nexts, lags = report["next"], report["lags"]
    seen = _finite(nexts)
    fb_next = _finite(report["fallback_next"])
    big1 = _finite(report["big1_next"])
    m = {
        "push_n": n,
        "push_wait_cpu": report["wait_cpu"],
        "push_wait_cpu_bare": bare["cpu"],
        "push_wait_sent": report["wait_sent"],
        "push_next_p95": percentile(seen, 0.95),
        "push_next_max": max(nexts) if nexts else float("nan"),
        "push_next_missed": len(nexts) - len(seen),
        "push_answer_p95": answers.p95,
        "push_answers": answers.count,
        "push_lost": lost,
        "push_wrong": wrong,
        "push_host_lag_max": max(lags) if lags else float("nan"),
        "push_errors": report["errors"] + room.failed,
        "fallback_cpu": report["fallback_cpu"],
        "fallback_runs": report["fallback_runs"],
        "fallback_next_p95": percentile(fb_next, 0.95),
        "big_n": plan.big,
        "big1_cpu": report["big1_cpu"],
        "big1_rss_mb": report["big1_rss"] / 1024,
        "big1_next_p95": percentile(big1, 0.95),
        "big1_next_max": max(report["big1_next"]),
        "big1_sent": report["big1_sent"],
    }
    wait = Table(
        f"(h) The room on push: {n} phones waiting {plan.wait_seconds:.0f} s, then "
        f"{room.total} questions",
        ["what", "app (push)", f"bare poll app ({PHONE_POLL:.0f} s)", "app vs bare"],
        note="Each phone plays the room's listener (bench/push.py): it holds "
        "`GET /rooms/{code}/changes` and, on a newer version, sends the fragment's trigger "
        "over the websocket as the browser does. CPU: the server process's utime+stime over "
        "the window divided by wall time (1.0 = one core). Next question: from the host's "
        "click sent until the phone shows the question. Answers: each phone taps at a random "
        f"moment within {plan.answer_spread:.0f} s of seeing the question.",
    )
    wait.rows += [
        [
            "server CPU while waiting, share of one core",
            num(report["wait_cpu"], 3),
            num(bare["cpu"], 3),
            ratio(report["wait_cpu"], bare["cpu"]),
        ],
        [
            "script runs per second while waiting",
            num(report["wait_sent"] / plan.wait_seconds, 2),
            num(bare["runs_per_s"]),
            "",
        ],
        ["requests the phones sent over the websocket while waiting", report["wait_sent"], "", ""],
        [
            "long polls answered while waiting (each held up to 25 s)",
            report["wait_polls"],
            "",
            "",
        ],
        [
            "server RSS while waiting, MB",
            num(report["wait_rss"] / 1024, 1),
            num(bare["rss"] / 1024, 1),
            ratio(report["wait_rss"], bare["rss"]),
        ],
        [
            f"next question on every screen ({len(seen)} of {len(nexts)}): p50 / p95 / max ms",
            f"{ms(percentile(seen, 0.5))} / {ms(m['push_next_p95'])} / {ms(m['push_next_max'])}",
            "",
            "",
        ],
        [
            f"answer ({answers.count}): p50 / p95 / max ms",
            f"{ms(answers.p50)} / {ms(answers.p95)} / {ms(answers.max)}",
            "",
            "",
        ],
        [
            f"host's live count behind the answers ({len(lags)}): p50 / p95 / max ms",
            " / ".join(ms(v) for v in _three(lags)),
            "",
            "",
        ],
        ["answers acknowledged / in the database", f"{len(room.acked)} / {len(stored)}", "", ""],
        ["acknowledged answers lost (or another choice stored)", lost, "", ""],
        ["answers stored against another question", wrong, "", ""],
        ["errors (exceptions, drops, timeouts, failed taps)", m["push_errors"], "", ""],
        [
            "server CPU over the questions, share of one core",
            num(report["questions_cpu"], 2),
            "",
            "",
        ],
    ]
    fallback = Table(
        f"(h) The fallback: {n} phones that cannot reach the route (a proxy that blocks it)",
        ["what", "app (fallback)", f"bare poll app ({PHONE_POLL:.0f} s)", "app vs bare"],
        note="The listener's timed triggers: one fragment run per phone every 2 s, as the "
        f"timers did before push; measured over {plan.fallback_seconds:.0f} s on the same "
        "server as above.",
    )
    fallback.rows += [
        [
            "server CPU, share of one core",
            num(report["fallback_cpu"], 2),
            num(bare["cpu"], 2),
            ratio(report["fallback_cpu"], bare["cpu"]),
        ],
        [
            "fragment runs per second",
            num(report["fallback_runs"]),
            num(bare["runs_per_s"]),
            ratio(report["fallback_runs"], bare["runs_per_s"]),
        ],
        ["phones in fallback", f"{report['fallback_mode']} of {n}", "", ""],
        [
            "next question on every screen: p50 / p95 / max ms",
            " / ".join(ms(v) for v in _three(report["fallback_next"])),
            "",
            "",
        ],
    ]
    big = Table(
        f"(h) {plan.big} phones waiting on one server, then the next question",
        ["what", "one server (SQLite)"],
        note=f"Waiting measured over {plan.big_wait_seconds:.0f} s; the load generator (one "
        "process, the same 2 cores) used the share shown.",
        text_columns=1,
    )
    big.rows += [
        ["server CPU while waiting, share of one core", num(report["big1_cpu"], 3)],
        ["requests the phones sent over the websocket while waiting", report["big1_sent"]],
        [
            "phones on the fallback at the end of the wait (a phone goes there when the route "
            f"answers 503: the cap is {MAX_PER_ROOM:,} waiters per room, the host's view included)",
            f"{report['big1_fallback']} ({report['big1_fallback_fired']} timed triggers)",
        ],
        [
            "server RSS before the phones / while waiting, MB",
            f"{num(report['big1_rss0'] / 1024, 0)} / {num(report['big1_rss'] / 1024, 0)}",
        ],
        [
            "next question on every screen: p50 / p95 / max ms",
            " / ".join(ms(v) for v in _three(report["big1_next"])),
        ],
        [
            "server CPU seconds to bring the question to every phone",
            num(report["big1_next_cpu_s"], 1),
        ],
        ["phones' pages opened in, s", num(report["big1_open_s"], 0)],
        ["load generator while waiting, share of one core", num(report["big1_load"], 2)],
    ]
    tables = [wait, fallback, big]
    if plan.cluster:
        big2 = _finite(report["big2_next"])
        m["big2_next_p95"] = percentile(big2, 0.95)
        m["big2_next_max"] = max(report["big2_next"])
        cpu_w, cpu_n = report["big2_wait_cpu"], report["big2_next_cpu"]
        m["big2_wait_cpu_max"] = max(cpu_w["app 1"], cpu_w["app 2"])
        split = report["big2_split"]
        two = Table(
            f"(h) {plan.big} phones, two servers on PostgreSQL behind nginx",
            ["what", "value"],
            note="nginx with deploy/nginx/teamroles.conf (ip_hash), its worker allowed 8192 "
            f"connections; the phones come from {plan.networks} loopback networks "
            "(127.0.K.1) so that ip_hash spreads them; the host on the proxy too. CPU as a "
            "share of one core; the load generator, nginx, PostgreSQL and both servers share "
            "the machine's 2 cores.",
            text_columns=1,
        )
        two.rows += [
            ["phones per server (app 1 / app 2)", f"{split[0]} / {split[1]}"],
            [
                "CPU while waiting: app 1 / app 2 / nginx",
                f"{num(cpu_w['app 1'], 3)} / {num(cpu_w['app 2'], 3)} / {num(cpu_w['nginx'], 3)}",
            ],
            [
                "CPU over the next question: app 1 / app 2 / nginx / load generator",
                f"{num(cpu_n['app 1'], 2)} / {num(cpu_n['app 2'], 2)} / "
                f"{num(cpu_n['nginx'], 2)} / {num(report['big2_next_load'], 2)}",
            ],
            [
                "server RSS while waiting (app 1 / app 2), MB",
                " / ".join(num(r / 1024, 0) for r in report["big2_rss"]),
            ],
            [
                "next question on every screen: p50 / p95 / max ms",
                " / ".join(ms(v) for v in _three(report["big2_next"])),
            ],
            ["next question, one server (above): p95 ms", ms(m["big1_next_p95"])],
            ["errors on the phones", report["big2_errors"]],
            ["phones on the fallback at the end of the wait", report["big2_fallback"]],
        ]
        tables.append(two)
    return Result(tables, m)


def _three(values: list[float]) -> list[float]:
    stats = Stats(latencies=list(values))
    return [stats.p50, stats.p95, stats.max]
