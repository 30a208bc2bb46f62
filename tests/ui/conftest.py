"""AppTest fixtures for the pages: a private copy of the demo warehouse, pinned today, clean caches."""

from __future__ import annotations

import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import DEMO_TODAY

DEMO_ROLES = {
    "admin": "admin",
    "animator1": "animator",
    "animator2": "animator",
    "wzk": "wzk",
    "zarzad": "zarzad",
}


@pytest.fixture
def app_db(demo_db, tmp_path, monkeypatch):
    """A copy of the demo warehouse the app under test opens (KOOPERACJA_DB), today pinned."""
    path = tmp_path / "app.duckdb"
    shutil.copy(demo_db, path)
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield path
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def page_test(app_db):
    """page_test("gmina", "animator1") -> an AppTest of pages/gmina.py's render(), logged in, not run yet."""

    def make(module: str, username: str, role: str | None = None) -> AppTest:
        at = AppTest.from_string(f"from pages.{module} import render\nrender()\n")
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
        at.session_state["roles"] = [role or DEMO_ROLES[username]]
        return at

    return make
