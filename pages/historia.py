"""Historia zmian: every audited write, filtered by user, table, gmina and dates (administrators only)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from kooperacja.model.formatting import plural
from kooperacja.programme import data_entry
from kooperacja.ui import session, widgets
from kooperacja.warehouse import history as audit


def _choice(label: str, options: dict, key: str):
    return st.selectbox(
        label,
        [None, *options],
        format_func=lambda v: "wszystkie" if v is None else options[v],
        key=key,
        **widgets.SELECT,
    )


def render() -> None:
    actor = session.require_page("historia")
    st.title("Historia zmian")
    conn, today = session.get_conn(), session.today()
    left, middle, right = st.columns(3)
    with left:
        people = audit.display_names(conn)
        user = _choice("Użytkownik", {u: people.get(u, u) for u in audit.audit_users(conn)}, "hist_user")
    with middle:
        tables = {t: audit.TABLE_LABELS.get(t, t) for t in audit.audit_tables(conn)}
        table = _choice("Tabela", tables, "hist_table")
    with right:
        gmina = _choice("Gmina", data_entry.register_choices(conn), "hist_gmina")
    since = until = None
    if st.toggle("Tylko zmiany z wybranego okresu", key="hist_limit"):
        period = st.date_input(
            "Okres (od – do)",
            value=(today - timedelta(days=30), today),
            format=widgets.DATE_FORMAT,
            key="hist_period",
        )
        since = period[0] if len(period) > 0 else None
        until = period[1] if len(period) > 1 else since
    with widgets.errors_shown():
        changes = audit.list_changes(
            conn, actor, user=user, table=table, terc=gmina, since=since, until=until
        )
        if changes.empty:
            st.info(
                "Brak zmian dla wybranych filtrów." if any((user, table, gmina, since)) else "Brak zmian."
            )
            return
        shown = plural(len(changes), "zmiana", "zmiany", "zmian")
        st.caption(f"{shown} (najnowsze na górze, najwyżej {audit.MAX_ROWS}).")
        widgets.table(changes, "hist_changes", "historia_zmian")


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("historia")
