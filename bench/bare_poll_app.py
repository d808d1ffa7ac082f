"""The waiting-room baseline: a title and one fragment that reruns every
$BENCH_POLL_SECONDS (the app's poll interval), holding a line of text and a button."""

import os

import streamlit as st

st.title("Bare")


@st.fragment(run_every=float(os.environ.get("BENCH_POLL_SECONDS", "1.5")))
def live() -> None:
    st.markdown("Waiting")
    st.button("Click")


live()
