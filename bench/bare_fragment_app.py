"""The fragment baseline: a title and one `st.fragment` holding a button (a click reruns
only the fragment)."""

import streamlit as st

st.title("Bare")


@st.fragment
def panel() -> None:
    st.button("Click")


panel()
