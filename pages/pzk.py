"""PZK: member institutions of a gmina's team, joins and leaves over time, sector coverage of the region."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kooperacja.charts import programme as charts
from kooperacja.model import access, vocab
from kooperacja.model.formatting import fmt_date, to_display
from kooperacja.programme import pzk
from kooperacja.ui import data, documents, links, meeting_fixes, network_views, pzk_fixes, session, widgets
from kooperacja.ui.text import plain

MEMBER_COLUMNS = ["institution", "sector", "level", "signed_on", "left_on", "membership"]
MEETING_HEADERS = {
    "held_on": "Data spotkania",
    "kind": "Rodzaj spotkania",
    "agenda": "Porządek",
    "decisions": "Ustalenia",
    "attendees": "Obecne instytucje",
}


def _members(actor: access.Actor, terc: str, today) -> None:
    members = pzk.list_members(session.get_conn(), terc)
    current = pzk.members_on(members, today)
    st.caption(
        f"{len(current)} instytucji w PZK dziś, {len(members) - len(current)} wystąpiło; "
        f"sektory: {current.sector.nunique()} z {len(vocab.SECTORS)}."
    )
    rows = members.rename(columns={"name": "institution"}).assign(
        membership=["członek" if i in current.index else "wystąpiła" for i in members.index]
    )
    widgets.table(to_display(rows, MEMBER_COLUMNS), "pzk_members_table", "pzk_czlonkowie")
    documents.button(actor, "porozumienie_pzk", terc, label="Pobierz porozumienie PZK (skład na dziś)")
    if access.can_edit_gmina(actor, terc):
        pzk_fixes.memberships(session.get_conn(), actor, terc, members)
    by_level = pd.crosstab(current.sector.map(vocab.SECTORS), current.level.map(vocab.LEVELS))
    if len(by_level):
        st.markdown("**Członkowie według sektora i poziomu**")
        widgets.table(
            by_level.rename_axis(index="Sektor", columns=None).reset_index(),
            "pzk_levels_table",
            "pzk_sektor_poziom",
        )


def _meetings(actor: access.Actor, terc: str) -> None:
    st.subheader("Spotkania gminy")
    listed = pzk.meetings(session.get_conn(), terc)
    if listed.empty:
        st.info("Gmina nie ma zapisanych spotkań (zapisuje się je w „Wprowadzanie danych”).")
    else:
        view = listed.assign(kind=listed.kind.map(vocab.MEETING_KINDS))[list(MEETING_HEADERS)]
        widgets.table(view.rename(columns=MEETING_HEADERS), "pzk_meetings_table", "spotkania_gminy")
        documents.meeting_buttons(actor, listed, "pzk_meeting_document")
    if access.can_edit_gmina(actor, terc):
        meeting_fixes.meetings(session.get_conn(), actor, terc, listed)


def _history(terc: str, today) -> None:
    history = pzk.membership_history(session.get_conn(), terc)
    st.plotly_chart(charts.pzk_history(history, today), key="pzk_history", width="stretch")
    widgets.table(
        to_display(history, ["on_day", "joined", "left", "members"]), "pzk_history_table", "pzk_historia"
    )


def _coverage(today) -> None:
    st.subheader("Pokrycie sektorów w regionie")
    on = widgets.persistent(
        st.date_input,
        "Stan na dzień",
        key="coverage_on",
        name="coverage_on",
        default=today,
        format="DD.MM.YYYY",
    )
    coverage = data.pzk_coverage(on)
    missing = pzk.missing_sectors(coverage)
    st.caption(
        f"Na czerwono (napis „brak”): sektor bez żadnej instytucji w PZK gminy — "
        f"{len(missing)} takich par gmina × sektor w dniu {fmt_date(on)}."
    )
    st.plotly_chart(data.coverage_figure(on), key="coverage", width="stretch")
    widgets.table(pzk.coverage_table(coverage), "coverage_table", "pzk_pokrycie_sektorow")


def render() -> None:
    actor = session.require_page("pzk")
    st.title("Partnerskie Zespoły Kooperacji")
    today = session.today()
    pilot = data.pilot_gminy()
    if pilot.empty:
        st.info("W regionie nie ma jeszcze gmin w pilotażu.")
        return
    terc = links.pick_gmina("pzk", actor, "pzk_gmina_pick", "gmina_pick")
    st.subheader(f"PZK gminy {plain(pilot.set_index('terc').name[terc])}")
    _members(actor, terc, today)
    network_views.isolated_note(session.get_conn(), terc)
    st.subheader("Przystąpienia i wystąpienia")
    _history(terc, today)
    _meetings(actor, terc)
    _coverage(today)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("pzk")
