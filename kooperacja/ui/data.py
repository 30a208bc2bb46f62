"""Cached region-wide reads for the pages, keyed by warehouse file, today and a data-version token."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kooperacja import alerts, charts, geo, queries, warehouse
from kooperacja.ui import session

# Every write is audited, so the newest audit row changes whenever the data does.
VERSION = "SELECT coalesce(max(audit_id), 0), coalesce(max(changed_at)::VARCHAR, '') FROM audit_log"


def _token() -> str:
    last_id, last_at = session.get_conn().execute(VERSION).fetchall()[0]
    return f"{last_id}@{last_at}"


def _key() -> tuple[str, date, str]:
    return str(warehouse.db_path().resolve()), session.today(), _token()


@st.cache_data(show_spinner=False, max_entries=16)
def _overview(path: str, today: date, token: str) -> pd.DataFrame:
    return queries.region_overview(session.get_conn(), today)


@st.cache_data(show_spinner=False, max_entries=16)
def _alerts(path: str, today: date, token: str) -> pd.DataFrame:
    conn = session.get_conn()
    start = warehouse.get_setting(conn, "programme_start")
    return alerts.list_alerts(conn, today, programme_start=date.fromisoformat(start) if start else None)


def region_overview() -> pd.DataFrame:
    """`queries.region_overview` for today, recomputed only after a write."""
    return _overview(*_key())


def region_alerts() -> pd.DataFrame:
    """`alerts.list_alerts` for today (with the programme start from settings), cached like above."""
    return _alerts(*_key())


@st.cache_resource(show_spinner=False, max_entries=8)
def _overview_figure(path: str, today: date, token: str, region: str) -> tuple[str, go.Figure]:
    # A resource, not data: one shared figure, no pickling (a national treemap takes ~0.5 s to build).
    overview = _overview(path, today, token)
    conn = session.get_conn()
    context = geo.region_terc6(conn, list(overview.terc))
    shapes = geo.boundaries_geojson(conn, context + [t[:6] for t in overview.terc])
    drawn = {f["id"] for f in shapes["features"]}
    if any(t[:6] in drawn for t in overview.terc):
        return "map", charts.choropleth(overview, shapes, [t for t in context if t in drawn])
    return "treemap", charts.treemap(overview, region)


def overview_figure() -> tuple[str, go.Figure]:
    """("map", the choropleth) when gmina boundaries are imported, else ("treemap", the treemap).

    Built once per data version and shared between sessions: callers must not change it.
    """
    return _overview_figure(*_key(), region_name())


FIRST_WOJEWODZTWO = "SELECT name FROM wojewodztwo ORDER BY terc LIMIT 1"


def region_name() -> str:
    """The region's name from settings, else the (first) województwo in the register."""
    conn = session.get_conn()
    name = warehouse.get_setting(conn, "region_name")
    if name:
        return name
    rows = conn.execute(FIRST_WOJEWODZTWO).fetchall()
    return f"województwo {rows[0][0]}" if rows else "województwo"
