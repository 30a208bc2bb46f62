"""The pure checks of one record against a small context: no warehouse, one Problem per refusal."""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja.cases.checks import (
    CaseFacts,
    CasesContext,
    check_case_file,
    check_case_task,
    check_monthly_report,
)
from kooperacja.lku_checks import ServiceContext, check_service
from kooperacja.model.access import Actor
from kooperacja.model.checks import Problem, refuse, texts
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import (
    CaseFile,
    CaseTask,
    MonthlyReport,
    PlanShift,
    PzkMember,
    Service,
    StepEvent,
)
from kooperacja.programme.checks import (
    Pilot,
    ProgrammeContext,
    check_plan_shift,
    check_pzk_member,
    check_step_event,
)

TODAY = date(2026, 11, 24)
GMINA = "3401011"
ANIMATOR = Actor("animator1", "animator", frozenset({GMINA}))
ADMIN = Actor("admin", "admin")


def programme_ctx() -> ProgrammeContext:
    return ProgrammeContext(
        TODAY,
        pilots={GMINA: Pilot(date(2025, 7, 10), date(2025, 7, 14), {"1.1": "region", "5.1": "gmina"})},
        users={"admin", "animator1", "animator2"},
        institutions={1: ("MOPS", GMINA), 2: ("PCPR", "3401"), 3: ("ROPS", "34"), 4: ("Obcy", "3402013")},
        active={(GMINA, 1)},
    )


def event(**change) -> StepEvent:
    data = {"terc": GMINA, "substep": "5.1", "kind": "started", "event_on": date(2026, 11, 1)}
    return StepEvent(**(data | {"recorded_by": "animator1"} | change))


STEP_CASES = {
    "good": ({}, ANIMATOR, []),
    "unknown substep": (
        {"substep": "9.9"},
        ANIMATOR,
        [("substep", "9.9 nie występuje w harmonogramie gminy")],
    ),
    "region step": ({"substep": "1.1"}, ANIMATOR, [("substep", "1.1 realizuje ROPS dla całego regionu")]),
    "future": ({"event_on": date(2026, 11, 25)}, ANIMATOR, [("event_on", "25.11.2026 jest w przyszłości")]),
    "before joining": (
        {"event_on": date(2025, 7, 1)},
        ANIMATOR,
        [("event_on", "01.07.2025 jest przed przystąpieniem gminy do pilotażu (10.07.2025)")],
    ),
    "not in pilot": ({"terc": "3499991"}, ADMIN, [("terc", "gmina 3499991 nie uczestniczy w pilotażu")]),
    "unknown user": ({"recorded_by": "ghost"}, ADMIN, [("recorded_by", "nie ma użytkownika ghost")]),
    "another user": (
        {"recorded_by": "animator2"},
        ANIMATOR,
        [("recorded_by", "animator1 wpisuje zdarzenia tylko we własnym imieniu")],
    ),
    "an admin enters another user's event": ({"recorded_by": "animator2"}, ADMIN, []),
}


@pytest.mark.parametrize("change, actor, expected", STEP_CASES.values(), ids=STEP_CASES.keys())
def test_check_step_event(change, actor, expected):
    found = check_step_event(event(**change), programme_ctx(), actor)
    assert [(p.field, p.message) for p in found] == expected


def member(**change) -> PzkMember:
    return PzkMember(**({"terc": GMINA, "institution_id": 2, "signed_on": date(2026, 3, 1)} | change))


