"""Historia zmian: every audited write, filtered by user, table, gmina and dates (administrators only)."""

from __future__ import annotations

import streamlit as st

from kooperacja.programme import data_entry
from kooperacja.ui import session, widgets
from kooperacja.warehouse import history as audit


def _choice(label: str, options: dict, key: str):
    return st.selectbox(
        label, [None, *options], format_func=lambda v: "wszystkie" if v is None else options[v], key=key
    )


def render() -> None:
    actor = session.require_page("historia")
    st.title("Historia zmian")
    conn = session.get_conn()
    left, middle, right = st.columns(3)
    with left:
        user = _choice("Użytkownik", {u: u for u in audit.audit_users(conn)}, "hist_user")
    with middle:
        tables = {t: audit.TABLE_LABELS.get(t, t) for t in audit.audit_tables(conn)}
        table = _choice("Tabela", tables, "hist_table")
    with right:
        gmina = _choice("Gmina", data_entry.register_choices(conn), "hist_gmina")
    period = st.date_input("Okres (od – do)", value=(), format="DD.MM.YYYY", key="hist_period")
    since = period[0] if len(period) > 0 else None
    until = period[1] if len(period) > 1 else since
    with widgets.errors_shown():
        changes = audit.list_changes(
            conn, actor, user=user, table=table, terc=gmina, since=since, until=until
        )
        st.caption(f"Zmian: {len(changes)} (najnowsze na górze, najwyżej {audit.MAX_ROWS}).")
        widgets.table(changes, "hist_changes", "historia_zmian")


if __name__ == "__main__":
    st.switch_page("app.py")
