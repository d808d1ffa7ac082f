"""The facilitator's page, `/workshop`: create a room, then run it on a projector.

Without `?room=` the page is the create form. After "Create room" it shows the
room's code, join link, QR code and the secret host link once; the host view
(`?room=CODE&host=TOKEN`) is what goes on the projector: wide, large type, no
sidebar, one question at a time and only the buttons that apply now. The host view
is one `st.fragment` with the room's listener in it (teamroles/ui/listener.py): it
reruns when anyone joins or answers (at most 4 times a second) or the room moves on,
so joins and answers show up by themselves, with no timer (without push, every
`POLL_SECONDS`); the listener stops once the room has ended.

Every host action goes through `RoomService`, which checks the host token each time:
a page without the right token draws no control at all.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import streamlit as st

from teamroles.content.quizbank import Quiz
from teamroles.figures import room_results, style
from teamroles.room import NotHost, Person, RoomError, RoomState
from teamroles.room import screens as workshop
from teamroles.textsafe import plain
from teamroles.ui import assets, listener
from teamroles.ui import room as room_ui
from teamroles.ui import shell as ui

CREATED = "room_created"  # (code, host token, settings summary) right after "Create room"
CREATE_ERROR = "room_create_error"
HOST_ERROR = "room_host_error"
CONFIRM_END = "room_confirm_end"  # (code, version) while "End" waits for a yes
REMOVE_PICK = "room_remove_pick"

# The projector (assets/css/): no sidebar, no header, wide, large type. Scoped to this
# page's containers (`st.container(key=...)` gives the class `st-key-<key>`). The width is
# set here too, not only by `layout="wide"`: after a full rerun in a session that is
# already wide, the app's own `set_page_config(layout="centered")` (teamroles/ui/shell.py)
# followed by this page's "wide" leaves the browser centered (Streamlit 1.67's
# frontend compares each message with a layout it has not applied yet).
HOST_CSS = assets.style("css/hide-chrome.css", "css/host.css")

# The "ready" screen after creating: the code large, still in the app's usual frame.
READY_CSS = """<style>
.st-key-room-code [data-testid="stMarkdownContainer"] p {
  font-size: 5rem !important; font-weight: 700; letter-spacing: 0.12em; line-height: 1.1;
}
</style>"""


def page() -> None:
    """/workshop: the create form, the room just created, the host view, or a refusal."""
    params = st.query_params
    if workshop.ROOM not in params:
        create_page()
        return
    code = workshop.read_code(params.get(workshop.ROOM))
    if code is None:
        st.title("Run a workshop")
        st.error("This link has no valid room code.", icon=":material/error:")
        _new_room_button()
        return
    token = params.get(workshop.HOST)
    created = st.session_state.get(CREATED)
    if created and created[:2] == (code, token):
        ready_page(code, token, created[2])
        return
    host_page(code, token)


# ---------------------------------------------------------------- create


def _banks() -> dict[str, Quiz]:
    return {quiz.id: quiz for quiz in ui.site().quizzes if quiz.questions}


def create_page() -> None:
    st.title("Run a workshop")
    st.markdown(
        "Run a live quiz for a room full of phones: you project the questions, everyone "
        "answers on their own phone, and the room sees how it answered after each one. "
        "Pick a quiz and the settings, then **Create room**."
    )
    banks = _banks()
    if not banks:
        st.info("No quiz is available right now.", icon=":material/info:")
        ui.reading_links()
        return
    ids = list(banks)
    # Not an st.form: the quiz, "Choose how many" and the leaderboard reshape the form as
    # they change (the counts, the count field, the speed bonus). Every value is read
    # from its widget on the run the button's click makes, which carries them all.
    with st.container(border=True, key="room-create"):
        quiz_id = st.radio(
            "Quiz bank",
            ids,
            format_func=lambda quiz_id: banks[quiz_id].title,
            captions=[f"{len(banks[i].questions)} questions" for i in ids],
            key="room_quiz",
        )
        size = len(banks[quiz_id].questions)
        length = st.radio(
            "Questions",
            ["all", "some"],
            format_func=lambda v: f"All {size}" if v == "all" else "Choose how many",
            horizontal=True,
            key="room_length",
        )
        how_many = None
        if length == "some":
            how_many = st.number_input(
                "How many questions",
                min_value=1,
                max_value=size,
                value=min(5, size),
                step=1,
                key=f"room_how_many_{quiz_id}",
            )
        order = st.radio(
            "Order",
            ["shuffled", "fixed"],
            format_func=lambda v: "Shuffled" if v == "shuffled" else "As in the quiz bank",
            horizontal=True,
            key="room_order",
        )
        countdown = st.number_input(
            "Countdown per question, in seconds (0: no countdown)",
            min_value=0,
            max_value=workshop.MAX_COUNTDOWN_SECONDS,
            value=0,
            step=5,
            key="room_countdown",
            help="With a countdown, answers close by themselves when the time is up.",
        )
        leaderboard = st.toggle(
            "Show a leaderboard after each answer", value=False, key="room_leaderboard"
        )
        speed_bonus = st.toggle(
            "Speed bonus: a faster right answer scores up to half a point more",
            value=False,
            key="room_speed",
            disabled=not leaderboard,
        )
        max_participants = st.number_input(
            "Most participants",
            min_value=1,
            max_value=5000,
            value=workshop.DEFAULT_MAX_PARTICIPANTS,
            step=10,
            key="room_max",
        )
        create = st.button(
            "Create room", type="primary", icon=":material/add_circle:", key="room_create_button"
        )
    if create:
        settings = workshop.room_settings(
            quiz_id,
            size,
            all_questions=length != "some",
            how_many=how_many,
            shuffle=order != "fixed",
            countdown=countdown,
            leaderboard=leaderboard,
            speed_bonus=speed_bonus,
            max_participants=max_participants,
        )
        _create(banks[quiz_id], settings)
    room_ui.show_action_error(CREATE_ERROR)
    st.caption("Participants join with a nickname only. " + workshop.retention_notice())
    ui.reading_links()


def _create(quiz: Quiz, settings: workshop.RoomSettings) -> None:
    """Create the room; its ready page follows, or the form says what went wrong."""
    created = room_ui.run_action(
        CREATE_ERROR, room_ui.service().create_room, quiz.id, **settings.create_kwargs()
    )
    if created is None:
        return
    summary = workshop.settings_summary(settings, quiz.title, len(quiz.questions))
    st.session_state[CREATED] = (created.code, created.host_token, summary)
    st.query_params.from_dict({workshop.ROOM: created.code, workshop.HOST: created.host_token})
    st.rerun()


def _new_room_button() -> None:
    st.button(
        "Create a new room",
        icon=":material/add_circle:",
        on_click=_leave_room,
        key="room_new",
    )


def _leave_room() -> None:
    st.session_state.pop(CREATED, None)
    st.query_params.clear()


# ---------------------------------------------------------------- ready: the host link, once


def ready_page(code: str, token: str, summary: str) -> None:
    """Right after creating: how people join, and the host link to keep."""
    st.html(READY_CSS)
    st.title(f"Room {code} is ready")
    st.markdown(summary)
    join = room_ui.join_url(code)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown("**Room code**")
        with st.container(key="room-code"):
            st.markdown(code)
        st.markdown(f"**Participants join at** [{join}]({join}) or scan the QR code.")
    if workshop.only_this_computer(join):
        st.warning(workshop.LOCAL_LINK_WARNING, icon=":material/wifi_off:")
    with right:
        st.image(
            room_ui.qr_png(join),
            caption=f"Scan to join room {code}",
            alt=f"QR code that opens {join}",
            width=260,
        )
    st.subheader("Your host link", anchor="host-link")
    st.warning(
        "Keep this link private: whoever opens it controls the room. Bookmark it now or "
        "copy it somewhere safe. It is the only way back to the host view, from this or "
        "any other device.",
        icon=":material/key:",
    )
    st.code(room_ui.host_url(code, token), language=None, wrap_lines=True)
    st.markdown(
        "Next, open the host view and put it on the projector, in full screen (F11) so "
        "that the address bar, which shows the host link, is hidden."
    )
    st.button(
        "Open the host view",
        type="primary",
        icon=":material/co_present:",
        on_click=lambda: st.session_state.pop(CREATED, None),
        key="room_open_host",
    )


# ---------------------------------------------------------------- the host view


def host_page(code: str, token: str | None) -> None:
    with room_ui.database_guard(retry=True):
        try:
            state = room_ui.service().check_host(code, token)
        except NotHost as error:
            _not_host(code, error)
            return
        except RoomError as error:
            st.title("Run a workshop")
            room_ui.show_error(error)
            _new_room_button()
            return
        st.set_page_config(page_title=f"Room {code}: {state.quiz_title}", layout="wide")
        st.html(HOST_CSS)
        ticking = state.phase != "ended"
        st.fragment(host_live)(code, token, ticking)


def _not_host(code: str, error: Exception) -> None:
    """A forged, old or missing host token: say so, and draw no control."""
    st.title(f"Room {code}")
    room_ui.show_error(error, icon=":material/lock:")
    st.markdown(
        "Only the facilitator's host link controls a room. To take part, join the room "
        "with a nickname instead."
    )
    page = ui.nav().page(workshop.JOIN_PATH)
    if page is not None:
        st.page_link(
            page,
            label=f"Join room {code}",
            icon=":material/login:",
            query_params={workshop.ROOM: code},
        )
    _new_room_button()


def host_live(
    code: str, token: str, ticking: bool, ending: Callable[[], None] | None = None
) -> None:
    """The projected room: phase, controls, lobby, question, reveal or results (also on a
    deck's live slide). Runs inside a fragment, which its listener reruns when the room
    changes (until it ends). `ending` draws what follows the results (default: "Create
    a new room", which leaves for the create form; a deck's live slide asks its question
    again without leaving the deck)."""
    service = room_ui.service()
    seen = listener.host_seen(code)  # before anything is read: later activity reruns
    with room_ui.database_guard():
        try:
            state = service.check_host(code, token)
        except RoomError:  # deleted meanwhile, say: the page says so, with no listener
            st.rerun()
        listener.follow(state, ticking, int(workshop.POLL_SECONDS * 1000), seen=seen)
        with st.container(key="room-host"):
            _top_bar(state)
            _controls(state, code, token)
            if state.phase == "ended":
                _ended(service, state, ending or _new_room_button)
                return
            people = service.people(code)
            if state.phase == "lobby":
                _lobby(state, people)
            elif state.phase == "question":
                _question(service, state, len(people))
            else:
                _revealed(service, state, len(people))
            _manage_people(state, people, token)


def _top_bar(state: RoomState) -> None:
    if state.phase == "lobby":
        where = "Waiting for people to join"
    elif state.phase == "ended":
        where = "Results"
    else:
        where = f"Question {state.question_number} of {state.total}"
    st.title(f"{state.quiz_title} · Room {state.code} · {where}", anchor=False)


def _controls(state: RoomState, code: str, token: str) -> None:
    room_ui.show_action_error(HOST_ERROR)
    actions = workshop.host_actions(state.phase, state.index, state.total)
    if not actions:
        return
    confirming = st.session_state.get(CONFIRM_END) == (code, state.version)
    if confirming:
        st.warning(workshop.end_warning(state.phase, state.index, state.total))
    with st.container(horizontal=True, key="room-controls"):
        if confirming:
            st.button(
                "Yes, end the workshop",
                icon=":material/stop:",
                type="primary",
                on_click=_act,
                args=(code, token, "end", state.index),
                key="room_end_yes",
            )
            st.button(
                "Keep going",
                icon=":material/undo:",
                on_click=lambda: st.session_state.pop(CONFIRM_END, None),
                key="room_end_no",
            )
            return
        for action in actions:
            if action is workshop.END:
                st.button(
                    action.label,
                    icon=action.icon,
                    on_click=lambda: st.session_state.update({CONFIRM_END: (code, state.version)}),
                    key="room_end",
                )
                continue
            st.button(
                action.label,
                icon=action.icon,
                type="primary" if action.primary else "secondary",
                on_click=_act,
                args=(code, token, action.name, state.index),
                key=f"room_{action.name}",
            )


def _act(code: str, token: str, name: str, at_index: int) -> None:
    st.session_state.pop(CONFIRM_END, None)
    room_ui.run_action(HOST_ERROR, getattr(room_ui.service(), name), code, token, at_index=at_index)


def _lobby(state: RoomState, people: list[Person]) -> None:
    join = room_ui.join_url(state.code)
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.markdown(f"Go to **[{join}]({join})** or scan the QR code, and enter the code")
        with st.container(key="room-code"):
            st.markdown(state.code)
    with right:
        st.image(
            room_ui.qr_png(join),
            caption=f"Scan to join room {state.code}",
            alt=f"QR code that opens {join}",
            width=440,
        )
    with st.container(key="room-names"):
        st.subheader(workshop.joined_sentence(len(people), state.max_participants), anchor=False)
        st.text(workshop.nickname_line([person.nickname for person in people]))


def _question(service, state: RoomState, joined: int) -> None:
    question = service.question(state.code, state.index)
    with st.container(key="room-statement"):
        st.markdown(question.statement)
    st.markdown(workshop.choices_sentence(question.choices))
    answered = service.answered_count(state.code, state.index)
    left, right = st.columns([3, 1])
    with left:
        st.progress(
            answered / joined if joined else 0.0,
            text=workshop.answered_sentence(answered, joined),
        )
    left_seconds = workshop.seconds_left(state.deadline, datetime.now(UTC))
    if left_seconds is not None:
        with right, st.container(key="room-countdown"):
            st.markdown(workshop.countdown_text(left_seconds))
        if left_seconds == 0:
            st.info("Time's up: answers are closed. Reveal the answer when you are ready.")


def _revealed(service, state: RoomState, joined: int) -> None:
    question = service.question(state.code, state.index)
    counts = service.counts(state.code, state.index)
    st.markdown(f"**{question.statement}**")
    chart, text = st.columns([3, 2], gap="large")
    with chart:
        st.plotly_chart(
            room_results.answers_figure(question.choices, counts, question.answer),
            key=f"room-chart-{state.index}",
            config=style.CHART_CONFIG,
            alt=f"Bar chart: how the room answered; the right answer, {question.answer}, "
            "is the solid blue bar with a tick. The counts follow in words.",
        )
        st.markdown(
            room_results.answers_sentence(question.choices, counts, question.answer, joined)
        )
    with text:
        with st.container(key="room-answer"):
            st.markdown(f"The answer: **{plain(question.answer)}**")
        st.markdown(question.explanation)
    if state.leaderboard:
        _leaderboard(service, state, limit=5)


def _leaderboard(service, state: RoomState, limit: int) -> None:
    standings = service.leaderboard(state.code, limit=limit)
    st.subheader("Leaderboard", anchor=False)
    if standings:
        st.table(workshop.leaderboard_rows(standings, state.speed_bonus), hide_index=True)
    else:
        st.markdown("Nobody is on the board yet.")


def _ended(service, state: RoomState, ending: Callable[[], None]) -> None:
    questions, concepts = service.summary(state.code)
    answered = sum(q.answered for q in questions)
    correct = sum(q.correct for q in questions)
    st.subheader(workshop.room_score_sentence(correct, answered), anchor=False)
    if state.leaderboard:
        _leaderboard(service, state, limit=10)
    if questions:
        st.subheader("By question", anchor=False)
        st.table(workshop.question_rows(questions), hide_index=True)
    if concepts:
        st.subheader("By concept", anchor=False)
        st.table(workshop.concept_rows(concepts), hide_index=True)
    st.subheader("The hardest questions", anchor=False)
    st.markdown(workshop.hardest_markdown(service.hardest(state.code, 3)))
    with st.container(horizontal=True):
        st.download_button(
            "Download every answer (CSV)",
            service.export_csv(state.code),
            file_name=workshop.csv_file_name(state.code, state.quiz_id),
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="room_csv",
        )
        ending()


def _manage_people(state: RoomState, people: list[Person], token: str) -> None:
    """Take someone out (an offensive nickname, say): their answers leave every count."""
    with st.expander(f"Participants ({len(people)})", icon=":material/group:"):
        if state.phase != "lobby":
            st.text(workshop.nickname_line([person.nickname for person in people]))
        if not people:
            return
        names = {person.id: person.nickname for person in people}
        picked = st.selectbox(
            "Remove a participant",
            list(names),
            index=None,
            format_func=lambda person_id: names.get(person_id, "(gone)"),
            placeholder="Choose a nickname",
            key=REMOVE_PICK,
        )
        st.button(
            "Remove",
            icon=":material/person_remove:",
            disabled=picked is None,
            on_click=_remove,
            args=(state.code, token),
            key="room_remove",
        )
        st.caption(
            "Their answers leave the counts, the leaderboard and the results (the CSV keeps "
            "them, marked removed). They can join again under another nickname."
        )


def _remove(code: str, token: str) -> None:
    person_id = st.session_state.get(REMOVE_PICK)
    if person_id is None:
        return
    room_ui.run_action(HOST_ERROR, room_ui.service().remove, code, token, person_id)
    st.session_state[REMOVE_PICK] = None