MEMBER_CASES = {
    "powiat institution": ({}, []),
    "region institution": ({"institution_id": 3}, []),
    "outside the powiat": (
        {"institution_id": 4},
        [
            (
                "institution_id",
                "Obcy ma siedzibę poza powiatem gminy 3401011 — do PZK należą instytucje gminy, "
                "jej powiatu i województwa",
            )
        ],
    ),
    "already a member": ({"institution_id": 1}, [("institution_id", "MOPS już należy do PZK tej gminy")]),
    "a former membership may overlap": ({"institution_id": 1, "left_on": date(2026, 5, 1)}, []),
    "unknown institution": ({"institution_id": 9}, [("institution_id", "nie ma instytucji nr 9")]),
    "left before signing": (
        {"left_on": date(2026, 2, 1)},
        [("left_on", "01.02.2026 jest przed podpisaniem (01.03.2026)")],
    ),
    "signed in the future": (
        {"signed_on": date(2026, 12, 1)},
        [("signed_on", "01.12.2026 jest w przyszłości")],
    ),
}


@pytest.mark.parametrize("change, expected", MEMBER_CASES.values(), ids=MEMBER_CASES.keys())
def test_check_pzk_member(change, expected):
    assert [(p.field, p.message) for p in check_pzk_member(member(**change), programme_ctx())] == expected


def test_a_remembered_row_counts_for_the_next():
    ctx = programme_ctx()
    ctx.remember(member())
    assert [p.field for p in check_pzk_member(member(), ctx)] == ["institution_id"]


def cases_ctx() -> CasesContext:
    return CasesContext(
        TODAY,
        pilots={GMINA},
        cases={"P-3401011-0001": CaseFacts(GMINA, date(2026, 3, 10), None)},
        goal_case={1: "P-3401011-0001", 2: "P-3401011-0002"},
        task_case={7: "P-3401011-0001"},
    )


def case(**change) -> CaseFile:
    data = {"case_code": "P-3401011-0001", "terc": GMINA, "kind": "osoba", "referred_on": date(2026, 3, 1)}
    return CaseFile(**(data | change))


DIAGNOSED = {"diagnosed_on": date(2026, 3, 5), "plan_on": date(2026, 3, 10)}
NEED_PLAN = "najpierw zapisz plan pracy (kartę planu)"
CASE_CASES = {
    "referred": ({}, []),
    "plan without diagnosis": (
        {"plan_on": date(2026, 3, 10)},
        [("plan_on", "najpierw zapisz diagnozę sprawy")],
    ),
    "evaluation without plan": (
        {"evaluated_on": date(2026, 4, 1), "evaluation": "full"},
        [("evaluation", NEED_PLAN)],
    ),
    "contract without plan": ({"contract_kind": "kontrakt_socjalny"}, [("contract_kind", NEED_PLAN)]),
    "project for a person": (
        {**DIAGNOSED, "contract_kind": "projekt_socjalny"},
        [("contract_kind", "projekt socjalny nie dotyczy sprawy rodzaju „osoba”")],
    ),
    "contract before the plan": (
        {**DIAGNOSED, "contract_kind": "kontrakt_socjalny", "contract_from": date(2026, 3, 9)},
        [("contract_from", "wcześniej niż plan pracy (10.03.2026)")],
    ),
    "goals achieved without evaluation": (
        {**DIAGNOSED, "closed_on": date(2026, 10, 1), "closure_reason": "goals_achieved"},
        [
            (
                "closure_reason",
                "osiągnięcie celów stwierdza ewaluacja — zapisz ją najpierw (część C załącznika 6)",
            )
        ],
    ),
    "closed for no cooperation": (
        {**DIAGNOSED, "closed_on": date(2026, 10, 1), "closure_reason": "resigned"},
        [],
    ),
    "future": ({"referred_on": date(2026, 12, 1)}, [("referred_on", "01.12.2026 jest w przyszłości")]),
    "not in pilot": ({"terc": "3499991"}, [("terc", "gmina 3499991 nie uczestniczy w pilotażu")]),
}


@pytest.mark.parametrize("change, expected", CASE_CASES.values(), ids=CASE_CASES.keys())
def test_check_case_file(change, expected):
    assert [(p.field, p.message) for p in check_case_file(case(**change), cases_ctx())] == expected


