"""Pure checks of programme records (step events, PZK memberships) against a small context.

The forms load the context for one record, the importer once per file (then grows it with the file's
rows): both doors refuse the same rows with the same reasons.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from kooperacja.model import rules
from kooperacja.model.access import Actor, can_record_for
from kooperacja.model.checks import Problem, future
from kooperacja.model.records import PlanShift, PzkMember, StepEvent


@dataclass(frozen=True)
class Pilot:
    """A pilot gmina as the checks see it: when it joined, when its plan starts, its template's substeps."""

    joined_on: date
    plan_start: date
    levels: Mapping[str, str]  # substep → "gmina" or "region"


@dataclass
class ProgrammeContext:
    today: date
    pilots: dict[str, Pilot] = field(default_factory=dict)
    users: set[str] = field(default_factory=set)
    institutions: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (name, seat TERC)
    active: set[tuple[str, int]] = field(default_factory=set)  # (gmina, institution) not yet left
    names: dict[str, str] = field(default_factory=dict)  # TERC → "Zawiśle (miejska)", for the refusals
    people: dict[str, str] = field(default_factory=dict)  # username → display name, for the refusals

    def gmina(self, terc: str) -> str:
        """How a refusal names a gmina: its name and kind (namesakes differ in kind), else its TERC."""
        return self.names.get(terc, terc)

    def remember(self, record: Any) -> None:
        """A row accepted earlier in the same file counts for the rows after it."""
        if record.TABLE == "institution" and record.institution_id is not None:
            self.institutions[record.institution_id] = (record.name, record.seat_terc)
        elif record.TABLE == "pzk_member" and record.left_on is None:
            self.active.add((record.terc, record.institution_id))


def load_programme_context(
    cur: duckdb.DuckDBPyConnection,
    today: date,
    *,
    terc: str | None = None,
    institution_id: int | None = None,
    excluding: int | None = None,
) -> ProgrammeContext:
    """The context of one gmina and one institution (a form), or of all of them (an import: `None`);
    a key matching nothing ("" or 0) loads none of that kind. `excluding`: the membership being
    corrected, which must not count as the institution's other, current membership."""
    steps: dict[tuple[int, int], dict[str, str]] = {}
    for template_id, version, substep, level in cur.execute(
        "SELECT template_id, version, substep, level FROM template_step"
    ).fetchall():
        steps.setdefault((template_id, version), {})[substep] = level
    pilots = {
        t: Pilot(joined, start, steps.get((tid, ver), {}))
        for t, joined, start, tid, ver in cur.execute(
            "SELECT terc, joined_on, plan_start, template_id, template_version FROM pilot_gmina "
            "WHERE $terc IS NULL OR terc = $terc",
            {"terc": terc},
        ).fetchall()
    }
    institutions = {
        i: (name, seat)
        for i, name, seat in cur.execute(
            "SELECT institution_id, name, seat_terc FROM institution "
            "WHERE $id IS NULL OR institution_id = $id",
            {"id": institution_id},
        ).fetchall()
    }
    active = set(
        cur.execute(
            "SELECT terc, institution_id FROM pzk_member WHERE left_on IS NULL "
            "AND ($terc IS NULL OR terc = $terc) AND ($id IS NULL OR institution_id = $id) "
            "AND membership_id IS DISTINCT FROM $excluding",
            {"terc": terc, "id": institution_id, "excluding": excluding},
        ).fetchall()
    )
    people = dict(cur.execute("SELECT username, display_name FROM app_user").fetchall())
    names = dict(
        cur.execute(
            "SELECT terc, name || ' (' || kind || ')' FROM gmina WHERE $terc IS NULL OR terc = $terc",
            {"terc": terc},
        ).fetchall()
    )
    return ProgrammeContext(today, pilots, set(people), institutions, active, names, people)


def _not_in_pilot(terc: str, ctx: ProgrammeContext) -> Problem:
    return Problem("terc", f"gmina {ctx.gmina(terc)} nie uczestniczy w pilotażu")


def _substep_problems(substep: str, pilot: Pilot) -> list[Problem]:
    if substep not in pilot.levels:
        return [Problem("substep", f"{substep} nie występuje w harmonogramie gminy")]
    return []


