"""The gmina's meetings corrected: date, agenda, decisions, the family's presence, the attendance
(an institution added or taken off, a notice date), or the meeting withdrawn with its attendance."""

from __future__ import annotations

from functools import partial
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import plural, row_tuples
from kooperacja.model.records import Meeting
from kooperacja.programme import data_entry, pzk
from kooperacja.programme import services as programme
from kooperacja.programme.queries import to_date
from kooperacja.ui import corrections as fix
from kooperacja.ui import widgets
from kooperacja.ui.text import plain
from kooperacja.warehouse import store


def _meeting_label(m: Any) -> str:
    return f"{fix.when(to_date(m.held_on))} · {vocab.MEETING_KINDS.get(m.kind, m.kind)}"


def meetings(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, listed: pd.DataFrame) -> None:
    """Under the gmina's meetings: correct one, its attendance, or withdraw it with its attendance."""
    rows = {int(m.meeting_id): m for m in row_tuples(listed)}
    choices = {k: _meeting_label(m) for k, m in rows.items()}
    seen = store.row_versions(conn, Meeting, list(rows))
    actions = {"edit": "Popraw spotkanie", "attendance": "Popraw obecność", "withdraw": "Wycofaj spotkanie"}
    fix.picker("meeting", "Spotkanie", choices, seen, actions)
    dialogs = {"edit": _edit_meeting, "attendance": _attendance, "withdraw": _withdraw_meeting}
    for action, dialog in dialogs.items():
        if (found := fix.opened(f"meeting/{action}")) and found["key"] in rows:
            dialog(conn, actor, terc, rows[found["key"]], found["version"])
            return


FAMILY = {"unknown": "nie dotyczy / nie wiadomo", "yes": "tak", "no": "nie"}


@st.dialog("Popraw spotkanie", width="large", on_dismiss=fix.close)
def _edit_meeting(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, m: Any, version: int | None
) -> None:
    key = f"fix_meet_{m.meeting_id}"
    st.markdown(f"**{plain(_meeting_label(m))}**")
    held_on = fix.day("Data spotkania", f"{key}_date", to_date(m.held_on))
    agenda = st.text_area("Porządek", value=_text(m.agenda), key=f"{key}_agenda")
    decisions = st.text_area("Ustalenia", value=_text(m.decisions), key=f"{key}_decisions")
    family = "unknown" if pd.isna(m.family_present) else ("yes" if m.family_present else "no")
    present = st.radio(
        "Obecność rodziny",
        list(FAMILY),
        index=list(FAMILY).index(family),
        format_func=FAMILY.__getitem__,
        key=f"{key}_family",
        horizontal=True,
    )
    reason = fix.reason(f"{key}_reason")
    changes = {
        "held_on": held_on,
        "agenda": agenda.strip() or None,
        "decisions": decisions.strip() or None,
        "family_present": None if present == "unknown" else present == "yes",
    }
    if st.button("Zapisz poprawkę", key=f"{key}_save", type="primary"):
        fix.run(
            "meeting",
            lambda: programme.edit_meeting(
                conn, actor, int(m.meeting_id), changes, reason=reason, expected_version=version
            ),
            "Poprawiono spotkanie.",
        )


@st.dialog("Popraw obecność na spotkaniu", width="large", on_dismiss=fix.close)
def _attendance(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, m: Any, version: int | None
) -> None:
    key = f"fix_att_{m.meeting_id}"
    meeting_id = int(m.meeting_id)
    st.markdown(f"**{plain(_meeting_label(m))}**")
    present = pzk.attendance(conn, meeting_id)
    names = dict(zip(present.institution_id.astype(int), present.institution, strict=True))
    notices = dict(zip(present.institution_id.astype(int), present.notified_on, strict=True))
    reason = fix.reason(f"{key}_reason")
    change = st.radio(
        "Zmiana",
        ["add", "notice", "remove"],
        format_func={
            "add": "dopisz instytucję",
            "notice": "zmień datę powiadomienia",
            "remove": "usuń z listy",
        }.get,
        key=f"{key}_change",
        horizontal=True,
    )
    if change == "add":
        others = {i: n for i, n in data_entry.institution_choices(conn, terc).items() if i not in names}
        chosen = st.selectbox(
            "Instytucja",
            list(others),
            format_func=lambda i: plain(others[i]),
            key=f"{key}_new",
            placeholder=widgets.PICK,
        )
        notified = fix.day("Data powiadomienia (puste: nie wiadomo)", f"{key}_new_notified", None)
        action = partial(programme.add_attendee, conn, actor, meeting_id, int(chosen or 0), notified)
    else:
        chosen = st.selectbox(
            "Obecna instytucja",
            list(names),
            format_func=lambda i: plain(names[i]),
            key=f"{key}_who",
            placeholder=widgets.PICK,
        )
        if change == "notice":
            saved = to_date(notices.get(chosen)) if chosen is not None else None
            notified = fix.day("Data powiadomienia (puste: nie wiadomo)", f"{key}_notified_{chosen}", saved)
            action = partial(programme.change_notice, conn, actor, meeting_id, int(chosen or 0), notified)
        else:
            action = partial(programme.remove_attendee, conn, actor, meeting_id, int(chosen or 0))
    if st.button("Zapisz zmianę obecności", key=f"{key}_save", type="primary", disabled=chosen is None):
        fix.run(
            "meeting",
            lambda: action(reason=reason, expected_version=version),
            "Poprawiono obecność na spotkaniu.",
        )


@st.dialog("Wycofaj spotkanie", on_dismiss=fix.close)
def _withdraw_meeting(
    conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, m: Any, version: int | None
) -> None:
    key = f"fix_meet_{m.meeting_id}"
    listed = plural(int(m.attendees), "instytucja", "instytucje", "instytucji")
    st.markdown(f"Wycofujesz: **{plain(_meeting_label(m))}** razem z listą obecności ({listed})")
    st.caption(fix.WITHDRAW_NOTE)
    reason = fix.reason(f"{key}_withdraw_reason")
    if st.button("Wycofaj spotkanie", key=f"{key}_withdraw", type="primary"):
        fix.run(
            "meeting",
            lambda: programme.withdraw_meeting(
                conn, actor, int(m.meeting_id), reason=reason, expected_version=version
            ),
            "Wycofano spotkanie z listą obecności.",
        )


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""
