"""Gmina: the K1–K10 timeline against the plan, events with evidence, notification, PZK, alerts."""

from __future__ import annotations

import streamlit as st

from kooperacja.model import access, rules, vocab
from kooperacja.model.formatting import fmt_date, to_display
from kooperacja.programme import dashboard, pzk, queries
from kooperacja.ui import data, documents, links, record_fixes, session, widgets
from kooperacja.ui.text import plain

PLAN_COLUMNS = [
    "step",
    "substep",
    "title",
    "responsible",
    "planned_start",
    "planned_due",
    "started_on",
    "completed_on",
    "status",
    "label",
    "evidence",
]
EVENT_COLUMNS = ["event_on", "step", "substep", "title", "event_kind", "evidence", "note", "recorded_by"]
ZGLOSZENIE_COLUMNS = [
    "received_on",
    "route",
    "signed_on",
    "contact_deadline",
    "first_contact_on",
    "status",
    "contact_state",
]
PZK_COLUMNS = ["institution", "sector", "level", "signed_on", "left_on"]
ALERT_COLUMNS = ["status", "rule_label", "subject", "due_on", "days_over", "message"]


def _header(actor: access.Actor, gmina, today) -> None:
    st.markdown(
        f"**{plain(gmina['name'])}** · {plain(gmina['kind'])} · "
        f"wariant: {plain(vocab.VARIANTS.get(gmina['variant'], gmina['variant']))} · "
        f"animator: {plain(gmina['animator'])} · start planu: {fmt_date(gmina['plan_start'])}"
    )
    if access.can_edit_gmina(actor, gmina["terc"]):
        st.caption("Możesz edytować dane tej gminy.")
    else:
        st.caption(f"Tylko do odczytu: gminą opiekuje się {plain(gmina['animator'])}.")


def _timeline(terc: str) -> None:
    st.subheader("Harmonogram K1–K10: plan i wykonanie")
    plan, figure = data.gmina_timeline(terc)
    st.plotly_chart(figure, key="gantt", width="stretch")
    with st.expander("Podkroki w tabeli"):
        widgets.status_legend()
        widgets.table(to_display(plan, PLAN_COLUMNS), "plan_table", "harmonogram", colored=["Status"])


def _zgloszenie(actor: access.Actor, terc: str, today) -> None:
    st.subheader(f"Zgłoszenie do ROPS i kontakt w {rules.days_pl(rules.FIRST_CONTACT_DAYS)}")
    rows = queries.zgloszenia(session.get_conn(), terc, today)
    if rows.empty:
        record_fixes.zgloszenia(session.get_conn(), actor, rows)  # what a withdrawal just did
        st.info("Gmina nie ma zarejestrowanego zgłoszenia.")
        return
    latest = rows.iloc[0]
    st.markdown(
        f"Zgłoszenie z **{fmt_date(latest.received_on)}**: kontakt ROPS do "
        f"**{fmt_date(latest.contact_deadline)}** — {plain(latest.contact_state)}."
    )
    view = rows.rename(columns={"contact_status": "status"})
    widgets.table(to_display(view, ZGLOSZENIE_COLUMNS), "zgloszenia_table", "zgloszenia", colored=["Status"])
    documents.zgloszenie_buttons(actor, rows, terc)
    record_fixes.zgloszenia(session.get_conn(), actor, rows)


def _pzk(actor: access.Actor, terc: str, today) -> None:
    st.subheader("PZK na wybrany dzień")
    on = st.date_input("Stan na dzień", value=today, key="gmina_pzk_on", format="DD.MM.YYYY")
    members = queries.pzk_on(session.get_conn(), terc, on)
    st.caption(f"{len(members)} instytucji w PZK w dniu {fmt_date(on)}.")
    documents.button(actor, "porozumienie_pzk", terc, on=on, label="Pobierz porozumienie PZK na ten dzień")
    left, right = st.columns([3, 2])
    with left:
        widgets.table(
            to_display(members.rename(columns={"name": "institution"}), PZK_COLUMNS),
            "pzk_on_table",
            "pzk_na_dzien",
        )
    with right:
        counts = pzk.sector_counts(members)
        widgets.table(
            to_display(counts.rename(columns={"members": "count"})), "pzk_sectors_table", "pzk_sektory"
        )


def render() -> None:
    actor = session.require_page("gmina")
    st.title("Gmina")
    conn, today = session.get_conn(), session.today()
    pilot = data.pilot_gminy()
    if pilot.empty:
        st.info("W regionie nie ma jeszcze gmin w pilotażu.")
        return
    terc = links.pick_gmina("gmina", actor, "gmina_pick", "pzk_gmina_pick")
    links.share("gmina", terc, "tę gminę")
    _header(actor, pilot[pilot.terc == terc].iloc[0], today)
    documents.button(actor, "karta_gminy", terc, prepared={"alerts": data.gmina_alerts(terc)})
    _timeline(terc)
    st.subheader("Zdarzenia i dowody")
    events = queries.step_events(conn, terc)
    widgets.table(to_display(events, EVENT_COLUMNS), "events_table", "zdarzenia")
    record_fixes.step_events(conn, actor, terc, events)
    _zgloszenie(actor, terc, today)
    _pzk(actor, terc, today)
    st.subheader("Alerty gminy")
    alerts = dashboard.visible_alerts(data.gmina_alerts(terc), actor)
    if alerts.empty:
        st.success("Brak alertów dla tej gminy.")
    else:
        widgets.table(
            to_display(dashboard.alerts_table(alerts), ALERT_COLUMNS),
            "gmina_alerts_table",
            "alerty_gminy",
            colored=["Status"],
        )


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("gmina")
