"""The admin's panel that loads a województwo from the shipped copy, and the „O programie” expander."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja import cli, warehouse
from kooperacja.territory import reference
from kooperacja.ui import about
from tests.conftest import DEMO_TODAY

SECTION = "Województwo z dołączonego rejestru"


@pytest.fixture
def fresh_db(tmp_path, monkeypatch, capsys):
    """A real installation as `init` leaves it: one admin, no territory."""
    path = tmp_path / "nowa.duckdb"
    assert cli.main(["init", "--db", str(path)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def _dane(username: str, role: str) -> AppTest:
    at = AppTest.from_string("from pages.dane import render\nrender()\n", default_timeout=60)
    at.session_state["authentication_status"] = True
    at.session_state["username"] = username
    at.session_state["name"] = username
    at.session_state["roles"] = [role]
    return at


def _texts(at: AppTest) -> str:
    return " ".join(
        str(e.value) for kind in ("markdown", "success", "info", "error", "caption") for e in at.get(kind)
    )


def test_the_admin_picks_a_wojewodztwo_by_name_and_loads_it(fresh_db):
    at = _dane("admin", "admin").run()
    at.selectbox(key="dane_section").select(SECTION).run()
    picker = at.selectbox(key="f_ref_woj")
    assert picker.value is None and picker.placeholder == "Wybierz…"
    assert "kujawsko-pomorskie (04)" in picker.options and len(picker.options) == 16
    assert at.button(key="f_ref_save").disabled
    picker.select("04").run()
    at.button(key="f_ref_save").click().run()
    assert not at.exception
    text = _texts(at)
    assert "Wczytano województwo kujawsko-pomorskie (04)." in text
    assert "Województwo kujawsko-pomorskie: wczytano 144 gminy, 23 powiaty, granice 144 gmin." in text
    st.cache_resource.clear()  # closes the app's connection
    conn = warehouse.connect(fresh_db, read_only=True)
    try:
        counts = warehouse.table_counts(conn)
    finally:
        conn.close()
    assert (counts["gmina"], counts["powiat"], counts["gmina_boundary"]) == (144, 23, 144)


def test_the_panel_is_offered_to_the_admin_only(fresh_db):
    conn = warehouse.connect(fresh_db)
    from kooperacja.accounts.users import create_user

    with warehouse.transaction(conn) as cur:
        create_user(
            cur, "admin", "animator1", "Animator", "animator", "Haslo-dlugie-123", check_strength=False
        )
    conn.close()
    at = _dane("animator1", "animator").run()
    assert SECTION not in at.selectbox(key="dane_section").options


def test_o_programie_names_the_sources_state_and_licences_of_the_shipped_data(fresh_db):
    at = AppTest.from_string("from kooperacja.ui import about\nabout.sidebar()\n").run()
    assert not at.exception
    (expander,) = at.sidebar.expander
    assert expander.label == "O programie"
    text = " ".join(m.value for m in expander.markdown)
    assert about.version() == "0.1.0" and "Kooperacja** 0.1.0" in text
    for what, state, source, licence in reference.SOURCES:
        assert what in text and state in text and source in text and licence in text
    assert "CC0 1.0" in text and "Unlicense" in text and "1.01.2025" in text
    assert about.DEMO_NOTE not in text  # a real installation


def test_o_programie_of_a_demo_says_what_is_fictional(real_demo_db, tmp_path, monkeypatch):
    path = tmp_path / "demo.duckdb"
    shutil.copy(real_demo_db, path)
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    st.cache_resource.clear()
    at = AppTest.from_string("from kooperacja.ui import about\nabout.sidebar()\n").run()
    st.cache_resource.clear()
    assert not at.exception
    assert about.DEMO_NOTE in " ".join(m.value for m in at.sidebar.expander[0].markdown)
