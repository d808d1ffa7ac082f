"""The Team: an interactive explainer of who does what on an ML product team.

Run with `streamlit run app.py`: Streamlit finds `app` below and serves the app's own
routes (teamroles/web/) beside its own; every page runs `menu.py`, the navigation.
"""

import streamlit as st

from teamroles.web import server

app = st.App(
    "menu.py",
    routes=server.routes(),
    middleware=server.middleware(),
    lifespan=server.lifespan,
)
