"""The pages through AppTest, for every role allowed to see them, against the demo region."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kooperacja import warehouse
from kooperacja.model import access
from kooperacja.programme import alerts, queries
from kooperacja.ui import widgets
from tests.conftest import DEMO_TODAY

USERS = ["admin", "animator1", "wzk", "zarzad"]
ROLE = {"admin": "admin", "animator1": "animator", "wzk": "wzk", "zarzad": "zarzad"}
HEADINGS = {
    "przeglad": "Przegląd regionu",
    "gmina": "Gmina",
    "pzk": "Partnerskie Zespoły Kooperacji",
    "alerty": "Alerty — lista zadań",
}
TODAY = date.fromisoformat(DEMO_TODAY)
CASES = [(p, u) for p in HEADINGS for u in USERS]


def _read(demo_db, fn, *args):
    """The expected figures, read from the master demo file (the app under test holds its copy open)."""
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        return fn(conn, *args)
    finally:
        conn.close()


def _figures(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def _xlsx_keys(at) -> list[str]:
    """The tables' own download buttons (a record's Word document has one too: ui/documents.py)."""
    return [b.key for b in at.get("download_button") if b.key.endswith("_xlsx")]


def _table(at, key: str):
    """The table rendered by widgets.table(key=...): each is followed by its download button."""
    keys = _xlsx_keys(at)
    return at.dataframe[keys.index(f"{key}_xlsx")].value


@pytest.mark.parametrize(("page", "user"), [c for c in CASES if ROLE[c[1]] in access.PAGE_ROLES[c[0]]])
def test_page_renders_for_every_role_allowed_to_see_it(page_test, page, user):
    at = page_test(page, user).run()
    assert not at.exception, at.exception
    assert not at.error
    assert at.title[0].value == HEADINGS[page]
    assert len(_xlsx_keys(at)) == len(at.dataframe) > 0  # every table has its XLSX


@pytest.mark.parametrize(("page", "user"), [c for c in CASES if ROLE[c[1]] not in access.PAGE_ROLES[c[0]]])
def test_page_refuses_a_role_not_allowed_to_see_it(page_test, page, user):
    at = page_test(page, user).run()
    assert not at.exception
    assert [e.value for e in at.error] == ["Brak uprawnień do tej strony."]
    assert not at.title and not at.dataframe and not at.get("plotly_chart")


def test_overview_kpis_and_table_agree_with_the_warehouse(page_test, demo_db):
    pilot = _read(demo_db, queries.list_pilot_gminy)
    at = page_test("przeglad", "admin").run()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Gminy w pilotażu"] == str(len(pilot))
    overview = _read(demo_db, queries.region_overview, TODAY)
    assert tiles["Gminy zatrzymane"] == str((overview.progress_state == "stalled").sum())
    table = _table(at, "overview_table")
    assert len(table) == len(pilot)
    assert set(table["Gmina"]) == set(pilot.name)
    assert set(table["Stan"]) <= {"w terminie", "opóźniona", "zatrzymana"}


def test_overview_without_boundaries_shows_the_treemap_of_powiaty_and_gminy(page_test, demo_db):
    at = page_test("przeglad", "animator1").run()
    (treemap,) = _figures(at)
    trace = treemap["data"][0]
    assert trace["type"] == "treemap"
    assert len([i for i in trace["ids"] if len(i) == 7]) == len(_read(demo_db, queries.list_pilot_gminy))


def test_overview_shows_the_map_once_boundaries_are_imported(page_test, app_db, demo_db):
    pilot = _read(demo_db, queries.list_pilot_gminy)
    square = [[[19, 50], [19.1, 50], [19.1, 50.1], [19, 50]]]
    shape = {"type": "Polygon", "coordinates": square}
    features = [{"type": "Feature", "properties": {"terc": t}, "geometry": shape} for t in pilot.terc]
    from kooperacja.territory import geo

    conn = warehouse.connect(app_db)
    geo.import_boundaries(
        conn, json.dumps({"type": "FeatureCollection", "features": features}).encode(), "admin"
    )
    conn.close()
    at = page_test("przeglad", "admin").run()
    (fig,) = _figures(at)
    (shapes,) = [t for t in fig["data"] if t["type"] == "choropleth"]  # every shape in one trace
    assert {f["id"] for f in shapes["geojson"]["features"]} == {t[:6] for t in pilot.terc}
    assert sorted(shapes["locations"]) == sorted(t[:6] for t in pilot.terc)
    assert len(json.dumps(fig)) < 2_000_000


def test_selecting_a_row_opens_that_gminas_page(page_test, monkeypatch, demo_db):
    opened = []
    monkeypatch.setattr(widgets, "go_to", opened.append)
    at = page_test("przeglad", "animator1").run()
    chosen = _table(at, "overview_table")["Gmina"].iloc[2]
    at.session_state["overview_table"] = {"selection": {"rows": [2], "columns": [], "cells": []}}
    at.run()
    pilot = _read(demo_db, queries.list_pilot_gminy).set_index("name")
    assert opened == ["gmina"]
    assert at.session_state["flt_gmina"] == pilot.terc[chosen]


def test_the_zarzad_cannot_open_a_gmina_from_the_overview_and_sees_small_counts_hidden(page_test):
    at = page_test("przeglad", "zarzad").run()
    table = _table(at, "overview_table")
    assert all(v in ("0", "<5", "x") or int(v) >= 5 for v in table["Sprawy otwarte"])
    assert not any("Zaznacz wiersz" in c.value for c in at.caption)


def test_gmina_page_shows_the_chosen_gminas_gantt_with_a_bar_per_substep(page_test, demo_db):
    pilot = _read(demo_db, queries.list_pilot_gminy)
    terc = pilot.terc.iloc[3]
    plan = _read(demo_db, queries.gmina_plans, TODAY, terc)
    at = page_test("gmina", "wzk").run()
    at.selectbox(key="gmina_pick").set_value(terc).run()
    assert not at.exception
    gantt = _figures(at)[0]
    bars = next(t for t in gantt["data"] if t["name"] == "Plan")
    assert len(bars["y"]) == plan.substep.nunique()
    assert any(s["type"] == "line" and s["x0"] == DEMO_TODAY for s in gantt["layout"]["shapes"])
    marks = [t for t in gantt["data"] if t["type"] == "scatter"]
    assert sum(len(t["x"]) for t in marks) == plan.occurrence.notna().sum()
    events = _table(at, "events_table")
    assert len(events) == len(_read(demo_db, queries.step_events, terc))
    assert len(_table(at, "pzk_on_table")) == len(_read(demo_db, queries.pzk_on, terc, TODAY))
    assert any(pilot.name.iloc[3] in m.value for m in at.markdown)


def test_gmina_page_says_whether_the_animator_may_edit(page_test, demo_db):
    pilot = _read(demo_db, queries.list_pilot_gminy)
    mine = pilot[pilot.animator == "animator1"].terc.iloc[0]
    other = pilot[pilot.animator != "animator1"].terc.iloc[0]
    at = page_test("gmina", "animator1").run()
    assert at.selectbox(key="gmina_pick").value == mine  # an animator starts on their own gmina
    assert any("Możesz edytować" in c.value for c in at.caption)
    at.selectbox(key="gmina_pick").set_value(other).run()
    assert any("Tylko do odczytu" in c.value for c in at.caption)


def test_gmina_pzk_on_an_earlier_date_is_smaller_or_equal(page_test, demo_db):
    terc = _read(demo_db, queries.list_pilot_gminy).terc.iloc[0]
    at = page_test("gmina", "admin")
    at.session_state["flt_gmina"] = terc
    at.run()
    now = len(_table(at, "pzk_on_table"))
    at.date_input(key="gmina_pzk_on").set_value(date(2025, 1, 1)).run()
    assert now > 0  # the empty table is said in words, with no grid and no XLSX
    assert "pzk_on_table_xlsx" not in [b.key for b in at.get("download_button")]
    assert widgets.EMPTY_TABLE in [c.value for c in at.caption]


def test_pzk_page_shows_members_history_and_the_coverage_of_every_sector(page_test, demo_db):
    from kooperacja.model import vocab
    from kooperacja.programme import pzk

    terc = _read(demo_db, queries.list_pilot_gminy).terc.iloc[1]
    at = page_test("pzk", "animator1")
    at.session_state["flt_gmina"] = terc
    at.run()
    assert not at.exception
    assert len(_table(at, "pzk_members_table")) == len(_read(demo_db, pzk.list_members, terc))
    history, heat = _figures(at)
    assert history["data"][0]["line"]["shape"] == "hv"
    assert heat["data"][0]["type"] == "heatmap"
    assert len(heat["data"][0]["y"]) >= len(vocab.SECTORS)


def test_alerts_default_to_the_animators_own_gminy_and_narrow_by_rule(page_test, demo_db):
    every = _read(demo_db, alerts.list_alerts, TODAY)
    at = page_test("alerty", "animator1").run()
    assert at.multiselect(key="alerts_animator").value == ["animator1"]
    table = _table(at, "alerts_table")
    assert set(table["Animator"].dropna()) == {"animator1"}
    mine = every[(every.animator == "animator1") | every.terc.isna()]
    assert len(table) == len(mine)
    at.multiselect(key="alerts_rule").set_value(["step_overdue"]).run()
    narrowed = _table(at, "alerts_table") if (mine.rule == "step_overdue").any() else None
    if narrowed is not None:
        assert len(narrowed) == (mine.rule == "step_overdue").sum() < len(table)
        assert set(narrowed["Reguła"]) == {"Krok po terminie"}
    counts = _table(at, "alert_counts_table")
    assert counts["Liczba"].sum() == (mine.rule == "step_overdue").sum()


def test_admin_sees_every_alert_of_the_region(page_test, demo_db):
    every = _read(demo_db, alerts.list_alerts, TODAY)
    at = page_test("alerty", "admin").run()
    assert at.multiselect(key="alerts_animator").value == []
    assert len(_table(at, "alerts_table")) == len(every)


def test_filters_persist_while_moving_between_pages(app_db):
    from streamlit.testing.v1 import AppTest

    script = (
        "import streamlit as st\nfrom pages import alerty, gmina\n"
        "{'alerty': alerty.render, 'gmina': gmina.render}[st.session_state.get('page', 'alerty')]()\n"
    )
    at = AppTest.from_string(script)
    for name, value in {"authentication_status": True, "username": "admin", "roles": ["admin"]}.items():
        at.session_state[name] = value
    at.run()
    at.multiselect(key="alerts_rule").set_value(["monthly_report"]).run()
    at.session_state["page"] = "gmina"
    at.run()
    assert not at.multiselect  # the alerts filters are gone from this page…
    at.session_state["page"] = "alerty"
    at.run()
    assert at.multiselect(key="alerts_rule").value == ["monthly_report"]  # …and back on return
