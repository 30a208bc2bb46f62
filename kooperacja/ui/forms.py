"""The gmina data-entry forms: notification, first contact, step events, plan shifts, PZK, meetings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, Literal, overload

import duckdb
import streamlit as st

from kooperacja.model import rules, vocab
from kooperacja.model.access import Actor
from kooperacja.model.errors import KooperacjaError
from kooperacja.model.records import Zgloszenie
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.ui import errors, session, versions, widgets
from kooperacja.ui.text import plain
from kooperacja.warehouse import store

EVENT_KINDS = {"started": "rozpoczęcie", "completed": "zakończenie"}


def save(action: Callable[[], Any], message: str, form: str | None = None) -> Any:
    """Run a domain write; show its Polish refusal or a success message (never a traceback).

    `form`: the create form whose `versions.form_token` the write carries (a repeat is said so).
    """
    try:
        result = action()
    except KooperacjaError as exc:
        errors.show(exc)
        return None
    st.success(message, icon=":material/check_circle:")
    if form is not None and versions.saved(form):
        st.info(versions.REPEATED)
    return result


@overload
def day(label: str, key: str, empty: Literal[False] = False, help: str | None = None) -> date: ...
@overload
def day(label: str, key: str, empty: bool, help: str | None = None) -> date | None: ...


def day(label: str, key: str, empty: bool = False, help: str | None = None) -> date | None:
    return st.date_input(label, value=None if empty else session.today(), key=key, help=help, **widgets.DATE)


def pick(label: str, options: dict, key: str, **kwargs: Any) -> Any:
    return st.selectbox(label, list(options), format_func=lambda k: options.get(k, str(k)), key=key, **kwargs)


def text(value: str) -> str | None:
    return value.strip() or None


def gmina_picker(conn: duckdb.DuckDBPyConnection, actor: Actor) -> str | None:
    """The pilot gmina the gmina forms write to (an animator sees only their own)."""
    choices = data_entry.pilot_choices(conn, actor)
    if not choices:
        st.info("Nie masz przypisanych gmin pilotażowych.")
        return None
    return widgets.persistent(
        st.selectbox,
        "Gmina",
        key="f_gmina",
        name="gmina",
        options=list(choices),
        default=next(iter(choices)),
        format_func=choices.__getitem__,
    )


def zgloszenie(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Zgłoszenie gminy do ROPS")
    terc = pick("Gmina zgłaszająca", data_entry.register_choices(conn), "f_zgl_gmina")
    route = st.radio(
        "Tryb zgłoszenia",
        list(vocab.ROUTES),
        format_func=vocab.ROUTES.__getitem__,
        key="f_zgl_route",
        horizontal=True,
    )
    received = day("Data wpływu", "f_zgl_received")
    signed = day(
        "Data podpisania porozumienia (współpraca zawiązana samodzielnie)", "f_zgl_signed", empty=True
    )
    st.caption("Załączniki")
    attachments = {
        "has_diagnosis": st.checkbox("Diagnoza gminy", key="f_zgl_diag"),
        "has_resources_card": st.checkbox("Karta zasobów", key="f_zgl_res"),
        "has_network_analysis": st.checkbox("Analiza sieci", key="f_zgl_net"),
        "has_agreement_copy": st.checkbox("Kopia porozumienia", key="f_zgl_copy"),
    }
    note = st.text_area("Uwagi", key="f_zgl_note")
    data = {
        "terc": terc,
        "route": route,
        "received_on": received,
        "signed_on": signed,
        "note": text(note),
        **attachments,
    }
    token = versions.form_token("zgloszenie", data)
    if st.button("Zapisz zgłoszenie", key="f_zgl_save", type="primary"):
        save(
            lambda: programme.record_zgloszenie(conn, actor, data, session.today(), form_token=token),
            "Zapisano zgłoszenie.",
            "zgloszenie",
        )


def first_contact(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader(
        f"Pierwszy kontakt ROPS z gminą (w ciągu {rules.days_pl(rules.FIRST_CONTACT_DAYS)} od wpływu)"
    )
    waiting = data_entry.open_zgloszenia(conn, actor)
    if not waiting:
        st.info("Wszystkie zgłoszenia mają już zapisany pierwszy kontakt.")
        return
    zgloszenie_id = pick("Zgłoszenie", waiting, "f_contact_zgl")
    contact_on = day("Data pierwszego kontaktu", "f_contact_on")
    seen = versions.loaded("zgloszenie", store.row_versions(conn, Zgloszenie, list(waiting)))
    if st.button("Zapisz kontakt", key="f_contact_save", type="primary"):
        save(
            lambda: programme.record_first_contact(
                conn, actor, zgloszenie_id, contact_on, session.today(), seen.get(zgloszenie_id)
            ),
            "Zapisano pierwszy kontakt.",
        )


def step_event(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Zdarzenie kroku harmonogramu")
    substep = pick("Podkrok", data_entry.substep_choices(conn, terc), f"f_step_substep_{terc}")
    kind = st.radio(
        "Zdarzenie",
        list(EVENT_KINDS),
        format_func=EVENT_KINDS.__getitem__,
        key="f_step_kind",
        horizontal=True,
    )
    earliest = data_entry.earliest_step_event(conn, terc)
    event_on = day(
        "Data",
        "f_step_date",
        help=f"Od {earliest:%d.%m.%Y} (przystąpienie gminy, start planu) do dziś." if earliest else None,
    )
    evidence = st.text_input("Dokument (protokół, porozumienie)", key="f_step_evidence")
    note = st.text_area("Uwagi", key="f_step_note")
    token = versions.form_token("step_event", terc, substep, kind, event_on, evidence, note)
    if st.button("Zapisz zdarzenie", key="f_step_save", type="primary"):
        save(
            lambda: programme.record_step_event(
                conn,
                actor,
                terc=terc,
                substep=substep,
                kind=kind,
                event_on=event_on,
                today=session.today(),
                evidence=text(evidence),
                note=text(note),
                form_token=token,
            ),
            "Zapisano zdarzenie kroku.",
            "step_event",
        )


def plan_shift(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Przesunięcie planu gminy")
    options = {"": "cały plan", **data_entry.substep_choices(conn, terc)}
    substep = pick("Od podkroku (ten i późniejsze)", options, f"f_shift_substep_{terc}")
    days = st.number_input(
        "Przesunięcie (dni, ujemne: wcześniej)",
        min_value=-366,
        max_value=731,
        value=30,
        step=1,
        key="f_shift_days",
    )
    reason = st.text_area("Powód przesunięcia", key="f_shift_reason")
    token = versions.form_token("plan_shift", terc, substep, days, reason)
    if st.button("Zapisz przesunięcie", key="f_shift_save", type="primary"):
        save(
            lambda: programme.shift_plan(
                conn,
                actor,
                terc=terc,
                days=int(days),
                reason=reason,
                today=session.today(),
                substep=substep or None,
                form_token=token,
            ),
            "Zapisano przesunięcie planu.",
            "plan_shift",
        )


def institution(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Nowa instytucja")
    name = st.text_input("Nazwa instytucji", key="f_inst_name")
    sector = pick("Sektor", vocab.SECTORS, "f_inst_sector")
    level = pick("Poziom", vocab.LEVELS, "f_inst_level")
    seats = data_entry.area_choices(conn, actor, level)
    seat = pick("Siedziba", seats, f"f_inst_seat_{level}")
    data = {"name": name, "sector": sector, "level": level, "seat_terc": seat}
    token = versions.form_token("institution", data)
    if st.button("Zapisz instytucję", key="f_inst_save", type="primary"):
        save(
            lambda: programme.add_institution(conn, actor, data, form_token=token),
            "Zapisano instytucję.",
            "institution",
        )


def pzk(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Członkostwo w PZK")
    st.caption("Podpisanie porozumienia przy tworzeniu PZK i późniejsze przystąpienie zapisuje się tak samo.")
    institution_id = pick("Instytucja", data_entry.institution_choices(conn, terc), f"f_pzk_inst_{terc}")
    signed_on = day("Data podpisania / przystąpienia", "f_pzk_signed")
    token = versions.form_token("pzk_member", terc, institution_id, signed_on)
    if st.button("Zapisz przystąpienie", key="f_pzk_join", type="primary"):
        save(
            lambda: programme.add_pzk_member(
                conn,
                actor,
                terc=terc,
                institution_id=institution_id,
                signed_on=signed_on,
                today=session.today(),
                form_token=token,
            ),
            "Zapisano przystąpienie do PZK.",
            "pzk_member",
        )
    members = data_entry.member_choices(conn, terc)
    if members:
        membership_id = pick("Wystąpienie z PZK: instytucja", members, f"f_pzk_member_{terc}")
        left_on = day("Data wystąpienia", "f_pzk_left")
        if st.button("Zapisz wystąpienie", key="f_pzk_leave"):
            save(
                lambda: programme.leave_pzk(conn, actor, membership_id, left_on, today=session.today()),
                "Zapisano wystąpienie z PZK.",
            )


def meeting(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Spotkanie")
    kinds = {k: v for k, v in vocab.MEETING_KINDS.items() if k != "wzk"}
    kind = pick("Rodzaj spotkania", kinds, "f_meet_kind")
    held_on = day("Data spotkania", "f_meet_date")
    agenda = st.text_area("Porządek", key="f_meet_agenda")
    decisions = st.text_area("Ustalenia", key="f_meet_decisions")
    options = data_entry.institution_choices(conn, terc)
    chosen = st.multiselect(
        "Obecne instytucje", list(options), format_func=options.__getitem__, key=f"f_meet_att_{terc}"
    )
    notified = {
        i: day(f"Powiadomienie: {plain(options[i])}", f"f_meet_notified_{i}", empty=True) for i in chosen
    }
    data = {
        "kind": kind,
        "terc": terc,
        "held_on": held_on,
        "agenda": text(agenda),
        "decisions": text(decisions),
    }
    token = versions.form_token("meeting", data, notified)
    if st.button("Zapisz spotkanie", key="f_meet_save", type="primary"):
        save(
            lambda: programme.record_meeting(conn, actor, data, list(notified.items()), form_token=token),
            "Zapisano spotkanie.",
            "meeting",
        )
