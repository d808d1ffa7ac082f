"""A participant's page, `/join`, drawn for a phone: join with a nickname, then play.

`/join?room=CODE` fills in the code. Joining puts the participant's secret token in
the address (`&me=TOKEN`), so a reload, a phone that slept or a dropped connection
comes back as the same person, with their answers.

A room of 200 phones waits most of the time, so a waiting phone must cost nothing:
the screen is one fragment with the room's listener in it (teamroles/ui/listener.py),
which reruns it only when the host acts (the room's `version` changes); without push
(a proxy that blocks the route) the listener falls back to a rerun every
`PARTICIPANT_POLL_SECONDS`. A rerun draws a few elements, reading only the room's
state, which the process's sessions share for a quarter of a second
(`RoomService.state(max_age=...)`). What a question, an answer or a score needs is
read once per host action, and the question and the standings once for the whole
room. A host action therefore costs each phone one fragment run, not a page run, and
a tap on an answer reruns only the screen. The listener stops once the room has ended.

Nicknames are always shown as text: `st.text`, or Markdown escaped by
`teamroles.textsafe.plain`.
"""

from __future__ import annotations

from datetime import UTC, datetime

import streamlit as st

from teamroles.room import NotParticipant, RoomError, RoomNotFound, RoomState
from teamroles.room import screens as workshop
from teamroles.textsafe import plain
from teamroles.ui import assets, listener
from teamroles.ui import room as room_ui
from teamroles.ui import shell as ui

CODE_KEY, NICKNAME_KEY = "join_code", "join_nickname"
JOIN_ERROR = "join_error"
VIEW = "join_view"  # what this participant's screen needs, per room version
ANSWER_ERROR = "join_answer_error"  # (room version, message) of a refused answer
ME_KEY = "join_me"  # ((code, token, room version), Person)

# Large answer buttons, full width, well over the 48 px tap target.
PHONE_CSS = assets.style("css/phone.css")


def page() -> None:
    st.html(PHONE_CSS)
    params = st.query_params
    code = workshop.read_code(params.get(workshop.ROOM))
    token = params.get(workshop.ME)
    if code and token and participant_page(code, token):
        return
    join_form(code)


# ---------------------------------------------------------------- joining


def join_form(code: str | None) -> None:
    st.title("Join a workshop")
    st.markdown(
        "Type the room code shown on the screen and pick a nickname. Questions appear "
        "here when the facilitator starts; answer with one tap."
    )
    if CODE_KEY not in st.session_state or (code and not st.session_state[CODE_KEY]):
        st.session_state[CODE_KEY] = code or ""
    with st.container(key="join-form"), st.form("join", border=False, enter_to_submit=True):
        st.text_input("Room code", max_chars=12, key=CODE_KEY, placeholder="For example K7MPQ")
        st.text_input(
            "Nickname",
            max_chars=workshop.NICKNAME_FIELD_MAX_CHARS,
            key=NICKNAME_KEY,
            placeholder="How the room will see you",
        )
        st.form_submit_button(
            "Join", type="primary", icon=":material/login:", width="stretch", on_click=_join
        )
    room_ui.show_action_error(JOIN_ERROR)
    st.caption(
        "Use a nickname, not your full name: it is all the room stores about you. "
        + workshop.retention_notice()
    )
    ui.reading_links()


def _join() -> None:
    state = st.session_state
    code = workshop.read_code(state.get(CODE_KEY))
    if code is None:
        state[JOIN_ERROR] = "Type the room code shown on the screen: letters and digits."
        return
    joined = room_ui.run_action(
        JOIN_ERROR, room_ui.service().join, code, state.get(NICKNAME_KEY) or ""
    )
    if joined is None:
        return
    state.pop(VIEW, None)
    st.query_params.from_dict({workshop.ROOM: code, workshop.ME: joined.token})


def _join_again() -> None:
    st.session_state.pop(VIEW, None)
    st.session_state[NICKNAME_KEY] = ""
    code = st.query_params.get(workshop.ROOM)
    st.query_params.from_dict({workshop.ROOM: code} if code else {})


# ---------------------------------------------------------------- playing


def participant_page(code: str, token: str) -> bool:
    """The live screen; False (the join form follows) when the link is not a participant's."""
    person = state = None
    with room_ui.database_guard(retry=True):
        try:
            service = room_ui.service()
            state = service.state(code, max_age=workshop.STATE_MAX_AGE_SECONDS)
            person = _me(service, code, token, state.version)
        except NotParticipant as error:
            room_ui.show_error(error, icon=":material/person_off:")
            return False
        except RoomNotFound as error:
            room_ui.show_error(error)
            return False
    if person is None or state is None:
        return True  # the database could not be reached: the guard said so and retries
    st.set_page_config(page_title=f"Room {code}: {state.quiz_title}")
    ticking = state.phase != "ended"
    with st.container(key="room-phone"):
        # What never changes is drawn once, outside the live fragment.
        st.title(state.quiz_title, anchor=False)
        st.text(f"{person.nickname} · Room {code}")  # a nickname is text, never Markdown
        st.fragment(_live)(code, token, ticking)
    return True


def _me(service, code: str, token: str, version: int):
    """Who this link belongs to, asked again whenever the room changes (a removal does)."""
    key = (code, token, version)
    known = st.session_state.get(ME_KEY)
    if known is None or known[0] != key:
        known = st.session_state[ME_KEY] = (key, service.me(code, token))
    return known[1]