@pytest.mark.parametrize(
    "goal_id, due_on, expected",
    [
        (1, date(2026, 4, 1), []),
        (None, date(2026, 4, 1), []),
        (2, date(2026, 4, 1), [("goal_id", "cel nr 2 należy do innej sprawy (P-3401011-0002)")]),
        (1, date(2026, 3, 1), [("due_on", "termin wcześniejszy niż data planu")]),
    ],
)
def test_check_case_task(goal_id, due_on, expected):
    task = CaseTask(case_code="P-3401011-0001", goal_id=goal_id, description="Kurs", due_on=due_on)
    assert [(p.field, p.message) for p in check_case_task(task, cases_ctx())] == expected


@pytest.mark.parametrize(
    "month, expected",
    [
        (date(2026, 11, 1), []),
        (date(2026, 12, 1), [("month", "12.2026 jeszcze się nie zaczął")]),
        (date(2026, 2, 1), [("month", "02.2026 jest przed planem pracy (10.03.2026)")]),
    ],
)
def test_check_monthly_report(month, expected):
    report = MonthlyReport(task_id=7, month=month, reported_on=TODAY, progress="on_track")
    assert [(p.field, p.message) for p in check_monthly_report(report, cases_ctx())] == expected


def test_the_form_joins_problems_with_the_field_label():
    problems = [Problem("substep", "9.9 nie występuje w harmonogramie gminy")]
    assert texts(StepEvent, problems) == ["Podkrok: 9.9 nie występuje w harmonogramie gminy"]
    with pytest.raises(InvalidInput, match=r"Podkrok: 9\.9"):
        refuse(StepEvent, problems)
    refuse(StepEvent, problems, only={"event_on"})  # a form refusing only what its change breaks


@pytest.mark.parametrize(
    "change, expected",
    [
        ({}, []),
        ({"problem_areas": []}, [("problem_areas", "wybierz co najmniej jeden obszar")]),
        ({"problem_areas": ["ubostwo", "xyz"]}, [("problem_areas", "nieznany obszar xyz")]),
        ({"category": "magia"}, [("category", "nieznana kategoria magia")]),
        ({"target_groups": ["smoki"]}, [("target_groups", "nieznana grupa smoki")]),
        ({"institution_id": 9}, [("institution_id", "nie ma instytucji nr 9")]),
    ],
)
def test_check_service(change, expected):
    data = {
        "institution_id": 1,
        "name": "Poradnictwo",
        "category": "poradnictwo",
        "target_groups": ["rodziny"],
        "problem_areas": ["ubostwo"],
        "level": "gmina",
        "area_terc": GMINA,
        "valid_from": date(2026, 1, 1),
    }
    ctx = ServiceContext(problem_areas={"ubostwo"}, institutions={1})
    assert [(p.field, p.message) for p in check_service(Service(**(data | change)), ctx)] == expected


def test_a_diagnosis_names_its_problem_areas_when_they_are_given():
    diagnosed = case(diagnosed_on=date(2026, 3, 5))
    assert check_case_file(diagnosed, cases_ctx()) == []  # a form changing another field
    assert check_case_file(diagnosed, cases_ctx(), ["ubostwo"]) == []
    assert check_case_file(diagnosed, cases_ctx(), []) == [
        Problem("problem_codes", "wskaż co najmniej jeden obszar")
    ]


def test_check_plan_shift():
    def shift(**change):
        return PlanShift(**({"terc": GMINA, "days": 30, "reason": "Wybory", "shifted_on": TODAY} | change))

    assert check_plan_shift(shift(), programme_ctx()) == []
    assert check_plan_shift(shift(substep="5.1"), programme_ctx()) == []
    assert check_plan_shift(shift(substep="9.9"), programme_ctx()) == [
        Problem("substep", "9.9 nie występuje w harmonogramie gminy")
    ]
    assert [p.field for p in check_plan_shift(shift(terc="3499991"), programme_ctx())] == ["terc"]
