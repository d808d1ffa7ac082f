"""The glossary, from `content/glossary.md`, with a search box."""

import streamlit as st

from teamroles.ui import shell as ui

glossary = ui.site().glossary
st.title(glossary.title)
st.markdown(glossary.summary)
query = st.text_input("Search the glossary", placeholder="for example: acceptance")
terms = glossary.search(query)
if not terms:
    st.info(f"No term matches “{query}”.")
# One element for all the terms; each Markdown heading gets the anchor `Term.anchor` names,
# which the "See also" links point at.
if terms:
    st.markdown(glossary.markdown(terms))
ui.reading_links()
