"""Alerty: every dated rule's alerts across the region, filtered — the animator's to-do list."""

from __future__ import annotations

import streamlit as st

from kooperacja.model import access
from kooperacja.model.formatting import fmt_date, fmt_number, to_display
from kooperacja.model.rules import RULE_LABELS
from kooperacja.programme import dashboard, queries
from kooperacja.ui import data, session, widgets

ALERT_COLUMNS = ["status", "gmina", "animator", "rule_label", "subject", "due_on", "days_over", "message"]


def _filters(actor: access.Actor, alerts) -> tuple[list[str], list[str], list[str]]:
    pilot = queries.list_pilot_gminy(session.get_conn())
    animators = sorted(set(pilot.animator) | set(alerts.animator.dropna()))
    names = dict(zip(pilot.terc, pilot.name, strict=True))
    mine = [actor.username] if access.is_animator(actor) else []
    cols = st.columns(3)
    with cols[0]:
        who = widgets.persistent(
            st.multiselect,
            "Animator",
            key="alerts_animator",
            name="alerts_animator",
            options=animators,
            default=mine,
            placeholder="wszyscy",
        )
    with cols[1]:
        where = widgets.persistent(
            st.multiselect,
            "Gmina",
            key="alerts_gmina",
            name="alerts_gmina",
            options=list(names),
            default=[],
            format_func=names.get,
            placeholder="wszystkie",
        )
    with cols[2]:
        what = widgets.persistent(
            st.multiselect,
            "Reguła",
            key="alerts_rule",
            name="alerts_rule",
            options=list(RULE_LABELS),
            default=[],
            format_func=RULE_LABELS.get,
            placeholder="wszystkie",
        )
    return who, where, what


def render() -> None:
    actor = session.require_page("alerty")
    st.title("Alerty — lista zadań")
    st.caption(
        f"Stan na {fmt_date(session.today())}. Domyślnie animator widzi swoje gminy "
        "i sprawy całego regionu (np. posiedzenia WZK)."
    )
    alerts = dashboard.visible_alerts(data.region_alerts(), actor)
    who, where, what = _filters(actor, alerts)
    shown = dashboard.filter_alerts(alerts, who, where, what)
    overdue = int((shown.days_over > 0).sum())
    st.markdown(f"**{fmt_number(len(shown))}** alertów, w tym **{fmt_number(overdue)}** po terminie.")
    if shown.empty:
        st.success("Brak alertów dla wybranych filtrów.")
    else:
        widgets.table(to_display(dashboard.alerts_table(shown), ALERT_COLUMNS), "alerts_table", "alerty",
                      colored=["Status"])  # fmt: skip
    left, right = st.columns([2, 3])
    with left:
        st.markdown("**Alerty według reguły**")
        widgets.table(to_display(dashboard.alert_counts(shown)), "alert_counts_table", "alerty_wg_reguly")
    with right:
        widgets.status_legend()


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("alerty")
