"""Alerty: the to-do list of every dated rule, its explained alerts and the recorded breaches."""

from __future__ import annotations

import streamlit as st

from kooperacja.model import access
from kooperacja.model.formatting import fmt_date, plural, to_display
from kooperacja.model.rules import RULE_LABELS
from kooperacja.programme import alerts, dashboard
from kooperacja.ui import alert_forms, data, saving, session, widgets

ALERT_COLUMNS = [
    "status",
    "gmina",
    "animator",
    "rule_label",
    "subject",
    "due_on",
    "days_over",
    "message",
    "link",
]
EXPLAINED_COLUMNS = [
    "gmina",
    "rule_label",
    "subject",
    "message",
    "reason",
    "explained_by",
    "explained_at",
    "link",
]
BREACH_COLUMNS = ["gmina", "rule_label", "subject", "due_on", "days_over", "message", "link"]
PICKED = "alerts_picked"  # the alert picked in the table (or opened by a link)


def _filters(actor: access.Actor, alerts_shown) -> tuple[list[str], list[str], list[str]]:
    pilot = data.pilot_gminy()
    animators = sorted(set(pilot.animator) | set(alerts_shown.animator.dropna()))
    names = dict(zip(pilot.terc, pilot.name, strict=True))
    mine = [actor.username] if access.is_animator(actor) else []
    cols = st.columns(3)
    with cols[0]:
        who = widgets.persistent(st.multiselect, "Animator", key="alerts_animator", name="alerts_animator",
                                 options=animators, default=mine, placeholder="wszyscy")  # fmt: skip
    with cols[1]:
        where = widgets.persistent(st.multiselect, "Gmina", key="alerts_gmina", name="alerts_gmina",
                                   options=list(names), default=[], format_func=names.get,
                                   placeholder="wszystkie")  # fmt: skip
    with cols[2]:
        what = widgets.persistent(st.multiselect, "Reguła", key="alerts_rule", name="alerts_rule",
                                  options=list(RULE_LABELS), default=[], format_func=RULE_LABELS.get,
                                  placeholder="wszystkie")  # fmt: skip
    return who, where, what


def _first_run(actor: access.Actor) -> None:
    """What to do next on a warehouse with no pilot gminy yet (there are no alerts without them)."""
    if actor.is_admin:
        st.info(
            "W regionie nie ma jeszcze gmin w pilotażu, więc nie ma alertów. Dodaj gminy pilotażowe "
            "i przypisz im animatorów w „Wprowadzanie danych” (gdy lista gmin jest pusta, najpierw wczytaj "
            "rejestr TERC: python -m kooperacja import-terc PLIK)."
        )
    else:
        st.info(
            "Nie masz jeszcze gmin pilotażowych. Alerty pojawią się, gdy administrator przypisze Ci gminy "
            "w „Wprowadzanie danych”."
        )


def render() -> None:
    actor = session.require_page("alerty")
    st.title("Alerty — lista zadań")
    st.caption(
        f"Stan na {fmt_date(session.today())}. Na liście są tylko zadania, które można jeszcze wykonać; "
        "minione naruszenia terminów są zapisane osobno."
    )
    saving.show_flash()
    todo = dashboard.visible_alerts(data.region_alerts(), actor)
    explained = dashboard.visible_alerts(data.region_explained_alerts(), actor)
    breaches = dashboard.visible_alerts(data.region_breaches(), actor)
    if data.pilot_gminy().empty:
        _first_run(actor)
        if todo.empty and breaches.empty:
            return
    linked = st.query_params.get("alert")
    if linked and st.session_state.get("alerts_link") != linked:  # a link opened: its alert on top
        st.session_state["alerts_link"] = st.session_state[PICKED] = linked
    top = st.container()
    alert_forms.unassigned_queue(actor, todo)
    who, where, what = _filters(actor, todo)
    shown, shown_rows = data.alert_table(actor, "todo", who, where, what, ALERT_COLUMNS)
    count = plural(len(shown), "alert", "alerty", "alertów")
    st.markdown(f"**{count}** na liście, w tym **{alerts.overdue_count(shown)}** po terminie.")
    done, done_rows = data.alert_table(actor, "explained", who, where, what, EXPLAINED_COLUMNS)
    past, past_rows = data.alert_table(actor, "breaches", who, where, what, BREACH_COLUMNS)
    tabs = st.tabs(
        [
            f"Do zrobienia ({len(shown)})",
            f"Wyjaśnione ({len(done)})",
            f"Naruszenia terminów (zapisane) ({len(past)})",
        ]
    )
    with tabs[0]:
        if shown.empty:
            st.success("Brak alertów dla wybranych filtrów.")
        else:
            st.caption(
                "Zaznacz wiersz, aby wyjaśnić alert; „Otwórz” prowadzi do formularza, który go załatwia."
            )
            event = alert_forms.table(shown, ALERT_COLUMNS, "alerts_table", "alerty", select=True,
                                      shown=shown_rows)  # fmt: skip
            if event is not None and event.selection.rows:
                st.session_state[PICKED] = shown.alert_id[event.selection.rows[0]]
        st.markdown("**Alerty według reguły**")
        widgets.table(to_display(dashboard.alert_counts(shown)), "alert_counts_table", "alerty_wg_reguly")
        widgets.status_legend()
    with tabs[1]:
        if done.empty:
            st.caption("Żaden alert nie jest oznaczony jako wyjaśniony.")
        else:
            alert_forms.table(done, EXPLAINED_COLUMNS, "alerts_explained", "alerty_wyjasnione",
                              shown=done_rows)  # fmt: skip
    with tabs[2]:
        st.caption(
            "Terminy, które minęły i których nie da się już dotrzymać; liczby są też w raporcie efektów."
        )
        if past.empty:
            st.caption("Brak zapisanych naruszeń terminów.")
        else:
            alert_forms.table(past, BREACH_COLUMNS, "alerts_breaches", "naruszenia_terminow", shown=past_rows)
    picked = st.session_state.get(PICKED)
    if picked:
        with top:
            alert_forms.selected_alert(actor, picked, todo, explained)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("alerty")
