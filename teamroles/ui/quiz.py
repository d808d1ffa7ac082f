"""Draws the quiz. The rules live in `teamroles.quiz`; this module only shows and clicks.

State lives in `st.session_state` under plain keys (not widget keys), so a
reader who leaves for another page and comes back finds the quiz where they
left it. Everything a click changes sits in one `st.fragment`, so answering a
question reruns only the quiz, not the page around it. An unfinished attempt is
also kept in the reader's browser (`progress_ui`), so a reload resumes it.

Phone first: at 375x812 the statement and every answer button fit on the first
screen, and after answering the verdict and "Next question" do too (the
explanation may run below). So the header is one progress bar with the running
score, the confidence picker is one compact row, and "Next" comes before the
explanation.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from teamroles import quiz as engine
from teamroles.content.example import URL_PATH as EXAMPLE_PAGE
from teamroles.content.quizbank import Quiz, see_target
from teamroles.figures import quiz_results, style
from teamroles.navigation import HOME
from teamroles.ui import progress as progress_ui
from teamroles.ui import shell as ui

# Every session key of the quiz starts so, its widgets' too: `forget` drops them all.
KEY_PREFIX = "quiz_"
ATTEMPT = "quiz_attempt"  # the engine's Attempt, or absent before the first start
RUN = "quiz_run"  # counts starts, so each attempt's widgets get fresh keys
LENGTH = "quiz_length_param"  # "all" or a number, as it goes into the URL
PICK, LENGTH_PICK = "quiz_pick", "quiz_length_pick"
ALL = "all"
KEPT = "quiz"  # the name the unfinished attempt is kept under in the browser
RESUME_DONE = "quiz_resume_done"  # the browser's kept attempt was looked at (once a session)
LAST_KEPT = "quiz_last_kept"  # what this session last asked the browser to keep

INTRO = (
    "Practise telling the product manager's **What** from the team's **How**, "
    "and which role does a task. Each answer comes with an explanation and a link "
    "to the page that covers it."
)
RIGHT_MARK, WRONG_MARK = "✓ Right", "✗ Wrong"  # a sign and a word: not colour alone


def forget() -> None:
    """Drop the quiz's session state: "Reset my progress" in the sidebar calls this."""
    for key in [k for k in st.session_state if str(k).startswith(KEY_PREFIX)]:
        del st.session_state[key]


progress_ui.on_reset(forget)


def quizzes() -> dict[str, Quiz]:
    return {quiz.id: quiz for quiz in ui.site().quizzes}


def url_choice() -> tuple[str | None, str | None, int | None]:
    """The quiz, length and seed that the page's URL asks to replay (None when absent or bad)."""
    params = st.query_params
    seed = params.get("seed", "")
    seed = int(seed) if seed.isdigit() and len(seed) <= 9 else None
    length = params.get("length")
    length = length if length == ALL or (length or "").isdigit() else None
    return params.get("quiz"), length, seed


def replay_query(quiz_id: str, length: str, seed: int) -> str:
    return "?" + urlencode({"quiz": quiz_id, "length": length, "seed": seed})


def share_url() -> str | None:
    """The full address that replays the quiz in the URL (None without a whole replay link).

    During a retry the URL keeps the original quiz's link, so that is what is shared."""
    quiz_id, length, seed = url_choice()
    if not quiz_id or length is None or seed is None:
        return None
    # st.context.url is the page's address without its query (None outside a browser).
    base = st.context.url or f"/{ui.nav().current.url_path}"
    return base + replay_query(quiz_id, length, seed)


def length_of(attempt: engine.Attempt, quiz: Quiz) -> str:
    """The URL's `length` for a fresh attempt: all the bank's questions, or how many."""
    return ALL if attempt.total >= len(quiz.questions) else str(attempt.total)


def _new_run() -> None:
    st.session_state[RUN] = st.session_state.get(RUN, 0) + 1
    # The reader has acted: a kept attempt from the session's start must not come back.
    st.session_state[RESUME_DONE] = True


def _start(quiz: Quiz, length: str, seed: int) -> None:
    size = None if length == ALL else int(length)
    st.session_state[ATTEMPT] = engine.start(quiz, quiz.question_ids, seed, size)
    st.session_state[LENGTH] = length
    _new_run()  # the fragment's next run puts the replay link in the URL (quiz_panel)


def _start_from_picker(seed: int | None) -> None:
    quiz = quizzes()[st.session_state[PICK]]
    _start(quiz, st.session_state[LENGTH_PICK], seed or engine.new_seed())


def _answer(quiz: Quiz, choice: str, confidence_key: str) -> None:
    attempt = st.session_state[ATTEMPT]
    confidence = st.session_state.get(confidence_key)
    st.session_state[ATTEMPT] = attempt.answer(quiz, choice, confidence)


