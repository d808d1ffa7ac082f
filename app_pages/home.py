"""Home: the four roles in one view, What vs How, and the journey of a feature.

Each block of text is one element: a page's cost grows with the number of
elements it sends (docs/performance.md).
"""

import streamlit as st

from teamroles.ui import shell as ui

site = ui.site()
home = site.home
st.title(home.title if home else "The Team")
if home:
    st.markdown(f"**{home.summary}**\n\n{home.body}")

st.header("The roles", anchor="the-roles")
# One row of cards that wraps: two side by side on a laptop, one under the other
# on a phone, in reading order either way.
with st.container(horizontal=True, key="role-cards"):
    for role in site.roles:
        # height="stretch": the cards of a row line up, however long their text.
        with st.container(border=True, width=ui.CARD_WIDTH, height="stretch"):
            question = f"\n\n*{role.key_question}*" if role.key_question else ""
            st.markdown(
                f"#### {role.icon or ''} {role.title}".strip() + f"{question}\n\n{role.summary}"
            )
            ui.link(role.id, label=f"About the {role.title}", icon=":material/arrow_forward:")

if site.workflow:
    st.header("The journey of a feature", anchor="journey")
    stages = []
    for number, stage in enumerate(site.workflow.stages, start=1):
        lead = site.roles.find(stage.lead)
        stages.append(
            f"{number}. **{stage.title}**: {stage.summary}  \n"
            f"Led by {lead.title if lead else stage.lead}; hands on: *{stage.artifact}*."
        )
    st.markdown(site.workflow.summary + "\n\n" + "\n".join(stages))
    if site.example:
        ui.link(
            "example",
            f"Follow one feature, stage by stage: {site.example.feature}",
            ":material/receipt_long:",
        )

st.header("Where to go next", anchor="next")
ui.where_next()
ui.reading_links()
