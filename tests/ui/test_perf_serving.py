"""The served app at national scale (issue 16): DuckDB's memory is capped, spilling stays beside the file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from kooperacja import warehouse
from kooperacja.model.access import Actor
from kooperacja.model.records import StepEvent
from kooperacja.programme import alerts
from kooperacja.programme import services as programme
from kooperacja.ui import data, session
from kooperacja.warehouse import store

ANIMATOR1 = Actor("animator1", "animator", frozenset({"3401011", "3401032", "3401043", "3401052"}))


def _mib(conn) -> float:
    text = conn.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    number, unit = text.split()
    return float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "TiB": 1024 * 1024}[unit]


def test_connections_cap_duckdbs_memory_and_spill_beside_the_file(db_file):
    # DuckDB's default is 80 % of the RAM: a served app grew past 800 MB at national scale.
    conn = warehouse.connect(db_file)
    try:
        assert _mib(conn) <= 256
        spill = conn.execute("SELECT current_setting('temp_directory')").fetchall()[0][0]
        assert Path(spill).parent == db_file.parent
    finally:
        conn.close()
    reader = warehouse.connect(db_file, read_only=True)
    try:
        assert _mib(reader) <= 256
    finally:
        reader.close()


def test_the_memory_cap_can_be_raised(monkeypatch):
    monkeypatch.setenv("KOOPERACJA_DUCKDB_MEMORY", "1GB")
    assert warehouse.memory_limit() == "1GB"
    monkeypatch.delenv("KOOPERACJA_DUCKDB_MEMORY")
    assert warehouse.memory_limit() == warehouse.DEFAULT_MEMORY_LIMIT == "256MB"


def test_the_alert_lists_are_shared_not_copied_and_a_write_still_refreshes_them(app_db):
    # cache_data unpickled the national lists (8.8 MB) on every call, two or three times a page run.
    todo, explained, breaches = data.region_alerts(), data.region_explained_alerts(), data.region_breaches()
    assert data.region_alerts() is todo
    assert data.region_explained_alerts() is explained and data.region_breaches() is breaches
    _new_step()
    fresh = data.region_alerts()
    assert fresh is not todo  # never a stale read
    pd.testing.assert_frame_equal(fresh, alerts.list_alerts(session.get_conn(), date(2026, 11, 24)))


def _new_step() -> None:
    programme.record_step_event(
        session.get_conn(),
        ANIMATOR1,
        terc="3401011",
        substep="9.1",
        kind="completed",
        event_on=date(2026, 11, 20),
        evidence="Protokół 40/2026",
        today=date(2026, 11, 24),
    )


def _note_correction() -> None:
    conn = session.get_conn()
    key = conn.execute("SELECT min(event_id) FROM step_event WHERE terc = '3401011'").fetchall()[0][0]
    with warehouse.transaction(conn) as cur:
        store.update(cur, "admin", StepEvent, key, {"note": "Poprawiona uwaga"}, reason="Literówka w uwadze")


def test_the_map_is_rebuilt_only_when_what_it_draws_changed(app_db, monkeypatch):
    built = []
    real = data.charts.treemap  # the fictional demo has no boundaries: the treemap stands in for the map
    monkeypatch.setattr(data.charts, "treemap", lambda *a: built.append(1) or real(*a))
    _, figure = data.overview_figure()
    assert data.overview_figure()[1] is figure and len(built) == 1
    before = data.region_overview()
    _note_correction()  # the overview is recomputed (a programme write) and comes out the same
    assert data.region_overview() is not before and data.region_overview().equals(before)
    assert data.overview_figure()[1] is figure and len(built) == 1  # the 0.5–1.5 s map not rebuilt
    _new_step()
    _, fresh = data.overview_figure()  # a new step: the overview changed, so does the map
    assert fresh is not figure and len(built) == 2
    assert fresh == real(data.region_overview(), data.region_name())
