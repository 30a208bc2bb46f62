"""Kooperacja: the router. Page config, the login gate, then the pages the user's role is offered."""

import streamlit as st

from kooperacja.errors import KooperacjaError
from kooperacja.ui import auth, nav

st.set_page_config(page_title="Kooperacja", page_icon=":material/hub:", layout="wide")

try:
    role = auth.gate()
except KooperacjaError as exc:  # e.g. the warehouse file is missing or locked
    st.error(exc.message)
    st.stop()
nav.build_navigation(role).run()
