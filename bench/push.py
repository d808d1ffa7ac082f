"""The room's listener, played by the load generator as the browser plays it.

A live fragment of the room (the phone's screen, the host's view) draws one
`st.components.v2` element, `teamroles.listener` (teamroles/ui/listener.py), whose
JavaScript (assets/js/listener.js) long-polls `GET /rooms/{code}/changes?after=V`
and, when the room is newer than the drawing, sets its trigger value `changed`.
`Listener` does the same for a `bench.protocol.Session`:

- it reads the element from the session's tree: its id, the fragment that drew it,
  and its data (`code`, `version`, `seen`, `fallback_ms`, `min_interval_ms`);
- it holds the long poll over HTTP/1.1 (asyncio streams, one keep-alive connection
  per listener, as a browser reuses one), and asks again with what it heard;
- on a newer version (or, for the host, more activity) it sends what the browser's
  widget manager sends for `setTriggerValue("changed", value)` in a component
  (Streamlit 1.67, `BidiComponent` and `WidgetStateManager.setTriggerValue`): a
  `rerun_script` BackMsg with `fragment_id` = the element's fragment, every widget's
  value, and one `WidgetState` whose id is the component's trigger aggregator,
  `$$STREAMLIT_INTERNAL_KEY_{component id}__events`, and whose `json_trigger_value`
  is the JSON list `[{"event": "changed", "value": ...}]`;
- it spaces triggers as the JavaScript does (one per `min_interval_ms`, the same
  target again only after 500 ms), and stops when the element is no longer drawn;
- after two failed polls (an error status, no connection, or `blocked=True`, which
  plays a proxy that refuses the route) it falls back to a trigger every
  `fallback_ms`, keeps trying the route with backoff, and leaves the fallback when
  the route answers again.

Nothing else: while the room does not change, a listener sends nothing over the
websocket. Loopback only, as the rest of the load generator.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from streamlit.components.v2.bidi_component.constants import EVENT_DELIM
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.state.session_state import STREAMLIT_INTERNAL_KEY_PREFIX

from bench.protocol import LOOPBACK_HOSTS, LoadError, Session

COMPONENT = "teamroles.listener"  # teamroles/ui/listener.py: COMPONENT
EVENT = "changed"  # its trigger
HOLD_TIMEOUT = 45.0  # listener.js: HOLD_TIMEOUT_MS
BACKOFF_MAX = 30.0
FAILURES_BEFORE_FALLBACK = 2
REPEAT = 0.5  # listener.js: REPEAT_MS


def trigger_id(component_id: str) -> str:
    """The component's trigger aggregator widget (streamlit/components/v2/bidi_component/
    main.py: `_make_trigger_id(base, "events")`; the frontend's `Me()` in BidiComponent)."""
    return f"{STREAMLIT_INTERNAL_KEY_PREFIX}_{component_id}{EVENT_DELIM}events"


@dataclass(frozen=True)
class Drawn:
    """The listener element as the last run drew it."""

    id: str
    fragment_id: str
    code: str
    version: int
    seen: int | None
    fallback_ms: int
    min_interval_ms: int


def drawn(session: Session) -> Drawn | None:
    for node in session.nodes.values():
        element = node.element
        if node.kind == "bidi_component" and element.component_name == COMPONENT:
            data = json.loads(element.json) if element.json else {}
            if not data.get("code"):
                return None
            return Drawn(
                id=element.id,
                fragment_id=node.fragment_id,
                code=data["code"],
                version=int(data["version"]),
                seen=data.get("seen"),
                fallback_ms=int(data.get("fallback_ms") or 2000),
                min_interval_ms=int(data.get("min_interval_ms") or 250),
            )
    return None


class HttpError(Exception):
    pass


