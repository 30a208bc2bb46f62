"""One case's card for the ROPS staff: the file, problems, plan, tasks with reports, basket, meetings."""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from kooperacja.cases.stats import case_row
from kooperacja.model.access import Actor
from kooperacja.model.errors import NotFound
from kooperacja.model.rules import GGK_NOTICE_DAYS

PROBLEMS = """
SELECT p.problem_code, coalesce(a.label, p.problem_code) AS label
FROM case_problem p LEFT JOIN problem_area a ON a.code = p.problem_code
WHERE p.case_code = ? ORDER BY label
"""
GOALS = "SELECT goal_id, text FROM case_goal WHERE case_code = ? ORDER BY goal_id"
TASKS = """
SELECT t.task_id, g.text AS goal, t.description, t.institution_id,
       coalesce(i.name, 'rodzina / osoba') AS institution, coalesce(i.sector, 'rodzina') AS sector,
       t.due_on, t.done_on,
       (SELECT count(*) FROM monthly_report r WHERE r.task_id = t.task_id) AS reports,
       (SELECT max(r.month) FROM monthly_report r WHERE r.task_id = t.task_id) AS last_month
FROM case_task t LEFT JOIN case_goal g USING (goal_id) LEFT JOIN institution i USING (institution_id)
WHERE t.case_code = ? ORDER BY t.due_on, t.task_id
"""
REPORTS = """
SELECT r.report_id, r.task_id, t.description AS task, coalesce(i.name, 'rodzina / osoba') AS institution,
       r.month, r.reported_on, r.progress, r.note
FROM monthly_report r JOIN case_task t USING (task_id) LEFT JOIN institution i USING (institution_id)
WHERE t.case_code = ? ORDER BY r.month DESC, t.task_id
"""
SERVICES = """
SELECT cs.service_id, s.name, s.category, s.level, i.name AS institution, cs.from_on, cs.to_on
FROM case_service cs JOIN service s USING (service_id)
JOIN institution i ON i.institution_id = s.institution_id
WHERE cs.case_code = ? ORDER BY cs.from_on, s.name
"""
MEETINGS = """
SELECT m.meeting_id, m.kind, m.held_on, m.family_present, m.agenda, m.decisions,
       string_agg(i.name, '; ' ORDER BY i.name) AS institutions,
       count(a.institution_id) AS attendees,
       count(*) FILTER (WHERE a.notified_on IS NULL OR m.held_on - a.notified_on < $days) AS short_notice
FROM meeting m LEFT JOIN meeting_attendee a USING (meeting_id) LEFT JOIN institution i USING (institution_id)
WHERE m.case_code = $code GROUP BY ALL ORDER BY m.held_on
"""


def case_card(conn: duckdb.DuckDBPyConnection, actor: Actor, case_code: str) -> dict[str, Any]:
    """Every part of one case: "case" (a dict with its stage) and DataFrames of its parts."""
    found = case_row(conn, actor, case_code)
    if found.empty:
        raise NotFound(f"Nie ma sprawy {case_code}.")
    cur = conn.cursor()
    case = found.iloc[0].to_dict()
    main = cur.execute(
        "SELECT main_goal, evaluation_note, followup_note FROM case_file WHERE case_code = ?", [case_code]
    ).fetchall()[0]
    case.update(main_goal=main[0], evaluation_note=main[1], followup_note=main[2])
    frames = {
        name: cur.execute(sql, [case_code]).df()
        for name, sql in (
            ("problems", PROBLEMS),
            ("goals", GOALS),
            ("tasks", TASKS),
            ("reports", REPORTS),
            ("services", SERVICES),
        )
    }
    meetings = cur.execute(MEETINGS, {"code": case_code, "days": GGK_NOTICE_DAYS}).df()
    return {"case": case, **frames, "meetings": meetings}


def to_date(value: Any) -> Any:
    """A pandas timestamp as a date (None for a missing one)."""
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value
