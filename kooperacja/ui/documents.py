"""The "Pobierz dokument" buttons: a Word document of the record next to it, made when clicked.

The page run only draws the button: the document is rendered on the click, in Streamlit's download
thread (a cursor of its own), so a page with many records stays as fast as without documents.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kooperacja.documents.catalog import KINDS, file_name
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date
from kooperacja.ui import session, widgets

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def button(
    actor: Actor,
    kind: str,
    key: object,
    *,
    name: object | None = None,
    on: date | None = None,
    label: str | None = None,
    prepared: Mapping[str, Any] | None = None,
) -> None:
    """A download button of document `kind` for record `key` (`name`: the file name's part).

    `on` dates the document (default: today); `prepared` passes what the page has read already.
    """
    conn, day = session.get_conn(), on or session.today()
    extra = dict(prepared or {})

    def make() -> bytes:
        from kooperacja.documents import word  # docxtpl and lxml load on the first click, not per page

        return word.render(conn.cursor(), actor, kind, key, day, **extra)

    st.download_button(
        label or f"Pobierz dokument: {KINDS[kind].title.lower()}",
        data=make,
        file_name=file_name(kind, name if name is not None else key, day),
        mime=DOCX,
        key=f"document_{kind}_{key}",
        on_click="ignore",
        icon=":material/download:",
    )


def meeting_label(kind: str, held_on: date) -> str:
    """A meeting in a picker, e.g. "12.05.2026 — spotkanie GGK/ZZK"."""
    return f"{fmt_date(held_on)} — {vocab.MEETING_KINDS.get(kind, kind)}"


def meeting_buttons(actor: Actor, meetings: pd.DataFrame, widget_key: str) -> None:
    """Pick one of `meetings` (meeting_id, kind, held_on) and download its invitation or protocol."""
    if meetings.empty:
        return
    rows = zip(meetings.meeting_id, meetings.kind, meetings.held_on, strict=True)
    labels = {int(m): meeting_label(k, h) for m, k, h in rows}
    picked = st.selectbox(
        "Dokumenty spotkania", list(labels), format_func=labels.__getitem__, key=widget_key, **widgets.SELECT
    )
    if picked is None:
        return
    left, right = st.columns(2)
    with left:
        button(actor, "zaproszenie_spotkanie", picked, label="Pobierz zaproszenie")
    with right:
        button(actor, "protokol_spotkania", picked, label="Pobierz protokół")


def zgloszenie_buttons(actor: Actor, rows: pd.DataFrame, terc: str) -> None:
    """The document of a gmina's notification (the newest, or the one picked when there are more)."""
    if rows.empty:
        return
    ids = [int(i) for i in rows.zgloszenie_id]
    picked: int | None = ids[0]
    if len(ids) > 1:
        labels = {i: f"zgłoszenie z {fmt_date(d)}" for i, d in zip(ids, rows.received_on, strict=True)}
        pick = labels.__getitem__
        picked = st.selectbox("Zgłoszenie", ids, format_func=pick, key="zgloszenie_doc", **widgets.SELECT)
    if picked is not None:
        button(actor, "zgloszenie", picked, name=terc, label="Pobierz dokument zgłoszenia")


def case_buttons(actor: Actor, card: dict[str, Any]) -> None:
    """A case's plan card and monitoring sheet, and the documents of its team's meetings."""
    code = card["case"]["case_code"]
    st.markdown("**Dokumenty sprawy**")
    left, right = st.columns(2)
    with left:
        button(actor, "karta_planu_pracy", code, label="Pobierz kartę planu pracy")
    with right:
        button(actor, "monitoring_sprawy", code, label="Pobierz monitoring sprawy")
    meeting_buttons(actor, card["meetings"], "case_meeting_document")