class Http:
    """A minimal HTTP/1.1 GET client on one keep-alive connection (asyncio streams)."""

    def __init__(self, base_url: str, local_addr: tuple[str, int] | None = None):
        parts = urlsplit(base_url)
        if parts.hostname not in LOOPBACK_HOSTS:
            raise LoadError(f"refusing {base_url}: loopback only")
        self.host, self.port = parts.hostname, parts.port or 80
        self.local_addr = local_addr
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def close(self) -> None:
        writer, self.reader, self.writer = self.writer, None, None
        if writer is not None:
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            return await self._get(path)
        except BaseException:
            await self.close()  # a half-read answer: never reuse the connection
            raise

    async def _get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(
                self.host, self.port, local_addr=self.local_addr
            )
        request = (
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            "Accept: */*\r\nCache-Control: no-cache\r\n\r\n"
        )
        self.writer.write(request.encode())
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:
            raise HttpError("connection closed")
        status = int(status_line.split()[1])
        headers: dict[str, str] = {}
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b"\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        if "content-length" in headers:
            body = await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding", "").lower() == "chunked":
            body = b""
            while True:
                size = int((await self.reader.readline()).split(b";")[0], 16)
                if size == 0:
                    await self.reader.readline()
                    break
                body += await self.reader.readexactly(size)
                await self.reader.readline()
        else:
            body = await self.reader.read()
            headers["connection"] = "close"
        if headers.get("connection", "").lower() == "close":
            await self.close()
        return status, headers, body


