"""Przegląd regionu: KPIs, the progress map (or treemap) and the table of pilot gminy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kooperacja.charts import programme as charts
from kooperacja.model import access, disclosure, vocab
from kooperacja.model.formatting import fmt_date, fmt_number, to_display
from kooperacja.programme import dashboard
from kooperacja.programme.queries import PROGRESS_COUNT_LABELS
from kooperacja.ui import data, session, widgets
from kooperacja.ui.text import plain


def _tiles(k: dashboard.Kpis) -> None:
    row = st.columns(5)
    with row[0]:
        widgets.metric("Gminy w pilotażu", k.gminy)
    for col, state in zip(row[1:4], ("on_time", "late", "stalled"), strict=True):
        with col:
            widgets.metric(PROGRESS_COUNT_LABELS[state], k.by_state[state])
    with row[4]:
        widgets.metric("Członkowie PZK", k.pzk_members)
    variants = " · ".join(
        f"{plain(vocab.VARIANTS.get(v, v))}: {fmt_number(n)}" for v, n in k.by_variant.items()
    )
    st.caption(f"Według wariantu modelu — {variants}")
    row = st.columns(5)
    figures = [
        ("Sprawy otwarte", k.cases_open),  # "<5"/"x" for the WZK and the Zarząd
        ("Sprawy zamknięte", k.cases_closed),
        ("Alerty po terminie", k.alerts_overdue),
        ("Alerty z terminem dziś", k.alerts_today),
        ("Alerty na ten tydzień", k.alerts_soon),
    ]
    for col, (label, value) in zip(row, figures, strict=True):
        with col:
            widgets.metric(label, value)


def _map() -> None:
    kind, figure = data.overview_figure()
    widgets.progress_legend()
    if kind == "map":
        st.plotly_chart(figure, key="map", width="stretch", config=charts.MAP_CONFIG)
    else:
        st.caption("Brak zaimportowanych granic gmin — zamiast mapy: województwo → powiat → gmina.")
        st.plotly_chart(figure, key="treemap", width="stretch")


def _table(rows: pd.DataFrame, actor: access.Actor) -> None:
    view = to_display(rows, dashboard.OVERVIEW_COLUMNS, {"variant": dashboard.VARIANT_SHORT})
    may_open = access.may_open(actor, "gmina")
    if may_open:
        st.caption("Zaznacz wiersz, aby przejść do harmonogramu gminy.")
    event = widgets.table(view, "overview_table", "gminy_pilotazowe", colored=["Stan"], select=may_open)
    picked = event.selection.rows if event is not None else []
    if picked:
        widgets.remember("gmina", rows.terc[picked[0]], "gmina_pick", "pzk_gmina_pick")
        widgets.go_to("gmina")


def render() -> None:
    actor = session.require_page("przeglad")
    st.title("Przegląd regionu")
    st.caption(f"{plain(data.region_name())} · stan na {fmt_date(session.today())}")
    overview = data.region_overview()
    if overview.empty:
        st.info("W regionie nie ma jeszcze gmin w pilotażu.")
        return
    alerts = dashboard.visible_alerts(data.region_alerts(), actor)
    kpis, rows = dashboard.disclosed(
        dashboard.kpis(overview, alerts), dashboard.overview_table(overview, alerts), actor
    )
    _tiles(kpis)
    st.subheader("Postęp gmin")
    _map()
    st.subheader("Gminy w pilotażu")
    if disclosure.hides(actor):
        st.caption(f"{disclosure.NOTE}.")
    _table(rows, actor)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("przeglad")
