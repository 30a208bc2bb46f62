"""The pure checks as a correction uses them: the corrected record keeps its author, refusals name
the gmina and the person (not a TERC, not a login), a context built by hand falls back to codes."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from kooperacja.model.access import Actor
from kooperacja.model.records import PzkMember, StepEvent
from kooperacja.programme.checks import Pilot, ProgrammeContext, check_pzk_member, check_step_event

TODAY = date(2026, 11, 24)
GMINA = "3401011"
ANIMATOR = Actor("animator1", "animator", frozenset({GMINA}))
CTX = ProgrammeContext(
    TODAY,
    pilots={GMINA: Pilot(date(2025, 7, 10), date(2025, 7, 14), {"5.1": "gmina"})},
    users={"admin", "animator1"},
    institutions={1: ("MOPS", GMINA), 4: ("Obcy", "3402013")},
    active={(GMINA, 1)},
    names={GMINA: "Zawiśle (miejska)", "3499991": "Nowa Wieś (wiejska)"},
    people={"animator1": "Anna Nowakowska", "admin": "Koordynator ROPS"},
)


def event(**change) -> StepEvent:
    data = {"terc": GMINA, "substep": "5.1", "kind": "started", "event_on": date(2026, 11, 1)}
    return StepEvent(**(data | {"recorded_by": "admin"} | change))


def test_a_corrected_event_keeps_its_author_whoever_corrects_it():
    saved = event()  # the admin entered it; the gmina's animator corrects it
    assert check_step_event(event(kind="completed"), CTX, ANIMATOR, saved=saved) == []
    assert check_step_event(event(kind="completed"), CTX, ANIMATOR) != []  # a new one in another's name


def test_a_correction_changing_the_author_is_checked_and_names_the_person():
    saved = event(recorded_by="animator1")
    problems = check_step_event(event(recorded_by="admin"), CTX, ANIMATOR, saved=saved)
    assert [(p.field, p.message) for p in problems] == [
        ("recorded_by", "Anna Nowakowska wpisuje zdarzenia tylko we własnym imieniu")
    ]


def test_a_correction_meets_the_dates_of_a_new_event():
    problems = check_step_event(event(event_on=date(2026, 12, 1)), CTX, ANIMATOR, saved=event())
    assert [p.message for p in problems] == ["01.12.2026 jest w przyszłości"]


def test_refusals_name_the_gmina_and_fall_back_to_its_code():
    not_in_pilot = check_step_event(event(terc="3499991"), CTX, Actor("admin", "admin"))
    assert not_in_pilot[-1].message == "gmina Nowa Wieś (wiejska) nie uczestniczy w pilotażu"
    unnamed = check_step_event(event(terc="3499992"), replace(CTX, names={}), Actor("admin", "admin"))
    assert unnamed[-1].message == "gmina 3499992 nie uczestniczy w pilotażu"
    far = check_pzk_member(PzkMember(terc=GMINA, institution_id=4, signed_on=date(2026, 1, 2)), CTX)
    assert far[0].message.startswith("Obcy ma siedzibę poza powiatem gminy Zawiśle (miejska)")


def test_a_corrected_membership_left_out_of_the_context_is_not_its_own_duplicate():
    record = PzkMember(terc=GMINA, institution_id=1, signed_on=date(2026, 1, 13))
    assert [p.message for p in check_pzk_member(record, CTX)] == ["MOPS już należy do PZK tej gminy"]
    assert check_pzk_member(record, replace(CTX, active=set())) == []
