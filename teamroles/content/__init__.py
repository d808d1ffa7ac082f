"""Content: every file under content/ read, checked and modelled (no Streamlit)."""