def _next() -> None:
    st.session_state[ATTEMPT] = st.session_state[ATTEMPT].next()


def _retry() -> None:
    st.session_state[ATTEMPT] = engine.retry_missed(st.session_state[ATTEMPT], engine.new_seed())
    _new_run()


def _start_again() -> None:
    st.session_state.pop(ATTEMPT, None)
    st.session_state[RESUME_DONE] = True
    st.query_params.clear()


def _matches_url(attempt: engine.Attempt, quiz: Quiz) -> bool:
    """Whether resuming `attempt` agrees with the URL: a link to another quiz (someone
    shared it) wins over the attempt this browser kept."""
    wanted_quiz, wanted_length, wanted_seed = url_choice()
    if wanted_quiz is None:
        return True
    if wanted_quiz != attempt.quiz_id:
        return False
    if attempt.retry_of is not None:  # a retry keeps its quiz's link in the URL
        return True
    return wanted_seed in (None, attempt.seed) and wanted_length in (None, length_of(attempt, quiz))


def resume(banks: dict[str, Quiz]) -> engine.Attempt | None:
    """Once a session: the unfinished attempt this browser kept, if it is still valid."""
    if st.session_state.get(RESUME_DONE):
        return None
    data = progress_ui.kept(KEPT)
    if data is None:  # nothing kept, or the browser has not said yet
        return None
    st.session_state[RESUME_DONE] = True
    attempt = engine.attempt_from_kept(data, banks)
    if attempt is None:  # from an older bank, or not ours: forget it
        progress_ui.keep(KEPT, None)
        return None
    quiz = banks[attempt.quiz_id]
    if not _matches_url(attempt, quiz):
        return None
    st.session_state[ATTEMPT] = attempt
    st.session_state[LENGTH] = length_of(attempt, quiz)
    st.session_state[RUN] = st.session_state.get(RUN, 0) + 1
    st.session_state[LAST_KEPT] = engine.kept_data(attempt)
    st.toast(
        f"Welcome back: your quiz goes on at question {attempt.cursor + 1} of {attempt.total}.",
        icon=":material/history:",
    )
    return attempt


def keep(attempt: engine.Attempt | None) -> None:
    """Tell the browser the attempt as it is now, when it changed (None once finished or
    abandoned). Called on every run of the fragment, so every click that changes the
    attempt (start, answer, next, retry, start again) is kept right after it."""
    data = engine.kept_data(attempt) if attempt is not None else None
    # Until the browser has reported what it kept, nothing is written (and nothing is
    # counted as written, so the attempt is kept on the first run after the report).
    if data != st.session_state.get(LAST_KEPT) and progress_ui.reported():
        progress_ui.keep(KEPT, data)
        st.session_state[LAST_KEPT] = data


@st.fragment
def quiz_panel() -> None:
    """The whole quiz: the picker, one question at a time, then the results."""
    banks = quizzes()
    attempt: engine.Attempt | None = st.session_state.get(ATTEMPT)
    if attempt is not None and attempt.quiz_id not in banks:
        st.session_state.pop(ATTEMPT)  # its bank was removed or broke since
        attempt = None
    if attempt is None:
        attempt = resume(banks)
    if attempt is None:
        picker(banks)
    else:
        quiz = banks[attempt.quiz_id]
        if attempt.retry_of is None:  # keep the replay link in the URL, also after a page change
            replay = {
                "quiz": quiz.id,
                "length": st.session_state.get(LENGTH, ALL),
                "seed": str(attempt.seed),
            }
            # Only when it differs: setting the URL is one more message to the browser, and
            # this runs on every answer.
            if st.query_params.to_dict() != replay:
                st.query_params.from_dict(replay)
        if attempt.stage == "finished":
            results(quiz, attempt)
        else:
            question_view(quiz, attempt)
            share()
    # Last, so that the (empty) element the browser store draws moves nothing above it.
    keep(attempt)


