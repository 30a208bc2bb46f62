"""The PZK page's corrections: a membership ended, corrected or withdrawn, its institution corrected
(also under the new-institution form)."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from kooperacja.model import access, vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import row_tuples
from kooperacja.model.records import Institution, PzkMember
from kooperacja.programme import data_entry, pzk
from kooperacja.programme import services as programme
from kooperacja.programme.queries import to_date
from kooperacja.ui import corrections as fix
from kooperacja.ui import session, widgets
from kooperacja.ui.text import plain
from kooperacja.warehouse import store


def _member_label(m: Any) -> str:
    left = to_date(m.left_on)
    until = f" do {fix.when(left)}" if left else ""
    return f"{m.name} · od {fix.when(to_date(m.signed_on))}{until}"


def memberships(conn: duckdb.DuckDBPyConnection, actor: Actor, terc: str, members: pd.DataFrame) -> None:
    """Under the gmina's PZK members: end a membership, correct its dates or its institution, withdraw it."""
    rows = {int(m.membership_id): m for m in row_tuples(members)}
    choices = {k: _member_label(m) for k, m in rows.items()}
    seen = store.row_versions(conn, PzkMember, list(rows))
    institutions = store.row_versions(conn, Institution, [int(m.institution_id) for m in rows.values()])
    actions = {
        "leave": "Zakończ członkostwo",
        "edit": "Popraw daty",
        "institution": "Popraw instytucję",
        "withdraw": "Wycofaj wpis",
    }
    by_member = {k: institutions[int(m.institution_id)] for k, m in rows.items()}
    fix.picker("pzk_member", "Członkostwo", choices, seen, actions, {"institution": by_member})
    for action, dialog in DIALOGS.items():
        if (found := fix.opened(f"pzk_member/{action}")) and found["key"] in rows:
            dialog(conn, actor, rows[found["key"]], found["version"])
            return


@st.dialog("Zakończ członkostwo w PZK", on_dismiss=fix.close)
def _leave(conn: duckdb.DuckDBPyConnection, actor: Actor, m: Any, version: int | None) -> None:
    key = f"fix_member_{m.membership_id}"
    st.markdown(f"**{plain(m.name)}** — w PZK od {fix.when(to_date(m.signed_on))}")
    left_on = fix.day("Data wystąpienia", f"{key}_left", session.today())
    st.caption(
        "Członkostwo liczy się do dnia przed wystąpieniem. Data nie wcześniejsza niż podpisanie "
        "porozumienia i nie późniejsza niż dziś."
    )
    if st.button("Zapisz wystąpienie", key=f"{key}_leave", type="primary"):
        fix.run(
            "pzk_member",
            lambda: programme.leave_pzk(
                conn,
                actor,
                int(m.membership_id),
                fix.required(left_on, "Data wystąpienia"),
                today=session.today(),
                expected_version=version,
            ),
            "Zapisano wystąpienie z PZK.",
        )


@st.dialog("Popraw daty członkostwa", on_dismiss=fix.close)
def _edit(conn: duckdb.DuckDBPyConnection, actor: Actor, m: Any, version: int | None) -> None:
    key = f"fix_member_{m.membership_id}"
    st.markdown(f"**{plain(m.name)}**")
    signed_on = fix.day("Data podpisania / przystąpienia", f"{key}_signed", to_date(m.signed_on))
    still = st.checkbox(
        "Nadal członkiem (bez daty wystąpienia)", value=pd.isna(m.left_on), key=f"{key}_still"
    )
    left_on = (
        None
        if still
        else fix.day("Data wystąpienia", f"{key}_left_on", to_date(m.left_on) or session.today())
    )
    reason = fix.reason(f"{key}_reason")
    if st.button("Zapisz poprawkę", key=f"{key}_save", type="primary"):
        fix.run(
            "pzk_member",
            lambda: programme.correct_membership(
                conn,
                actor,
                int(m.membership_id),
                signed_on=fix.required(signed_on, "Data podpisania"),
                left_on=left_on,
                reason=reason,
                today=session.today(),
                expected_version=version,
            ),
            "Poprawiono członkostwo w PZK.",
        )


