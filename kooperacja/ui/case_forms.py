"""Forms of the Sprawy page that open a case: registration, diagnosis, the task team and the plan card."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import streamlit as st

from kooperacja.cases import core as cases
from kooperacja.cases import team as case_team
from kooperacja.model import vocab
from kooperacja.model.access import Actor
from kooperacja.programme import queries
from kooperacja.ui import errors, saving, session, versions, widgets
from kooperacja.ui.text import plain

PICK_NEXT = "cases_pick_next"  # the case to select on the next run (a widget's state is set before it exists)
show_flash = saving.show_flash  # pages/sprawy.py shows the messages of a save on top


DATE = widgets.DATE  # st.date_input(..., **DATE)


def seen_version(case: dict, form: str) -> int | None:
    """The case's row_version as the user's screen showed it (a save over a newer one is refused).

    Call it on every run of the form, not only when it is submitted; `form` keeps forms apart.
    """
    code = case["case_code"]
    return versions.loaded(f"case_file/{form}", {code: case.get("row_version")}).get(code)


def changed_meanwhile(case: dict) -> None:
    """Say who changed the open case since the user's last screen when its stage moved.

    The forms follow the stage: after somebody else closed the case, the closure form is gone, so the
    user's click on "Zakończ sprawę" would otherwise be lost without a word.
    """
    code = case["case_code"]
    before = versions.previous("case_file/stage", code, case["stage"])
    if before is not None and before != case["stage"]:
        errors.show(cases.changed_by(session.get_conn(), code))


def _areas() -> dict[str, str]:
    return cases.list_problem_areas(session.get_conn())


def register_form(actor: Actor, gminy: dict[str, str], today: date) -> None:
    """A new case under a generated code (never a name)."""
    k = saving.keys("case")
    if not gminy:
        st.info("Nie opiekujesz się żadną gminą w pilotażu.")
        return
    terc = st.selectbox(
        "Gmina", list(gminy), format_func=gminy.__getitem__, key="new_gmina", placeholder=widgets.PICK
    )
    kind = st.selectbox(
        "Rodzaj",
        list(vocab.CASE_KINDS),
        format_func=vocab.CASE_KINDS.__getitem__,
        key=k("new_kind"),
        placeholder=widgets.PICK,
    )
    referred = st.date_input("Data zgłoszenia", value=today, key=k("new_referred"), **DATE)
    consent = st.date_input("Data zgody na udział (opcjonalnie)", value=None, key=k("new_consent"), **DATE)
    areas = _areas()
    problems = st.multiselect(
        "Obszary problemowe (jeśli już znane)",
        list(areas),
        format_func=areas.__getitem__,
        key=k("new_problems"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    st.caption("Kod sprawy nada system (P-TERC-numer). Nie wpisuj danych osobowych w żadnym polu.")
    token = versions.form_token("case", terc, kind, referred, consent, problems)

    def done(code: str) -> list[tuple[str, str]]:
        st.session_state[PICK_NEXT] = code
        return [("success", f"Zarejestrowano sprawę {code}.")]

    saving.submit(
        "case",
        "Zarejestruj sprawę",
        "new_submit",
        lambda: cases.register_case(
            session.get_conn(),
            actor,
            terc=terc,
            kind=kind,
            referred_on=referred,
            consent_on=consent,
            problems=problems,
            today=today,
            form_token=token,
        ),
        done,
    )


def diagnosis_form(actor: Actor, case: dict, today: date) -> None:
    k = saving.keys("diagnosis")
    areas = _areas()
    on = st.date_input("Data diagnozy", value=today, key=k("diag_on"), **DATE)
    problems = st.multiselect(
        "Zdiagnozowane obszary problemowe",
        list(areas),
        format_func=areas.__getitem__,
        key=k("diag_problems"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    version = seen_version(case, "diagnosis")
    saving.submit(
        "diagnosis",
        "Zapisz diagnozę",
        "diag_submit",
        lambda: cases.record_diagnosis(
            session.get_conn(),
            actor,
            case["case_code"],
            diagnosed_on=on,
            problems=problems,
            today=today,
            expected_version=version,
        ),
        saving.ok("Zapisano diagnozę."),
    )


def team_form(actor: Actor, case: dict, today: date) -> None:
    """Convene the GGK/ZZK: PZK members on the meeting day, each with the day it was notified."""
    k = saving.keys(f"team/{case['case_code']}")
    held = st.date_input("Data spotkania zespołu", value=today, key=k("team_held"), **DATE)
    members = queries.pzk_on(session.get_conn(), case["terc"], held)
    names = dict(zip(members.institution_id.astype(int), members.name, strict=True))
    picked = st.multiselect(
        "Instytucje z PZK (stan na dzień spotkania)",
        list(names),
        format_func=names.__getitem__,
        key=k("team_members"),
        placeholder=widgets.PICK,
        select_all=False,
    )
    notified = {
        i: st.date_input(
            f"Powiadomiono: {plain(names[i])}",
            value=held - timedelta(days=7),
            key=k(f"team_notified_{i}"),
            **DATE,
        )
        for i in picked
    }
    present = st.checkbox("Rodzina obecna na spotkaniu", key=k("team_family"))
    agenda = st.text_input("Porządek spotkania (bez danych osobowych)", key=k("team_agenda")) or None
    token = versions.form_token(f"team/{case['case_code']}", held, notified, present, agenda)

    def done(result: tuple[int, list[str]]) -> list[tuple[str, str]]:
        return [("success", "Zapisano spotkanie zespołu.")] + [("warning", plain(w)) for w in result[1]]

    saving.submit(
        f"team/{case['case_code']}",
        "Zapisz spotkanie zespołu",
        "team_submit",
        lambda: case_team.convene_team(
            session.get_conn(),
            actor,
            case["case_code"],
            held_on=held,
            attendees=notified,
            today=today,
            agenda=agenda,
            family_present=present,
            form_token=token,
        ),
        done,
    )


def plan_form(actor: Actor, case: dict, today: date) -> None:
    """The work plan card: main goal, specific goals (one a line), tasks for the team or the family."""
    k = saving.keys(f"plan/{case['case_code']}")
    team = case_team.team_of(session.get_conn(), case["case_code"])
    if not team:
        st.info("Najpierw zapisz spotkanie zespołu (GGK/ZZK): zadania przydziela się jego instytucjom.")
        return
    plan_on = st.date_input("Data planu pracy", value=today, key=k("plan_on"), **DATE)
    main = st.text_input("Cel główny", key=k("plan_main_goal"))
    goals = [
        g.strip()
        for g in st.text_area("Cele szczegółowe (jeden w wierszu)", key=k("plan_goals")).splitlines()
        if g.strip()
    ]
    count = st.number_input("Liczba zadań", min_value=1, max_value=10, value=2, key=k("plan_task_count"))
    who: dict[Any, str] = {None: "rodzina / osoba", **team}
    goal_options: list[Any] = list(range(len(goals))) or [None]
    tasks = []
    for i in range(int(count)):
        cols = st.columns([3, 2, 2, 1])
        tasks.append(
            {
                "description": cols[0].text_input(f"Zadanie {i + 1}", key=k(f"plan_task_desc_{i}")),
                "goal": cols[1].selectbox(
                    "Cel",
                    goal_options,
                    key=k(f"plan_task_goal_{i}"),
                    format_func=lambda g: "—" if g is None else f"{g + 1}. {goals[g][:40]}",
                    placeholder=widgets.PICK,
                ),
                "institution_id": cols[2].selectbox(
                    "Kto",
                    list(who),
                    format_func=who.__getitem__,
                    key=k(f"plan_task_who_{i}"),
                    placeholder=widgets.PICK,
                ),
                "due_on": cols[3].date_input(
                    "Termin", value=today + timedelta(days=90), key=k(f"plan_task_due_{i}"), **DATE
                ),
            }
        )
    version = seen_version(case, "plan")
    token = versions.form_token(f"plan/{case['case_code']}", plan_on, main, goals, tasks)
    saving.submit(
        f"plan/{case['case_code']}",
        "Zapisz kartę planu pracy",
        "plan_submit",
        lambda: case_team.save_plan(
            session.get_conn(),
            actor,
            case["case_code"],
            plan_on=plan_on,
            main_goal=main,
            goals=goals,
            tasks=tasks,
            today=today,
            expected_version=version,
            form_token=token,
        ),
        saving.ok("Zapisano plan pracy."),
    )
