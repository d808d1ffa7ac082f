"""The quizzes, from `content/quizzes/`: What vs How, and Who does this?"""

import streamlit as st

from teamroles import quiz_ui, ui

st.title("Quiz")
st.markdown(
    "Practise telling the product manager's **What** from the team's **How**, "
    "and which role does a task. Each answer comes with an explanation and a link "
    "to the page that covers it."
)
quiz_ui.quiz_panel()
ui.reading_links()
