"""The Alerty page's parts: the selected alert with its "wyjaśnij" form, the admin's unassigned queue."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from kooperacja.model import access, links
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date, plural, to_display
from kooperacja.programme import alert_services, alerts, dashboard, data_entry
from kooperacja.ui import saving, session, widgets
from kooperacja.ui.text import plain

OPEN = "Otwórz"
EXTRA_HEADERS = {
    "link": "Przejdź",
    "reason": "Wyjaśnienie",
    "explained_by": "Wyjaśnił(a)",
    "explained_at": "Kiedy",
}


def view(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """The rows as a table shows them: Polish headers, labels, the link column named "Przejdź"."""
    shown = to_display(frame, columns)
    return shown.rename(columns={c: EXTRA_HEADERS[c] for c in columns if c in EXTRA_HEADERS})


def table(
    frame: pd.DataFrame,
    columns: list[str],
    key: str,
    filename: str,
    select: bool = False,
    shown: pd.DataFrame | None = None,
) -> Any:
    """The alerts table; `shown`: its `view(frame, columns)` already made (`ui.data.alert_table`)."""
    return widgets.table(
        view(frame, columns) if shown is None else shown,
        saving.keys("alert_explain")(key) if select else key,  # an explained alert: no row selected
        filename,
        colored=["Status"] if "status" in columns else [],
        select=select,
        links={"Przejdź": OPEN},
    )


def _explain_form(actor: Actor, row: Any) -> None:
    terc = None if pd.isna(row.terc) else row.terc
    if not access.can_explain_alert(actor, terc, None if pd.isna(row.animator) else row.animator):
        st.caption("Ten alert wyjaśnia animator gminy albo administrator.")
        return
    with st.form("alert_explain"):
        reason = st.text_area(
            "Powód zmiany: dlaczego alert nie wymaga działania",
            key=saving.keys("alert_explain")("alert_reason"),
            placeholder="np. spotkanie przełożone na prośbę rodziny",
            help="Alert zniknie z listy zadań i trafi do zakładki „Wyjaśnione”. Bez danych osobowych.",
        )
        conn, today = session.get_conn(), session.today()
        saving.submit(
            "alert_explain",
            "Oznacz jako wyjaśnione",
            "alert_explain_save",
            lambda: alert_services.explain_alert(conn, actor, row.alert_id, reason, today),
            "Alert oznaczono jako wyjaśniony — jest teraz w zakładce „Wyjaśnione”.",
            kind="secondary",
            icon=":material/task_alt:",
            in_form=True,
        )


def _withdraw_form(actor: Actor, row: Any) -> None:
    when = f"{row.explained_at:%d.%m.%Y %H:%M}"
    st.markdown(f"Wyjaśnione przez {plain(row.explained_by)}, {when}: „{plain(row.reason)}”")
    with st.form("alert_withdraw"):
        reason = st.text_input(
            "Powód zmiany: dlaczego wycofujesz wyjaśnienie",
            key=saving.keys("alert_withdraw")("alert_withdraw_reason"),
            placeholder="np. rodzina jednak nie przełożyła spotkania",
        )
        conn, today = session.get_conn(), session.today()
        saving.submit(
            "alert_withdraw",
            "Wycofaj wyjaśnienie",
            "alert_withdraw_save",
            lambda: alert_services.withdraw_explanation(conn, actor, row.alert_id, reason, today),
            "Wyjaśnienie wycofano — alert wrócił na listę zadań.",
            kind="secondary",
            icon=":material/undo:",
            in_form=True,
        )


def selected_alert(actor: Actor, alert_id: str, todo: pd.DataFrame, explained: pd.DataFrame) -> None:
    """The one alert picked (from the table or an `alerty?alert=` link), on top, with what resolves it."""
    found, done = todo[todo.alert_id == alert_id], explained[explained.alert_id == alert_id]
    if found.empty and done.empty:
        st.info(
            "Tego alertu nie ma już na liście: zadanie wykonano, sprawa jest zamknięta albo termin minął."
        )
        return
    row = (found if len(found) else done).iloc[0]
    with st.container(border=True, key="alert_selected"):
        where = "(region)" if pd.isna(row.gmina) else row.gmina
        st.markdown(f"**Wybrany alert: {plain(row.rule_label)} — {plain(where)}**")
        st.markdown(f"{plain(row.subject)} · {plain(row.message)} · termin {fmt_date(row.due_on)}")
        st.markdown(
            f"[{OPEN}, aby to załatwić]({row.link}) · [link do tego alertu]({links.url('alerty', alert_id)})"
        )
        if len(found):
            _explain_form(actor, row)
        else:
            _withdraw_form(actor, row)


def unassigned_queue(actor: Actor, todo: pd.DataFrame) -> None:
    """The admin's queue: notifications from gminy outside the pilot, with nobody on their 7-day clock."""
    queue = alerts.unassigned(todo)
    if not actor.is_admin or queue.empty:
        return
    st.subheader(f"Nieprzypisane zgłoszenia ({plural(len(queue), 'zgłoszenie', 'zgłoszenia', 'zgłoszeń')})")
    st.caption(
        "Gmina spoza pilotażu nie ma animatora: przydziel zgłoszenie, a animator zobaczy termin kontaktu."
    )
    table(dashboard.alerts_table(queue), ["status", "gmina", "subject", "due_on", "message", "link"],
          "alerts_unassigned", "zgloszenia_nieprzypisane")  # fmt: skip
    labels = dict(zip(queue.alert_id, queue.gmina + " — " + queue.subject, strict=True))
    carers = data_entry.animator_choices(session.get_conn())
    k = saving.keys("alert_assign")
    with st.form("alert_assign"):
        left, right = st.columns(2)
        picked = left.selectbox(
            "Zgłoszenie",
            list(labels),
            format_func=labels.__getitem__,
            key=k("assign_alert"),
            placeholder=widgets.PICK,
        )
        who = right.selectbox(
            "Animator", carers, index=None, key=k("assign_animator"), placeholder=widgets.PICK
        )
        conn = session.get_conn()
        saving.submit(
            "alert_assign",
            "Przydziel",
            "alert_assign_save",
            lambda: alert_services.assign_zgloszenie(
                conn, actor, int(str(picked).split(":")[1]), str(who or "")
            ),
            f"Zgłoszenie przydzielono: {who}.",
            kind="secondary",
            icon=":material/person_add:",
            in_form=True,
        )
