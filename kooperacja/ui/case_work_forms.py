"""Forms of the Sprawy page for a planned case: contract, basket, reports, monitoring, evaluation, closure."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from kooperacja.cases import delivery as case_delivery
from kooperacja.cases import team as case_team
from kooperacja.cases.card import to_date
from kooperacja.model import rules, vocab
from kooperacja.model.access import Actor
from kooperacja.model.formatting import fmt_date, fmt_month, row_tuples
from kooperacja.ui import saving, session, versions, widgets
from kooperacja.ui.case_forms import DATE, seen_version
from kooperacja.ui.text import plain


def contract_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys("contract")
    kind = st.selectbox(
        "Rodzaj",
        list(vocab.CONTRACT_KINDS),
        format_func=vocab.CONTRACT_KINDS.__getitem__,
        key=k("contract_kind"),
        placeholder=widgets.PICK,
    )
    start = st.date_input("Od", value=today, key=k("contract_from"), **DATE)
    end = st.date_input("Do", value=rules.add_months(today, 6), key=k("contract_to"), **DATE)
    version = seen_version(case, "contract")
    saving.submit(
        "contract",
        "Zapisz kontrakt/projekt",
        "contract_submit",
        lambda: case_delivery.set_contract(
            session.get_conn(),
            actor,
            case["case_code"],
            kind=kind,
            from_on=start,
            to_on=end,
            today=today,
            expected_version=version,
        ),
        saving.ok("Zapisano kontrakt/projekt socjalny."),
    )


def services_form(actor: Actor, case: dict, today: date) -> None:
    """The individual basket: services of the gmina's, powiat's and region's LKU valid on the day."""
    k = saving.keys(f"services/{case['case_code']}")
    start = st.date_input("Usługi od", value=today, key=k("services_from"), **DATE)
    offer = case_delivery.available_services(session.get_conn(), case["terc"], start)
    names = dict(zip(offer.service_id.astype(int), offer.name + " — " + offer.institution, strict=True))
    picked = st.multiselect(
        "Usługi z koszyka (gmina, powiat, region)",
        list(names),
        format_func=names.__getitem__,
        key=k("services_pick"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    form = f"services/{case['case_code']}"
    token = versions.form_token(form, start, picked)
    saving.submit(
        form,
        "Dodaj do koszyka",
        "services_submit",
        lambda: case_delivery.assign_services(
            session.get_conn(),
            actor,
            case["case_code"],
            service_ids=picked,
            from_on=start,
            today=today,
            form_token=token,
        ),
        lambda n: [("success", f"Dodano usług do koszyka: {n}.")],
    )


def report_form(actor: Actor, case: dict, tasks: pd.DataFrame, today: date) -> None:
    """Monthly progress on one task, recorded for the institution it is assigned to (attachment 7);
    a month already reported shows the saved report with its correction ("Popraw") instead."""
    if tasks.empty:
        st.info("Plan nie ma zadań.")
        return
    labels = {int(t.task_id): f"{t.description} — {t.institution}" for t in row_tuples(tasks)}
    task_id = st.selectbox(
        "Zadanie", list(labels), format_func=labels.__getitem__, key="report_task", placeholder=widgets.PICK
    )
    task = tasks.set_index("task_id").loc[task_id]
    plan_month = to_date(case["plan_on"]).replace(day=1)
    months = [m for m in (rules.add_months(today.replace(day=1), -k) for k in range(12)) if m >= plan_month]
    month = st.selectbox(
        "Miesiąc", months, format_func=fmt_month, key="report_month", placeholder=widgets.PICK
    )
    saved = case_delivery.saved_report(session.get_conn(), task_id, month)
    if saved is not None:
        _report_correction(actor, saved, today)
        return
    form = f"report/{task_id}/{month:%Y-%m}"  # one task's month: another task's report is another form
    k = saving.keys(form)
    progress = st.selectbox(
        "Postęp",
        list(vocab.REPORT_PROGRESS),
        format_func=vocab.REPORT_PROGRESS.__getitem__,
        key=k("report_progress"),
        placeholder=widgets.PICK,
    )
    note = st.text_input("Uwagi (bez danych osobowych)", key=k("report_note")) or None
    who: int | None = None if pd.isna(task.institution_id) else int(task.institution_id)
    token = versions.form_token(form, progress, note)
    saving.submit(
        form,
        "Zapisz sprawozdanie",
        "report_submit",
        lambda: case_delivery.record_monthly_report(
            session.get_conn(),
            actor,
            task_id,
            month=month,
            progress=progress,
            institution_id=who,
            today=today,
            note=note,
            form_token=token,
        ),
        saving.ok(f"Zapisano sprawozdanie za {fmt_month(month)}."),
    )


def _report_correction(actor: Actor, saved: dict, today: date) -> None:
    """The saved report of the month, with its correction and withdrawal (a reason for either)."""
    k = saving.keys("report_fix")
    rid, month = saved["report_id"], saved["month"]
    st.info(
        f"Sprawozdanie za {fmt_month(month)} już zapisano {fmt_date(saved['reported_on'])}: "
        f"postęp „{vocab.REPORT_PROGRESS.get(saved['progress'], saved['progress'])}”"
        + (f", uwagi: {plain(saved['note'])}" if saved["note"] else "")
        + ". Popraw je poniżej albo wycofaj, jeśli zapisano je przez pomyłkę."
    )
    version = versions.loaded("monthly_report", {rid: saved["row_version"]}).get(rid)
    progress = st.selectbox(
        "Postęp",
        list(vocab.REPORT_PROGRESS),
        index=list(vocab.REPORT_PROGRESS).index(saved["progress"]),
        format_func=vocab.REPORT_PROGRESS.__getitem__,
        key=k(f"report_fix_progress_{rid}"),
        placeholder=widgets.PICK,
    )
    reported_on = st.date_input(
        "Data sprawozdania", value=saved["reported_on"], key=k(f"report_fix_on_{rid}"), **DATE
    )
    note = st.text_input(
        "Uwagi (bez danych osobowych)", value=saved["note"] or "", key=k(f"report_fix_note_{rid}")
    )
    reason = saving.reason_input(k(f"report_fix_reason_{rid}"))
    left, right = st.columns(2)
    with left:
        saving.submit(
            "report_fix",
            "Popraw sprawozdanie",
            "report_fix_submit",
            lambda: case_delivery.correct_monthly_report(
                session.get_conn(),
                actor,
                rid,
                progress=progress,
                reported_on=reported_on,
                note=note or None,
                today=today,
                reason=reason,
                expected_version=version,
            ),
            saving.ok(f"Poprawiono sprawozdanie za {fmt_month(month)}."),
        )
    with right:
        saving.submit(
            "report_fix",
            "Wycofaj sprawozdanie",
            "report_withdraw_submit",
            lambda: case_delivery.withdraw_monthly_report(
                session.get_conn(), actor, rid, reason=reason, expected_version=version
            ),
            saving.ok(f"Wycofano sprawozdanie za {fmt_month(month)}."),
            kind="secondary",
        )


def monitoring_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys(f"monitoring/{case['case_code']}")
    held = st.date_input("Data spotkania monitorującego", value=today, key=k("mon_held"), **DATE)
    team = case_team.team_of(session.get_conn(), case["case_code"])
    picked = st.multiselect(
        "Instytucje obecne",
        list(team),
        format_func=team.__getitem__,
        key=k("mon_members"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    present = st.checkbox("Rodzina obecna", key=k("mon_family"))
    told = st.checkbox("Rodzinę poinformowano o ustaleniach", key=k("mon_told"))
    decisions = st.text_input("Ustalenia (bez danych osobowych)", key=k("mon_decisions")) or None
    form = f"monitoring/{case['case_code']}"
    token = versions.form_token(form, held, picked, present, told, decisions)
    saving.submit(
        form,
        "Zapisz spotkanie monitorujące",
        "mon_submit",
        lambda: case_delivery.record_monitoring_meeting(
            session.get_conn(),
            actor,
            case["case_code"],
            held_on=held,
            family_present=present,
            family_told=told,
            attendees=dict.fromkeys(picked),
            today=today,
            decisions=decisions,
            form_token=token,
        ),
        saving.ok("Zapisano spotkanie monitorujące."),
    )


def evaluation_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys("evaluation")
    on = st.date_input("Data ewaluacji", value=today, key=k("eval_on"), **DATE)
    result = st.selectbox(
        "Cel główny",
        list(vocab.EVALUATIONS),
        format_func=vocab.EVALUATIONS.__getitem__,
        key=k("eval_result"),
        placeholder=widgets.PICK,
    )
    note = st.text_input("Uwagi (część C załącznika 6, bez danych osobowych)", key=k("eval_note")) or None
    version = seen_version(case, "evaluation")
    saving.submit(
        "evaluation",
        "Zapisz ewaluację",
        "eval_submit",
        lambda: case_delivery.evaluate(
            session.get_conn(),
            actor,
            case["case_code"],
            evaluated_on=on,
            result=result,
            today=today,
            note=note,
            expected_version=version,
        ),
        saving.ok("Zapisano ewaluację."),
    )


def closure_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys("closure")
    on = st.date_input("Data zakończenia", value=today, key=k("close_on"), **DATE)
    reasons: dict[str | None, str] = {None: "— wybierz powód —", **dict(vocab.CLOSURE_REASONS.items())}
    reason = st.selectbox(
        "Powód zakończenia",
        list(reasons),
        format_func=reasons.__getitem__,
        key=k("close_reason"),
        placeholder=widgets.PICK,
    )
    version = seen_version(case, "closure")
    saving.submit(
        "closure",
        "Zakończ sprawę",
        "close_submit",
        lambda: case_delivery.close_case(
            session.get_conn(),
            actor,
            case["case_code"],
            closed_on=on,
            reason=reason,
            today=today,
            expected_version=version,
        ),
        saving.ok("Sprawę zakończono."),
    )


def followup_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys("followup")
    until = st.date_input(
        "Monitoring sytuacji do", value=today + timedelta(days=180), key=k("follow_until"), **DATE
    )
    note = st.text_input("Uwagi (bez danych osobowych)", key=k("follow_note")) or None
    version = seen_version(case, "followup")
    saving.submit(
        "followup",
        "Zapisz monitoring po zakończeniu",
        "follow_submit",
        lambda: case_delivery.record_followup(
            session.get_conn(),
            actor,
            case["case_code"],
            until=until,
            note=note,
            today=session.today(),
            expected_version=version,
        ),
        saving.ok("Zapisano monitoring po zakończeniu."),
    )
