"""The admin's user forms beyond the account itself: a user's role and the gminy of an animator."""

from __future__ import annotations

import duckdb
import streamlit as st

from kooperacja.accounts import users
from kooperacja.model.access import Actor
from kooperacja.model.vocab import ROLES
from kooperacja.programme import data_entry
from kooperacja.programme import services as programme
from kooperacja.ui import saving, versions, widgets
from kooperacja.ui.text import plain


def role_form(conn: duckdb.DuckDBPyConnection, actor: Actor, accounts: list[dict]) -> None:
    names = {a["username"]: f"{a['display_name']} ({a['username']})" for a in accounts}
    k = saving.keys("rola")
    with st.form("rola"):
        st.subheader("Zmień rolę")
        login = st.selectbox(
            "Użytkownik",
            list(names),
            format_func=names.__getitem__,
            key=k("rola_login"),
            placeholder=widgets.PICK,
        )
        role = st.selectbox(
            "Nowa rola",
            list(ROLES),
            format_func=lambda r: ROLES[r],
            key=k("rola_nowa"),
            placeholder=widgets.PICK,
        )
        saving.submit(
            "rola",
            "Zmień rolę",
            "zmien_role",
            lambda: users.set_role(conn, actor, login or "", role or ""),
            lambda _: [("success", f"Konto {plain(login or '')}: rola {ROLES.get(role or '', '')}.")],
            kind="secondary",
            in_form=True,
        )


def gminy_form(conn: duckdb.DuckDBPyConnection, actor: Actor) -> None:
    """ "Gminy animatora": the pilot gminy one animator cares for (pilot_gmina.animator)."""
    st.subheader("Gminy animatora")
    animators = data_entry.animator_choices(conn)
    rows = data_entry.pilot_rows(conn)
    if not animators or not rows:
        st.info(
            "Najpierw dodaj animatora (formularz obok)."
            if not animators
            else "W pilotażu nie ma jeszcze gmin — dodaj je w Wprowadzanie danych → Gmina w pilotażu."
        )
        return
    login = st.selectbox(
        "Animator",
        list(animators),
        format_func=animators.__getitem__,
        key="gminy_animator",
        placeholder=widgets.PICK,
    )
    if login is None:
        return
    seen = versions.loaded("pilot_gmina", {t: r["row_version"] for t, r in rows.items()})
    mine = [t for t, r in rows.items() if r["animator"] == login]
    labels = {
        t: r["name"]
        + ("" if r["animator"] == login else f" (teraz: {animators.get(r['animator'], r['animator'])})")
        for t, r in rows.items()
    }
    k = saving.keys("gminy_animatora")
    stamp = "_".join(f"{t}{rows[t]['row_version']}" for t in mine) or "0"
    chosen = st.multiselect(
        "Gminy pilotażowe",
        list(rows),
        default=mine,
        format_func=labels.__getitem__,
        key=k(f"gminy_wybor_{login}_{stamp}"),
        placeholder=widgets.PICK,
        help="Gmina dodana tutaj przechodzi od obecnego animatora; aby oddać gminę, przypisz ją "
        "innemu animatorowi.",
        select_all=False,
    )
    reason = st.text_input(
        "Powód zmiany", key=k(f"gminy_powod_{login}_{stamp}"), placeholder="np. podział pracy"
    )
    saving.submit(
        "gminy_animatora",
        "Zapisz gminy animatora",
        "gminy_zapisz",
        lambda: programme.assign_gminy(conn, actor, login, chosen, reason=reason, expected_versions=seen),
        f"Zapisano gminy animatora {animators[login]}.",
    )