@st.dialog("Wycofaj członkostwo wpisane przez pomyłkę", on_dismiss=fix.close)
def _withdraw(conn: duckdb.DuckDBPyConnection, actor: Actor, m: Any, version: int | None) -> None:
    key = f"fix_member_{m.membership_id}"
    st.markdown(f"Wycofujesz: **{plain(_member_label(m))}**")
    st.caption(
        fix.WITHDRAW_NOTE + " Instytucja, która wystąpiła z PZK, dostaje datę wystąpienia, nie wycofanie."
    )
    reason = fix.reason(f"{key}_withdraw_reason")
    if st.button("Wycofaj wpis", key=f"{key}_withdraw", type="primary"):
        fix.run(
            "pzk_member",
            lambda: programme.withdraw_membership(
                conn, actor, int(m.membership_id), reason=reason, expected_version=version
            ),
            "Wycofano członkostwo w PZK.",
        )


@st.dialog("Popraw instytucję", width="large", on_dismiss=fix.close)
def _institution(
    conn: duckdb.DuckDBPyConnection, actor: Actor, m: Any, version: int | None, listed: str = "pzk_member"
) -> None:
    key = f"fix_inst_{m.institution_id}"
    name = st.text_input("Nazwa instytucji", value=m.name, key=f"{key}_name")
    sectors, levels = list(vocab.SECTORS), list(vocab.LEVELS)
    sector = st.selectbox(
        "Sektor",
        sectors,
        index=sectors.index(m.sector) if m.sector in sectors else 0,
        format_func=vocab.SECTORS.__getitem__,
        key=f"{key}_sector",
        placeholder=widgets.PICK,
    )
    level = st.selectbox(
        "Poziom",
        levels,
        index=levels.index(m.level),
        format_func=vocab.LEVELS.__getitem__,
        key=f"{key}_level",
        placeholder=widgets.PICK,
    )
    seats = data_entry.area_choices(conn, actor, level)
    seat_keys = list(seats)
    seat = st.selectbox(
        "Siedziba",
        seat_keys,
        index=seat_keys.index(m.seat_terc) if m.seat_terc in seats else None,
        format_func=lambda t: plain(seats[t]),
        key=f"{key}_seat_{level}",
        placeholder=widgets.PICK,
    )
    reason = fix.reason(f"{key}_reason")
    changes = {"name": name, "sector": sector, "level": level, "seat_terc": seat}
    if st.button("Zapisz poprawkę", key=f"{key}_save", type="primary"):
        fix.run(
            listed,
            lambda: programme.edit_institution(
                conn,
                actor,
                int(m.institution_id),
                changes,
                reason=reason,
                today=session.today(),
                expected_version=version,
            ),
            "Poprawiono instytucję.",
        )


def institutions(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    """Under the new-institution form: correct a saved institution the actor may edit."""
    found = pzk.institutions(conn)
    mine = found[
        pd.Series(
            [access.can_edit_institution(actor, s) for s in found.seat_terc], index=found.index, dtype=bool
        )
    ]
    rows = {int(i.institution_id): i for i in row_tuples(mine)}
    choices = {
        k: f"{i.name} · {vocab.SECTORS.get(i.sector, i.sector)} · {i.seat_terc}" for k, i in rows.items()
    }
    seen = store.row_versions(conn, Institution, list(rows))
    st.subheader("Zapisane instytucje")
    fix.picker("institution", "Instytucja do poprawy", choices, seen, {"edit": "Popraw instytucję"})
    if (opened := fix.opened("institution/edit")) and opened["key"] in rows:
        _institution(conn, actor, rows[opened["key"]], opened["version"], "institution")


DIALOGS = {"leave": _leave, "edit": _edit, "institution": _institution, "withdraw": _withdraw}
