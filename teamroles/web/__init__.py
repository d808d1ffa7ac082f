"""The app's own HTTP layer, beside Streamlit's: routes, middleware and the server's
lifespan (Starlette, no Streamlit). `app.py` hands them to `st.App`."""