def picker(banks: dict[str, Quiz]) -> None:
    st.markdown(INTRO)
    if not banks:
        st.info("No quiz is available right now.", icon=":material/info:")
        return
    wanted_quiz, wanted_length, wanted_seed = url_choice()
    ids = list(banks)
    if PICK not in st.session_state or st.session_state[PICK] not in banks:
        st.session_state[PICK] = wanted_quiz if wanted_quiz in banks else ids[0]
    chosen = st.radio(
        "Choose a quiz",
        ids,
        format_func=lambda quiz_id: banks[quiz_id].title,
        captions=[f"{len(banks[i].questions)} questions" for i in ids],
        key=PICK,
        horizontal=True,
    )
    quiz = banks[chosen]
    st.markdown(quiz.description)
    total = len(quiz.questions)
    # A random 10 first (the default), the whole bank one click away.
    lengths = ([str(engine.RANDOM_LENGTH)] if total > engine.RANDOM_LENGTH else []) + [ALL]
    if LENGTH_PICK not in st.session_state or st.session_state[LENGTH_PICK] not in lengths:
        st.session_state[LENGTH_PICK] = wanted_length if wanted_length in lengths else lengths[0]
    length = st.radio(
        "Length",
        lengths,
        format_func=lambda n: f"All {total} questions" if n == ALL else f"A random {n}",
        key=LENGTH_PICK,
        horizontal=True,
    )
    replay = wanted_seed if (wanted_quiz, wanted_length) == (chosen, length) else None
    if replay is not None:
        st.info(
            "This is a shared quiz: you get the same questions in the same order as "
            "whoever shared it.",
            icon=":material/replay:",
        )
    st.button(
        "Start the quiz",
        type="primary",
        icon=":material/play_arrow:",
        on_click=_start_from_picker,
        args=(replay,),
        key="quiz_start",
    )


def header(quiz: Quiz, attempt: engine.Attempt) -> None:
    """One compact line over the progress bar: the quiz and the score so far."""
    title = quiz.title
    if attempt.retry_of is not None:
        title = f"{title} (retry of the missed questions)"
    st.progress(attempt.progress, text=engine.labelled(title, engine.running_score(attempt)))


def question_view(quiz: Quiz, attempt: engine.Attempt) -> None:
    header(quiz, attempt)
    question = quiz.question(attempt.current_id)
    number = attempt.cursor + 1
    with st.container(border=True):
        st.markdown(f"**Question {number} of {attempt.total}**\n\n#### {question.statement}")
    if attempt.stage == "question":
        key = f"quiz_confidence_{st.session_state.get(RUN, 0)}_{attempt.cursor}"
        # One row that shares its width: one container, where st.columns sends one per choice.
        with st.container(horizontal=True, key="quiz-choices"):
            for choice in quiz.choices:
                st.button(
                    choice,
                    key=f"quiz_answer_{choice}",
                    on_click=_answer,
                    args=(quiz, choice, key),
                    width="stretch",
                )
        st.radio(
            "How sure are you? (optional: pick before you answer)",
            engine.CONFIDENCE_LEVELS,
            index=None,
            key=key,
            horizontal=True,
        )
        return
    feedback(quiz, attempt)


def feedback(quiz: Quiz, attempt: engine.Attempt) -> None:
    """The verdict and the way on first (both fit on a phone's screen), then why."""
    given = attempt.last_answer
    question = quiz.question(given.question_id)
    if given.correct:
        st.success(f"Right: the answer is **{question.answer}**.", icon=":material/check_circle:")
    else:
        st.error(
            f"Not quite: you answered **{given.chosen}**; the answer is **{question.answer}**.",
            icon=":material/cancel:",
        )
    last = attempt.cursor + 1 == attempt.total
    st.button(
        "See your score" if last else "Next question",
        type="primary",
        icon=":material/flag:" if last else ":material/arrow_forward:",
        on_click=_next,
        key="quiz_next",
    )
    st.markdown(question.explanation)
    see_link(question)


def see_label(target) -> str:
    """'Read more on the QA page'; the worked example is not a page about one thing."""
    if target.url_path == EXAMPLE_PAGE:
        return f"Read more in the worked example: {target.page_title}"
    if target.is_home:
        return f"Read more on the home page: {target.page_title}"
    return f"Read more on the {target.page_title} page"


def see_link(question) -> None:
    """The role page (same tab: the quiz keeps its place) and, if named, its section."""
    site = ui.site()
    target = see_target(question, site.roles, site.glossary, site.example, site.home)
    if target is None:
        return
    role = site.roles.find(target.url_path)
    ui.link(
        HOME if target.is_home else target.url_path,
        label=see_label(target),
        icon=(role.icon if role else None) or ":material/menu_book:",
    )
    if target.anchor:
        # Streamlit opens a Markdown link to another page in a new tab, where the page
        # scrolls to the heading with this anchor; this tab keeps the quiz as it is.
        page = "home page" if target.is_home else f"{target.page_title} page"
        st.markdown(
            f"Or jump straight to the section [{target.section} on the "
            f"{page}]({target.href}) (opens in a new tab)."
        )


def share() -> None:
    """'Share this quiz': the full replay address in a box with a copy button."""
    url = share_url()
    if url is None:
        return
    with st.popover("Share this quiz", icon=":material/share:", key="quiz-share"):
        st.markdown(
            "Whoever opens this link gets the same questions in the same order. "
            "Copy it with the button at its top right."
        )
        st.code(url, language=None, wrap_lines=True)


