"""The "Popraw" / "Wycofaj" dialogs of the programme's record lists (step events, notifications)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kooperacja.model import access, vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import row_tuples, to_display
from kooperacja.model.records import StepEvent, Zgloszenie
from kooperacja.programme import data_entry, queries
from kooperacja.programme import services as programme
from kooperacja.programme.queries import to_date
from kooperacja.ui import corrections as fix
from kooperacja.ui import session, widgets
from kooperacja.ui.text import plain
from kooperacja.warehouse import store

EVENT_KINDS = {"started": "rozpoczęcie", "completed": "zakończenie"}
ZGLOSZENIE_COLUMNS = ["received_on", "route", "signed_on", "first_contact_on", "status", "note"]


def _event_label(e: Any) -> str:
    what = f"{e.substep} {e.title}".strip()
    evidence = f" · {e.evidence}" if isinstance(e.evidence, str) and e.evidence else ""
    return (
        f"{fix.when(to_date(e.event_on))} · {what} · {EVENT_KINDS.get(e.event_kind, e.event_kind)}{evidence}"
    )


def step_events(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, events: pd.DataFrame) -> None:
    """Under the gmina's events: correct or withdraw one (region events: the admin only)."""
    mine = events[
        pd.Series(
            [access.can_edit_gmina(actor, None if r else terc) for r in events.region_level],
            index=events.index,
            dtype=bool,
        )
    ]
    choices = {int(e.event_id): _event_label(e) for e in row_tuples(mine)}
    seen = store.row_versions(conn, StepEvent, list(choices))
    actions = {"edit": "Popraw zdarzenie", "withdraw": "Wycofaj zdarzenie"}
    fix.picker("step_event", "Zdarzenie do poprawy lub wycofania", choices, seen, actions)
    rows = {int(e.event_id): e for e in row_tuples(mine)}
    if (found := fix.opened("step_event/edit")) and found["key"] in rows:
        _edit_event(conn, actor, rows[found["key"]], found["version"])
    elif (found := fix.opened("step_event/withdraw")) and found["key"] in rows:
        _withdraw_event(conn, actor, rows[found["key"]], found["version"])


@st.dialog("Popraw zdarzenie kroku", width="large", on_dismiss=fix.close)
def _edit_event(conn: duckdb.DuckDBPyConnection, actor: Actor, e: Any, version: int | None) -> None:
    key = f"fix_event_{e.event_id}"
    st.markdown(f"**{plain(e.substep)} {plain(e.title)}** — wpisał(a) {plain(e.recorded_by)}")
    kinds = list(EVENT_KINDS)
    kind = st.radio(
        "Zdarzenie",
        kinds,
        index=kinds.index(e.event_kind),
        format_func=EVENT_KINDS.__getitem__,
        key=f"{key}_kind",
        horizontal=True,
    )
    event_on = fix.day("Data", f"{key}_date", to_date(e.event_on))
    evidence = st.text_input(
        "Dokument (protokół, porozumienie)", value=_text(e.evidence), key=f"{key}_evidence"
    )
    note = st.text_area("Uwagi", value=_text(e.note), key=f"{key}_note")
    reason = fix.reason(f"{key}_reason")
    if st.button("Zapisz poprawkę", key=f"{key}_save", type="primary"):
        fix.run(
            "step_event",
            lambda: programme.edit_step_event(
                conn,
                actor,
                int(e.event_id),
                kind=kind,
                event_on=fix.required(event_on, "Data"),
                evidence=evidence.strip() or None,
                note=note.strip() or None,
                reason=reason,
                today=session.today(),
                expected_version=version,
            ),
            "Poprawiono zdarzenie kroku.",
        )


