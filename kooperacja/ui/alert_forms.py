"""The Alerty page's parts: the selected alert with its "wyjaśnij" form, the admin's unassigned queue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from kooperacja.model import access, links
from kooperacja.model.access import Actor
from kooperacja.model.errors import KooperacjaError
from kooperacja.model.formatting import fmt_date, plural, to_display
from kooperacja.programme import alert_services, alerts, dashboard, data_entry
from kooperacja.ui import errors, session, widgets
from kooperacja.ui.text import plain

FLASH = "alerts_flash"  # the success message of the last save, shown after the rerun that reset the form
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


def table(frame: pd.DataFrame, columns: list[str], key: str, filename: str, select: bool = False) -> Any:
    return widgets.table(
        view(frame, columns),
        key,
        filename,
        colored=["Status"] if "status" in columns else [],
        select=select,
        links={"Przejdź": OPEN},
    )


def flash() -> None:
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message, icon=":material/check_circle:")


def _save(action: Callable[[], Any], message: str, *keys: str) -> None:
    """Run a write; on success reset the form's fields and rerun with the message shown on top."""
    try:
        action()
    except KooperacjaError as exc:
        errors.show(exc)
        return
    for key in keys:
        st.session_state.pop(key, None)
    st.session_state[FLASH] = message
    st.rerun()


def _explain_form(actor: Actor, row: Any) -> None:
    terc = None if pd.isna(row.terc) else row.terc
    if not access.can_explain_alert(actor, terc, None if pd.isna(row.animator) else row.animator):
        st.caption("Ten alert wyjaśnia animator gminy albo administrator.")
        return
    with st.form("alert_explain"):
        reason = st.text_area(
            "Powód zmiany: dlaczego alert nie wymaga działania",
            key="alert_reason",
            placeholder="np. spotkanie przełożone na prośbę rodziny",
            help="Alert zniknie z listy zadań i trafi do zakładki „Wyjaśnione”. Bez danych osobowych.",
        )
        if st.form_submit_button("Oznacz jako wyjaśnione", icon=":material/task_alt:"):
            conn, today = session.get_conn(), session.today()
            _save(
                lambda: alert_services.explain_alert(conn, actor, row.alert_id, reason, today),
                "Alert oznaczono jako wyjaśniony — jest teraz w zakładce „Wyjaśnione”.",
                "alert_reason",
                "alerts_table",
            )


def _withdraw_form(actor: Actor, row: Any) -> None:
    when = f"{row.explained_at:%d.%m.%Y %H:%M}"
    st.markdown(f"Wyjaśnione przez {plain(row.explained_by)}, {when}: „{plain(row.reason)}”")
    with st.form("alert_withdraw"):
        reason = st.text_input(
            "Powód zmiany: dlaczego wycofujesz wyjaśnienie",
            key="alert_withdraw_reason",
            placeholder="np. rodzina jednak nie przełożyła spotkania",
        )
        if st.form_submit_button("Wycofaj wyjaśnienie", icon=":material/undo:"):
            conn, today = session.get_conn(), session.today()
            _save(
                lambda: alert_services.withdraw_explanation(conn, actor, row.alert_id, reason, today),
                "Wyjaśnienie wycofano — alert wrócił na listę zadań.",
                "alert_withdraw_reason",
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
    with st.form("alert_assign"):
        left, right = st.columns(2)
        picked = left.selectbox(
            "Zgłoszenie",
            list(labels),
            format_func=labels.__getitem__,
            key="assign_alert",
            placeholder="Wybierz…",
        )
        who = right.selectbox("Animator", carers, index=None, key="assign_animator", placeholder="Wybierz…")
        if st.form_submit_button("Przydziel", icon=":material/person_add:"):
            zid = int(str(picked).split(":")[1])
            conn = session.get_conn()
            _save(
                lambda: alert_services.assign_zgloszenie(conn, actor, zid, str(who or "")),
                f"Zgłoszenie przydzielono: {who}.",
                "assign_animator",
            )
