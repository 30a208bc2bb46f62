"""Streamlit glue: the only part of kooperacja that imports streamlit."""
