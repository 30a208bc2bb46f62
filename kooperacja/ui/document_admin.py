"""The admin's Word templates: each document with its placeholders, the ROPS's own template uploaded
(checked before saving) or the built-in one restored."""

from __future__ import annotations

from datetime import datetime

import duckdb
import pandas as pd
import streamlit as st

from kooperacja.documents import custom
from kooperacja.documents.catalog import KINDS, PLACEHOLDERS
from kooperacja.model.access import Actor
from kooperacja.ui import saving, widgets
from kooperacja.ui.documents import DOCX

FORM = "document_template"


def placeholder_table(kind: str) -> pd.DataFrame:
    """The fields a template of `kind` may use, as the admin reads them."""
    return pd.DataFrame(
        {
            "Pole w szablonie": [f"{{{{ {name} }}}}" for name in PLACEHOLDERS[kind]],
            "Co wstawia": list(PLACEHOLDERS[kind].values()),
        }
    )


def render(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Szablony dokumentów Word")
    listed = custom.list_templates(conn)
    st.dataframe(
        listed[["title", "template"]].set_axis(["Dokument", "Szablon"], axis=1),
        hide_index=True,
        width="stretch",
        key="document_templates_table",
        placeholder="",
    )
    titles = dict(zip(listed.kind, listed.title, strict=True))
    kind = st.selectbox(
        "Dokument", list(KINDS), format_func=titles.__getitem__, key="document_kind", **widgets.SELECT
    )
    if kind is None:
        return
    st.caption(
        "Szablon to plik Word z polami w podwójnych nawiasach klamrowych, np. {{ gmina }}. Wiersz tabeli "
        "powtarzany dla każdej pozycji listy otaczają wiersze {%tr for x in lista %} i {%tr endfor %}."
    )
    fields = placeholder_table(kind)
    st.dataframe(fields, hide_index=True, width="stretch", key=f"document_fields_{kind}", placeholder="")
    row = listed.set_index("kind").loc[kind]
    st.download_button(
        "Pobierz obecny szablon",
        data=lambda: custom.template_for(conn.cursor(), kind),
        file_name=f"szablon_{kind}.docx",
        mime=DOCX,
        key=f"document_template_current_{kind}",
        on_click="ignore",
        icon=":material/download:",
    )
    k = saving.keys(FORM)
    upload = st.file_uploader("Własny szablon ROPS (.docx)", type=["docx"], key=k(f"document_upload_{kind}"))
    version: int | None = None if pd.isna(row.row_version) else int(row.row_version)
    content = upload.getvalue() if upload is not None else b""
    saving.submit(
        FORM,
        "Zapisz szablon",
        k("document_template_save"),
        lambda: custom.upload(conn, actor, kind, content, datetime.now(), version),
        f"Zapisano szablon: {titles[kind]}. Kolejne pobrania użyją szablonu ROPS.",
        disabled=upload is None,
    )
    if bool(row.custom):
        reason = saving.reason_input(k("document_template_reason"), "Powód przywrócenia (wymagany)")
        saving.submit(
            FORM,
            "Przywróć szablon wbudowany",
            k("document_template_restore"),
            lambda: custom.restore(conn, actor, kind, reason, version),
            f"Przywrócono wbudowany szablon: {titles[kind]}.",
            kind="secondary",
        )
