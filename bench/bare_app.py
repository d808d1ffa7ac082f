"""The baseline: a bare Streamlit app with one title and one button."""

import streamlit as st

st.title("Bare")
st.button("Click")
