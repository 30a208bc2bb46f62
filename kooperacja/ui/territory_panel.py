"""The admin's panel: load a województwo's territory and map from the copy shipped with the product."""

from __future__ import annotations

import duckdb
import streamlit as st

from kooperacja.model.access import Actor
from kooperacja.territory import reference
from kooperacja.ui.forms import pick, save


def load(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Województwo z dołączonego rejestru")
    st.caption(
        "Gminy, powiaty i granice gmin jednego województwa z rejestru TERC GUS (stan na 1.01.2025) "
        "i mapy PRG dołączonych do programu — bez pobierania plików. Wczytanie ponowne aktualizuje "
        "nazwy i granice; dane programu zostają."
    )
    choices = {code: f"{name} ({code})" for code, name in reference.wojewodztwa().items()}
    woj = pick("Województwo", choices, "f_ref_woj", index=None, placeholder="Wybierz…")
    if not st.button("Wczytaj województwo", key="f_ref_save", type="primary", disabled=woj is None):
        return
    with st.status("Wczytywanie…", expanded=True) as status:
        summary = save(
            lambda: reference.load_wojewodztwo(conn, actor, woj, progress=st.write),
            f"Wczytano województwo {choices[woj]}.",
        )
        status.update(
            label="Gotowe." if summary else "Nie wczytano.", state="complete" if summary else "error"
        )
    if summary is not None:
        for line in summary.lines():
            st.write(line)
