"""The hidden technical debt figure (Sculley et al. 2015, Figure 1), box by box."""

import streamlit as st

from teamroles.ui import diagrams as diagram_views
from teamroles.ui import shell as ui

site = ui.site()

st.title(site.debt_figure.title if site.debt_figure else ui.current_page().title)
if site.debt_figure:
    st.markdown(site.debt_figure.summary)
diagram_views.hidden_debt(site)

ui.reading_links()
