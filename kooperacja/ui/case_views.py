"""Case views of the Sprawy page: the ROPS summary (suppressed for wzk/zarzad) and one case's card."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd
import streamlit as st

from kooperacja.cases import stats as case_stats
from kooperacja.charts import cases as case_charts
from kooperacja.model import disclosure, rules, vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date, to_display
from kooperacja.model.rules import STATUS_COLORS, Status
from kooperacja.ui import data, session, widgets
from kooperacja.ui.text import plain

RATE_COLORS = [
    (90, STATUS_COLORS[Status.DONE]),
    (70, STATUS_COLORS[Status.DUE]),
    (0, STATUS_COLORS[Status.OVERDUE]),
]
LABELS = {
    "label": "Etap / powód",
    "cases": "Sprawy",
    "reached": "Doszło do etapu",
    "median_days": "Mediana (dni)",
    "min_days": "Najkrócej (dni)",
    "max_days": "Najdłużej (dni)",
    "open_cases": "Sprawy w realizacji",
    "overdue": "Po terminie spotkania",
    "meetings": "Spotkania GGK/ZZK",
    "invitations": "Zaproszenia",
    "tasks": "Zadania",
    "open_tasks": "Zadania otwarte",
    "case_code": "Kod sprawy",
    "stage_label": "Etap",
    "referred_on": "Zgłoszona",
    "plan_on": "Plan pracy",
    "closed_on": "Zakończona",
    "description": "Zadanie",
    "goal": "Cel szczegółowy",
    "reports": "Sprawozdania",
    "last_month": "Ostatni miesiąc",
    "due_on": "Termin",
    "done_on": "Wykonano",
    "progress": "Postęp",
    "task": "Zadanie",
    "reported_on": "Zapisano",
    "from_on": "Od",
    "to_on": "Do",
    "held_on": "Data",
    "family_present": "Rodzina obecna",
    "decisions": "Ustalenia",
    "institutions": "Instytucje",
    "service": "Usługa",
    "report_month": "Miesiąc",
}


def _short_notice() -> str:
    return f"Powiadomione < {rules.days_pl(rules.GGK_NOTICE_DAYS)}"


CODES = {"kind": vocab.CASE_KINDS, "progress": vocab.REPORT_PROGRESS, "meeting_kind": vocab.MEETING_KINDS}


def _show(df: pd.DataFrame, columns: list[str], key: str, filename: str) -> None:
    view = to_display(df[columns], extra_labels=CODES)
    labels = LABELS | dict.fromkeys(("breaches", "short_notice"), _short_notice())
    view.columns = [labels.get(c, h) for c, h in zip(columns, view.columns, strict=True)]
    widgets.table(view, key, filename)


def _rate_style(value: Any) -> str:
    if value is None or pd.isna(value):
        return "background-color: #EEEEEE; color: #555555"
    color = next(c for limit, c in RATE_COLORS if value >= limit)
    return f"background-color: {color}; color: #000000"


def _completeness(rate: pd.DataFrame) -> None:
    st.subheader("Kompletność sprawozdań miesięcznych (% otrzymanych)")
    grid = case_stats.completeness_grid(rate).head(widgets.MAX_SHOWN)  # all gminy are in the XLSX
    months: list[Hashable] = [c for c in grid.columns if c != "Gmina"]
    st.dataframe(
        grid.style.map(_rate_style, subset=months).format("{:.0f}%", subset=months, na_rep="—"),
        key="completeness_grid",
        hide_index=True,
        width="stretch",
        placeholder="",
    )
    st.caption(
        "Zielony: co najmniej 90%, żółty: 70–89%, czerwony: poniżej 70%, szary „—”: nic nie "
        "oczekiwano (lub ukryto małą liczbę)."
    )
    st.download_button(
        "Pobierz XLSX",
        data=lambda: case_stats.completeness_xlsx(rate),
        file_name="sprawozdania_kompletnosc.xlsx",
        mime=widgets.XLSX_MIME,
        key="completeness_xlsx",
        on_click="ignore",
        icon=":material/download:",
    )


def render_summary(actor: Actor, pilot: pd.DataFrame | None = None) -> None:
    """The ROPS view: funnel, closures, time to plan, reports, meetings, notices, sectors.
    `pilot`: `case_stats.pilot_gminy` if the page has read it already."""
    if pilot is None:
        pilot = case_stats.pilot_gminy(session.get_conn())
    names = {None: "Cały region", **dict(zip(pilot.terc, pilot.gmina, strict=True))}
    terc = st.selectbox(
        "Zakres",
        list(names),
        format_func=names.__getitem__,
        key="cases_summary_scope",
        placeholder=widgets.PICK,
    )
    if disclosure.hides(actor):
        st.info(f"{disclosure.NOTE}, aby nikogo nie można było rozpoznać.")
    summary = data.case_summary(actor, terc)
    left, right = st.columns(2)
    with left:
        st.subheader("Sprawy według etapu")
        funnel = summary["funnel"]
        st.plotly_chart(case_charts.funnel_figure(funnel), key="cases_funnel", width="stretch")
        _show(funnel, ["label", "cases", "reached"], "funnel_table", "sprawy_etapy")
    with right:
        st.subheader("Powody zakończenia")
        reasons = summary["closures"]
        st.plotly_chart(case_charts.closure_figure(reasons), key="cases_closures", width="stretch")
        _show(reasons, ["label", "cases"], "closure_table", "sprawy_zakonczenia")
    st.subheader("Czas od zgłoszenia do planu pracy")
    _show(
        summary["time_to_plan"],
        ["gmina", "cases", "median_days", "min_days", "max_days"],
        "time_to_plan_table",
        "sprawy_czas_do_planu",
    )
    _completeness(summary["completeness"])
    st.subheader("Spotkania monitorujące po terminie (co kwartał)")
    _show(
        summary["overdue_meetings"],
        ["gmina", "open_cases", "overdue", "max_days"],
        "overdue_meetings_table",
        "sprawy_monitoring",
    )
    st.subheader(
        f"Powiadomienia o spotkaniach GGK/ZZK krócej niż {rules.days_pl(rules.GGK_NOTICE_DAYS)} "
        "(ostatnie 12 miesięcy)"
    )
    _show(
        summary["notice_breaches"],
        ["gmina", "meetings", "invitations", "breaches"],
        "notice_table",
        "sprawy_powiadomienia",
    )
    st.subheader("Sektory, które realizują zadania planów")
    _show(
        summary["task_sectors"],
        ["label", "tasks", "open_tasks", "cases"],
        "sectors_table",
        "sprawy_sektory",
    )


def render_card(card: dict[str, Any]) -> None:
    """Every part of one case, read-only."""
    case = card["case"]
    st.markdown(
        f"**{plain(case['case_code'])}** · {plain(case['gmina'])} · "
        f"{plain(vocab.CASE_KINDS.get(case['kind'], case['kind']))} · "
        f"etap: **{plain(case['stage_label'])}** · zgłoszona {fmt_date(case['referred_on'])}"
    )
    facts = [
        ("Zgoda", fmt_date(case["consent_on"])),
        ("Diagnoza", fmt_date(case["diagnosed_on"])),
        ("Plan pracy", fmt_date(case["plan_on"])),
        (
            "Kontrakt/projekt",
            f"{vocab.CONTRACT_KINDS.get(case['contract_kind'], '—')} "
            f"{fmt_date(case['contract_from'])}–{fmt_date(case['contract_to'])}",
        ),
        ("Ewaluacja", f"{vocab.EVALUATIONS.get(case['evaluation'], '—')} {fmt_date(case['evaluated_on'])}"),
        (
            "Zakończenie",
            f"{vocab.CLOSURE_REASONS.get(case['closure_reason'], '—')} {fmt_date(case['closed_on'])}",
        ),
        ("Monitoring po zakończeniu do", fmt_date(case["followup_until"])),
    ]
    st.markdown(" · ".join(f"{k}: {plain(v) or '—'}" for k, v in facts))
    st.markdown(f"Obszary problemowe: {', '.join(plain(p) for p in card['problems'].label) or '—'}")
    if case.get("main_goal"):
        st.markdown(f"Cel główny: {plain(case['main_goal'])}")
    if len(card["goals"]):
        st.markdown(
            "Cele szczegółowe: " + "; ".join(f"{n}. {plain(t)}" for n, t in enumerate(card["goals"].text, 1))
        )
    if len(card["tasks"]):
        _show(
            card["tasks"],
            ["description", "goal", "institution", "due_on", "done_on", "reports", "last_month"],
            "card_tasks",
            f"{case['case_code']}_zadania",
        )
    parts = [
        (
            "reports",
            ["report_month", "task", "institution", "progress", "reported_on", "note"],
            "sprawozdania",
        ),
        ("services", ["service", "institution", "from_on", "to_on"], "koszyk"),
        (
            "meetings",
            ["held_on", "meeting_kind", "institutions", "short_notice", "family_present", "decisions"],
            "spotkania",
        ),
    ]
    for name, columns, filename in parts:
        frame = card[name].rename(
            columns={"kind": "meeting_kind", "name": "service", "month": "report_month"}
        )
        if len(frame):
            with st.expander(f"{filename.capitalize()} ({len(frame)})"):
                _show(frame, columns, f"card_{name}", f"{case['case_code']}_{filename}")
