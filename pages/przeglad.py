"""Przegląd regionu: KPIs, the progress map (or treemap) and the table of pilot gminy."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kooperacja.charts import programme as charts
from kooperacja.model import access, disclosure, vocab
from kooperacja.model.formatting import fmt_date, fmt_number, to_display
from kooperacja.programme import dashboard
from kooperacja.programme.queries import PROGRESS_COUNT_LABELS
from kooperacja.ui import about, data, session, setup_panel, widgets
from kooperacja.ui.text import plain


def _tiles(k: dashboard.Kpis, alert_tiles: list[tuple[str, int]]) -> None:
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
        *alert_tiles,  # one label, one count: the WZK's and the Zarząd's say "(bez spraw)"
    ]
    for col, (label, value) in zip(row, figures, strict=True):
        with col:
            widgets.metric(label, value)


def _map(overview: pd.DataFrame, actor: access.Actor) -> None:
    kind, figure = data.overview_figure()
    widgets.progress_legend()
    if kind == "map":
        may_open = access.may_open(actor, "gmina")
        if may_open:
            st.caption("Kliknij gminę pilotażową na mapie, aby przejść do jej harmonogramu.")
        on_select = "rerun" if may_open else "ignore"
        event = st.plotly_chart(
            figure,
            key="map",
            width="stretch",
            config=charts.MAP_CONFIG,
            on_select=on_select,
            selection_mode="points",
        )
        about.demo_note()
        terc = charts.picked_gmina(event, overview) if may_open else None
        if terc:
            widgets.remember("gmina", terc, "gmina_pick", "pzk_gmina_pick")
            widgets.go_to("gmina")
    else:
        st.caption("Brak zaimportowanych granic gmin — zamiast mapy: województwo → powiat → gmina.")
        st.plotly_chart(figure, key="treemap", width="stretch")


def _table(rows: pd.DataFrame, actor: access.Actor) -> None:
    view = to_display(rows, dashboard.OVERVIEW_COLUMNS, {"variant": dashboard.VARIANT_SHORT})
    view = view.rename(columns={"Alerty": dashboard.alert_label("Alerty", actor)})
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
    setup_panel.render(session.get_conn(), actor)  # an admin's first-run checklist, while incomplete
    overview = data.region_overview()
    if overview.empty:
        st.info("W regionie nie ma jeszcze gmin w pilotażu.")
        return
    alerts = dashboard.visible_alerts(data.region_alerts(), actor)
    kpis, rows = dashboard.disclosed(
        dashboard.kpis(overview, alerts), dashboard.overview_table(overview, alerts), actor
    )
    _tiles(kpis, dashboard.alert_tiles(data.region_alerts(), actor))
    st.subheader("Postęp gmin")
    _map(overview, actor)
    st.subheader("Gminy w pilotażu")
    if disclosure.hides(actor):
        st.caption(f"{disclosure.NOTE}.")
    _table(rows, actor)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("przeglad")
