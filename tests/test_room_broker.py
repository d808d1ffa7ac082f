"""The push broker on its own: a fake database (a dict of versions), asyncio.run."""

from __future__ import annotations

import asyncio
import itertools
import threading

import pytest

from teamroles.room.broker import Broker, Busy
from teamroles.room.errors import RoomNotFound
from tests.threads import run_async


class FakeRooms:
    """The rooms' versions, and how often the broker read them."""

    def __init__(self, **versions: int):
        self.versions = dict(versions)
        self.reads: list[list[str]] = []

    def __call__(self, codes: list[str]) -> dict[str, int]:
        self.reads.append(list(codes))
        return {code: self.versions[code] for code in codes if code in self.versions}


def run(scenario, rooms: FakeRooms, **options):
    """Run `scenario(broker)` on a started broker (long hold, no background check
    unless asked for), stopping it after."""
    options = {"hold_seconds": 30.0, "check_interval": 3600.0, **options}

    async def main():
        broker = Broker(rooms, **options)
        await broker.start()
        try:
            return await asyncio.wait_for(scenario(broker), 10)
        finally:
            await broker.stop()

    return run_async(main())


async def until(condition) -> None:
    while not condition():
        await asyncio.sleep(0.001)


def test_a_page_behind_the_room_is_answered_at_once_and_one_up_to_date_waits():
    rooms = FakeRooms(ABCDE=3)

    async def scenario(broker):
        behind = await broker.wait("ABCDE", after=2)
        waiting = asyncio.ensure_future(broker.wait("ABCDE", after=3))
        await until(lambda: broker.waiting == 1)
        rooms.versions["ABCDE"] = 4
        broker.publish("ABCDE")
        return behind[0], (await waiting)[0]

    assert run(scenario, rooms) == (3, 4)


def test_a_host_action_wakes_every_phone_with_one_read_of_the_database():
    rooms = FakeRooms(ABCDE=0)

    async def scenario(broker):
        phones = [asyncio.ensure_future(broker.wait("ABCDE", after=0)) for _ in range(50)]
        await until(lambda: broker.waiting == 50)
        reads_before = len(rooms.reads)
        rooms.versions["ABCDE"] = 1
        broker.publish("ABCDE")
        answers = await asyncio.gather(*phones)
        return {version for version, _ in answers}, len(rooms.reads) - reads_before

    versions, reads = run(scenario, rooms)
    assert versions == {1}
    assert reads == 1


def test_a_publish_from_a_script_thread_reaches_the_waiters():
    rooms = FakeRooms(ABCDE=0)

    async def scenario(broker):
        phone = asyncio.ensure_future(broker.wait("ABCDE", after=0))
        await until(lambda: broker.waiting == 1)
        rooms.versions["ABCDE"] = 1
        thread = threading.Thread(target=broker.publish, args=("ABCDE",))
        thread.start()
        thread.join()
        return await phone

    assert run(scenario, rooms)[0] == 1


def test_answers_wake_the_host_coalesced_but_never_a_phone():
    rooms = FakeRooms(ABCDE=1)

    async def scenario(broker):
        _, seen = await broker.wait("ABCDE", after=0)
        phone = asyncio.ensure_future(broker.wait("ABCDE", after=1))
        host = asyncio.ensure_future(broker.wait("ABCDE", after=1, seen=seen))
        await until(lambda: broker.waiting == 2)
        reads_before = len(rooms.reads)
        for _ in range(20):  # twenty answers in a burst
            broker.publish("ABCDE", version=False, activity=True)
        _, activity = await host
        # The host comes back with what it saw: the next answers wake it once more.
        again = asyncio.ensure_future(broker.wait("ABCDE", after=1, seen=activity))
        await until(lambda: broker.waiting == 2)
        broker.publish("ABCDE", version=False, activity=True)
        broker.publish("ABCDE", version=False, activity=True)
        _, latest = await again
        reads = len(rooms.reads) - reads_before
        # The phone slept through the answers: what wakes it is the next host action.
        rooms.versions["ABCDE"] = 2
        broker.publish("ABCDE")
        return activity > seen, latest > activity, (await phone)[0], reads

    host_woken, woken_again, phone_version, reads = run(scenario, rooms, activity_interval=0.05)
    assert host_woken and woken_again
    assert phone_version == 2
    assert reads == 0  # an answer changes no version: nothing to read


