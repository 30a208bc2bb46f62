"""The admin's first-run checklist on the screen (Przegląd while incomplete, and Użytkownicy)."""

from __future__ import annotations

import duckdb
import streamlit as st

from kooperacja.model.access import Actor
from kooperacja.model.formatting import plural_form
from kooperacja.programme import services as programme
from kooperacja.programme import setup
from kooperacja.ui.text import plain


def render(conn: duckdb.DuckDBPyConnection, actor: Actor, *, always: bool = False) -> None:
    """The checklist for an admin: shown while a required item is open (or `always`, expanded then
    only when incomplete)."""
    if not actor.is_admin:
        return
    _variant_pointer(conn)
    steps = setup.setup_checklist(conn)
    open_ = setup.incomplete(steps)
    if not open_ and not always:
        return
    title = "Pierwsze kroki nowej instalacji" + ("" if open_ else " — gotowe")
    with st.expander(title, expanded=open_, icon=":material/checklist:"):
        for n, step in enumerate(steps, start=1):
            mark = "✅" if step.done else ("⬜" if step.optional else "❗")
            st.markdown(
                f"{mark} **{n}. {plain(step.title)}**  \n{plain(step.todo)}  \nGdzie: {plain(step.where)}"
            )


def _variant_pointer(conn: duckdb.DuckDBPyConnection) -> None:
    """After a TERC re-import changed a pilot gmina's type: where its one-click fix is."""
    notices = programme.variant_notices(conn)
    if notices:
        names = ", ".join(n["name"] for n in notices)
        which = plural_form(
            len(notices), "Gmina pilotażowa ma", "Gminy pilotażowe mają", "Gminy pilotażowe mają"
        )
        st.warning(
            f"{which} wariant modelu niezgodny z rodzajem gminy w rejestrze TERC: {plain(names)}. "
            "Popraw w: Wprowadzanie danych → Gminy w pilotażu: zmiany i wyjście.",
            icon=":material/warning:",
        )
