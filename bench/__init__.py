"""Benchmarks: measurements against a bare Streamlit app, never timed assertions."""
