"""Sieć współpracy: a gmina's diagnosis, its cooperation survey waves and their network, the region."""

from __future__ import annotations

import streamlit as st

from kooperacja.model import access
from kooperacja.network import queries as network
from kooperacja.ui import data, links, network_forms, network_views, session
from kooperacja.ui.text import plain

PICKER = "siec_gmina_pick"


def render() -> None:
    actor = session.require_page("siec")
    st.title("Sieć współpracy")
    conn, today = session.get_conn(), session.today()
    pilot = data.pilot_gminy()
    if pilot.empty:
        st.info("W regionie nie ma jeszcze gmin w pilotażu.")
        return
    terc = links.pick_gmina("siec", actor, PICKER)
    name = plain(pilot.set_index("terc").name[terc])
    editable = access.can_edit_gmina(actor, terc)
    graph, survey, diagnosis, region = st.tabs(["Sieć", "Badanie współpracy", "Diagnoza", "Region"])
    waves = network.waves(conn, terc)
    with graph:
        st.subheader(f"Sieć współpracy instytucji gminy {name}")
        network_views.network_tab(conn, terc, waves)
    with survey:
        network_forms.survey_tab(conn, actor, terc, waves, today, editable)
    with diagnosis:
        network_forms.diagnosis_tab(conn, actor, terc, today, editable)
    with region:
        st.subheader("Sieci gmin regionu: przed i po")
        network_views.region_tab(conn)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("siec")
