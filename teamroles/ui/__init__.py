"""The user interface: the only subpackage that imports Streamlit."""