def _live(code: str, token: str, ticking: bool) -> None:
    service = room_ui.service()
    with room_ui.database_guard():
        try:
            state = service.state(code, max_age=workshop.STATE_MAX_AGE_SECONDS)
        except RoomError:  # deleted meanwhile, say: the page says so, with no listener
            st.rerun()
        listener.follow(state, ticking, int(workshop.PARTICIPANT_POLL_SECONDS * 1000))
        try:
            view = _view(service, code, token, state)
        except NotParticipant as error:
            room_ui.show_error(error, icon=":material/person_off:")
            st.button("Join again", on_click=_join_again, key="room_join_again")
            return
        if state.phase == "lobby":
            _waiting(state)
        elif state.phase == "question":
            _question(state, view, code, token)
        elif state.phase == "revealed":
            _revealed(state, view)
        else:
            _ended(state, view)


def _view(service, code: str, token: str, state: RoomState) -> dict:
    """What this screen needs beyond the state row, read once per room version."""
    key = (code, token, state.version)
    before = st.session_state.get(VIEW)
    if before is not None and before["key"] == key:
        return before
    view = {"key": key, "index": state.index, "question": None, "mine": {}, "score": None}
    if state.phase in ("question", "revealed"):
        view["question"] = service.question(
            code, state.index, max_age=workshop.SHARED_MAX_AGE_SECONDS
        )
    if _next_question(before, code, token, state):
        # The host moved on: nobody has answered the new question yet, and this screen
        # knows its own answers, so all the room's phones skip one read each (a removal
        # at the same moment is refused at this phone's next tap).
        view["mine"] = before["mine"]
    elif state.phase != "lobby":
        view["mine"] = service.my_answers(code, token)
    if state.phase in ("revealed", "ended"):
        view["score"] = service.my_score(code, token, max_age=workshop.SHARED_MAX_AGE_SECONDS)
    st.session_state[VIEW] = view
    return view


def _next_question(before: dict | None, code: str, token: str, state: RoomState) -> bool:
    """Whether this screen drew this participant's earlier question of the same room."""
    return (
        before is not None
        and before["key"][:2] == (code, token)
        and state.phase == "question"
        and before.get("index") is not None
        and state.index == before["index"] + 1
    )


def _waiting(state: RoomState) -> None:
    st.info(
        "**You're in!** Waiting for the host to start the quiz…  \n"
        "Keep this page open: the first question appears here by itself.",
        icon=":material/hourglass_top:",
    )


def _question(state: RoomState, view: dict, code: str, token: str) -> None:
    question = view["question"]
    mine = view["mine"].get(state.index)
    left = workshop.seconds_left(state.deadline, datetime.now(UTC))
    with st.container(key="room-statement"):
        st.markdown(f"Question {state.question_number} of {state.total}\n\n{question.statement}")
    if left is not None:
        with st.container(key="room-countdown"):
            st.markdown(workshop.countdown_text(left))
    closed = mine is None and left == 0
    with st.container(key="room-choices"):
        for i, choice in enumerate(question.choices):
            st.button(
                choice,
                key=f"room_choice_{state.index}_{i}",
                type="primary" if mine is not None and mine.choice == choice else "secondary",
                disabled=mine is not None or closed,
                width="stretch",
                on_click=_answer,
                args=(code, token, choice, state.version, state.index),
            )
    error = st.session_state.get(ANSWER_ERROR, (None, None))
    error = error[1] if error[0] == state.version else None
    if mine is not None:
        st.success(
            f"You answered **{plain(mine.choice)}**. Wait for the host to reveal the answer.",
            icon=":material/lock:",
        )
    elif error:
        st.warning(plain(error), icon=":material/warning:")
    elif closed:
        st.warning("Time's up for this question.", icon=":material/timer_off:")


def _answer(code: str, token: str, choice: str, version: int, index: int) -> None:
    """The tap on `choice` for question `index`, as the screen of room `version` showed it.

    A refusal is shown on the screen it concerns: this one, or, when the question had
    closed meanwhile, the room's current screen ("here is the next one")."""
    given = room_ui.run_action(
        ANSWER_ERROR,
        room_ui.service().answer,
        code,
        token,
        choice,
        question_index=index,
        keep=lambda error, sentence: (getattr(error, "version", version), sentence),
    )
    if given is None:
        st.session_state.pop(VIEW, None)  # read again: the room may have moved on
        return
    view = st.session_state.get(VIEW)
    if view is not None and view["key"] == (code, token, version):
        view["mine"] = {**view["mine"], given.question_index: given}


def _revealed(state: RoomState, view: dict) -> None:
    question = view["question"]
    mine = view["mine"].get(state.index)
    with st.container(key="room-statement"):
        st.markdown(f"Question {state.question_number} of {state.total}\n\n{question.statement}")
    kind, text = workshop.verdict(
        mine.choice if mine else None, mine.correct if mine else None, question.answer
    )
    if kind == "right":
        st.success(text, icon=":material/check_circle:")
    elif kind == "wrong":
        st.error(text, icon=":material/cancel:")
    else:
        st.info(text, icon=":material/info:")
    st.markdown(f"{question.explanation}\n\n{_score(state, view, asked=state.question_number)}")
    st.caption("The next question appears here when the host moves on.")


def _score(state: RoomState, view: dict, asked: int) -> str:
    """The running score, in bold, as Markdown ("" before there is one)."""
    score = view["score"]
    if score is None:
        return ""
    points = score.points if state.speed_bonus else None
    return f"**{workshop.score_sentence(score.correct, asked, points)}**"


def _ended(state: RoomState, view: dict) -> None:
    asked = max(len(view["mine"]), state.question_number if state.index >= 0 else 0)
    score = _score(state, view, asked=asked) if asked else ""
    st.markdown(f"### The workshop is over\n\n{score}\n\nThank you for taking part!")