# Drawn once per page run (app_pages/quiz.py), not in the fragment. Streamlit shows a
# code box's copy button only on hover, which a phone does not have: in the share box
# it is always shown, and the address leaves room for it.
SHARE_CSS = """<style>
[data-testid="stPopoverBody"] [data-testid="stCode"]
  div:has(> div > [data-testid="stElementToolbarButton"]) {
  opacity: 1; visibility: visible; pointer-events: auto;
}
[data-testid="stPopoverBody"] [data-testid="stCode"] pre { padding-right: 3rem; }
</style>"""


def _one_line(text: str) -> str:
    """Author text for one list item: on one line, so no break can end the item."""
    return " ".join(text.split())


def _item(row: engine.ReviewRow, mark: str) -> str:
    """One answered question: the mark first (a sign and a word), the statement, the answers."""
    if row.correct:
        return f"{mark}: {_one_line(row.statement)}  \n   You answered **{row.chosen}**."
    return (
        f"**{mark}:** {_one_line(row.statement)}  \n"
        f"   You answered {row.chosen}; the answer is **{row.correct_answer}**."
    )


def missed_markdown(rows: list[engine.ReviewRow]) -> str:
    """The questions answered wrongly, first on the results, by their number in the quiz."""
    wrong = [row for row in rows if not row.correct]
    items = "\n".join(f"- {_item(row, f'{WRONG_MARK}, question {row.number}')}" for row in wrong)
    return f"#### Missed ({len(wrong)})\n\n{items}"


def review_markdown(rows: list[engine.ReviewRow]) -> str:
    """Every question in the order asked: a numbered list, which reads well on a phone
    where a table's statement column would be a few words wide."""
    items = "\n".join(
        f"{row.number}. {_item(row, RIGHT_MARK if row.correct else WRONG_MARK)}" for row in rows
    )
    return f"#### Every question\n\n{items}"


def results(quiz: Quiz, attempt: engine.Attempt) -> None:
    """The score and what to do next first, then what was missed, then the details."""
    result = engine.score(attempt)
    line = engine.labelled(quiz.title, f"{result.correct} of {result.total} right")
    text = f"### {line} ({result.percent}%)"
    if attempt.retry_of is not None:
        text += f"\n\nThis was a retry of the {attempt.retry_of} question(s) you missed."
    st.markdown(text)
    missed = len(attempt.missed)
    if not missed:
        st.success("Nothing missed: well done.", icon=":material/celebration:")
    with st.container(horizontal=True, key="quiz-actions"):
        if missed:
            st.button(
                f"Retry the {missed} you missed",
                type="primary",
                icon=":material/replay:",
                on_click=_retry,
                key="quiz_retry",
            )
        st.button(
            "Start again", icon=":material/restart_alt:", on_click=_start_again, key="quiz_new"
        )
        st.download_button(
            "Download CSV",
            engine.attempt_csv(attempt, quiz),
            file_name=f"{quiz.id}-seed-{attempt.seed}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="quiz_csv",
        )
        share()
    rows = engine.review(attempt, quiz)
    if missed:
        st.markdown(missed_markdown(rows))
    breakdown_chart(quiz, attempt)
    calibration_view(quiz, attempt)
    st.markdown(review_markdown(rows))


def breakdown_chart(quiz: Quiz, attempt: engine.Attempt) -> None:
    rows = engine.breakdown(attempt, quiz.choices)
    st.subheader("By correct answer", anchor="by-answer")
    st.plotly_chart(
        quiz_results.results_figure(rows),
        key=f"quiz_chart_{st.session_state.get(RUN, 0)}",
        config=style.CHART_CONFIG,
    )
    st.markdown(quiz_results.results_sentence(rows))


def calibration_view(quiz: Quiz, attempt: engine.Attempt) -> None:
    """Stated confidence against results: a short table and one sentence, in one block."""
    rows = engine.calibration(attempt, len(quiz.choices))
    heading = "#### Confidence and results"
    verdict = engine.calibration_verdict(rows)
    if verdict is None:
        st.markdown(
            f"{heading}\n\nYou did not say how sure you were this time. Next time, pick "
            "*Guessing*, *Fairly sure* or *Certain* before you answer to see how well your "
            "confidence matches your results."
        )
        return
    table = [
        "| You said | Answers | Right | Expected |",
        "| --- | ---: | ---: | ---: |",
        *(
            f"| {row.level} | {row.total} | {row.correct} ({row.actual:.0%}) "
            f"| about {row.expected:.0%} |"
            for row in rows
        ),
    ]
    st.markdown(f"{heading}\n\n" + "\n".join(table) + f"\n\n{verdict}")
