"""One door: every refusal a form makes, the import makes for the same row, with the same reason.

Each case feeds one bad row through the form service and through parse_file + apply_import on a copy
of the demo, and checks the form's reason "Etykieta: powód", the import's error in that column with
that reason, and that neither door wrote anything.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from kooperacja import lku
from kooperacja.cases import core as cases
from kooperacja.cases import delivery, team
from kooperacja.exchange import apply, workbook
from kooperacja.exchange.mapping import REGISTRIES
from kooperacja.model.access import Actor
from kooperacja.model.errors import AccessDenied, InvalidInput
from kooperacja.programme import services as programme

TODAY = date(2026, 11, 24)  # the demo's pinned today
GMINA = "3401011"  # animator1's
OTHER = "3403011"  # animator2's
MOPS = 1  # seated in GMINA, an active PZK member there since 12.01.2026 (membership 1)
OUTSIDE = 68  # seated in 3402013, another powiat
SCHOOL = 3  # seated in GMINA, not in its PZK
PLANNED = "P-3401011-0001"  # plan, no evaluation, open; goals 1 and 2
OTHER_GOAL = 3  # a goal of P-3401011-0002
UNDIAGNOSED = "P-3401011-0019"
NEW_CASE = "P-3401011-0999"


def animator1(conn) -> Actor:
    gminy = conn.execute("SELECT terc FROM pilot_gmina WHERE animator = 'animator1'").fetchall()
    return Actor("animator1", "animator", frozenset(r[0] for r in gminy))


@dataclass(frozen=True)
class Refusal:
    table: str
    row: dict[str, Any]  # field → cell of the import file
    field: str  # the field (column) the reason is about
    reason: str  # the reason without the field's label
    form: Callable[[Any, Actor], Any] | None  # None: no form can even express the row
    denied: bool = False  # an access refusal: AccessDenied, "brak uprawnień: …" in the report


def _event(**change: Any) -> dict[str, Any]:
    return {"terc": GMINA, "substep": "5.1", "kind": "started", "event_on": "01.11.2026"} | change


def _step_form(substep="5.1", event_on=date(2026, 11, 1), recorded_by=None):
    return lambda conn, actor: programme.record_step_event(
        conn,
        actor,
        terc=GMINA,
        substep=substep,
        kind="started",
        event_on=event_on,
        today=TODAY,
        recorded_by=recorded_by,
    )


def _member_form(institution_id):
    return lambda conn, actor: programme.add_pzk_member(
        conn, actor, terc=GMINA, institution_id=institution_id, signed_on=date(2026, 3, 1), today=TODAY
    )


def _case(**change: Any) -> dict[str, Any]:
    return {"case_code": NEW_CASE, "terc": GMINA, "kind": "osoba", "referred_on": "01.03.2026"} | change


MOPS_NAME = "Miejski Ośrodek Pomocy Społecznej w Zawiślu"
REFUSALS = {
    "sub-step not in the gmina's template": Refusal(
        "step_event",
        _event(substep="9.9", recorded_by="animator1"),
        "substep",
        "9.9 nie występuje w harmonogramie gminy",
        _step_form(substep="9.9"),
    ),
    "region step recorded for a gmina": Refusal(
        "step_event",
        _event(substep="1.1", recorded_by="animator1"),
        "substep",
        "1.1 realizuje ROPS dla całego regionu",
        _step_form(substep="1.1"),
    ),
    "event in the future": Refusal(
        "step_event",
        _event(event_on="05.12.2026", recorded_by="animator1"),
        "event_on",
        "05.12.2026 jest w przyszłości",
        _step_form(event_on=date(2026, 12, 5)),
    ),
    "recorded by a user that does not exist": Refusal(
        "step_event",
        _event(recorded_by="ghost"),
        "recorded_by",
        "nie ma użytkownika ghost",
        _step_form(recorded_by="ghost"),
    ),
    "recorded by another user": Refusal(
        "step_event",
        _event(recorded_by="animator2"),
        "recorded_by",
        "Anna Nowakowska, animatorka (demo) wpisuje zdarzenia tylko we własnym imieniu",
        _step_form(recorded_by="animator2"),
    ),
    "PZK member seated outside the powiat": Refusal(
        "pzk_member",
        {"terc": GMINA, "institution_id": OUTSIDE, "signed_on": "01.03.2026"},
        "institution_id",
        "Miejsko-Gminny Ośrodek Pomocy Społecznej w Dębowej Woli ma siedzibę poza powiatem gminy "
        "Zawiśle (miejska) — do PZK należą instytucje gminy, jej powiatu i województwa",
        _member_form(OUTSIDE),
    ),
    "second active membership": Refusal(
        "pzk_member",
        {"terc": GMINA, "institution_id": MOPS, "signed_on": "01.03.2026"},
        "institution_id",
        f"{MOPS_NAME} już należy do PZK tej gminy",
        _member_form(MOPS),
    ),
    "leaving before signing": Refusal(
        "pzk_member",
        {"terc": GMINA, "institution_id": MOPS, "signed_on": "12.01.2026", "left_on": "01.12.2025"},
        "left_on",
        "01.12.2025 jest przed podpisaniem (12.01.2026)",
        lambda conn, actor: programme.leave_pzk(conn, actor, 1, date(2025, 12, 1), today=TODAY),
    ),
    "plan without a diagnosis": Refusal(
        "case_file",
        _case(plan_on="10.03.2026", main_goal="Usamodzielnienie"),
        "plan_on",
        "najpierw zapisz diagnozę sprawy",
        lambda conn, actor: team.save_plan(
            conn,
            actor,
            UNDIAGNOSED,
            plan_on=date(2026, 11, 20),
            main_goal="Usamodzielnienie",
            goals=["Praca"],
            tasks=[{"description": "Kurs", "goal": 0, "institution_id": None, "due_on": date(2026, 12, 20)}],
            today=TODAY,
        ),
    ),
    "goals achieved without an evaluation": Refusal(
        "case_file",
        _case(
            diagnosed_on="05.03.2026",
            problem_codes="ubostwo",
            plan_on="10.03.2026",
            closed_on="01.10.2026",
            closure_reason="goals_achieved",
        ),
        "closure_reason",
        "osiągnięcie celów stwierdza ewaluacja — zapisz ją najpierw (część C załącznika 6)",
        lambda conn, actor: delivery.close_case(
            conn, actor, PLANNED, closed_on=date(2026, 11, 20), reason="goals_achieved", today=TODAY
        ),
    ),
    "diagnosis without a problem area": Refusal(
        "case_file",
        _case(diagnosed_on="05.03.2026"),
        "problem_codes",
        "wskaż co najmniej jeden obszar",
        lambda conn, actor: cases.record_diagnosis(
            conn, actor, UNDIAGNOSED, diagnosed_on=date(2026, 11, 20), problems=[], today=TODAY
        ),
    ),
    "case of another animator's gmina": Refusal(
        "case_file",
        _case(case_code="P-3403011-0999", terc=OTHER),
        "terc",
        f"Użytkownik animator1 (animator współpracy) nie może zmieniać gminy o kodzie TERC {OTHER}.",
        lambda conn, actor: cases.register_case(
            conn, actor, terc=OTHER, kind="osoba", referred_on=date(2026, 11, 1), today=TODAY
        ),
        denied=True,
    ),
    "service without a problem area": Refusal(
        "service",
        {
            "institution_id": MOPS,
            "name": "Poradnictwo rodzinne",
            "category": "poradnictwo",
            "target_groups": "rodziny",
            "problem_areas": "",
            "level": "gmina",
            "area_terc": GMINA,
            "valid_from": "01.03.2026",
        },
        "problem_areas",
        "wybierz co najmniej jeden obszar",
        lambda conn, actor: lku.add_service(
            conn,
            actor,
            {
                "institution_id": MOPS,
                "name": "Poradnictwo rodzinne",
                "category": "poradnictwo",
                "target_groups": ["rodziny"],
                "problem_areas": [],
                "level": "gmina",
                "area_terc": GMINA,
                "valid_from": date(2026, 3, 1),
            },
        ),
    ),
    "service ending before it starts": Refusal(
        "service",
        {
            "institution_id": MOPS,
            "name": "Poradnictwo rodzinne",
            "category": "poradnictwo",
            "target_groups": "rodziny",
            "problem_areas": "ubostwo",
            "level": "gmina",
            "area_terc": GMINA,
            "valid_from": "01.03.2026",
            "valid_to": "28.02.2026",
        },
        "valid_to",
        "wcześniej niż początek ważności (01.03.2026)",
        lambda conn, actor: lku.add_service(
            conn,
            actor,
            {
                "institution_id": MOPS,
                "name": "Poradnictwo rodzinne",
                "category": "poradnictwo",
                "target_groups": ["rodziny"],
                "problem_areas": ["ubostwo"],
                "level": "gmina",
                "area_terc": GMINA,
                "valid_from": date(2026, 3, 1),
                "valid_to": date(2026, 2, 28),
            },
        ),
    ),
    "task linked to another case's goal": Refusal(
        "case_task",
        {"case_code": PLANNED, "goal_id": OTHER_GOAL, "description": "Kurs", "due_on": "20.12.2026"},
        "goal_id",
        f"cel nr {OTHER_GOAL} należy do innej sprawy (P-3401011-0002)",
        None,  # the plan form picks goals of its own case only
    ),
}


@pytest.fixture
def wh(demo_conn):
    return demo_conn


def _csv(table: str, rows: list[dict[str, Any]]) -> bytes:
    heads = REGISTRIES[table].headers()
    fields = list(dict.fromkeys(f for row in rows for f in row))
    lines = [";".join(heads[f] for f in fields)]
    lines += [";".join(str(row.get(f, "")) for f in fields) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def _counts(conn, table: str) -> tuple[int, int]:
    return tuple(conn.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0] for t in (table, "audit_log"))  # type: ignore[return-value]


def _import(conn, actor: Actor, table: str, rows: list[dict[str, Any]], mode: str = "all_or_nothing"):
    parsed = workbook.parse_file(_csv(table, rows), "plik.csv", table)
    assert not parsed.errors, parsed.errors  # the rows are well formed: only the warehouse refuses them
    return apply.apply_import(conn, actor, parsed, mode, today=TODAY)


@pytest.mark.parametrize("case", REFUSALS.values(), ids=REFUSALS.keys())
def test_the_form_and_the_import_refuse_the_same_row_with_the_same_reason(wh, case: Refusal):
    actor = animator1(wh)
    reg = REGISTRIES[case.table]
    column = reg.headers()[case.field]
    before = _counts(wh, case.table)
    if case.form is not None:
        with pytest.raises(AccessDenied if case.denied else InvalidInput) as exc:
            case.form(wh, actor)
        expected = case.reason if case.denied else f"{column}: {case.reason}"
        shown = [exc.value.message] if case.denied else exc.value.problems  # type: ignore[attr-defined]
        assert expected in shown
        assert _counts(wh, case.table) == before
    result = _import(wh, actor, case.table, [case.row])
    reason = f"brak uprawnień: {case.reason}" if case.denied else case.reason
    assert [(e.sheet, e.row, e.column, e.reason) for e in result.errors] == [(reg.sheet, 2, column, reason)]
    assert result.total_written == 0 and _counts(wh, case.table) == before


def test_an_earlier_row_of_the_file_counts_for_the_later_ones(wh):
    actor = animator1(wh)
    row = {"terc": GMINA, "institution_id": SCHOOL, "signed_on": "01.03.2026"}
    before = _counts(wh, "pzk_member")
    result = _import(wh, actor, "pzk_member", [row, row])
    assert [(e.row, e.column, e.reason) for e in result.errors] == [
        (3, "Instytucja", "Szkoła Podstawowa nr 1 w Zawiślu już należy do PZK tej gminy")
    ]
    assert _counts(wh, "pzk_member") == before
    result = _import(wh, actor, "pzk_member", [row, row], mode="valid_only")
    assert result.written == {"pzk_member": 1}


def test_a_good_row_passes_both_doors(wh):
    actor = animator1(wh)
    result = _import(wh, actor, "step_event", [_event(substep="5.2", recorded_by="animator1")])
    assert result.written == {"step_event": 1} and not result.errors
    _step_form(substep="6.1")(wh, actor)
