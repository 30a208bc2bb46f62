"""Sprawy: pseudonymous case monitoring — the case list, card and forms (ROPS staff), the summary (all)."""

from __future__ import annotations

import streamlit as st

from kooperacja.cases import stats as case_stats
from kooperacja.cases.card import case_card
from kooperacja.cases.core import STAGE_LABELS
from kooperacja.model import access
from kooperacja.ui import case_corrections as corrections
from kooperacja.ui import case_forms as opening
from kooperacja.ui import case_work_forms as work
from kooperacja.ui import data, documents, links, session, widgets
from kooperacja.ui.case_views import render_card, render_summary


def _steps(case: dict) -> list[tuple[str, object]]:
    """The forms a case's stage calls for, the next step first."""
    if case["stage"] == "closed":
        return [("Monitoring po zakończeniu wsparcia", work.followup_form)]
    team, plan = ("Spotkanie zespołu (GGK/ZZK)", opening.team_form), ("Karta planu pracy", opening.plan_form)
    if case["stage"] == "referred":
        return [("Diagnoza", opening.diagnosis_form), team, plan]
    if case["stage"] == "diagnosed":
        return [team, plan, ("Diagnoza (zmiana)", opening.diagnosis_form)]
    steps = [
        ("Kontrakt / projekt socjalny", work.contract_form),
        ("Indywidualny koszyk usług", work.services_form),
        ("Sprawozdanie miesięczne", None),
        ("Spotkanie monitorujące", work.monitoring_form),
        ("Kolejne spotkanie zespołu", opening.team_form),
        ("Ewaluacja", work.evaluation_form),
        ("Zakończenie sprawy", work.closure_form),
    ]
    if case["contract_kind"] is not None:
        steps.append(steps.pop(0))
    return steps


def _work_on(actor: access.Actor, card: dict, today) -> None:
    case = card["case"]
    st.subheader("Następne kroki")
    for n, (title, form) in enumerate(_steps(case)):
        with st.expander(title, expanded=n == 0):
            if form is None:
                work.report_form(actor, case, card["tasks"], today)
            else:
                form(actor, case, today)
    with st.expander("Popraw lub wycofaj zapisane spotkanie (GGK/ZZK, monitoring)"):
        corrections.meeting_form(actor, case, today)


def _select(actor: access.Actor, terc: str | None, rows) -> str | None:
    """The case to open, among those the table shows (a list of ~100,000 codes took 0.1 s a run).

    The open case stays open when its stage moves past the stage filter (somebody saved it meanwhile):
    a click on its form must never land on another case.
    """
    codes = list(rows.case_code.head(widgets.MAX_SHOWN))
    picked = st.session_state.get("case_pick")
    if picked not in codes:
        if picked is not None and (
            bool((rows.case_code == picked).any())
            or bool((data.case_list(actor, terc)[0].case_code == picked).any())
        ):
            codes.append(picked)
        elif codes:
            st.session_state["case_pick"] = codes[0]
        else:
            return None
    return st.selectbox("Sprawa", codes, key="case_pick", **widgets.SELECT)


def _cases(actor: access.Actor, today, pilot) -> None:
    conn = session.get_conn()
    gminy = {None: "Wszystkie gminy", **dict(zip(pilot.terc, pilot.gmina, strict=True))}
    jump = st.session_state.pop(opening.PICK_NEXT, None)
    if jump:
        st.session_state.update(cases_gmina=jump[2:9], cases_stage=None, case_pick=jump)
    left, right = st.columns(2)
    terc = left.selectbox("Gmina", list(gminy), format_func=gminy.get, key="cases_gmina", **widgets.SELECT)
    stages = {None: "Wszystkie etapy", **STAGE_LABELS}
    stage = right.selectbox("Etap", list(stages), format_func=stages.get, key="cases_stage", **widgets.SELECT)
    rows, view = data.case_list(actor, terc, stage)
    widgets.table(view, "cases_table", "sprawy")
    code = _select(actor, terc, rows)
    links.keep("sprawy", code)
    if code is None:
        st.info("Brak spraw dla wybranych filtrów.")
        return
    card = case_card(conn, actor, code)
    render_card(card)
    documents.case_buttons(actor, card)
    if access.can_edit_gmina(actor, card["case"]["terc"]):
        opening.changed_meanwhile(card["case"])
        _work_on(actor, card, today)
    else:
        st.caption("Tylko do odczytu: sprawę prowadzi animator innej gminy.")


def _linked(actor: access.Actor) -> list[str]:
    """The URL's case, if it is one of the cases (`links.seed` looks for it among what it is given):
    the page keeps the open case in the URL, so every run asked; building a set of the ~100,000
    codes for it took ~0.3 s a run nationally, comparing them in one pass takes a millisecond."""
    wanted = links.requested("sprawy")
    if wanted is None:
        return []
    codes = data.case_list(actor)[0].case_code
    return [wanted] if bool((codes == wanted).any()) else []


def render() -> None:
    actor = session.require_page("sprawy")
    today = session.today()
    st.title("Sprawy — praca z osobą, rodziną, grupą (GGK/ZZK)")
    st.caption("Sprawy są prowadzone pod kodem, bez danych osobowych.")
    opening.show_flash()
    if not access.can_read_cases(actor):
        links.seed("sprawy", (), refused=access.CASE_DETAILS_REFUSED)
        render_summary(actor)
        return
    if code := links.seed("sprawy", _linked(actor)):
        st.session_state[opening.PICK_NEXT] = code
    pilot = case_stats.pilot_gminy(session.get_conn())  # once a run: the three tabs pick gminy from it
    listing, new, summary = st.tabs(["Sprawy", "Nowa sprawa", "Podsumowanie ROPS"])
    with listing:
        _cases(actor, today, pilot)
    with new:
        mine = {t: g for t, g in zip(pilot.terc, pilot.gmina, strict=True) if access.can_edit_gmina(actor, t)}
        opening.register_form(actor, mine, today)
    with summary:
        render_summary(actor, pilot)


if __name__ == "__main__":  # run directly by the legacy pages/ mechanism: go to app.py
    from kooperacja.ui import nav

    nav.back_to_app("sprawy")
