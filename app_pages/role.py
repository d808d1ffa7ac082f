"""A role page, drawn from one file in `content/roles/` (this script serves them all)."""

import streamlit as st

from teamroles import diagram_views, ui
from teamroles.markdown_files import slugify

site = ui.site()
role = site.roles.get(ui.current_page().url_path)

st.title(f"{role.icon or ''} {role.title}".strip())
st.markdown(f"**{role.summary}**")
if role.key_question:
    st.info(f"The question this role answers: *{role.key_question}*", icon=":material/help:")
st.markdown(role.body)

for heading, items in (
    ("Responsible for", role.responsibilities),
    ("Measured by", role.measured_by),
    ("Concerned with", role.concerns),
):
    if items:
        st.header(heading, anchor=slugify(heading))
        st.markdown("\n".join(f"- {item}" for item in items))

for heading, handoffs in (("Receives from", role.receives_from), ("Hands to", role.hands_to)):
    if handoffs:
        st.header(heading, anchor=slugify(heading))
        for handoff in handoffs:
            other = site.roles.find(handoff.role)
            if other:
                ui.link(other.id, label=f"{other.title}: {handoff.what}", icon=other.icon)

if role.specialties:
    st.header("Specialties", anchor="specialties")
    for specialty in role.specialties:
        st.subheader(specialty.name, anchor=specialty.anchor)
        st.markdown(specialty.focus)

if role.misunderstandings:
    st.header("Common misunderstandings", anchor="misunderstandings")
    for item in role.misunderstandings:
        st.markdown(f"**Myth:** {item.myth}  \n**In fact:** {item.fact}")

related = [other for other in map(site.roles.find, role.related) if other]
if related:
    st.header("Related roles", anchor="related")
    for other in related:
        ui.link(other.id, label=other.title, icon=other.icon)

diagram_views.role_diagrams(site, role)

st.header("Practise", anchor="practise")
ui.link("quiz", label="Test yourself: What vs How, and Who does this?", icon=":material/quiz:")

ui.reading_links()
