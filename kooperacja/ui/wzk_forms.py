"""Forms of the WZK page (admins): members, meetings with attendance, recommendations — each with its
correction and withdrawal (a reason), and the end of a membership."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from kooperacja import lku, wzk
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.model.formatting import fmt_date
from kooperacja.ui import saving, session, versions, widgets

DATE = widgets.DATE


def _pick(label: str, options: dict[Any, str], key: str) -> Any:
    return st.selectbox(
        label, list(options), format_func=options.__getitem__, key=key, index=None, placeholder=widgets.PICK
    )


def _chosen(value: Any, field: str) -> Any:
    """The record picked in a selectbox, or the Polish refusal of a form sent without one."""
    if value is None:
        raise InvalidInput([f"{field}: wybierz z listy"])
    return value


def _institution(key: str, value: int | None = None) -> int | None:
    providers: dict[int | None, str] = {None: "— brak —"}
    providers.update(dict(lku.provider_choices(session.get_conn(), level="region", keep=value).items()))
    index = list(providers).index(value) if value in providers else 0
    return st.selectbox(
        "Instytucja",
        list(providers),
        index=index,
        format_func=providers.__getitem__,
        key=key,
        placeholder=widgets.PICK,
    )


def member_forms(actor: Actor, members: pd.DataFrame, today: date) -> None:
    conn = session.get_conn()
    with st.expander("Dodaj członka WZK"):
        k = saving.keys("wzk_member")
        member = {
            "full_name": st.text_input("Imię i nazwisko", key=k("wzk_member_name")),
            "role": st.text_input("Funkcja", key=k("wzk_member_role")),
            "institution_id": _institution(k("wzk_member_inst")),
            "from_on": st.date_input("Od", value=today, key=k("wzk_member_from"), **DATE),
        }
        token = versions.form_token("wzk_member", member)
        saving.submit(
            "wzk_member",
            "Zapisz członka",
            "wzk_member_submit",
            lambda: wzk.add_member(conn, actor, member, form_token=token),
            saving.ok("Zapisano członka WZK."),
        )
    seen = versions.loaded("wzk_member", dict(zip(members.member_id, members.row_version, strict=True)))
    serving = members[members.active]
    with st.expander("Koniec członkostwa"):
        k = saving.keys("wzk_end")
        names = dict(zip(serving.member_id, serving.full_name + " — " + serving.role, strict=True))
        who = _pick("Członek WZK", names, k("wzk_end_pick"))
        end = st.date_input("Ostatni dzień w składzie", value=today, key=k("wzk_end_on"), **DATE)
        saving.submit(
            "wzk_end",
            "Zapisz koniec członkostwa",
            "wzk_end_submit",
            lambda: wzk.end_membership(conn, actor, _chosen(who, "Członek WZK"), end, seen.get(who)),
            saving.ok(f"Zapisano koniec członkostwa ({end:%d.%m.%Y})."),
        )
    with st.expander("Popraw lub wycofaj członka"):
        k = saving.keys("wzk_fix")
        names = dict(zip(members.member_id, members.full_name + " — " + members.role, strict=True))
        mid = _pick("Członek WZK", names, k("wzk_fix_pick"))
        if mid is None:
            return
        row = members.set_index("member_id").loc[mid]
        p = k(f"wzk_fix_{mid}")
        changes = {
            "full_name": st.text_input("Imię i nazwisko", value=row.full_name, key=f"{p}_name"),
            "role": st.text_input("Funkcja", value=row.role, key=f"{p}_role"),
            "institution_id": _institution(
                f"{p}_inst", None if pd.isna(row.institution_id) else int(row.institution_id)
            ),
            "from_on": st.date_input("Od", value=row.from_on, key=f"{p}_from", **DATE),
            "to_on": st.date_input(
                "Do (puste: nadal w składzie)",
                value=None if pd.isna(row.to_on) else row.to_on,
                key=f"{p}_to",
                **DATE,
            ),
        }
        reason = saving.reason_input(f"{p}_reason")
        left, right = st.columns(2)
        with left:
            saving.submit(
                "wzk_fix",
                "Zapisz poprawkę",
                "wzk_fix_submit",
                lambda: wzk.edit_member(
                    conn, actor, mid, changes, reason=reason, expected_version=seen.get(mid)
                ),
                saving.ok("Poprawiono członka WZK."),
            )
        with right:
            saving.submit(
                "wzk_fix",
                "Wycofaj członka",
                "wzk_withdraw_submit",
                lambda: wzk.withdraw_member(conn, actor, mid, reason=reason, expected_version=seen.get(mid)),
                saving.ok("Wycofano członka WZK wpisanego przez pomyłkę."),
                kind="secondary",
            )


def _attendance(key: str, held: date, default: list[int]) -> list[int]:
    serving = wzk.list_members(session.get_conn(), held)
    serving = serving[serving.active | serving.member_id.isin(default)]
    names = dict(zip(serving.member_id.astype(int), serving.full_name, strict=True))
    return st.multiselect(
        "Obecni",
        list(names),
        default=[m for m in default if m in names],
        format_func=names.__getitem__,
        key=key,
        placeholder=widgets.PICK,
        select_all=False,
    )


def meeting_forms(actor: Actor, meetings: pd.DataFrame, today: date) -> None:
    conn = session.get_conn()
    with st.expander("Zapisz posiedzenie WZK"):
        k = saving.keys("wzk_meeting")
        held = st.date_input("Data posiedzenia", value=today, key=k("wzk_meeting_on"), **DATE)
        agenda = st.text_area("Porządek", key=k("wzk_meeting_agenda"))
        decisions = st.text_area("Ustalenia", key=k("wzk_meeting_decisions"))
        present = _attendance(k("wzk_meeting_present"), held, [])
        token = versions.form_token("wzk_meeting", held, agenda, decisions, present)
        saving.submit(
            "wzk_meeting",
            "Zapisz posiedzenie",
            "wzk_meeting_submit",
            lambda: wzk.record_meeting(
                conn,
                actor,
                held_on=held,
                agenda=agenda,
                decisions=decisions or None,
                member_ids=present,
                today=today,
                form_token=token,
            ),
            saving.ok("Zapisano posiedzenie."),
        )
    if meetings.empty:
        return
    with st.expander("Popraw lub wycofaj posiedzenie"):
        k = saving.keys("wzk_mfix")
        dates = {int(i): fmt_date(d) for i, d in zip(meetings.meeting_id, meetings.held_on, strict=True)}
        mid = _pick("Posiedzenie", dates, k("wzk_mfix_pick"))
        if mid is None:
            return
        row = meetings.set_index("meeting_id").loc[mid]
        p = k(f"wzk_mfix_{mid}")
        held = st.date_input("Data posiedzenia", value=row.held_on, key=f"{p}_on", **DATE)
        agenda = st.text_area("Porządek", value=row.agenda or "", key=f"{p}_agenda")
        decisions = st.text_area("Ustalenia", value=row.decisions or "", key=f"{p}_decisions")
        present = _attendance(f"{p}_present", held, wzk.meeting_members(conn, mid))
        reason = saving.reason_input(f"{p}_reason")
        left, right = st.columns(2)
        with left:
            saving.submit(
                "wzk_mfix",
                "Zapisz poprawkę",
                "wzk_mfix_submit",
                lambda: wzk.edit_meeting(
                    conn,
                    actor,
                    mid,
                    held_on=held,
                    agenda=agenda,
                    decisions=decisions or None,
                    member_ids=present,
                    today=today,
                    reason=reason,
                ),
                saving.ok("Poprawiono posiedzenie."),
            )
        with right:
            saving.submit(
                "wzk_mfix",
                "Wycofaj posiedzenie",
                "wzk_mwithdraw_submit",
                lambda: wzk.withdraw_meeting(conn, actor, mid, reason=reason),
                saving.ok("Wycofano posiedzenie wpisane przez pomyłkę."),
                kind="secondary",
            )


def _meeting_link(key: str, value: int | None) -> int | None:
    found = wzk.list_meetings(session.get_conn())
    options: dict[int | None, str] = {None: "— bez posiedzenia —"}
    options |= {
        int(i): f"posiedzenie {fmt_date(d)}" for i, d in zip(found.meeting_id, found.held_on, strict=True)
    }
    index = list(options).index(value) if value in options else 0
    return st.selectbox(
        "Posiedzenie WZK",
        list(options),
        index=index,
        format_func=options.__getitem__,
        key=key,
        placeholder=widgets.PICK,
    )


def recommendation_forms(actor: Actor, recs: pd.DataFrame, today: date) -> None:
    conn = session.get_conn()
    seen = versions.loaded("recommendation", dict(zip(recs.recommendation_id, recs.row_version, strict=True)))
    texts = dict(zip(recs.recommendation_id, recs.text.str.slice(0, 90), strict=True))
    with st.expander("Zmień status rekomendacji"):
        k = saving.keys("wzk_status")
        rec = _pick("Rekomendacja", texts, k("wzk_rec_pick"))
        statuses: dict[str, str] = vocab.RECOMMENDATION_STATUSES
        status = st.selectbox(
            "Nowy status",
            list(statuses),
            format_func=statuses.__getitem__,
            key=k("wzk_rec_status"),
            placeholder=widgets.PICK,
        )
        on = st.date_input("Data statusu", value=today, key=k("wzk_rec_on"), **DATE)
        saving.submit(
            "wzk_status",
            "Zapisz status",
            "wzk_status_submit",
            lambda: wzk.set_recommendation_status(
                conn, actor, _chosen(rec, "Rekomendacja"), status, on, today, expected_version=seen.get(rec)
            ),
            saving.ok("Zapisano status."),
        )
    with st.expander("Dodaj rekomendację"):
        k = saving.keys("recommendation")
        kinds: dict[str, str] = vocab.RECOMMENDATION_KINDS
        recommendation = {
            "kind": st.selectbox(
                "Rodzaj",
                list(kinds),
                format_func=kinds.__getitem__,
                key=k("wzk_rec_kind"),
                placeholder=widgets.PICK,
            ),
            "text": st.text_area("Treść rekomendacji", key=k("wzk_rec_text")),
            "owner": st.text_input("Odpowiedzialny", key=k("wzk_rec_owner")),
            "meeting_id": _meeting_link(k("wzk_rec_meeting"), None),
        }
        token = versions.form_token("recommendation", recommendation)
        saving.submit(
            "recommendation",
            "Zapisz rekomendację",
            "wzk_rec_submit",
            lambda: wzk.add_recommendation(conn, actor, recommendation, today, form_token=token),
            saving.ok("Zapisano rekomendację."),
        )
    with st.expander("Popraw lub wycofaj rekomendację"):
        k = saving.keys("wzk_recfix")
        rid = _pick("Rekomendacja", texts, k("wzk_recfix_pick"))
        if rid is None:
            return
        row = recs.set_index("recommendation_id").loc[rid]
        p = k(f"wzk_recfix_{rid}")
        kinds = vocab.RECOMMENDATION_KINDS
        meeting = None if pd.isna(row.meeting_id) else int(row.meeting_id)
        changes = {
            "kind": st.selectbox(
                "Rodzaj",
                list(kinds),
                index=list(kinds).index(str(row.kind)),
                format_func=kinds.__getitem__,
                key=f"{p}_kind",
                placeholder=widgets.PICK,
            ),
            "text": st.text_area("Treść rekomendacji", value=row.text, key=f"{p}_text"),
            "owner": st.text_input("Odpowiedzialny", value=row.owner, key=f"{p}_owner"),
            "meeting_id": _meeting_link(f"{p}_meeting", meeting),
        }
        reason = saving.reason_input(f"{p}_reason")
        left, right = st.columns(2)
        with left:
            saving.submit(
                "wzk_recfix",
                "Zapisz poprawkę",
                "wzk_recfix_submit",
                lambda: wzk.edit_recommendation(
                    conn, actor, rid, changes, reason=reason, expected_version=seen.get(rid)
                ),
                saving.ok("Poprawiono rekomendację."),
            )
        with right:
            saving.submit(
                "wzk_recfix",
                "Wycofaj rekomendację",
                "wzk_recwithdraw_submit",
                lambda: wzk.withdraw_recommendation(
                    conn, actor, rid, reason=reason, expected_version=seen.get(rid)
                ),
                saving.ok("Wycofano rekomendację wpisaną przez pomyłkę."),
                kind="secondary",
            )
