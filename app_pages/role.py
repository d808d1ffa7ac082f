"""A role page, drawn from one file in the roles folder (this script serves them all).

Which sections there are, their headings and anchors: `teamroles.content.role_page`.
"""

import streamlit as st

from teamroles.content import role_page
from teamroles.ui import diagrams as diagram_views
from teamroles.ui import example as example_ui
from teamroles.ui import shell as ui

site = ui.site()
role = site.roles.get(ui.current_page().url_path)

st.title(f"{role.icon or ''} {role.title}".strip())
st.markdown(f"**{role.summary}**")
if role.key_question:
    st.info(f"The question this role answers: *{role.key_question}*", icon=":material/help:")
st.markdown(role_page.text(role, site.roles))
for section, items in role_page.sections(role):
    if section.kind == "related":
        st.header(section.heading, anchor=section.anchor)
        for other in map(site.roles.get, items):
            ui.link(other.id, label=other.title, icon=other.icon)

diagram_views.role_diagrams(site, role)
example_ui.role_section(site, role.id)

st.header("Practise", anchor="practise")
quizzes = len(site.quizzes)
ui.link(
    "quiz",
    label=f"Test yourself: {quizzes} quizzes on who does what" if quizzes > 1 else "Test yourself",
    icon=":material/quiz:",
)

ui.reading_links()
