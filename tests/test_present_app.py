"""/present with AppTest: the landing page, every slide of the shipped deck in turn, the
speaker view's notes, stable links, and a live question run from its slide."""

from __future__ import annotations

from types import SimpleNamespace
from urllib.parse import parse_qs

import pytest

from teamroles.content.site import load_site
from teamroles.navigation import FEATURE_PAGES
from teamroles.ui import present as present_ui
from teamroles.ui import room as room_ui
from tests.apptest import open_app, open_url, record_downloads

SITE = load_site()


def present(query: dict[str, str]):
    at = open_app()
    for name, value in query.items():
        at.query_params[name] = value
    return open_url(at, "present")


def shown(at) -> str:
    return "\n".join(element.value for element in at.main.markdown)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_the_landing_page_offers_every_deck_and_its_offline_file(monkeypatch):
    downloads = record_downloads(monkeypatch)
    at = open_url(open_app(), "present")
    assert not at.exception
    text = shown(at)
    for deck in SITE.decks:
        assert deck.title in text and deck.summary in text
        assert f"{len(deck)} slides" in text
    links = [link.label for link in at.main.get("page_link")]
    assert "Present on this screen" in links and "Speaker view" in links
    assert any(label.startswith("Next:") for label in links)  # still part of the reading order
    exported = [b for b in at.get("download_button")]
    assert len(exported) == len(SITE.decks)
    assert downloads == []  # the file is built only when asked for (it holds plotly.js)


def test_an_unknown_deck_is_named_with_the_ones_that_exist():
    at = present({"deck": "no-such-deck"})
    assert not at.exception
    warning = at.warning[0].value
    assert "no-such-deck" in warning
    assert all(deck.id in warning for deck in SITE.decks)


@pytest.mark.parametrize("deck", SITE.decks, ids=lambda deck: deck.id)
def test_next_steps_through_every_slide_of_the_deck(deck):
    at = present({"deck": deck.id})
    for slide in deck.slides:
        assert not at.exception, (slide.number, [e.value for e in at.exception])
        text = shown(at)
        assert f"# {slide.title}" in text, slide.number
        assert f"{slide.number} / {len(deck)}" in text
        if slide.body:
            assert slide.body in text
        assert at.query_params["slide"] == str(slide.number)  # a stable link to it
        nxt = at.button(key="slide-next")
        if slide.number == len(deck):
            assert nxt.disabled
        else:
            nxt.click().run()
    at.button(key="slide-previous").click().run()
    assert f"# {deck.slides[-2].title}" in shown(at)


def test_a_link_opens_its_slide_and_junk_opens_the_nearest():
    deck = SITE.decks[0]
    assert f"# {deck.slides[6].title}" in shown(present({"deck": deck.id, "slide": "7"}))
    last = present({"deck": deck.id, "slide": "999"})
    assert f"# {deck.slides[-1].title}" in shown(last)
    first = present({"deck": deck.id, "slide": "seven"})
    assert f"# {deck.slides[0].title}" in shown(first)


def test_the_speaker_view_shows_this_slide_the_next_and_the_notes():
    deck = SITE.decks[0]
    number = next(s.number for s in deck.slides if s.notes and s.number < len(deck))
    slide, following = deck.slides[number - 1], deck.slides[number]
    at = present({"deck": deck.id, "slide": str(number), "view": "speaker"})
    assert not at.exception
    text = shown(at)
    assert f"### {slide.title}" in text and f"### {following.title}" in text
    assert slide.notes in text
    # The projected view never shows notes.
    projected = shown(present({"deck": deck.id, "slide": str(number)}))
    assert slide.notes not in projected
    assert len(at.get("download_button")) == 1  # the offline file, with these notes


@pytest.fixture
def service(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'rooms.sqlite3'}"
    monkeypatch.setenv("TEAMROLES_DATABASE_URL", url)
    return room_ui.service_for(url)


def test_a_live_slide_opens_a_room_for_its_question_and_runs_it(service):
    opened = _open_live_room(service)
    at, live, code = opened.at, opened.slide, opened.code
    assert code in shown(at)  # the join code, as in the workshop's lobby
    state = service.state(code)
    assert state.total == 1
    assert service.question(code, 0).statement == live_statement(live)
    button(at, "Start").click().run()
    assert service.state(code).phase == "question"
    assert live_statement(live) in shown(at)


