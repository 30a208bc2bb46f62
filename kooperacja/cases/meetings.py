"""Corrections of a case's meetings (GGK/ZZK and monitoring): edit with the attendance, or withdraw.

Both take a reason and run the checks the meeting's own form runs (cases/team.py, cases/delivery.py);
each attendee added, changed or taken off is a row of the audit trail of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import duckdb

from kooperacja.cases.core import refuse_future
from kooperacja.cases.team import _notice_warning, check_attendees, team_name
from kooperacja.model.access import Actor, require_edit_gmina, require_write_data
from kooperacja.model.errors import InvalidInput
from kooperacja.model.records import Meeting, MeetingAttendee, correction_reason
from kooperacja.warehouse import audit, fetch_dicts, transaction
from kooperacja.warehouse.store import delete, get_row, insert, update

CASE_MEETINGS = ("ggk", "monitoring")
TOLD = "Rodzinę poinformowano o ustaleniach."
ATTENDEES = "SELECT * FROM meeting_attendee WHERE meeting_id = ? ORDER BY institution_id"
# Institutions carrying a task of the case's plan that sit in no other GGK/ZZK meeting of the case.
TASK_HOLDERS = """
SELECT DISTINCT t.institution_id, i.name FROM case_task t JOIN institution i USING (institution_id)
WHERE t.case_code = $code AND NOT EXISTS (
    SELECT 1 FROM meeting m JOIN meeting_attendee a USING (meeting_id)
    WHERE m.case_code = $code AND m.kind = 'ggk' AND m.meeting_id <> $meeting
      AND a.institution_id = t.institution_id)
ORDER BY i.name
"""


def case_meetings(conn: duckdb.DuckDBPyConnection, case_code: str) -> list[dict[str, Any]]:
    """The case's GGK/ZZK and monitoring meetings, newest first, each with its attendees {id: notified}."""
    cur = conn.cursor()
    meetings = fetch_dicts(
        cur,
        "SELECT * FROM meeting WHERE case_code = ? AND list_contains(?, kind) ORDER BY held_on DESC",
        [case_code, list(CASE_MEETINGS)],
    )
    for m in meetings:
        m["attendees"] = {
            a["institution_id"]: a["notified_on"] for a in fetch_dicts(cur, ATTENDEES, [m["meeting_id"]])
        }
    return meetings


def _load(cur: duckdb.DuckDBPyConnection, actor: Actor, meeting_id: int) -> tuple[dict, dict]:
    require_write_data(actor, "zmieniać spotkań spraw")  # the role first: a reader learns nothing more
    meeting = get_row(cur, Meeting, meeting_id)
    if meeting["case_code"] is None or meeting["kind"] not in CASE_MEETINGS:
        raise InvalidInput(["Spotkanie: to nie jest spotkanie zespołu ani spotkanie monitorujące sprawy"])
    case = fetch_dicts(cur, "SELECT * FROM case_file WHERE case_code = ?", [meeting["case_code"]])[0]
    require_edit_gmina(actor, case["terc"])
    return meeting, case


def _refuse_losing_task_holders(
    cur: duckdb.DuckDBPyConnection, case: dict, meeting: dict, kept: set[int], team: str
) -> None:
    """A GGK/ZZK member who carries a task of the plan stays in some meeting of the team."""
    if meeting["kind"] != "ggk":
        return
    params = {"code": case["case_code"], "meeting": meeting["meeting_id"]}
    present = {a["institution_id"] for a in fetch_dicts(cur, ATTENDEES, [meeting["meeting_id"]])}
    lost = [n for i, n in cur.execute(TASK_HOLDERS, params).fetchall() if i in present and i not in kept]
    if lost:
        raise InvalidInput(
            [
                f"Skład {team}: {name} ma zadanie w planie pracy sprawy i nie siedzi w innym spotkaniu "
                "zespołu — nie można jej usunąć"
                for name in lost
            ]
        )


def _ggk_problems(case: dict, held_on: date, attendees: Mapping[int, date | None], today: date) -> None:
    if held_on < case["referred_on"]:
        raise InvalidInput(
            [f"Data spotkania: wcześniejsza niż zgłoszenie sprawy ({case['referred_on']:%d.%m.%Y})"]
        )
    for notified_on in attendees.values():
        if notified_on:
            refuse_future("Data powiadomienia", notified_on, today)


