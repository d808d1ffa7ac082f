"""Draws the quiz. The rules live in `teamroles.quiz`; this module only shows and clicks.

State lives in `st.session_state` under plain keys (not widget keys), so a
reader who leaves for another page and comes back finds the quiz where they
left it. Everything a click changes sits in one `st.fragment`, so answering a
question reruns only the quiz, not the page around it.
"""

from __future__ import annotations

from urllib.parse import urlencode

import streamlit as st

from teamroles import quiz as engine
from teamroles import ui
from teamroles.figures import quiz_results, style
from teamroles.quizbank import Quiz, see_target

ATTEMPT = "quiz_attempt"  # the engine's Attempt, or absent before the first start
RUN = "quiz_run"  # counts starts, so each attempt's widgets get fresh keys
LENGTH = "quiz_length_param"  # "all" or a number, as it goes into the URL
PICK, LENGTH_PICK = "quiz_pick", "quiz_length_pick"
ALL = "all"


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


def _start(quiz: Quiz, length: str, seed: int) -> None:
    size = None if length == ALL else int(length)
    st.session_state[ATTEMPT] = engine.start(quiz, quiz.question_ids, seed, size)
    st.session_state[LENGTH] = length
    st.session_state[RUN] = st.session_state.get(RUN, 0) + 1
    st.query_params.from_dict({"quiz": quiz.id, "length": length, "seed": str(seed)})


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
    st.session_state[RUN] = st.session_state.get(RUN, 0) + 1


def _start_again() -> None:
    st.session_state.pop(ATTEMPT, None)
    st.query_params.clear()


@st.fragment
def quiz_panel() -> None:
    """The whole quiz: the picker, one question at a time, then the results."""
    banks = quizzes()
    attempt: engine.Attempt | None = st.session_state.get(ATTEMPT)
    if attempt is not None and attempt.quiz_id not in banks:
        st.session_state.pop(ATTEMPT)  # its bank was removed or broke since
        attempt = None
    if attempt is None:
        picker(banks)
        return
    quiz = banks[attempt.quiz_id]
    if attempt.retry_of is None:  # keep the replay link in the URL, also after a page change
        st.query_params.from_dict(
            {
                "quiz": quiz.id,
                "length": st.session_state.get(LENGTH, ALL),
                "seed": str(attempt.seed),
            }
        )
    if attempt.stage == "finished":
        results(quiz, attempt)
    else:
        question_view(quiz, attempt)


def picker(banks: dict[str, Quiz]) -> None:
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
    lengths = [ALL] + ([str(engine.RANDOM_LENGTH)] if total > engine.RANDOM_LENGTH else [])
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
            f"This link replays seed **{replay}**: the same questions in the same order.",
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
    st.caption(
        "The order is shuffled with a seed, shown during the quiz and put in the address bar: "
        "share the link to give someone the same quiz."
    )


def header(quiz: Quiz, attempt: engine.Attempt) -> None:
    answered = len(attempt.answers)
    retry = " (retry of the missed questions)" if attempt.retry_of is not None else ""
    st.progress(
        attempt.progress, text=f"{quiz.title}{retry}: {answered} of {attempt.total} answered"
    )
    st.caption(f"Seed {attempt.seed}")


def question_view(quiz: Quiz, attempt: engine.Attempt) -> None:
    header(quiz, attempt)
    question = quiz.question(attempt.current_id)
    number = attempt.cursor + 1
    with st.container(border=True):
        st.markdown(f"**Question {number} of {attempt.total}**\n\n#### {question.statement}")
    if attempt.stage == "question":
        key = f"quiz_confidence_{st.session_state.get(RUN, 0)}_{attempt.cursor}"
        st.radio(
            "How sure are you? (optional, before you answer)",
            engine.CONFIDENCE_LEVELS,
            index=None,
            key=key,
            horizontal=True,
        )
        st.markdown("**Your answer:**")
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
        return
    feedback(quiz, attempt)