class Listener:
    """The listener element of one session (see the module's docstring)."""

    def __init__(
        self,
        session: Session,
        *,
        blocked: bool = False,
        local_addr: tuple[str, int] | None = None,
        on_fire=None,
    ):
        self.session = session
        self.blocked = blocked
        self.http = Http(session.base_url, local_addr)
        self.on_fire = on_fire
        self.heard_v = -1
        self.heard_a = 0
        self.mode = "push"
        self.failures = 0
        self.polls = 0  # requests sent to the route
        self.answers = 0  # 200s received
        self.fired = {"push": 0, "fallback": 0, "gone": 0}
        self.last_fire = 0.0
        self.last_target: tuple | None = None
        self.stopped = False
        self._tasks: set[asyncio.Task] = set()
        self._kick: asyncio.Task | None = None
        self._fallback: asyncio.Task | None = None
        self._loop_task: asyncio.Task | None = None

    # ---------------------------------------------------------------- life

    def start(self) -> Listener:
        info = drawn(self.session)
        if info is None:
            raise LoadError(f"{self.session.name}: no room listener drawn")
        self._update(info)
        self._loop_task = asyncio.get_running_loop().create_task(self._poll_forever())
        return self

    async def stop(self) -> None:
        self.stopped = True
        for task in [self._loop_task, self._kick, self._fallback, *self._tasks]:
            if task is not None:
                task.cancel()
        for task in [self._loop_task, self._kick, self._fallback]:
            if task is not None:
                with contextlib.suppress(BaseException):
                    await task
        await self.http.close()

    @property
    def triggers(self) -> int:
        return sum(self.fired.values())

    # ---------------------------------------------------------------- as listener.js

    def _update(self, info: Drawn) -> None:
        self.heard_v = max(self.heard_v, info.version)
        if info.seen is not None:
            self.heard_a = max(self.heard_a, info.seen)

    def _info(self) -> Drawn | None:
        info = drawn(self.session)
        if info is None:
            self.stopped = True  # the element went (the room ended): its cleanup stops it
        else:
            self._update(info)
        return info

    def _target(self, host: bool) -> tuple:
        return (self.heard_v, self.heard_a if host else None)

    def _wanted(self, info: Drawn) -> bool:
        host = info.seen is not None
        return self.heard_v > info.version or (host and self.heard_a > info.seen)

    def kick(self) -> None:
        if self.stopped or (self._kick is not None and not self._kick.done()):
            return
        self._kick = asyncio.get_running_loop().create_task(self._kick_once())

    async def _kick_once(self) -> None:
        while not self.stopped:
            info = self._info()
            if info is None or not self._wanted(info):
                return
            same = self.last_target == self._target(info.seen is not None)
            gap = REPEAT if same else info.min_interval_ms / 1000
            delay = self.last_fire + gap - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
                continue
            await self.fire("push")

    async def fire(self, why: str):
        """setTriggerValue("changed", ...): one fragment rerun, as the browser sends it."""
        info = self._info()
        if info is None:
            return None
        self.last_fire = time.monotonic()
        self.last_target = self._target(info.seen is not None)
        self.fired[why] = self.fired.get(why, 0) + 1
        value = {
            "why": why,
            "version": self.heard_v,
            "activity": self.heard_a,
            "n": self.triggers,
        }
        state = WidgetState(
            id=trigger_id(info.id),
            json_trigger_value=json.dumps([{"event": EVENT, "value": value}]),
        )
        if self.on_fire is not None:
            self.on_fire(self, why)
        try:
            return await self.session._rerun(
                "trigger", why, fragment_id=info.fragment_id, trigger=state
            )
        except LoadError:
            return None

    async def _fallback_forever(self, interval: float) -> None:
        """setInterval(fire, fallback_ms); a tick that finds a run in flight is skipped
        (the browser would queue it behind the running one)."""
        next_at = time.monotonic() + interval
        while not self.stopped:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            if self.session.busy:
                continue
            task = asyncio.get_running_loop().create_task(self.fire("fallback"))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    def _enter_fallback(self) -> None:
        if self.mode == "fallback":
            return
        info = self._info()
        self.mode = "fallback"
        interval = (info.fallback_ms if info else 2000) / 1000
        self._fallback = asyncio.get_running_loop().create_task(self._fallback_forever(interval))

    def _leave_fallback(self) -> None:
        if self.mode != "fallback":
            return
        self.mode = "push"
        if self._fallback is not None:
            self._fallback.cancel()
            self._fallback = None

    async def _failed(self, retry_after: float = 0.0) -> None:
        self.failures += 1
        if self.failures >= FAILURES_BEFORE_FALLBACK:
            self._enter_fallback()
        backoff = min(BACKOFF_MAX, 0.5 * 2 ** min(self.failures, 10))
        await asyncio.sleep(max(backoff, retry_after))

    async def _poll_forever(self) -> None:
        while not self.stopped:
            info = self._info()
            if info is None:
                break
            host = info.seen is not None
            query = f"after={self.heard_v}" + (f"&seen={self.heard_a}" if host else "")
            path = f"/rooms/{quote(info.code)}/changes?{query}"
            status, headers, body = 0, {}, b""
            if not self.blocked:
                self.polls += 1
                try:
                    status, headers, body = await asyncio.wait_for(
                        self.http.get(path), HOLD_TIMEOUT
                    )
                except (OSError, HttpError, TimeoutError, asyncio.IncompleteReadError, ValueError):
                    status = 0
            if self.stopped:
                break
            if status == 200:
                try:
                    answer = json.loads(body)
                except ValueError:
                    answer = None
                if isinstance(answer, dict) and isinstance(answer.get("version"), int):
                    self.answers += 1
                    self.failures = 0
                    self._leave_fallback()
                    self.heard_v = max(self.heard_v, answer["version"])
                    self.heard_a = max(self.heard_a, int(answer.get("activity") or 0))
                    self.kick()
                    continue
            if status == 404:
                task = asyncio.get_running_loop().create_task(self.fire("gone"))
                self._tasks.add(task)
                task.add_done_callback(self._tasks.discard)
            retry = 0.0
            with contextlib.suppress(ValueError):
                retry = float(headers.get("retry-after", "0") or 0)
            await self._failed(retry)
        self._leave_fallback()


async def stop_all(listeners) -> None:
    await asyncio.gather(*(listener.stop() for listener in listeners), return_exceptions=True)
