"""The task team of a case (GGK/ZZK) and its work plan card: who sits in it, the 5-day notice, the plan."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import duckdb

from kooperacja.cases.checks import CaseFacts, CasesContext, check_case_task
from kooperacja.cases.core import case_change_problems, load_case, parse_nth, refuse_future
from kooperacja.cases.counts import refresh_case_counts
from kooperacja.model import rules
from kooperacja.model.access import Actor, require_edit_gmina
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import CaseFile, CaseGoal, CaseTask, Meeting, MeetingAttendee
from kooperacja.model.vocab import TASK_TEAM
from kooperacja.programme.queries import pzk_on
from kooperacja.warehouse import transaction
from kooperacja.warehouse.store import idempotent, insert, update


def institution_name(conn: duckdb.DuckDBPyConnection, institution_id: int) -> str:
    """The institution's name for a refusal ("instytucja nr 7" when there is none)."""
    rows = conn.cursor().execute("SELECT name FROM institution WHERE institution_id = ?", [institution_id])
    found = rows.fetchall()
    return found[0][0] if found else f"instytucja nr {institution_id}"


def gmina_name(conn: duckdb.DuckDBPyConnection, terc: str) -> str:
    found = conn.cursor().execute("SELECT name FROM gmina WHERE terc = ?", [terc]).fetchall()
    return found[0][0] if found else terc


def team_name(cur: duckdb.DuckDBPyConnection, terc: str) -> str:
    rows = cur.execute("SELECT variant FROM pilot_gmina WHERE terc = ?", [terc]).fetchall()
    return TASK_TEAM[rows[0][0]] if rows else "GGK"


def _notice_warning(name: str, held_on: date, notified_on: date) -> str | None:
    short = rules.notice_short_days(held_on, notified_on)
    if not short:
        return None
    days = rules.GGK_NOTICE_DAYS - short
    when = "w dniu spotkania" if days == 0 else f"{rules.days_pl(days)} przed"
    return f"{name}: powiadomiono {when} (wymagane {rules.GGK_NOTICE_DAYS} dni)"


def check_attendees(
    conn: duckdb.DuckDBPyConnection,
    case: dict[str, Any],
    held_on: date,
    attendees: Mapping[int, date | None],
    team: str,
    need_notice: bool,
) -> dict[int, str]:
    """Names of the attendees, each checked to be in the gmina's PZK on the meeting day."""
    if not attendees:
        raise InvalidInput([f"Skład {team}: wybierz co najmniej jedną instytucję z PZK"])
    members = pzk_on(conn, case["terc"], held_on)
    names = dict(zip(members.institution_id.astype(int), members.name, strict=True))
    problems = []
    for institution_id, notified_on in attendees.items():
        if institution_id not in names:
            problems.append(
                f"Skład {team}: {institution_name(conn, institution_id)} nie należała do PZK gminy "
                f"{gmina_name(conn, case['terc'])} w dniu {held_on:%d.%m.%Y}"
            )
        elif need_notice and notified_on is None:
            problems.append(f"Data powiadomienia: podaj, kiedy powiadomiono {names[institution_id]}")
        elif notified_on and notified_on > held_on:
            problems.append(f"Data powiadomienia: {names[institution_id]} — później niż data spotkania")
    if problems:
        raise InvalidInput(problems)
    return names


def insert_meeting(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    case: dict[str, Any],
    data: dict[str, Any],
    attendees: Mapping[int, date | None],
) -> int:
    require_edit_gmina(actor, case["terc"])  # callers check too; a helper with an actor checks itself
    record = Meeting.parse({"terc": case["terc"], "case_code": case["case_code"], **data})
    meeting_id = insert(cur, actor.username, record)
    for institution_id, notified_on in attendees.items():
        insert(
            cur,
            actor.username,
            MeetingAttendee(meeting_id=meeting_id, institution_id=institution_id, notified_on=notified_on),
            terc=case["terc"],
        )
    return meeting_id


