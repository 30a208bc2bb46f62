"""Cached region-wide reads for the pages, keyed by warehouse file, today and a data-version token."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kooperacja import alerts, queries, warehouse
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


FIRST_WOJEWODZTWO = "SELECT name FROM wojewodztwo ORDER BY terc LIMIT 1"


def region_name() -> str:
    """The region's name from settings, else the (first) województwo in the register."""
    conn = session.get_conn()
    name = warehouse.get_setting(conn, "region_name")
    if name:
        return name
    rows = conn.execute(FIRST_WOJEWODZTWO).fetchall()
    return f"województwo {rows[0][0]}" if rows else "województwo"
