"""Correction of a case's saved meeting (GGK/ZZK or monitoring): its date, attendees, notes, or withdrawal."""

from __future__ import annotations

from datetime import date

import streamlit as st

from kooperacja.cases import meetings as case_meetings
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date
from kooperacja.programme import queries
from kooperacja.ui import saving, session, widgets
from kooperacja.ui.case_forms import DATE
from kooperacja.ui.text import plain


def meeting_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys("case_meeting")
    found = case_meetings.case_meetings(session.get_conn(), case["case_code"])
    if not found:
        st.info("Sprawa nie ma jeszcze zapisanych spotkań.")
        return
    by_id = {m["meeting_id"]: m for m in found}
    mid = st.selectbox(
        "Spotkanie",
        list(by_id),
        format_func=lambda i: (
            f"{fmt_date(by_id[i]['held_on'])} — {vocab.MEETING_KINDS.get(by_id[i]['kind'], by_id[i]['kind'])}"
        ),
        key=k("cmeet_pick"),
        placeholder=widgets.PICK,
    )
    meeting = by_id[mid]
    ggk = meeting["kind"] == "ggk"
    held = st.date_input("Data spotkania", value=meeting["held_on"], key=k(f"cmeet_held_{mid}"), **DATE)
    members = queries.pzk_on(session.get_conn(), case["terc"], held)
    names = dict(zip(members.institution_id.astype(int), members.name, strict=True))
    names |= {i: f"instytucja nr {i} (poza PZK w tym dniu)" for i in meeting["attendees"] if i not in names}
    picked = st.multiselect(
        "Instytucje obecne",
        list(names),
        default=list(meeting["attendees"]),
        format_func=names.__getitem__,
        key=k(f"cmeet_members_{mid}"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    if ggk:
        attendees = {
            i: st.date_input(
                f"Powiadomiono: {plain(names[i])}",
                value=meeting["attendees"].get(i),
                key=k(f"cmeet_notified_{mid}_{i}"),
                **DATE,
            )
            for i in picked
        }
    else:
        attendees = dict.fromkeys(picked)
    present = st.checkbox(
        "Rodzina obecna", value=bool(meeting["family_present"]), key=k(f"cmeet_family_{mid}")
    )
    told = False if ggk else st.checkbox("Rodzinę poinformowano o ustaleniach", key=k(f"cmeet_told_{mid}"))
    agenda = meeting["agenda"]
    if ggk:
        agenda = st.text_input("Porządek spotkania", value=agenda or "", key=k(f"cmeet_agenda_{mid}")) or None
    decisions = st.text_input(
        "Ustalenia (bez danych osobowych)",
        value=(meeting["decisions"] or "").replace(case_meetings.TOLD, "").strip(),
        key=k(f"cmeet_decisions_{mid}"),
    )
    reason = saving.reason_input(k(f"cmeet_reason_{mid}"))

    def fixed(warnings: list[str]) -> list[tuple[str, str]]:
        return [("success", "Poprawiono spotkanie.")] + [("warning", plain(w)) for w in warnings]

    left, right = st.columns(2)
    with left:
        saving.submit(
            "case_meeting",
            "Popraw spotkanie",
            "cmeet_fix_submit",
            lambda: case_meetings.correct_case_meeting(
                session.get_conn(),
                actor,
                mid,
                held_on=held,
                attendees=attendees,
                today=today,
                reason=reason,
                agenda=agenda,
                decisions=decisions or None,
                family_present=present,
                family_told=told,
            ),
            fixed,
        )
    with right:
        saving.submit(
            "case_meeting",
            "Wycofaj spotkanie",
            "cmeet_withdraw_submit",
            lambda: case_meetings.withdraw_case_meeting(session.get_conn(), actor, mid, reason=reason),
            saving.ok("Wycofano spotkanie."),
            kind="secondary",
        )
