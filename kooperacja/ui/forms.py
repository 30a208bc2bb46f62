"""The gmina data-entry forms: notification, first contact, step events, plan shifts, PZK, meetings."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal, overload

import duckdb
import streamlit as st

from kooperacja.model import rules, vocab
from kooperacja.model.access import Actor
from kooperacja.model.records import PzkMember, Zgloszenie
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.ui import pzk_fixes, record_fixes, saving, session, versions, widgets
from kooperacja.ui.text import plain
from kooperacja.warehouse import store

EVENT_KINDS = {"started": "rozpoczęcie", "completed": "zakończenie"}


@overload
def day(label: str, key: str, empty: Literal[False] = False, help: str | None = None) -> date: ...
@overload
def day(label: str, key: str, empty: bool, help: str | None = None) -> date | None: ...


def day(label: str, key: str, empty: bool = False, help: str | None = None) -> date | None:
    return st.date_input(label, value=None if empty else session.today(), key=key, help=help, **widgets.DATE)


def pick(label: str, options: dict, key: str, **kwargs: Any) -> Any:
    """A select box of `options` (value: label), with the Polish placeholder unless told otherwise."""
    kwargs = {**widgets.SELECT, **kwargs}
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
    k = saving.keys("zgloszenie")
    terc = pick("Gmina zgłaszająca", data_entry.register_choices(conn), k("f_zgl_gmina"))
    route = st.radio(
        "Tryb zgłoszenia",
        list(vocab.ROUTES),
        format_func=vocab.ROUTES.__getitem__,
        key=k("f_zgl_route"),
        horizontal=True,
    )
    received = day("Data wpływu", k("f_zgl_received"))
    signed = day(
        "Data podpisania porozumienia (współpraca zawiązana samodzielnie)", k("f_zgl_signed"), empty=True
    )
    st.caption("Załączniki")
    attachments = {
        "has_diagnosis": st.checkbox("Diagnoza gminy", key=k("f_zgl_diag")),
        "has_resources_card": st.checkbox("Karta zasobów", key=k("f_zgl_res")),
        "has_network_analysis": st.checkbox("Analiza sieci", key=k("f_zgl_net")),
        "has_agreement_copy": st.checkbox("Kopia porozumienia", key=k("f_zgl_copy")),
    }
    note = st.text_area("Uwagi", key=k("f_zgl_note"))
    data = {
        "terc": terc,
        "route": route,
        "received_on": received,
        "signed_on": signed,
        "note": text(note),
        **attachments,
    }
    token = versions.form_token("zgloszenie", data)
    saving.submit(
        "zgloszenie",
        "Zapisz zgłoszenie",
        "f_zgl_save",
        lambda: programme.record_zgloszenie(conn, actor, data, session.today(), form_token=token),
        "Zapisano zgłoszenie.",
    )
    record_fixes.saved_zgloszenia(conn, actor)


def first_contact(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader(
        f"Pierwszy kontakt ROPS z gminą (w ciągu {rules.days_pl(rules.FIRST_CONTACT_DAYS)} od wpływu)"
    )
    waiting = data_entry.open_zgloszenia(conn, actor)
    if not waiting:
        saving.said("first_contact")
        st.info("Wszystkie zgłoszenia mają już zapisany pierwszy kontakt.")
        return
    k = saving.keys("first_contact")
    zgloszenie_id = pick("Zgłoszenie", waiting, k("f_contact_zgl"))
    contact_on = day("Data pierwszego kontaktu", k("f_contact_on"))
    seen = versions.loaded("zgloszenie", store.row_versions(conn, Zgloszenie, list(waiting)))
    saving.submit(
        "first_contact",
        "Zapisz kontakt",
        "f_contact_save",
        lambda: programme.record_first_contact(
            conn, actor, zgloszenie_id, contact_on, session.today(), seen.get(zgloszenie_id)
        ),
        "Zapisano pierwszy kontakt.",
    )


def step_event(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Zdarzenie kroku harmonogramu")
    k = saving.keys("step_event")
    substep = pick("Podkrok", data_entry.substep_choices(conn, terc), k(f"f_step_substep_{terc}"))
    kind = st.radio(
        "Zdarzenie",
        list(EVENT_KINDS),
        format_func=EVENT_KINDS.__getitem__,
        key=k("f_step_kind"),
        horizontal=True,
    )
    earliest = data_entry.earliest_step_event(conn, terc)
    event_on = day(
        "Data",
        k("f_step_date"),
        help=f"Od {earliest:%d.%m.%Y} (przystąpienie gminy, start planu) do dziś." if earliest else None,
    )
    evidence = st.text_input("Dokument (protokół, porozumienie)", key=k("f_step_evidence"))
    note = st.text_area("Uwagi", key=k("f_step_note"))
    token = versions.form_token("step_event", terc, substep, kind, event_on, evidence, note)
    saving.submit(
        "step_event",
        "Zapisz zdarzenie",
        "f_step_save",
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
    )


def plan_shift(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Przesunięcie planu gminy")
    k = saving.keys("plan_shift")
    options = {"": "cały plan", **data_entry.substep_choices(conn, terc)}
    substep = pick("Od podkroku (ten i późniejsze)", options, k(f"f_shift_substep_{terc}"))
    days = st.number_input(
        "Przesunięcie (dni, ujemne: wcześniej)",
        min_value=-366,
        max_value=731,
        value=30,
        step=1,
        key=k("f_shift_days"),
    )
    reason = st.text_area("Powód przesunięcia", key=k("f_shift_reason"))
    token = versions.form_token("plan_shift", terc, substep, days, reason)
    saving.submit(
        "plan_shift",
        "Zapisz przesunięcie",
        "f_shift_save",
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
    )


def institution(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    st.subheader("Nowa instytucja")
    k = saving.keys("institution")
    name = st.text_input("Nazwa instytucji", key=k("f_inst_name"))
    sector = pick("Sektor", vocab.SECTORS, k("f_inst_sector"))
    level = pick("Poziom", vocab.LEVELS, k("f_inst_level"))
    seats = data_entry.area_choices(conn, actor, level)
    seat = pick("Siedziba", seats, k(f"f_inst_seat_{level}"))
    data = {"name": name, "sector": sector, "level": level, "seat_terc": seat}
    token = versions.form_token("institution", data)
    saving.submit(
        "institution",
        "Zapisz instytucję",
        "f_inst_save",
        lambda: programme.add_institution(conn, actor, data, form_token=token),
        "Zapisano instytucję.",
    )
    pzk_fixes.institutions(conn, actor)


def pzk(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Członkostwo w PZK")
    st.caption("Podpisanie porozumienia przy tworzeniu PZK i późniejsze przystąpienie zapisuje się tak samo.")
    k = saving.keys("pzk_member")
    institution_id = pick("Instytucja", data_entry.institution_choices(conn, terc), k(f"f_pzk_inst_{terc}"))
    signed_on = day("Data podpisania / przystąpienia", k("f_pzk_signed"))
    token = versions.form_token("pzk_member", terc, institution_id, signed_on)
    saving.submit(
        "pzk_member",
        "Zapisz przystąpienie",
        "f_pzk_join",
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
    )
    pzk_leave(conn, actor, terc)


def pzk_leave(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    """An institution leaves the PZK: the day it left, not before it signed and not in the future."""
    members = data_entry.member_choices(conn, terc)
    if not members:
        saving.said("pzk_leave")
        return
    st.markdown("**Wystąpienie z PZK**")
    k = saving.keys("pzk_leave")
    membership_id = pick("Instytucja, która wystąpiła", members, k(f"f_pzk_member_{terc}"))
    left_on = day(
        "Data wystąpienia",
        k("f_pzk_left"),
        help="Członkostwo trwa do dnia przed wystąpieniem; data nie wcześniejsza niż podpisanie, "
        "nie późniejsza niż dziś.",
    )
    seen = versions.loaded("pzk_member", store.row_versions(conn, PzkMember, list(members)))
    saving.submit(
        "pzk_leave",
        "Zapisz wystąpienie",
        "f_pzk_leave",
        lambda: programme.leave_pzk(
            conn,
            actor,
            membership_id,
            left_on,
            today=session.today(),
            expected_version=seen.get(membership_id),
        ),
        "Zapisano wystąpienie z PZK.",
        kind="secondary",
    )


def meeting(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str) -> None:
    st.subheader("Spotkanie")
    k = saving.keys("meeting")
    kinds = {key: v for key, v in vocab.MEETING_KINDS.items() if key != "wzk"}
    kind = pick("Rodzaj spotkania", kinds, k("f_meet_kind"))
    held_on = day("Data spotkania", k("f_meet_date"))
    agenda = st.text_area("Porządek", key=k("f_meet_agenda"))
    decisions = st.text_area("Ustalenia", key=k("f_meet_decisions"))
    options = data_entry.institution_choices(conn, terc)
    chosen = st.multiselect(
        "Obecne instytucje",
        list(options),
        format_func=options.__getitem__,
        key=k(f"f_meet_att_{terc}"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    notified = {
        i: day(f"Powiadomienie: {plain(options[i])}", k(f"f_meet_notified_{i}"), empty=True) for i in chosen
    }
    data = {
        "kind": kind,
        "terc": terc,
        "held_on": held_on,
        "agenda": text(agenda),
        "decisions": text(decisions),
    }
    token = versions.form_token("meeting", data, notified)
    saving.submit(
        "meeting",
        "Zapisz spotkanie",
        "f_meet_save",
        lambda: programme.record_meeting(conn, actor, data, list(notified.items()), form_token=token),
        "Zapisano spotkanie.",
    )
