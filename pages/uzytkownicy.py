"""Użytkownicy: the admin's accounts (add, role, gminy of an animator, password, on/off), the first-run
checklist, backups."""

import pandas as pd
import streamlit as st

from kooperacja.accounts import users
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, KooperacjaError
from kooperacja.model.formatting import fmt_date
from kooperacja.model.vocab import ROLES
from kooperacja.ui import backup_panel, document_admin, errors, saving, setup_panel, user_admin, widgets
from kooperacja.ui.session import get_conn, require_page
from kooperacja.ui.text import plain


def render() -> None:
    st.title("Użytkownicy")
    try:
        actor = require_page("uzytkownicy")
    except AccessDenied as exc:
        errors.show(exc)
        st.stop()
    checklist = st.container()  # filled last too: it follows this run's changes
    accounts = users.list_users(get_conn())
    table = st.container()  # filled last, so that it shows this run's changes
    left, right = st.columns(2)
    with left:
        _add_form(actor)
        user_admin.role_form(get_conn(), actor, accounts)
    with right:
        _password_form(actor, [a["username"] for a in accounts])
        _active_form(actor, [a["username"] for a in accounts])
    user_admin.gminy_form(get_conn(), actor)
    with table:
        _table(users.list_users(get_conn()))
    with checklist:
        setup_panel.render(get_conn(), actor, always=True)
    st.divider()
    backup_panel.render(actor)
    st.divider()
    document_admin.render(get_conn(), actor)


def _table(accounts: list[dict]) -> None:
    df = pd.DataFrame(
        {
            "Login": [a["username"] for a in accounts],
            "Imię i nazwisko": [a["display_name"] for a in accounts],
            "Rola": [ROLES.get(a["role"], a["role"]) for a in accounts],
            "Konto": ["aktywne" if a["active"] else "wyłączone" for a in accounts],
            "Utworzono": [fmt_date(a["created_at"]) for a in accounts],
        }
    )
    st.dataframe(df, hide_index=True, width="stretch", key="lista_uzytkownikow", placeholder="")


def _password_shown(login: str, password: str) -> saving.Messages:
    """A new password, shown once (on the run after the save) to be copied exactly."""
    text = f"Hasło użytkownika {plain(login)} (pokazane tylko teraz, przekaż je bezpiecznie):"
    return [("success", text), ("code", password)]


def _add_form(actor: Actor) -> None:
    """A refused account keeps what was typed, for the fix; a saved one empties the form."""
    key = saving.keys("nowy_uzytkownik")
    with st.form("nowy_uzytkownik"):
        st.subheader("Dodaj użytkownika")
        login = st.text_input("Login", key=key("nowy_login"), help="małe litery, cyfry, . _ -; 2–32 znaki")
        name = st.text_input("Imię i nazwisko", key=key("nowy_nazwa"))
        role = st.selectbox(
            "Rola", list(ROLES), format_func=ROLES.get, key=key("nowy_rola"), placeholder=widgets.PICK
        )
        password = st.text_input(
            "Hasło (puste: losowe)", type="password", key=key("nowy_haslo"), autocomplete="new-password"
        )
        saving.submit(
            "nowy_uzytkownik",
            "Dodaj użytkownika",
            "dodaj",
            lambda: users.add_user(get_conn(), actor, login or "", name or "", role, password or None),
            lambda shown: _password_shown((login or "").strip().lower(), shown),
            in_form=True,
        )


def _password_form(actor: Actor, logins: list[str]) -> None:
    key = saving.keys("zmiana_hasla")
    with st.form("zmiana_hasla"):
        st.subheader("Zmień hasło")
        login = st.selectbox("Użytkownik", logins, key=key("haslo_login"), placeholder=widgets.PICK)
        password = st.text_input(
            "Nowe hasło (puste: losowe)", type="password", key=key("haslo_nowe"), autocomplete="new-password"
        )
        saving.submit(
            "zmiana_hasla",
            "Zmień hasło",
            "zmien_haslo",
            lambda: users.set_password(get_conn(), actor, login, password or None),
            lambda shown: [
                *_password_shown(login, shown),
                ("info", "Sesje tego użytkownika na innych urządzeniach zostały zakończone."),
            ],
            kind="secondary",
            in_form=True,
        )


def _active_form(actor: Actor, logins: list[str]) -> None:
    with st.form("aktywnosc"):
        st.subheader("Włącz lub wyłącz konto")
        login = st.selectbox("Użytkownik", logins, key="aktywnosc_login", placeholder=widgets.PICK)
        turn_on = st.radio("Konto", ["wyłączone", "aktywne"], horizontal=True, key="aktywnosc_stan")
        if not st.form_submit_button("Zapisz", key="zapisz_aktywnosc"):
            return
    try:
        users.set_active(get_conn(), actor, login, turn_on == "aktywne")
    except KooperacjaError as exc:
        errors.show(exc)
        return
    st.success(f"Konto {plain(login)}: {turn_on}.")


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("uzytkownicy")
