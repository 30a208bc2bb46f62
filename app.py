"""Kooperacja: the router. Page config, the login gate, then the pages the user's role is offered."""

from pathlib import Path

import streamlit as st

from kooperacja.ui import about, auth, errors, nav, session

# A local icon: a material-symbol favicon would be fetched from Google's font servers.
ICON = Path(__file__).parent / "kooperacja" / "ui" / "icon.png"
st.set_page_config(page_title="Kooperacja", page_icon=str(ICON), layout="wide")

# Whatever a page or the gate raises is shown in Polish (a missing or locked warehouse, a damaged or
# invalidated one, a refusal a page did not catch, a bug): never a traceback (errors.guard).
with errors.guard():
    role = auth.gate()
    session.start_daily_backups()
    if role is not None:
        about.sidebar()
    nav.build_navigation(role).run()