@idempotent
def convene_team(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    held_on: date,
    attendees: Mapping[int, date | None],
    today: date,
    agenda: str | None = None,
    decisions: str | None = None,
    family_present: bool | None = None,
    form_token: str | None = None,
) -> tuple[int, list[str]]:
    """A GGK/ZZK meeting of PZK institutions for the case; returns its id and the 5-day warnings.

    A short notice is reported, not refused: the meeting happened and the ROPS must see the breach.
    """
    case = load_case(conn, actor, case_code)
    team = team_name(conn.cursor(), case["terc"])
    if held_on < case["referred_on"]:
        raise InvalidInput(
            [f"Data spotkania: wcześniejsza niż zgłoszenie sprawy ({case['referred_on']:%d.%m.%Y})"]
        )
    for notified_on in attendees.values():
        if notified_on:
            refuse_future("Data powiadomienia", notified_on, today)
    names = check_attendees(conn, case, held_on, attendees, team, need_notice=True)
    warnings = [w for i, n in attendees.items() if n and (w := _notice_warning(names[i], held_on, n))]
    with transaction(conn) as cur:
        meeting_id = insert_meeting(
            cur,
            actor,
            case,
            {
                "kind": "ggk",
                "held_on": held_on,
                "agenda": agenda,
                "decisions": decisions,
                "family_present": family_present,
            },
            attendees,
        )
    return meeting_id, warnings


TEAM = """
SELECT DISTINCT a.institution_id, i.name
FROM meeting m JOIN meeting_attendee a USING (meeting_id) JOIN institution i USING (institution_id)
WHERE m.case_code = ? AND m.kind = 'ggk'
ORDER BY i.name
"""


def team_of(conn: duckdb.DuckDBPyConnection, case_code: str) -> dict[int, str]:
    """Institutions that sat in the case's GGK/ZZK meetings: who may carry its tasks."""
    return dict(conn.cursor().execute(TEAM, [case_code]).fetchall())


@idempotent
def save_plan(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    case_code: str,
    *,
    plan_on: date,
    main_goal: str,
    goals: Sequence[str],
    tasks: Sequence[Mapping[str, Any]],
    today: date,
    expected_version: int | None = None,
    form_token: str | None = None,
) -> None:
    """The work plan card (attachment 6): main goal, specific goals, tasks with institution and due date.

    Each task is {"description", "goal" (index into `goals` or None), "institution_id" (None: the
    family itself), "due_on"}; its institution must sit in the case's task team.
    """
    case = load_case(conn, actor, case_code)
    problems = []
    if case["plan_on"] is not None:
        problems.append(f"Data planu pracy: plan sprawy zapisano już {case['plan_on']:%d.%m.%Y}")
    problems += case_change_problems(conn.cursor(), case, {"plan_on": plan_on, "main_goal": main_goal}, today)
    if not goals:
        problems.append("Cel szczegółowy: podaj co najmniej jeden cel")
    if not tasks:
        problems.append("Zadanie: podaj co najmniej jedno zadanie")
    if problems:
        raise InvalidInput(problems)
    team = team_of(conn, case_code)
    planned = CasesContext(today, cases={case_code: CaseFacts(case["terc"], plan_on, None)})
    goal_records = [
        parse_nth(CaseGoal, {"case_code": case_code, "text": g}, "text", n)
        for n, g in enumerate(goals, start=1)
    ]
    task_rows = []
    for n, task in enumerate(tasks, start=1):
        who = task.get("institution_id")
        if who is not None and who not in team:
            raise InvalidInput(
                [
                    f"Zadanie {n}: instytucja {institution_name(conn, who)} nie jest w zespole sprawy "
                    "(zwołaj ją na spotkanie zespołu)"
                ]
            )
        goal = task.get("goal")
        if goal is not None and not 0 <= goal < len(goals):
            raise InvalidInput([f"Zadanie {n}: nie ma celu szczegółowego nr {goal + 1}"])
        record = parse_nth(
            CaseTask,
            {
                "case_code": case_code,
                "description": task.get("description"),
                "institution_id": who,
                "due_on": task.get("due_on"),
            },
            "description",
            n,
        )
        found = check_case_task(record, planned)  # type: ignore[arg-type]
        if found:
            raise InvalidInput([f"Zadanie {n}: {p.message}" for p in found])
        task_rows.append((goal, record))
    with transaction(conn) as cur:
        update(
            cur,
            actor.username,
            CaseFile,
            case_code,
            {"plan_on": plan_on, "main_goal": main_goal},
            expected_version,
        )
        goal_ids = [insert(cur, actor.username, g, terc=case["terc"]) for g in goal_records]
        for goal, record in task_rows:
            record = record.model_copy(update={"goal_id": None if goal is None else goal_ids[goal]})
            insert(cur, actor.username, record, terc=case["terc"])
        refresh_case_counts(cur, [case_code])
