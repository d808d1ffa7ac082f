"""A simulated browser tab: Streamlit's websocket protocol, spoken from asyncio.

One `Session` is one connection to `ws://HOST:PORT/_stcore/stream` (subprotocol
`streamlit`), one Streamlit session on the server, one simulated user. It does what
the browser's frontend does (checked against Streamlit 1.67's own frontend bundle):

- opens a page with a `rerun_script` `BackMsg` carrying the URL path as `page_name` and
  the query string; later reruns carry the page's `page_script_hash` instead, and a
  page change carries the target's hash from the `navigation` message;
- keeps the element tree from the `delta`s it receives (by `delta_path`, each node
  tagged with the `fragment_id` that drew it and the run that sent it), drops stale
  nodes when a run finishes (only the re-run fragment's nodes after a fragment run),
  and keeps a registry of the widgets in it (id, type, label, options, form);
- keeps every widget's current value (defaults as drawn, values the server sets, what
  the user picked or typed) and sends all of them with each rerun; a button click is a
  `trigger_value` sent once; widgets in a form keep pending values until its submit
  button is clicked;
- sends a rerun for a widget drawn by a fragment with `ClientState.fragment_id` set
  (the server answers with that fragment's deltas only and
  `FINISHED_FRAGMENT_RUN_SUCCESSFULLY`);
- honours `auto_rerun` (interval, fragment_id) with timer reruns marked
  `is_auto_rerun`, drops them on `stop_auto_rerun` or on a full run's `new_session`,
  as the browser does;
- keeps the forward-message cache (cacheable messages by hash, expired after
  `max_cached_message_age` runs), sends its hashes as `cached_message_hashes` and
  resolves `ref_hash` messages from it.

Unlike a browser it keeps at most one rerun in flight per session: a timer tick that
finds a request running is skipped, a user action waits for the running one.

What it measures: each request's latency (send until the run's `script_finished`),
when a text first appeared (`wait_for_text`), and errors: an exception element drawn
(`st.exception` or an uncaught exception; `st.error` alerts are not errors), a
dropped connection, a compile error, "page not found", a request with no answer.

Bounded: loopback addresses only, at most `MAX_SESSIONS` open sessions in a process,
a timeout on every request and wait, and an optional process-wide deadline
(`set_deadline`) after which no new request starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}
MAX_SESSIONS = 1200  # a 1,000-phone room and its host
REQUEST_TIMEOUT = 60.0  # seconds a request may wait for its script_finished
CONNECT_TIMEOUT = 30.0

FINISHED = ForwardMsg.ScriptFinishedStatus
EARLY_FOR_RERUN = FINISHED.Value("FINISHED_EARLY_FOR_RERUN")
COMPILE_ERROR = FINISHED.Value("FINISHED_WITH_COMPILE_ERROR")
FRAGMENT_DONE = FINISHED.Value("FINISHED_FRAGMENT_RUN_SUCCESSFULLY")

# Element types that hold a widget value, and the WidgetState field it travels in.
VALUE_WIDGETS = {
    "radio": "string_value",
    "selectbox": "string_value",
    "text_input": "string_value",
    "text_area": "string_value",
    "checkbox": "bool_value",  # st.checkbox and st.toggle
    "number_input": "double_value",  # int_value when data_type is INT
    "multiselect": "string_array_value",
}
TRIGGER_WIDGETS = {"button", "download_button"}

_open_sessions = 0
_deadline: float | None = None


def set_deadline(seconds_from_now: float | None) -> None:
    """No request starts after this (a hard stop for a whole benchmark run)."""
    global _deadline
    _deadline = None if seconds_from_now is None else time.monotonic() + seconds_from_now


def open_sessions() -> int:
    return _open_sessions


class LoadError(RuntimeError):
    """The load generator cannot do what it was asked (no such widget, over a limit)."""


@dataclass
class Node:
    kind: str  # the element's type ("button", "markdown", ...) or "block"
    element: object | None  # the element's own proto (Button, Markdown, ...) or the Block
    fragment_id: str
    run_id: str
    script_hash: str


@dataclass(frozen=True)
class Widget:
    """A widget as drawn now: found by its label and type, never by position."""

    id: str
    kind: str
    label: str
    fragment_id: str
    form_id: str
    options: tuple[str, ...]
    disabled: bool
    is_submit: bool
    path: tuple[int, ...]
    proto: object = field(repr=False, compare=False)


@dataclass
class Interaction:
    """One request: what was done, when it was sent and when its run finished."""

    action: str
    label: str
    fragment_id: str
    sent: float
    queued: float = 0.0  # seconds it waited for the session's previous request
    finished: float | None = None
    status: str = "pending"  # ok, timeout, disconnected
    auto: bool = False

    @property
    def latency(self) -> float | None:
        return None if self.finished is None else self.finished - self.sent


@dataclass
class ErrorRecord:
    when: float
    kind: str
    detail: str


def _text_of(kind: str, element) -> str | None:
    if kind in ("markdown", "heading", "text", "alert", "toast"):
        return element.body
    if kind == "progress":
        return element.text
    if kind == "code":
        return element.code_text
    if kind == "exception":
        return f"{element.type}: {element.message}"
    return None


def _check_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in LOOPBACK_HOSTS:
        raise LoadError(f"refusing {url}: the load generator speaks to loopback only")


class Session:
    """One simulated browser tab on a Streamlit server."""

    def __init__(
        self,
        base_url: str,
        *,
        name: str = "",
        request_timeout: float = REQUEST_TIMEOUT,
        local_addr: tuple[str, int] | None = None,
    ):
        _check_loopback(base_url)
        if local_addr is not None and not local_addr[0].startswith("127."):
            raise LoadError(f"refusing {local_addr}: the load generator speaks from loopback")
        # the source address (127.x.y.z): a proxy's ip_hash sees clients of many networks
        self.local_addr = local_addr
        self.base_url = base_url.rstrip("/")
        self.ws_url = self.base_url.replace("http://", "ws://", 1) + "/_stcore/stream"
        self.name = name
        self.request_timeout = request_timeout
        self.ws = None
        self.path = ""
        self.query_string = ""
        self.page_hash = ""
        self.main_hash = ""
        self.nav_pages: dict[str, str] = {}  # url path -> page_script_hash
        self.run_id = ""
        self.nodes: dict[tuple[int, ...], Node] = {}
        self.values: dict[str, WidgetState] = {}  # committed widget values, by widget id
        self.pending: dict[str, dict[str, WidgetState]] = {}  # form id -> uncommitted values
        self.cache: dict[str, list] = {}  # hash -> [bytes, run count when last used, fragment]
        self.cache_runs = 0
        self.max_cached_age = 2
        self.interactions: list[Interaction] = []
        self.errors: list[ErrorRecord] = []
        self.runs_finished = 0
        self.messages = 0
        self.connected_at: float | None = None
        self.timers: dict[str, tuple[float, asyncio.Task]] = {}
        self.timer_ticks = 0
        self.timer_skipped = 0
        self._lock = asyncio.Lock()
        self._pending: asyncio.Future | None = None
        self._waiters: list[tuple[str, asyncio.Future]] = []
        self._reader: asyncio.Task | None = None
        self._closing = False
        self._counted = False
        self._last_status: int | None = None
        self._background: set[asyncio.Task] = set()
        # called with (element type, text, perf_counter time) for each text received
        self.text_listener = None

    # ------------------------------------------------------------------ connection

    async def connect(self) -> None:
        global _open_sessions
        if _open_sessions >= MAX_SESSIONS:
            raise LoadError(f"over the cap of {MAX_SESSIONS} sessions in one process")
        _open_sessions += 1
        self._counted = True
        self.ws = await asyncio.wait_for(
            websockets.connect(
                self.ws_url,
                subprotocols=["streamlit"],
                max_size=None,
                compression=None,
                ping_interval=None,
                open_timeout=CONNECT_TIMEOUT,
                **({"local_addr": self.local_addr} if self.local_addr else {}),
            ),
            CONNECT_TIMEOUT,
        )
        self.connected_at = time.perf_counter()
        self._reader = asyncio.create_task(self._read_loop())

    async def close(self) -> None:
        global _open_sessions
        self._closing = True
        self._stop_timers(list(self.timers))
        for task in list(self._background):
            task.cancel()
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self._counted:
            _open_sessions -= 1
            self._counted = False

    async def __aenter__(self) -> Session:
        await self.connect()
        return self

    async def __aexit__(self, *exc) -> None:
        await self.close()

    async def _read_loop(self) -> None:
        try:
            async for raw in self.ws:
                self.messages += 1
                self._handle(raw)
        except websockets.ConnectionClosed:
            pass
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # a bug in handling: say so, do not hang the waiters
            self._error("client", repr(exc))
        if not self._closing:
            self._error("disconnected", "the server closed the connection")
        self._fail_waiters("disconnected")

    def _fail_waiters(self, status: str) -> None:
        if self._pending is not None and not self._pending.done():
            self._pending.set_result(status)
        for _, waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(LoadError(f"{self.name}: {status}"))
        self._waiters.clear()

    def _error(self, kind: str, detail: str) -> None:
        self.errors.append(ErrorRecord(time.perf_counter(), kind, detail))

    # ------------------------------------------------------------------ receiving

    def _handle(self, raw: bytes) -> None:
        msg = ForwardMsg()
        msg.ParseFromString(raw)
        kind = msg.WhichOneof("type")
        if kind == "ref_hash":
            entry = self.cache.get(msg.ref_hash)
            if entry is None:
                self._error("cache_miss", msg.ref_hash)
                return
            entry[1] = self.cache_runs
            cached = ForwardMsg()
            cached.ParseFromString(entry[0])
            cached.metadata.CopyFrom(msg.metadata)
            msg, kind = cached, cached.WhichOneof("type")
        elif msg.metadata.cacheable and msg.hash:
            if msg.hash in self.cache:
                self.cache[msg.hash][1] = self.cache_runs
            else:
                fragment = msg.delta.fragment_id if kind == "delta" else ""
                self.cache[msg.hash] = [raw, self.cache_runs, fragment]
        if kind == "delta":
            self._on_delta(msg)
        elif kind == "new_session":
            self._on_new_session(msg)
        elif kind == "script_finished":
            self._on_finished(msg)
        elif kind == "auto_rerun":
            self._on_auto_rerun(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            self._stop_timers(list(msg.stop_auto_rerun.fragment_ids))
        elif kind == "page_info_changed":
            self.query_string = msg.page_info_changed.query_string
        elif kind == "navigation":
            self.nav_pages = {
                page.url_pathname: page.page_script_hash for page in msg.navigation.app_pages
            }
            if msg.navigation.page_script_hash:
                self.page_hash = msg.navigation.page_script_hash
        elif kind == "page_not_found":
            self._error("page_not_found", msg.page_not_found.page_name)
        elif kind == "session_event" and msg.session_event.HasField("script_compilation_exception"):
            self._error("compile_error", msg.session_event.script_compilation_exception.message)

    def _on_new_session(self, msg: ForwardMsg) -> None:
        session = msg.new_session
        self.run_id = msg.metadata.run.script_run_id
        if session.HasField("config") and session.config.max_cached_message_age:
            self.max_cached_age = session.config.max_cached_message_age
        if msg.metadata.run.fragment_ids:
            return
        self._stop_timers(list(self.timers))  # a full run: timers are re-announced
        self.main_hash = session.main_script_hash
        if self.page_hash and session.page_script_hash != self.page_hash:
            # another page: keep only what the entrypoint itself draws (as the browser)
            self.nodes = {
                path: node
                for path, node in self.nodes.items()
                if node.script_hash == self.main_hash
            }
        self.page_hash = session.page_script_hash

    def _on_delta(self, msg: ForwardMsg) -> None:
        delta = msg.delta
        path = tuple(msg.metadata.delta_path)
        kind = delta.WhichOneof("type")
        script_hash = msg.metadata.active_script_hash
        if kind == "add_block":
            self.nodes[path] = Node(
                "block", delta.add_block, delta.fragment_id, self.run_id, script_hash
            )
            return
        if kind != "new_element":
            return
        element = delta.new_element
        etype = element.WhichOneof("type")
        if etype is None:
            return
        proto = getattr(element, etype)
        replaced = self.nodes.get(path)
        if replaced is not None and replaced.kind == "block":  # its children go with it
            depth = len(path)
            self.nodes = {
                p: n for p, n in self.nodes.items() if not (len(p) > depth and p[:depth] == path)
            }
        self.nodes[path] = Node(etype, proto, delta.fragment_id, self.run_id, script_hash)
        if etype == "exception":
            self._error("exception", f"{proto.type}: {proto.message}")
        elif etype in VALUE_WIDGETS:
            self._register_value(etype, proto)
        if self._waiters or self.text_listener is not None:
            text = _text_of(etype, proto)
            if text is None and etype in TRIGGER_WIDGETS:
                text = proto.label
            if text and self.text_listener is not None:
                self.text_listener(etype, text, time.perf_counter())
            if text and self._waiters:
                self._check_waiters(text)

    def _register_value(self, etype: str, proto) -> None:
        wid = proto.id
        if wid in self.values and not proto.set_value:
            return
        state = WidgetState(id=wid)
        if etype in ("radio", "selectbox"):
            if proto.set_value and proto.raw_value:
                state.string_value = proto.raw_value
            elif proto.HasField("default") and 0 <= proto.default < len(proto.options):
                state.string_value = proto.options[proto.default]
            else:
                self.values.pop(wid, None)
                return
        elif etype in ("text_input", "text_area"):
            if proto.set_value and proto.HasField("value"):
                state.string_value = proto.value
            elif proto.HasField("default"):
                state.string_value = proto.default
            else:
                self.values.pop(wid, None)
                return
        elif etype == "checkbox":
            state.bool_value = proto.value if proto.set_value else proto.default
        elif etype == "number_input":
            value = proto.value if proto.set_value and proto.HasField("value") else None
            if value is None and proto.HasField("default"):
                value = proto.default
            if value is None:
                self.values.pop(wid, None)
                return
            if proto.data_type == proto.INT:
                state.int_value = int(value)
            else:
                state.double_value = value
        elif etype == "multiselect":
            chosen = (
                list(proto.raw_values)
                if proto.set_value
                else [proto.options[i] for i in proto.default if 0 <= i < len(proto.options)]
            )
            state.string_array_value.data.extend(chosen)
        self.values[wid] = state

    def _on_finished(self, msg: ForwardMsg) -> None:
        status = msg.script_finished
        if status == COMPILE_ERROR:
            self._error("compile_error", "the script did not compile")
        if status != EARLY_FOR_RERUN:
            fragments = set(msg.metadata.run.fragment_ids)
            run = msg.metadata.run.script_run_id or self.run_id
            self.nodes = {
                path: node
                for path, node in self.nodes.items()
                if node.run_id == run or (fragments and node.fragment_id not in fragments)
            }
            self._age_cache(fragments)
            self.runs_finished += 1
            self._last_status = status
            if self._pending is not None and not self._pending.done():
                self._pending.set_result("ok")

    def _age_cache(self, fragments: set[str]) -> None:
        """As the frontend: one more run; expire what went unused for too long (after a
        fragment run, only that fragment's messages)."""
        self.cache_runs += 1
        for key, (_, used, fragment) in list(self.cache.items()):
            if fragments and (not fragment or fragment not in fragments):
                continue
            if self.cache_runs - used > self.max_cached_age:
                del self.cache[key]

    # ------------------------------------------------------------------ timers

    def _on_auto_rerun(self, fragment_id: str, interval: float) -> None:
        if not fragment_id or interval <= 0:
            return
        current = self.timers.get(fragment_id)
        if current is not None and current[0] == interval:
            return
        self._stop_timers([fragment_id])
        task = asyncio.get_running_loop().create_task(self._tick(fragment_id, interval))
        self.timers[fragment_id] = (interval, task)

    def _stop_timers(self, fragment_ids: Iterable[str]) -> None:
        for fragment_id in fragment_ids:
            entry = self.timers.pop(fragment_id, None)
            if entry is not None:
                entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """setInterval: a tick every `interval` seconds from now; a tick that finds a
        request in flight is skipped."""
        next_at = time.monotonic() + interval
        while not self._closing:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            if self._lock.locked() or self.ws is None:
                self.timer_skipped += 1
                continue
            self.timer_ticks += 1
            task = asyncio.get_running_loop().create_task(
                self._rerun("tick", "", fragment_id=fragment_id, auto=True)
            )
            self._background.add(task)
            task.add_done_callback(self._background.discard)

    # ------------------------------------------------------------------ sending

    def _url(self) -> str:
        query = f"?{self.query_string}" if self.query_string else ""
        return f"{self.base_url}/{self.path}{query}"

    def _active_widget_ids(self, keep=None) -> set[str]:
        ids = set()
        for node in self.nodes.values():
            if node.kind != "block" and (keep is None or keep(node)):
                wid = getattr(node.element, "id", "")
                if wid:
                    ids.add(wid)
        return ids

    async def _rerun(
        self,
        action: str,
        label: str,
        *,
        fragment_id: str = "",
        trigger: WidgetState | None = None,
        auto: bool = False,
        page_name: str | None = None,
        page_hash: str | None = None,
    ) -> Interaction:
        if self.ws is None:
            raise LoadError("not connected")
        if _deadline is not None and time.monotonic() > _deadline:
            raise LoadError("the benchmark's deadline has passed")
        asked = time.perf_counter()
        async with self._lock:
            if auto and fragment_id not in self.timers:
                return Interaction(action, label, fragment_id, asked, status="cancelled")
            request = BackMsg()
            rerun = request.rerun_script
            rerun.query_string = self.query_string
            if page_name is not None:
                rerun.page_name = page_name
                rerun.page_script_hash = page_hash or ""
                keep = lambda node: node.script_hash == self.main_hash  # noqa: E731
            else:
                rerun.page_script_hash = self.page_hash
                keep = None
            rerun.fragment_id = fragment_id
            rerun.is_auto_rerun = auto
            rerun.cached_message_hashes.extend(self.cache)
            info = rerun.context_info
            info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
            info.url, info.is_embedded, info.color_scheme = self._url(), False, "light"
            active = self._active_widget_ids(keep)
            states = rerun.widget_states.widgets
            for wid, state in self.values.items():
                if wid in active and (trigger is None or wid != trigger.id):
                    states.append(state)
            if trigger is not None:
                states.append(trigger)
            loop = asyncio.get_running_loop()
            self._pending = loop.create_future()
            sent = time.perf_counter()
            record = Interaction(action, label, fragment_id, sent, sent - asked, auto=auto)
            self.interactions.append(record)
            try:
                await self.ws.send(request.SerializeToString())
                record.status = await asyncio.wait_for(self._pending, self.request_timeout)
            except TimeoutError:
                record.status = "timeout"
                self._error("timeout", f"{action} {label!r}: no script_finished")
            except websockets.ConnectionClosed:
                record.status = "disconnected"
            if record.status == "ok":
                record.finished = time.perf_counter()
            self._pending = None
            return record

    # ------------------------------------------------------------------ what a user does

    async def open(self, path: str = "", query: str = "") -> Interaction:
        """Load a page as from the address bar (a new tab's first run): `path` is the
        URL path without the leading slash ("" for the home page)."""
        if self.ws is None:
            await self.connect()
        self.path, self.query_string = path.strip("/"), query.lstrip("?")
        return await self._rerun("open", self.path, page_name=self.path)

    async def goto(self, path: str, query: str = "") -> Interaction:
        """Change page inside the app, as a click in its navigation menu does."""
        path = path.strip("/")
        self.path, self.query_string = path, query.lstrip("?")
        target = self.nav_pages.get(path)
        if target is None:
            return await self._rerun("goto", path, page_name=path)
        return await self._rerun("goto", path, page_name="", page_hash=target)

    async def rerun(self) -> Interaction:
        """Rerun the current page with the current widget values (the R key)."""
        return await self._rerun("rerun", self.path)

    def widgets(self, kind: str | Iterable[str] | None = None) -> list[Widget]:
        kinds = {kind} if isinstance(kind, str) else set(kind) if kind else None
        found = []
        for path, node in sorted(self.nodes.items()):
            element = node.element
            if node.kind == "block" or not getattr(element, "id", ""):
                continue
            if kinds is not None and node.kind not in kinds:
                continue
            options = tuple(getattr(element, "options", ()) or ())
            if options and not isinstance(options[0], str):
                options = tuple(str(option) for option in options)
            found.append(
                Widget(
                    id=element.id,
                    kind=node.kind,
                    label=getattr(element, "label", ""),
                    fragment_id=node.fragment_id,
                    form_id=getattr(element, "form_id", ""),
                    options=options,
                    disabled=bool(getattr(element, "disabled", False)),
                    is_submit=bool(getattr(element, "is_form_submitter", False)),
                    path=path,
                    proto=element,
                )
            )
        return found

    def widget(
        self, label: str, kind: str | Iterable[str] | None = None, *, exact: bool = True
    ) -> Widget:
        """The widget of that type whose label is `label` (or contains it)."""
        matches = [
            w for w in self.widgets(kind) if (w.label == label if exact else label in w.label)
        ]
        if not matches:
            labels = sorted({w.label for w in self.widgets(kind)})
            raise LoadError(f"{self.name}: no {kind or 'widget'} labelled {label!r}; have {labels}")
        return matches[0]

    def has_widget(self, label: str, kind: str | Iterable[str] | None = None) -> bool:
        return any(w.label == label for w in self.widgets(kind))

    async def click(self, label: str, *, exact: bool = True) -> Interaction:
        """Click the button labelled `label` (a form's submit button submits the form)."""
        button = self.widget(label, ("button",), exact=exact)
        if button.disabled:
            raise LoadError(f"{self.name}: the button {label!r} is disabled")
        if button.is_submit or button.form_id:
            return await self.submit(label)
        trigger = WidgetState(id=button.id, trigger_value=True)
        return await self._rerun("click", label, fragment_id=button.fragment_id, trigger=trigger)

    async def submit(self, label: str) -> Interaction:
        """Click a form's submit button: the form's pending values go with it."""
        button = self.widget(label, ("button",))
        for wid, state in self.pending.pop(button.form_id, {}).items():
            self.values[wid] = state
        trigger = WidgetState(id=button.id, trigger_value=True)
        return await self._rerun("submit", label, fragment_id=button.fragment_id, trigger=trigger)

    async def _set(self, widget: Widget, state: WidgetState, action: str) -> Interaction | None:
        if widget.form_id:
            self.pending.setdefault(widget.form_id, {})[widget.id] = state
            return None  # a form sends nothing until it is submitted
        self.values[widget.id] = state
        return await self._rerun(action, widget.label, fragment_id=widget.fragment_id)

    async def choose(self, label: str, option: str) -> Interaction | None:
        """Pick `option` (its text as shown) in the radio or selectbox labelled `label`."""
        widget = self.widget(label, ("radio", "selectbox"))
        if option not in widget.options:
            raise LoadError(f"{self.name}: {label!r} has no option {option!r}: {widget.options}")
        return await self._set(widget, WidgetState(id=widget.id, string_value=option), "choose")

    async def type(self, label: str, text: str) -> Interaction | None:
        """Type `text` into the text input labelled `label` and press Enter (or, in a
        form, leave it pending until the form is submitted)."""
        widget = self.widget(label, ("text_input", "text_area"))
        return await self._set(widget, WidgetState(id=widget.id, string_value=text), "type")

    async def toggle(self, label: str, value: bool | None = None) -> Interaction | None:
        """Set the checkbox or toggle labelled `label` (flip it when `value` is None)."""
        widget = self.widget(label, ("checkbox",))
        current = self.values.get(widget.id)
        now = current.bool_value if current is not None else bool(widget.proto.default)
        new = (not now) if value is None else value
        return await self._set(widget, WidgetState(id=widget.id, bool_value=new), "toggle")

    # ------------------------------------------------------------------ what a user sees

    def texts(self) -> list[str]:
        """Every text on screen now: Markdown, headings, text, alerts, progress labels."""
        found = []
        for _, node in sorted(self.nodes.items()):
            if node.kind != "block":
                text = _text_of(node.kind, node.element)
                if text:
                    found.append(text)
        return found

    def has_text(self, part: str) -> bool:
        return any(part in text for text in self.texts())

    def _check_waiters(self, text: str) -> None:
        remaining = []
        for part, waiter in self._waiters:
            if waiter.done():
                continue
            if part in text:
                waiter.set_result(time.perf_counter())
            else:
                remaining.append((part, waiter))
        self._waiters = remaining

    async def wait_for_text(self, part: str, timeout: float = 30.0) -> float:
        """Wait until a text containing `part` is on screen; the perf_counter time it
        appeared (now, if it is there already)."""
        if self.has_text(part) or any(w.label and part in w.label for w in self.widgets("button")):
            return time.perf_counter()
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append((part, waiter))
        try:
            return await asyncio.wait_for(waiter, timeout)
        except TimeoutError:
            raise LoadError(f"{self.name}: {part!r} did not appear within {timeout} s") from None

    @property
    def busy(self) -> bool:
        return self._lock.locked()

    def finished_interactions(self, action: str | None = None) -> list[Interaction]:
        return [
            i
            for i in self.interactions
            if i.status == "ok" and (action is None or i.action == action)
        ]
