"""The journey of a feature: the stages, who leads each, and the loops back."""

import streamlit as st

from teamroles.ui import diagrams as diagram_views
from teamroles.ui import shell as ui

site = ui.site()

st.title(site.workflow.title if site.workflow else ui.current_page().title)
if site.workflow:
    st.markdown(site.workflow.summary)
if site.example:
    ui.link(
        "example", f"Follow one feature through it: {site.example.title}", ":material/receipt_long:"
    )
diagram_views.journey(site)

ui.reading_links()