def feedback(quiz: Quiz, attempt: engine.Attempt) -> None:
    given = attempt.last_answer
    question = quiz.question(given.question_id)
    if given.correct:
        st.success(f"Right: the answer is **{question.answer}**.", icon=":material/check_circle:")
    else:
        st.error(
            f"Not quite: you answered **{given.chosen}**; the answer is **{question.answer}**.",
            icon=":material/cancel:",
        )
    st.markdown(question.explanation)
    see_link(question)
    last = attempt.cursor + 1 == attempt.total
    st.button(
        "See your score" if last else "Next question",
        type="primary",
        icon=":material/flag:" if last else ":material/arrow_forward:",
        on_click=_next,
        key="quiz_next",
    )


def see_link(question) -> None:
    """The role page (same tab: the quiz keeps its place) and, if named, its section."""
    site = ui.site()
    target = see_target(question, site.roles, site.glossary)
    if target is None:
        return
    role = site.roles.find(target.url_path)
    ui.link(
        target.url_path,
        label=f"Read more on the {target.page_title} page",
        icon=(role.icon if role else None) or ":material/menu_book:",
    )
    if target.anchor:
        # Streamlit opens a Markdown link to another page in a new tab, where the page
        # scrolls to the heading with this anchor; this tab keeps the quiz as it is.
        st.markdown(
            f"Or jump straight to the section [{target.section} on the "
            f"{target.page_title} page]({target.href}) (opens in a new tab)."
        )


def results(quiz: Quiz, attempt: engine.Attempt) -> None:
    header(quiz, attempt)
    result = engine.score(attempt)
    st.header("Your score", anchor="your-score")
    if attempt.retry_of is not None:
        st.markdown(f"This was a retry of the {attempt.retry_of} question(s) you missed.")
    st.markdown(
        f"### {result.correct} of {result.total} right ({result.percent}%)",
    )
    breakdown_chart(quiz, attempt)
    calibration_view(quiz, attempt)
    st.subheader("Every question", anchor="review")
    rows = engine.review(attempt, quiz)
    st.table(
        [
            {
                "#": row.number,
                "Statement": row.statement,
                "Your answer": row.chosen,
                "Correct answer": row.correct_answer,
                "Result": "Right" if row.correct else "Wrong",
            }
            for row in rows
        ],
        hide_index=True,
    )
    missed = len(attempt.missed)
    if missed:
        st.button(
            f"Retry the {missed} missed question(s)",
            type="primary",
            icon=":material/replay:",
            on_click=_retry,
            key="quiz_retry",
        )
    else:
        st.success("Nothing missed: well done.", icon=":material/celebration:")
    st.button("Start again", icon=":material/restart_alt:", on_click=_start_again, key="quiz_new")
    st.download_button(
        "Download this attempt (CSV)",
        engine.attempt_csv(attempt, quiz),
        file_name=f"{quiz.id}-seed-{attempt.seed}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
        key="quiz_csv",
    )
    if attempt.retry_of is None:
        query = replay_query(quiz.id, st.session_state.get(LENGTH, ALL), attempt.seed)
        st.markdown(f"Replay this quiz: add `{query}` to this page's address.")


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
    rows = engine.calibration(attempt, len(quiz.choices))
    st.subheader("Confidence and results", anchor="confidence")
    verdict = engine.calibration_verdict(rows)
    if verdict is None:
        st.markdown(
            "You did not say how sure you were this time. Next time, pick *Guessing*, "
            "*Fairly sure* or *Certain* before you answer to see how well your confidence "
            "matches your results."
        )
        return
    st.table(
        [
            {
                "You said": row.level,
                "Answers": row.total,
                "Right": row.correct,
                "Share right": f"{row.actual:.0%}",
                "Expected at this confidence": f"about {row.expected:.0%}",
            }
            for row in rows
        ],
        hide_index=True,
    )
    st.markdown(verdict)