def _monitoring_problems(
    case: dict, held_on: date, family_present: bool, family_told: bool, today: date
) -> None:
    if case["plan_on"] is None:
        raise InvalidInput(["Spotkanie monitorujące: najpierw zapisz plan pracy (kartę planu)"])
    refuse_future("Data spotkania", held_on, today)
    if held_on < case["plan_on"]:
        raise InvalidInput([f"Data spotkania: wcześniej niż plan pracy ({case['plan_on']:%d.%m.%Y})"])
    if not family_present and not family_told:
        raise InvalidInput(
            [
                "Obecność rodziny: gdy rodzina nie uczestniczy, koordynator niezwłocznie "
                "informuje ją o ustaleniach — potwierdź to"
            ]
        )


def correct_case_meeting(
    conn: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    *,
    held_on: date,
    attendees: Mapping[int, date | None],
    today: date,
    reason: str | None,
    agenda: str | None = None,
    decisions: str | None = None,
    family_present: bool | None = None,
    family_told: bool = False,
) -> list[str]:
    """Correct a GGK/ZZK or monitoring meeting of a case with its attendees; returns the 5-day warnings
    of a GGK/ZZK meeting (reported, not refused, as when it was recorded)."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        meeting, case = _load(cur, actor, meeting_id)
        team = team_name(cur, case["terc"])
        ggk = meeting["kind"] == "ggk"
        if ggk:
            _ggk_problems(case, held_on, attendees, today)
        else:
            _monitoring_problems(case, held_on, bool(family_present), family_told, today)
            attendees = dict.fromkeys(attendees)
            told = "" if family_present else TOLD
            decisions = " ".join(t for t in ((decisions or "").replace(TOLD, "").strip(), told) if t) or None
        names = check_attendees(conn, case, held_on, attendees, team, need_notice=ggk)
        _refuse_losing_task_holders(cur, case, meeting, set(attendees), team)
        changes = {
            "held_on": held_on,
            "agenda": agenda,
            "decisions": decisions,
            "family_present": family_present,
        }
        if not ggk:
            changes.pop("agenda")
        update(cur, actor.username, Meeting, meeting_id, changes, reason=reason)
        _replace_attendees(cur, actor, meeting_id, attendees, case["terc"], reason)
    return [w for i, n in attendees.items() if ggk and n and (w := _notice_warning(names[i], held_on, n))]


def withdraw_case_meeting(
    conn: duckdb.DuckDBPyConnection, actor: Actor, meeting_id: int, *, reason: str | None
) -> None:
    """Take out a meeting entered by mistake with its attendees (audited with the reason); the last
    GGK/ZZK meeting of an institution that carries a task of the plan is refused."""
    reason = correction_reason(reason)
    with transaction(conn) as cur:
        meeting, case = _load(cur, actor, meeting_id)
        _refuse_losing_task_holders(cur, case, meeting, set(), team_name(cur, case["terc"]))
        _replace_attendees(cur, actor, meeting_id, {}, case["terc"], reason)
        delete(cur, actor.username, Meeting, meeting_id, reason=reason)


def _replace_attendees(
    cur: duckdb.DuckDBPyConnection,
    actor: Actor,
    meeting_id: int,
    attendees: Mapping[int, date | None],
    terc: str,
    reason: str,
) -> None:
    before = {a["institution_id"]: a for a in fetch_dicts(cur, ATTENDEES, [meeting_id])}
    for institution_id, row in before.items():
        key = f"{meeting_id}/{institution_id}"
        where = [meeting_id, institution_id]
        if institution_id not in attendees:
            cur.execute("DELETE FROM meeting_attendee WHERE meeting_id = ? AND institution_id = ?", where)
            audit(cur, actor.username, "delete", "meeting_attendee", key, row, None, terc, reason)
        elif attendees[institution_id] != row["notified_on"]:
            after = {**row, "notified_on": attendees[institution_id]}
            cur.execute(
                "UPDATE meeting_attendee SET notified_on = ? WHERE meeting_id = ? AND institution_id = ?",
                [after["notified_on"], *where],
            )
            audit(cur, actor.username, "update", "meeting_attendee", key, row, after, terc, reason)
    for institution_id, notified_on in attendees.items():
        if institution_id not in before:
            record = MeetingAttendee(
                meeting_id=meeting_id, institution_id=institution_id, notified_on=notified_on
            )
            insert(cur, actor.username, record, terc=terc)
