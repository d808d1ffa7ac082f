"""Who owns what: the responsibility matrix of activities against roles."""

import streamlit as st

from teamroles.ui import diagrams as diagram_views
from teamroles.ui import shell as ui

site = ui.site()

st.title(site.responsibilities.title if site.responsibilities else ui.current_page().title)
if site.responsibilities:
    st.markdown(site.responsibilities.summary)
diagram_views.who_owns_what(site)

ui.reading_links()