def live_statement(slide) -> str:
    quiz = next(q for q in SITE.quizzes if q.id == slide.quiz_id)
    return quiz.question(slide.question_id).statement


def test_leave_the_deck_returns_to_the_list_of_decks():
    deck = SITE.decks[0]
    at = present({"deck": deck.id, "slide": "3"})
    at.button(key="slide-leave").click().run()
    assert not at.exception
    assert "deck" not in at.query_params
    assert at.title[0].value == next(p.title for p in FEATURE_PAGES if p.url_path == "present")
    assert deck.summary in shown(at)


# ---------------------------------------------------------------- issue 18: the live room


def _open_live_room(service):
    deck = SITE.decks[0]
    live = next(slide for slide in deck.slides if slide.is_live)
    at = present({"deck": deck.id, "slide": str(live.number)})
    button(at, "Open a room for this question").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ((code, token),) = at.session_state[present_ui.ROOMS].values()
    return SimpleNamespace(deck=deck, slide=live, at=at, code=code, token=token)


def _reopen(query: dict) -> object:
    """A new session on the same address: what a reload, or another window, gives."""
    at = open_app()
    for name, value in query.items():
        at.query_params[name] = value
    return open_url(at, "present")


def test_a_live_room_survives_a_reload_and_is_the_same_in_the_speaker_view(service):
    """Bug 2: the room's host token lived only in the session."""
    room = _open_live_room(service)
    at, code = room.at, room.code
    query = dict(at.query_params)
    reloaded = _reopen(query)
    assert not reloaded.exception
    assert code in shown(reloaded)
    assert "Open a room for this question" not in {b.label for b in reloaded.button}
    button(reloaded, "Start").click().run()  # it controls the same room
    assert service.state(code).phase == "question"
    # The speaker view, opened from the projector's link, knows the same room.
    speaker_link = next(m.value for m in at.main.markdown if "Speaker view" in m.value)
    href = speaker_link[speaker_link.index("(?") + 2 : speaker_link.index(")")]
    speaker = _reopen({k: v[-1] for k, v in parse_qs(href).items()})
    assert not speaker.exception
    assert f"Live room {code}" in shown(speaker).replace("\\", "")


def test_a_forged_live_room_link_controls_nothing(service):
    room = _open_live_room(service)
    code = room.code
    query = {**dict(room.at.query_params), present_ui.LIVE: f"{code}.forged-token"}
    forged = _reopen(query)
    assert not forged.exception
    assert "Start" not in {b.label for b in forged.button}
    assert "Open a room for this question" in {b.label for b in forged.button}
    assert service.state(code).phase == "lobby"


def test_a_new_room_on_an_ended_live_slide_stays_in_the_deck(service):
    """Bug 3: "Create a new room" on the ended slide cleared the address: out of the deck."""
    room = _open_live_room(service)
    deck, live, at, code = room.deck, room.slide, room.at, room.code
    service.end(code, room.token)
    at.run()
    assert "The hardest questions" in [s.value for s in at.subheader]  # the results
    button(at, "Ask it again in a new room").click().run()
    assert not at.exception
    assert at.query_params["deck"] == deck.id and at.query_params["slide"] == str(live.number)
    ((new_code, _),) = at.session_state[present_ui.ROOMS].values()
    assert new_code != code and service.state(new_code).phase == "lobby"
    assert new_code in shown(at)


def test_a_database_blip_on_a_live_slide_is_a_message_not_a_traceback(service, monkeypatch):
    """Bug 6: present_ui called the service outside the workshop pages' guard."""
    from sqlalchemy.exc import OperationalError

    from teamroles.room import RoomService

    room = _open_live_room(service)
    deck, live, at = room.deck, room.slide, room.at

    def down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    for method in ("state", "check_host", "create_room"):
        monkeypatch.setattr(RoomService, method, down)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "database cannot be reached" in "\n".join(w.value for w in at.warning)
    fresh = present({"deck": deck.id, "slide": str(live.number)})
    button(fresh, "Open a room for this question").click().run()
    assert not fresh.exception, [e.value for e in fresh.exception]
    assert "database cannot be reached" in "\n".join(e.value for e in fresh.error)
