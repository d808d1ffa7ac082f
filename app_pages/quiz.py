"""The quizzes, from `content/quizzes/`: What vs How, and Who does this?

The page's introduction is drawn by the quiz's picker (`quiz_ui.INTRO`), so that
during a quiz the question sits right under the title, on a phone's first screen.
"""

import streamlit as st

from teamroles.ui import quiz as quiz_ui
from teamroles.ui import shell as ui

st.title("Quiz")
st.html(quiz_ui.SHARE_CSS)
quiz_ui.quiz_panel()
ui.reading_links()
