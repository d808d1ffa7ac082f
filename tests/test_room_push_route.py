"""`GET /rooms/{code}/changes` on a real room service (SQLite and PostgreSQL), through
the app's own Starlette routes and lifespan, called as ASGI (no HTTP client needed)."""

from __future__ import annotations

import asyncio
import json
import threading
from urllib.parse import urlencode

import pytest
import sqlalchemy as sa
from starlette.applications import Starlette

from teamroles.room import RoomService, make_engine
from teamroles.room.notify import CHANNEL
from teamroles.web import routes, server
from tests.room_fixtures import QUIZZES, room_db_url  # noqa: F401 (a fixture)
from tests.threads import run_async


class Reply:
    def __init__(self, status: int, headers: dict[str, str], body: bytes):
        self.status, self.headers = status, headers
        self.json = json.loads(body) if body else None


async def get(app, code: str, disconnect: asyncio.Event | None = None, **query) -> Reply:
    """One GET through the ASGI app; `disconnect` set means the browser went away."""
    disconnect = disconnect or asyncio.Event()
    sent_request = False
    messages: list[dict] = []

    async def receive():
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        messages.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": f"/rooms/{code}/changes",
        "raw_path": f"/rooms/{code}/changes".encode(),
        "query_string": urlencode({k: v for k, v in query.items() if v is not None}).encode(),
        "headers": [],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    await app(scope, receive, send)
    start = next(m for m in messages if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in messages if m["type"] == "http.response.body")
    headers = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return Reply(start["status"], headers, body)


def served(url: str, scenario, **options):
    """Run `scenario(app, broker)` with the push broker running on `url`."""
    options = {"check_interval": 3600.0, **options}

    async def main():
        app = Starlette(routes=server.routes())
        async with routes.push(url, **options) as broker:
            return await asyncio.wait_for(scenario(app, broker), 20)

    return run_async(main())


@pytest.fixture
def service(room_db_url) -> RoomService:  # noqa: F811
    engine = make_engine(room_db_url)
    from teamroles.room import upgrade

    upgrade(engine)
    yield RoomService(engine, QUIZZES)
    engine.dispose()


async def until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.005)


def in_thread(action, *args, **kwargs):
    """Run a service call on another thread, as a script run does."""
    thread = threading.Thread(target=action, args=args, kwargs=kwargs)
    thread.start()
    thread.join()


def test_a_page_behind_the_room_gets_its_version_at_once(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)
    service.start(room.code, room.host_token)

    async def scenario(app, broker):
        return await get(app, room.code.lower(), after=0)

    reply = served(room_db_url, scenario)
    assert reply.status == 200
    assert reply.json["version"] == service.state(room.code).version
    assert reply.headers["cache-control"] == "no-store"


def test_a_waiting_phone_hears_the_host_move_on(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)
    version = service.state(room.code).version

    async def scenario(app, broker):
        phone = asyncio.ensure_future(get(app, room.code, after=version))
        await until(lambda: broker.waiting == 1)
        await asyncio.to_thread(service.start, room.code, room.host_token)
        return await phone

    reply = served(room_db_url, scenario)
    assert reply.status == 200
    assert reply.json["version"] == service.state(room.code).version > version


def test_answers_wake_the_host_listener_and_not_the_phones(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)
    ana = service.join(room.code, "Ana")
    service.start(room.code, room.host_token)
    version = service.state(room.code).version

    async def scenario(app, broker):
        first = await get(app, room.code, after=version, seen=0)  # the room read afresh
        seen = first.json["activity"]
        host = asyncio.ensure_future(get(app, room.code, after=version, seen=seen))
        phone = asyncio.ensure_future(get(app, room.code, after=version))
        await until(lambda: broker.waiting == 2)
        await asyncio.to_thread(service.answer, room.code, ana.token, "What", question_index=0)
        answered = await host
        # The phone sleeps on: the next thing it hears is the reveal, not the answer.
        await asyncio.to_thread(service.reveal, room.code, room.host_token)
        return seen, answered, await phone

    seen, answered, phone = served(room_db_url, scenario)
    assert answered.status == 200
    assert answered.json["activity"] > seen
    assert phone.json["version"] == service.state(room.code).version > version


