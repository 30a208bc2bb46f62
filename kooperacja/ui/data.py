"""Cached region-wide reads for the pages, keyed by warehouse file, today and a data-version token."""

from __future__ import annotations

from dataclasses import astuple
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kooperacja import lku, warehouse, wzk
from kooperacja.cases import stats as case_stats
from kooperacja.charts import programme as charts
from kooperacja.charts import report as report_charts
from kooperacja.model import disclosure, formatting, vocab
from kooperacja.model.access import SYSTEM, Actor, require_case_read
from kooperacja.model.formatting import to_display
from kooperacja.programme import alerts, pzk, queries
from kooperacja.report import effects as report
from kooperacja.territory import geo, reference
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
def _alerts(path: str, today: date, token: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    conn = session.get_conn()
    todo, explained = alerts.alert_lists(conn, today)
    return todo, explained, alerts.list_breaches(conn, today)


def region_overview() -> pd.DataFrame:
    """`queries.region_overview` for today, recomputed only after a write."""
    return _overview(*_key())


def region_alerts() -> pd.DataFrame:
    """`alerts.list_alerts` for today (the to-do list), recomputed only after a write."""
    return _alerts(*_key())[0]


def region_explained_alerts() -> pd.DataFrame:
    """`alerts.list_explained` for today: the alerts marked "wyjaśnione", with who, when and why."""
    return _alerts(*_key())[1]


def region_breaches() -> pd.DataFrame:
    """`alerts.list_breaches` for today: the recorded breaches of the region."""
    return _alerts(*_key())[2]


@st.cache_resource(show_spinner=False, max_entries=8)
def _overview_figure(path: str, today: date, token: str, region: str) -> tuple[str, go.Figure]:
    # A resource, not data: one shared figure, no pickling (a national treemap takes ~0.5 s to build).
    overview = _overview(path, today, token)
    conn = session.get_conn()
    context = geo.region_terc6(conn, list(overview.terc))
    shapes = geo.boundaries_geojson(conn, context + [t[:6] for t in overview.terc])
    drawn = {f["id"] for f in shapes["features"]}
    if any(t[:6] in drawn for t in overview.terc):
        outlines = reference.outlines(list(drawn))
        return "map", charts.choropleth(overview, shapes, [t for t in context if t in drawn], outlines)
    return "treemap", charts.treemap(overview, region)


def overview_figure() -> tuple[str, go.Figure]:
    """("map", the choropleth) when gmina boundaries are imported, else ("treemap", the treemap).

    Built once per data version and shared between sessions: callers must not change it.
    """
    return _overview_figure(*_key(), region_name())


# Region-wide reads of the other pages, cached the same way. An actor changes a result only through
# whether it sees counts under 5 as "<5" (the WZK and the Zarząd), so that is the key (`hidden`) and
# the actor rides along unhashed.


@st.cache_data(show_spinner=False, max_entries=32)
def _effects(
    path: str, today: date, token: str, terc: str | None, hidden: bool, _actor: Actor
) -> report.EffectsReport:
    return report.effects(session.get_conn(), _actor, today, terc)


def report_effects(actor: Actor, terc: str | None = None) -> report.EffectsReport:
    """`report.effects` for today, the region or one gmina, as `actor`'s role may see it."""
    return _effects(*_key(), terc, disclosure.hides(actor), actor)


@st.cache_data(show_spinner=False, max_entries=16)
def _gaps(path: str, today: date, token: str, on: date) -> pd.DataFrame:
    return lku.gaps(session.get_conn(), on)


def service_gaps(on: date) -> pd.DataFrame:
    """`lku.gaps` of every pilot gmina on a date."""
    return _gaps(*_key(), on)


@st.cache_resource(show_spinner=False, max_entries=16)  # not pickled: unpickling ~30,000 rows took 0.2 s
def _services(path: str, today: date, token: str, fields: tuple) -> tuple[pd.DataFrame, pd.DataFrame]:
    found = lku.search(session.get_conn(), lku.ServiceFilter(*fields))
    return found, lku.activity_list(found)


def service_search(flt: lku.ServiceFilter) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`lku.search`, its `lku.activity_list`) for a filter; shared between sessions: do not change them."""
    return _services(*_key(), astuple(flt))


@st.cache_resource(show_spinner=False, max_entries=8)
def _gap_figure(path: str, today: date, token: str, on: date, hidden: bool) -> go.Figure:
    return report_charts.gap_heatmap(_gaps(path, today, token, on), hide_small=hidden)


def gap_figure(on: date, actor: Actor) -> go.Figure:
    """The gap heatmap of `service_gaps(on)`; shared between sessions: callers must not change it."""
    return _gap_figure(*_key(), on, disclosure.hides(actor))


@st.cache_data(show_spinner=False, max_entries=16)
def _coverage(path: str, today: date, token: str, on: date) -> pd.DataFrame:
    return pzk.coverage_matrix(session.get_conn(), on)


def pzk_coverage(on: date) -> pd.DataFrame:
    """`pzk.coverage_matrix` of every pilot gmina on a date."""
    return _coverage(*_key(), on)


@st.cache_resource(show_spinner=False, max_entries=8)
def _coverage_figure(path: str, today: date, token: str, on: date) -> go.Figure:
    return charts.coverage_heatmap(_coverage(path, today, token, on))


def coverage_figure(on: date) -> go.Figure:
    """The sector coverage heatmap of `pzk_coverage(on)`; shared: callers must not change it."""
    return _coverage_figure(*_key(), on)


@st.cache_data(show_spinner=False, max_entries=8)
def _slides(path: str, today: date, token: str, hidden: bool, _actor: Actor) -> list[wzk.Slide]:
    return wzk.meeting_slides(
        session.get_conn(),
        _actor,
        today,
        overview=_overview(path, today, token),
        effects=_effects(path, today, token, None, hidden, _actor),
        gaps=_gaps(path, today, token, today),
    )


def meeting_slides(actor: Actor) -> list[wzk.Slide]:
    """`wzk.meeting_slides` for today, from the cached overview, report and service gaps."""
    return _slides(*_key(), disclosure.hides(actor), actor)


CASE_COLUMNS = ["case_code", "gmina", "kind", "stage_label", "referred_on", "plan_on", "closed_on"]
CASE_HEADERS = {
    "case_code": "Kod sprawy",
    "kind": "Rodzaj",
    "stage_label": "Etap",
    "referred_on": "Zgłoszona",
    "plan_on": "Plan pracy",
    "closed_on": "Zakończona",
}


@st.cache_resource(show_spinner=False, max_entries=16)  # not pickled: ~100,000 cases nationally
def _case_list(
    path: str, today: date, token: str, terc: str | None, stage: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    rows = case_stats.list_cases(session.get_conn(), SYSTEM, terc, stage)
    view = to_display(rows[CASE_COLUMNS], extra_labels={"kind": vocab.CASE_KINDS})
    view.columns = [CASE_HEADERS.get(c, h) for c, h in zip(CASE_COLUMNS, view.columns, strict=True)]
    return rows, view


def case_list(
    actor: Actor, terc: str | None = None, stage: str | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(`case_stats.list_cases`, the same as the page's table) for ROPS staff only.

    Shared between sessions: callers must not change them.
    """
    require_case_read(actor)
    return _case_list(*_key(), terc, stage)


@st.cache_data(show_spinner=False, max_entries=32)
def _case_summary(
    path: str, today: date, token: str, terc: str | None, hidden: bool, _actor: Actor
) -> dict[str, pd.DataFrame]:
    return case_stats.summary(session.get_conn(), _actor, today, terc)


def case_summary(actor: Actor, terc: str | None = None) -> dict[str, pd.DataFrame]:
    """The ROPS case statistics of the region or a gmina (`case_stats`), as the role may see them."""
    return _case_summary(*_key(), terc, disclosure.hides(actor), actor)


FIRST_WOJEWODZTWO = "SELECT name FROM wojewodztwo ORDER BY terc LIMIT 1"


def region_name() -> str:
    """The region's name from settings, else the (first) województwo in the register."""
    conn = session.get_conn()
    name = warehouse.get_setting(conn, "region_name")
    if name:
        return name
    rows = conn.execute(FIRST_WOJEWODZTWO).fetchall()
    if rows:
        return f"województwo {formatting.region_name(rows[0][0])}"
    return "Region (rejestr terytorialny jeszcze nie wczytany)"
