"""Kooperacja: the router. Page config, the login gate, then the pages the user's role is offered."""

from pathlib import Path

import streamlit as st

from kooperacja import warehouse
from kooperacja.model.errors import KooperacjaError
from kooperacja.ui import auth, nav, session

# A local icon: a material-symbol favicon would be fetched from Google's font servers.
ICON = Path(__file__).parent / "kooperacja" / "ui" / "icon.png"
st.set_page_config(page_title="Kooperacja", page_icon=str(ICON), layout="wide")

try:
    role = auth.gate()
    session.start_daily_backups()
except KooperacjaError as exc:  # e.g. the warehouse file is missing or locked
    st.error(exc.message)
    st.stop()
except warehouse.DatabaseError as exc:  # opened, but its data cannot be read (a damaged file)
    st.error(warehouse.unreadable(exc).message)
    st.stop()
try:
    nav.build_navigation(role).run()
except warehouse.DatabaseError as exc:
    st.error(warehouse.unreadable(exc).message)