def check_plan_shift(record: PlanShift, ctx: ProgrammeContext) -> list[Problem]:
    """A shift of a pilot gmina's plan, from one of its template's sub-steps (or the whole plan)."""
    pilot = ctx.pilots.get(record.terc)
    if pilot is None:
        return [_not_in_pilot(record.terc, ctx)]
    return [] if record.substep is None else _substep_problems(record.substep, pilot)


def check_step_event(
    record: StepEvent, ctx: ProgrammeContext, actor: Actor, saved: StepEvent | None = None
) -> list[Problem]:
    """A started/completed sub-step: in the gmina's template, not a region step, not before joining,
    not in the future, written by the actor (an admin may write for another existing user).

    `saved`: the event as stored, when `record` is its correction; the event keeps its author then
    (the corrector is in the audit trail), so only a change of author is checked.
    """
    problems = future("event_on", record.event_on, ctx.today)
    who = record.recorded_by
    kept = saved is not None and who == saved.recorded_by
    if not kept and who != actor.username and who not in ctx.users:
        problems.append(Problem("recorded_by", f"nie ma użytkownika {who}"))
    elif not kept and not can_record_for(actor, who):
        name = ctx.people.get(actor.username, actor.username)
        problems.append(Problem("recorded_by", f"{name} wpisuje zdarzenia tylko we własnym imieniu"))
    if record.terc is None:
        return problems
    pilot = ctx.pilots.get(record.terc)
    if pilot is None:
        return [*problems, _not_in_pilot(record.terc, ctx)]
    problems += _substep_problems(record.substep, pilot)
    if pilot.levels.get(record.substep) == "region":
        problems.append(Problem("substep", f"{record.substep} realizuje ROPS dla całego regionu"))
    if record.event_on < pilot.joined_on and record.event_on < pilot.plan_start:
        problems.append(
            Problem(
                "event_on",
                f"{record.event_on:%d.%m.%Y} jest przed przystąpieniem gminy "
                f"do pilotażu ({pilot.joined_on:%d.%m.%Y})",
            )
        )
    elif record.event_on < (earliest := rules.earliest_step_event(pilot.joined_on, pilot.plan_start)):
        problems.append(
            Problem(
                "event_on",
                f"{record.event_on:%d.%m.%Y} jest ponad {rules.days_pl(rules.STEP_EVENT_LEAD_DAYS)} przed "
                f"startem planu gminy ({pilot.plan_start:%d.%m.%Y}); najwcześniej {earliest:%d.%m.%Y}",
            )
        )
    return problems


def seat_in_reach(seat: str, terc: str) -> bool:
    """A PZK gathers institutions of the gmina, of its powiat and of its województwo."""
    return seat[:4] == terc[:4] or (len(seat) == 2 and seat == terc[:2])


def check_pzk_member(record: PzkMember, ctx: ProgrammeContext) -> list[Problem]:
    """A membership: a pilot gmina, an institution within reach and not already in, dates in order."""
    problems = future("signed_on", record.signed_on, ctx.today) + future("left_on", record.left_on, ctx.today)
    if record.left_on and record.left_on < record.signed_on:
        problems.append(
            Problem(
                "left_on", f"{record.left_on:%d.%m.%Y} jest przed podpisaniem ({record.signed_on:%d.%m.%Y})"
            )
        )
    if record.terc not in ctx.pilots:
        problems.append(_not_in_pilot(record.terc, ctx))
    inst = ctx.institutions.get(record.institution_id)
    if inst is None:
        return [*problems, Problem("institution_id", f"nie ma instytucji nr {record.institution_id}")]
    name, seat = inst
    if not seat_in_reach(seat, record.terc):
        problems.append(
            Problem(
                "institution_id",
                f"{name} ma siedzibę poza powiatem gminy {ctx.gmina(record.terc)} "
                "— do PZK należą instytucje gminy, jej powiatu i województwa",
            )
        )
    if record.left_on is None and (record.terc, record.institution_id) in ctx.active:
        problems.append(Problem("institution_id", f"{name} już należy do PZK tej gminy"))
    return problems
