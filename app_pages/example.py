"""The worked example: one feature followed from the customer's problem to monitoring."""

import streamlit as st

from teamroles.ui import example as example_ui
from teamroles.ui import shell as ui

site = ui.site()
st.title(site.example.title if site.example else ui.current_page().title)
example_ui.page(site)
ui.reading_links()
