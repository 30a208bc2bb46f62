"""The pages and forms with corrections open on a fresh warehouse (nothing recorded yet) without an error."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja import warehouse
from kooperacja.accounts import users


@pytest.fixture
def fresh(tmp_path, monkeypatch):
    path = tmp_path / "fresh.duckdb"
    conn = warehouse.connect(path)
    users.create_user(conn.cursor(), "cli", "admin", "Koordynator ROPS", "admin")
    conn.close()
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


def _page(module: str) -> AppTest:
    at = AppTest.from_string(f"from pages.{module} import render\nrender()\n")
    at.session_state["authentication_status"] = True
    at.session_state["username"] = "admin"
    at.session_state["name"] = "admin"
    at.session_state["roles"] = ["admin"]
    return at


@pytest.mark.parametrize("module", ["gmina", "pzk"])
def test_the_pages_open_on_an_empty_warehouse(fresh, module):
    at = _page(module)
    at.run(timeout=30)
    assert not at.exception and not at.error


def test_every_data_entry_form_opens_on_an_empty_warehouse(fresh):
    at = _page("dane")
    at.run(timeout=30)
    for section in at.selectbox("dane_section").options:
        at.selectbox("dane_section").set_value(section).run()
        assert not at.exception, section
        assert not at.error, (section, [e.value for e in at.error])
