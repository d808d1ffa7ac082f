"""The glossary, from `content/glossary.md`, with a search box."""

import streamlit as st

from teamroles import ui

glossary = ui.site().glossary
st.title(glossary.title)
st.markdown(glossary.summary)
query = st.text_input("Search the glossary", placeholder="for example: acceptance")
terms = glossary.search(query)
if not terms:
    st.info(f"No term matches “{query}”.")
for term in terms:
    st.subheader(term.term, anchor=term.anchor)
    st.markdown(term.definition)
ui.reading_links()
