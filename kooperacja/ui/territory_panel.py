"""The admin's panel: load a województwo's territory and map from the copy shipped with the product."""

from __future__ import annotations

import duckdb
import streamlit as st

from kooperacja.model.access import Actor
from kooperacja.territory import reference
from kooperacja.ui import saving, widgets
from kooperacja.ui.forms import pick

FORM = "wojewodztwo"


def load(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Województwo z dołączonego rejestru")
    st.caption(
        "Gminy, powiaty i granice gmin jednego województwa z rejestru TERC GUS (stan na 1.01.2025) "
        "i mapy PRG dołączonych do programu — bez pobierania plików. Wczytanie ponowne aktualizuje "
        "nazwy i granice; dane programu zostają."
    )
    choices = {code: f"{name} ({code})" for code, name in reference.wojewodztwa().items()}
    woj = pick("Województwo", choices, saving.keys(FORM)("f_ref_woj"), index=None, **widgets.SELECT)
    if st.button("Wczytaj województwo", key="f_ref_save", type="primary", disabled=woj is None):
        with st.status("Wczytywanie…", expanded=True) as status:
            saving.attempt(  # a success reruns: the summary is said under the button
                FORM,
                lambda: reference.load_wojewodztwo(conn, actor, woj, progress=st.write),
                lambda summary: [
                    ("success", f"Wczytano województwo {choices[woj]}."),
                    *(("info", line) for line in summary.lines()),
                ],
            )
            status.update(label="Nie wczytano.", state="error")  # reached only when refused
    saving.said(FORM)
