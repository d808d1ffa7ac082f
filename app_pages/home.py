"""Home: the four roles in one view, What vs How, and the journey of a feature."""

import streamlit as st

from teamroles import ui

site = ui.site()
home = site.home
st.title(home.title if home else "The Team")
if home:
    st.markdown(f"**{home.summary}**")
    st.markdown(home.body)

st.header("The roles", anchor="the-roles")
columns = st.columns(2)
for i, role in enumerate(site.roles):
    with columns[i % 2].container(border=True):
        st.subheader(f"{role.icon or ''} {role.title}".strip(), anchor=False)
        if role.key_question:
            st.markdown(f"*{role.key_question}*")
        st.markdown(role.summary)
        ui.link(role.id, label=f"About the {role.title}", icon=":material/arrow_forward:")

if site.workflow:
    st.header("The journey of a feature", anchor="journey")
    st.markdown(site.workflow.summary)
    for number, stage in enumerate(site.workflow.stages, start=1):
        lead = site.roles.find(stage.lead)
        st.markdown(
            f"{number}. **{stage.title}**: {stage.summary}  \n"
            f"Led by {lead.title if lead else stage.lead}; hands on: *{stage.artifact}*."
        )

st.header("Where to go next", anchor="next")
ui.where_next()
ui.reading_links()