def test_an_unknown_room_is_404_and_a_bad_number_400(service, room_db_url):  # noqa: F811
    async def scenario(app, broker):
        return (
            await get(app, "ZZZZZ", after=0),
            await get(app, "not a code!", after=0),
            await get(app, "ZZZZZ", after="two"),
        )

    unknown, nonsense, bad = served(room_db_url, scenario)
    assert (unknown.status, unknown.json) == (404, {"error": "unknown room"})
    assert nonsense.status == 404
    assert bad.status == 400


def test_a_held_request_ends_with_the_room_as_it_is(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)
    version = service.state(room.code).version

    async def scenario(app, broker):
        return await get(app, room.code, after=version)

    reply = served(room_db_url, scenario, hold_seconds=0.1)
    assert (reply.status, reply.json["version"]) == (200, version)


def test_a_full_room_is_told_to_retry_later(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)

    async def scenario(app, broker):
        held = asyncio.ensure_future(get(app, room.code, after=0))
        await until(lambda: broker.waiting == 1)
        refused = await get(app, room.code, after=0)
        held.cancel()
        return refused

    refused = served(room_db_url, scenario, max_per_room=1)
    assert refused.status == 503
    assert int(refused.headers["retry-after"]) > 0


def test_a_browser_that_goes_away_frees_its_place(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)

    async def scenario(app, broker):
        gone = asyncio.Event()
        held = asyncio.ensure_future(get(app, room.code, disconnect=gone, after=0))
        await until(lambda: broker.waiting == 1)
        gone.set()
        await held
        await until(lambda: broker.waiting == 0)
        return True

    assert served(room_db_url, scenario)


def test_a_deleted_room_ends_the_wait_with_404(service, room_db_url):  # noqa: F811
    room = service.create_room("demo", shuffle=False)

    async def scenario(app, broker):
        phone = asyncio.ensure_future(get(app, room.code, after=0))
        await until(lambda: broker.waiting == 1)
        await asyncio.to_thread(service.delete_room, room.code)
        return await phone

    assert served(room_db_url, scenario).status == 404


def test_a_change_made_outside_the_server_is_seen_within_the_check(
    service,
    room_db_url,  # noqa: F811
):
    """The CLI's `room delete` or another process on the SQLite file: nobody publishes;
    the once-a-second check finds it."""
    room = service.create_room("demo", shuffle=False)
    engine = make_engine(room_db_url)

    def bump():
        with engine.begin() as connection:
            connection.execute(sa.text("UPDATE rooms SET version = version + 1"))

    async def scenario(app, broker):
        phone = asyncio.ensure_future(get(app, room.code, after=0))
        await until(lambda: broker.waiting == 1)
        await asyncio.to_thread(bump)
        return await phone

    try:
        reply = served(room_db_url, scenario, check_interval=0.1)
    finally:
        engine.dispose()
    assert reply.json["version"] == 1


@pytest.mark.parametrize("room_db_url", ["postgresql"], indirect=True)
def test_another_servers_change_arrives_by_notify(service, room_db_url):  # noqa: F811
    """A change committed with pg_notify on another connection (another server) wakes
    this server's waiters, with no check running and nothing published here."""
    room = service.create_room("demo", shuffle=False)
    engine = make_engine(room_db_url)

    def other_server_starts():
        with engine.begin() as connection:
            connection.execute(
                sa.text("UPDATE rooms SET version = version + 1 WHERE code = :code"),
                {"code": room.code},
            )
            connection.execute(
                sa.text(f"SELECT pg_notify('{CHANNEL}', :code)"), {"code": room.code}
            )

    async def scenario(app, broker):
        phone = asyncio.ensure_future(get(app, room.code, after=0))
        await until(lambda: broker.waiting == 1)
        await until(lambda: broker.listening)
        await asyncio.to_thread(other_server_starts)
        return await phone

    try:
        reply = served(room_db_url, scenario)
    finally:
        engine.dispose()
    assert reply.json["version"] == 1


def test_the_server_serves_the_route_beside_streamlits():
    paths = [route.path for route in server.routes()]
    assert routes.CHANGES_PATH in paths


def test_the_secrets_file_names_the_rooms_database(tmp_path):
    folder = tmp_path / ".streamlit"
    folder.mkdir()
    (folder / "secrets.toml").write_text('[connections.rooms]\nurl = "sqlite:///x.db"\n')
    assert routes.secrets_url([tmp_path / "missing", folder]) == "sqlite:///x.db"
    assert routes.secrets_url([tmp_path / "missing"]) is None
