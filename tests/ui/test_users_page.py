"""The Użytkownicy page: an admin adds and manages accounts; everybody else is refused."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja import warehouse
from kooperacja.accounts import users

PAGE = "from pages.uzytkownicy import render\nrender()"
DEMO_TODAY = "2026-11-24"


@pytest.fixture
def app_db(demo_db, tmp_path, monkeypatch):
    """A private copy of the demo warehouse the page runs on; Streamlit's caches start empty."""
    db = tmp_path / "app.duckdb"
    shutil.copy(demo_db, db)
    monkeypatch.setenv("KOOPERACJA_DB", str(db))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_resource.clear()
    yield db
    st.cache_resource.clear()


def page_as(username: str, role: str) -> AppTest:
    at = AppTest.from_string(PAGE, default_timeout=30)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["roles"] = [role]
    return at.run()


def warehouse_users(db) -> dict[str, dict]:
    conn = warehouse.connect(db, read_only=True)
    try:
        return {u["username"]: u for u in users.list_users(conn)}
    finally:
        conn.close()


def test_admin_sees_every_account(app_db):
    at = page_as("admin", "admin")
    assert not at.exception and not at.error
    shown = at.dataframe[0].value
    assert list(shown["Login"]) == ["admin", "animator1", "animator2", "wzk", "zarzad"]
    assert set(shown["Konto"]) == {"aktywne"}


def test_admin_adds_a_user_and_sees_the_password_once(app_db):
    at = page_as("admin", "admin")
    at.text_input(key="nowy_login").input("animator3")
    at.text_input(key="nowy_nazwa").input("Ewa Kowalczyk")
    at.selectbox(key="nowy_rola").set_value("animator")
    at.button(key="dodaj").click().run()
    assert not at.exception and not at.error
    password = at.code[0].value
    assert len(password) >= 12
    st.cache_resource.clear()  # release the page's connection before reading the file here
    account = warehouse_users(app_db)["animator3"]
    assert (account["display_name"], account["role"], account["active"]) == (
        "Ewa Kowalczyk",
        "animator",
        True,
    )
    assert "animator3" in list(at.dataframe[0].value["Login"])


def test_a_taken_login_is_refused_in_polish(app_db):
    at = page_as("admin", "admin")
    at.text_input(key="nowy_login").input("wzk")
    at.text_input(key="nowy_nazwa").input("Ktoś Inny")
    at.button(key="dodaj").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == ["**Niepoprawne dane**\n\nLogin: użytkownik wzk już istnieje"]


def test_a_refused_account_keeps_what_was_typed_and_a_saved_one_empties_the_form(app_db):
    at = page_as("admin", "admin")
    at.text_input(key="nowy_login").input("wzk")
    at.text_input(key="nowy_nazwa").input("Ktoś Inny")
    at.selectbox(key="nowy_rola").set_value("animator")
    at.button(key="dodaj").click().run()
    assert at.error  # the login is taken: everything typed is still there, for the fix
    typed = (at.text_input(key="nowy_login").value, at.text_input(key="nowy_nazwa").value)
    assert typed == ("wzk", "Ktoś Inny") and at.selectbox(key="nowy_rola").value == "animator"
    at.text_input(key="nowy_login").input("animator3")
    at.button(key="dodaj").click().run()
    assert not at.exception and not at.error and len(at.code[0].value) >= 12
    fresh = [w for w in at.text_input if w.label in ("Login", "Imię i nazwisko")]
    assert [w.value for w in fresh] == ["", ""]  # the next account starts from an empty form
    at.run()
    assert not at.code  # the password was shown once


def test_admin_switches_an_account_off(app_db):
    at = page_as("admin", "admin")
    at.selectbox(key="aktywnosc_login").set_value("wzk")  # no pilot gminy to hand over first
    at.radio(key="aktywnosc_stan").set_value("wyłączone")
    at.button(key="zapisz_aktywnosc").click().run()
    assert not at.exception and not at.error
    shown = at.dataframe[0].value.set_index("Login")
    assert shown.loc["wzk", "Konto"] == "wyłączone"


def test_admin_cannot_switch_their_own_account_off(app_db):
    at = page_as("admin", "admin")
    at.selectbox(key="aktywnosc_login").set_value("admin")
    at.radio(key="aktywnosc_stan").set_value("wyłączone")
    at.button(key="zapisz_aktywnosc").click().run()
    assert [e.value for e in at.error] == ["**Niepoprawne dane**\n\nNie można wyłączyć własnego konta."]


@pytest.mark.parametrize(
    ("username", "role"), [("animator1", "animator"), ("wzk", "wzk"), ("zarzad", "zarzad")]
)
def test_other_roles_are_refused(app_db, username, role):
    at = page_as(username, role)
    assert not at.exception
    assert [e.value for e in at.error] == ["Brak uprawnień do tej strony."]
    assert not at.dataframe and not at.text_input


def test_a_visitor_who_is_not_logged_in_is_refused(app_db):
    at = AppTest.from_string(PAGE, default_timeout=30).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["**Brak uprawnień**\n\nZaloguj się, aby zobaczyć tę stronę."]


# --- The password rule (hardening, finding 11): at least 12 characters for every new password ---


def test_admin_adding_a_user_with_a_short_password_is_refused_naming_the_field(app_db):
    at = page_as("admin", "admin")
    at.text_input(key="nowy_login").input("animator3")
    at.text_input(key="nowy_nazwa").input("Ewa Kowalczyk")
    at.text_input(key="nowy_haslo").input("abcd")
    at.button(key="dodaj").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "**Niepoprawne dane**\n\nHasło: co najmniej 12 znaków (np. kilka słów)"
    ]
    assert "animator3" not in list(at.dataframe[0].value["Login"])


def test_admin_reset_with_a_short_password_is_refused_and_a_long_one_accepted(app_db):
    at = page_as("admin", "admin")
    at.selectbox(key="haslo_login").set_value("wzk")
    at.text_input(key="haslo_nowe").input("demo1234")
    at.button(key="zmien_haslo").click().run()
    assert [e.value for e in at.error] == [
        "**Niepoprawne dane**\n\nNowe hasło: co najmniej 12 znaków (np. kilka słów)"
    ]
    assert at.selectbox(key="haslo_login").value == "wzk"  # kept for the fix
    at.text_input(key="haslo_nowe").input("zielona łąka nad rzeką")
    at.button(key="zmien_haslo").click().run()
    assert not at.error and at.code[0].value == "zielona łąka nad rzeką"


def test_admin_reset_with_no_password_makes_one_that_passes_the_rule(app_db):
    at = page_as("admin", "admin")
    at.selectbox(key="haslo_login").set_value("zarzad")
    at.button(key="zmien_haslo").click().run()
    assert not at.error
    assert users.password_problems(at.code[0].value) == []