def test_host_wakeups_are_at_most_one_per_interval():
    rooms = FakeRooms(ABCDE=1)

    async def scenario(broker):
        _, seen = await broker.wait("ABCDE", after=1, seen=0)
        loop = asyncio.get_running_loop()
        woken = []
        for _ in range(3):
            host = asyncio.ensure_future(broker.wait("ABCDE", after=1, seen=seen))
            await until(lambda: broker.waiting == 1)
            broker.publish("ABCDE", version=False, activity=True)
            _, seen = await host
            woken.append(loop.time())
        return [later - earlier for earlier, later in itertools.pairwise(woken)]

    gaps = run(scenario, rooms, activity_interval=0.2)
    assert all(gap >= 0.19 for gap in gaps), gaps


def test_a_held_request_is_answered_with_the_room_as_it_is_when_the_hold_ends():
    rooms = FakeRooms(ABCDE=4)

    async def scenario(broker):
        return await broker.wait("ABCDE", after=4)

    assert run(scenario, rooms, hold_seconds=0.05)[0] == 4


def test_an_unknown_room_is_refused_and_a_deleted_one_ends_the_wait():
    rooms = FakeRooms(ABCDE=0)

    async def scenario(broker):
        with pytest.raises(RoomNotFound):
            await broker.wait("ZZZZZ", after=0)
        phone = asyncio.ensure_future(broker.wait("ABCDE", after=0))
        await until(lambda: broker.waiting == 1)
        del rooms.versions["ABCDE"]  # the CLI's `room delete`: nobody published it
        await broker.check()
        with pytest.raises(RoomNotFound):
            await phone
        return True

    assert run(scenario, rooms)


def test_the_check_notices_a_change_nobody_announced():
    rooms = FakeRooms(ABCDE=0, FGHJK=0)

    async def scenario(broker):
        phones = [asyncio.ensure_future(broker.wait(code, after=0)) for code in rooms.versions]
        await until(lambda: broker.waiting == 2)
        rooms.reads.clear()
        rooms.versions["FGHJK"] = 2
        return await phones[1], rooms.reads, phones[0].done()

    (version, _), reads, other_woken = run(scenario, rooms, check_interval=0.05)
    assert version == 2
    assert reads[0] == ["ABCDE", "FGHJK"]  # one read for every watched room
    assert not other_woken


def test_the_caps_refuse_a_listener_too_many():
    rooms = FakeRooms(ABCDE=0, FGHJK=0)

    async def scenario(broker):
        held = [asyncio.ensure_future(broker.wait("ABCDE", after=0)) for _ in range(2)]
        await until(lambda: broker.waiting == 2)
        with pytest.raises(Busy) as per_room:
            await broker.wait("ABCDE", after=0)
        held.append(asyncio.ensure_future(broker.wait("FGHJK", after=0)))
        await until(lambda: broker.waiting == 3)
        with pytest.raises(Busy):
            await broker.wait("FGHJK", after=0)
        # An answer the page has not seen yet is never refused: it costs no waiter.
        behind = await broker.wait("ABCDE", after=-1)
        return per_room.value.retry_after, behind[0]

    retry_after, version = run(scenario, rooms, max_per_room=2, max_waiters=3)
    assert retry_after > 0
    assert version == 0


def test_the_first_requests_for_a_room_share_one_read():
    rooms = FakeRooms(ABCDE=5)

    async def scenario(broker):
        return await asyncio.gather(*(broker.wait("ABCDE", after=4) for _ in range(30)))

    answers = run(scenario, rooms)
    assert {version for version, _ in answers} == {5}
    assert len(rooms.reads) == 1


def test_publishing_without_a_running_broker_does_nothing():
    broker = Broker(FakeRooms(ABCDE=0))
    broker.publish("ABCDE")  # no loop: nothing to tell, nothing raised
    assert broker.activity("ABCDE") == 0