@st.dialog("Wycofaj zdarzenie kroku", on_dismiss=fix.close)
def _withdraw_event(conn: duckdb.DuckDBPyConnection, actor: Actor, e: Any, version: int | None) -> None:
    key = f"fix_event_{e.event_id}"
    st.markdown(f"Wycofujesz: **{plain(_event_label(e))}**")
    st.caption(fix.WITHDRAW_NOTE)
    reason = fix.reason(f"{key}_withdraw_reason")
    if st.button("Wycofaj zdarzenie", key=f"{key}_withdraw", type="primary"):
        fix.run(
            "step_event",
            lambda: programme.withdraw_step_event(
                conn, actor, int(e.event_id), reason=reason, expected_version=version
            ),
            "Wycofano zdarzenie kroku.",
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def zgloszenia(
    conn: duckdb.DuckDBPyConnection, actor: Actor, rows: pd.DataFrame, candidate: bool = False
) -> None:
    """Under a gmina's notifications: correct one (dates, attachments, first contact) or withdraw it.

    `candidate`: the gmina is not in the pilot, so any ROPS staff may correct (as they may record).
    """
    fix.said("zgloszenie")  # also when the list is empty now (its last notification withdrawn)
    if rows.empty:
        return
    if not (
        access.can_write_data(actor) if candidate else access.can_edit_gmina(actor, str(rows.terc.iloc[0]))
    ):
        return
    choices = {
        int(
            z.zgloszenie_id
        ): f"wpływ {fix.when(to_date(z.received_on))} · {vocab.ROUTES.get(z.route, z.route)}"
        for z in row_tuples(rows)
    }
    seen = store.row_versions(conn, Zgloszenie, list(choices))
    actions = {"edit": "Popraw zgłoszenie", "withdraw": "Wycofaj zgłoszenie"}
    fix.picker("zgloszenie", "Zgłoszenie do poprawy lub wycofania", choices, seen, actions)
    by_id = {int(z.zgloszenie_id): z for z in row_tuples(rows)}
    if (found := fix.opened("zgloszenie/edit")) and found["key"] in by_id:
        _edit_zgloszenie(conn, actor, by_id[found["key"]], found["version"])
    elif (found := fix.opened("zgloszenie/withdraw")) and found["key"] in by_id:
        _withdraw_zgloszenie(conn, actor, by_id[found["key"]], found["version"], choices[found["key"]])


ATTACHMENTS = {
    "has_diagnosis": "Diagnoza gminy",
    "has_resources_card": "Karta zasobów",
    "has_network_analysis": "Analiza sieci",
    "has_agreement_copy": "Kopia porozumienia",
}


@st.dialog("Popraw zgłoszenie", width="large", on_dismiss=fix.close)
def _edit_zgloszenie(conn: duckdb.DuckDBPyConnection, actor: Actor, z: Any, version: int | None) -> None:
    key = f"fix_zgl_{z.zgloszenie_id}"
    routes = list(vocab.ROUTES)
    route = st.radio(
        "Tryb zgłoszenia",
        routes,
        index=routes.index(z.route),
        format_func=vocab.ROUTES.__getitem__,
        key=f"{key}_route",
        horizontal=True,
    )
    received = fix.day("Data wpływu", f"{key}_received", to_date(z.received_on))
    signed = fix.day("Data podpisania porozumienia", f"{key}_signed", to_date(z.signed_on))
    attachments = {
        field: st.checkbox(text, value=bool(getattr(z, field)), key=f"{key}_{field}")
        for field, text in ATTACHMENTS.items()
    }
    saved_contact = to_date(z.first_contact_on)
    none = st.checkbox(
        "Bez pierwszego kontaktu (jeszcze go nie było)", value=saved_contact is None, key=f"{key}_none"
    )
    contact = (
        None
        if none
        else fix.day("Data pierwszego kontaktu ROPS", f"{key}_contact", saved_contact or session.today())
    )
    note = st.text_area("Uwagi", value=_text(z.note), key=f"{key}_note")
    reason = fix.reason(f"{key}_reason")
    changes = {
        "route": route,
        "received_on": received,
        "signed_on": signed,
        "first_contact_on": contact,
        "note": note.strip() or None,
        **attachments,
    }
    if st.button("Zapisz poprawkę", key=f"{key}_save", type="primary"):
        fix.run(
            "zgloszenie",
            lambda: programme.edit_zgloszenie(
                conn,
                actor,
                int(z.zgloszenie_id),
                changes,
                reason=reason,
                today=session.today(),
                expected_version=version,
            ),
            "Poprawiono zgłoszenie.",
        )


@st.dialog("Wycofaj zgłoszenie", on_dismiss=fix.close)
def _withdraw_zgloszenie(
    conn: duckdb.DuckDBPyConnection, actor: Actor, z: Any, version: int | None, label: str
) -> None:
    key = f"fix_zgl_{z.zgloszenie_id}"
    st.markdown(f"Wycofujesz zgłoszenie: **{plain(label)}**")
    st.caption(fix.WITHDRAW_NOTE)
    reason = fix.reason(f"{key}_withdraw_reason")
    if st.button("Wycofaj zgłoszenie", key=f"{key}_withdraw", type="primary"):
        fix.run(
            "zgloszenie",
            lambda: programme.withdraw_zgloszenie(
                conn, actor, int(z.zgloszenie_id), reason=reason, expected_version=version
            ),
            "Wycofano zgłoszenie.",
        )


def saved_zgloszenia(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    """A gmina's saved notifications, to correct or withdraw (a gmina outside the pilot has no page)."""
    st.subheader("Zapisane zgłoszenia")
    choices = data_entry.register_choices(conn)
    terc = st.selectbox(
        "Gmina",
        list(choices),
        index=None,
        format_func=lambda t: plain(choices[t]),
        key="fix_zgl_gmina",
        placeholder="Wybierz gminę, której zgłoszenie chcesz poprawić…",
    )
    if terc is None:
        return
    rows = queries.zgloszenia(conn, terc, session.today())
    if rows.empty:
        zgloszenia(conn, actor, rows)  # what a withdrawal just did
        st.info("Ta gmina nie ma zapisanych zgłoszeń.")
        return
    view = rows.rename(columns={"contact_status": "status"})
    widgets.table(
        to_display(view, ZGLOSZENIE_COLUMNS), "fix_zgl_table", "zgloszenia_gminy", colored=["Status"]
    )
    candidate = queries.list_pilot_gminy(conn, terc).empty
    zgloszenia(conn, actor, rows, candidate=candidate)
