"""The harmonogram template edited in a grid: one version shown, edited, saved as the next version."""

from __future__ import annotations

import duckdb
import streamlit as st

from kooperacja.exchange import template
from kooperacja.model.access import Actor
from kooperacja.ui import saving

EDITOR = "f_tpl_grid"


def template_editor(conn: duckdb.DuckDBPyConnection, actor: Actor, template_id: int, version: int) -> None:
    """The grid of `template_id`/`version`; "Zapisz jako nową wersję" validates it and stores the next
    version (gminy keep the version they started with). The grid starts afresh after a save."""
    st.markdown("**Edycja w tabeli** — zmień komórki, dodaj albo usuń wiersze, potem zapisz.")
    frame = template.template_grid(conn, template_id, version)
    edited = st.data_editor(
        frame,
        num_rows="dynamic",
        hide_index=True,
        key=saving.keys(EDITOR)(f"{EDITOR}_{template_id}_{version}"),
        column_config={
            template.STEPS.columns["start_month"].header: st.column_config.NumberColumn(
                min_value=1, max_value=36
            ),
            template.STEPS.columns["end_month"].header: st.column_config.NumberColumn(
                min_value=1, max_value=36
            ),
            template.STEPS.columns["every_months"].header: st.column_config.NumberColumn(
                min_value=1, max_value=12
            ),
            template.STEPS.columns["level"].header: st.column_config.SelectboxColumn(
                options=template.STEPS.columns["level"].choices(), required=True
            ),
        },
    )
    saving.submit(
        EDITOR,
        "Zapisz jako nową wersję",
        f"{EDITOR}_save",
        lambda: template.save_template_grid(conn, actor, template_id, edited),
        lambda saved: [("success", f"Zapisano nową wersję szablonu: szablon {saved[0]}, wersja {saved[1]}.")],
    )
