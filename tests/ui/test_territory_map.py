"""The overview map on the default demo (kujawsko-pomorskie): drawn from boundaries, small, clickable."""

from __future__ import annotations

import json
import shutil

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kooperacja import warehouse
from kooperacja.programme import queries
from kooperacja.ui import widgets
from tests.conftest import DEMO_TODAY

WIRE_BUDGET = 300_000  # bytes of the map's figure JSON for one województwo


@pytest.fixture
def real_app(real_demo_db, tmp_path, monkeypatch):
    path = tmp_path / "app.duckdb"
    shutil.copy(real_demo_db, path)
    monkeypatch.setenv("KOOPERACJA_DB", str(path))
    monkeypatch.setenv("KOOPERACJA_TODAY", DEMO_TODAY)
    st.cache_data.clear()
    st.cache_resource.clear()

    def make(username: str, role: str) -> AppTest:
        at = AppTest.from_string("from pages.przeglad import render\nrender()\n", default_timeout=60)
        at.session_state["authentication_status"] = True
        at.session_state["username"] = username
        at.session_state["name"] = username
        at.session_state["roles"] = [role]
        return at

    yield make
    st.cache_data.clear()
    st.cache_resource.clear()


def _pilot(real_demo_db):
    conn = warehouse.connect(real_demo_db, read_only=True)
    try:
        return queries.list_pilot_gminy(conn)
    finally:
        conn.close()


def _map(at) -> tuple[dict, str]:
    (chart,) = at.get("plotly_chart")
    return json.loads(chart.proto.spec), chart.proto.spec


def test_the_overview_draws_the_144_gminy_of_kujawsko_pomorskie_with_powiat_outlines(real_app, real_demo_db):
    at = real_app("admin", "admin").run()
    assert not at.exception
    fig, spec = _map(at)
    (shapes,) = [t for t in fig["data"] if t["type"] == "choropleth"]
    assert len(shapes["geojson"]["features"]) == len(shapes["locations"]) == 144
    pilot = {t[:6] for t in _pilot(real_demo_db).terc}
    assert len(pilot) == 12 and pilot <= set(shapes["locations"])
    (outlines,) = [t for t in fig["data"] if t.get("mode") == "lines"]
    assert outlines["lon"].count(None) >= 23  # at least a ring per powiat
    assert len(spec.encode()) <= WIRE_BUDGET, len(spec.encode())
    hover = dict(zip(shapes["locations"], shapes["customdata"], strict=True))
    first = next(iter(sorted(pilot)))
    assert "Stan: " in hover[first] and "Bieżący krok: " in hover[first] and "Wariant: " in hover[first]
    assert any("Kliknij gminę pilotażową" in c.value for c in at.caption)
    assert any("Dane demonstracyjne: instytucje, osoby, sprawy" in c.value for c in at.caption)


def test_clicking_a_pilot_gmina_on_the_map_opens_its_page(real_app, real_demo_db, monkeypatch):
    opened = []
    monkeypatch.setattr(widgets, "go_to", opened.append)
    at = real_app("animator1", "animator").run()
    terc = sorted(_pilot(real_demo_db).terc)[3]
    at.session_state["map"] = {
        "selection": {"points": [{"location": terc[:6], "curve_number": 0}], "point_indices": [0],
                      "box": [], "lasso": []},
    }  # fmt: skip
    at.run()
    assert not at.exception
    assert opened == ["gmina"] and at.session_state["flt_gmina"] == terc


def test_the_zarzad_sees_the_map_without_the_click_to_open(real_app):
    at = real_app("zarzad", "zarzad").run()
    assert not at.exception
    fig, _ = _map(at)
    assert any(t["type"] == "choropleth" for t in fig["data"])
    assert not any("Kliknij gminę" in c.value for c in at.caption)
