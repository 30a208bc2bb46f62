"""Read side of the programme: pilot gminy, each gmina's plan against its schedule, PZK, region overview."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd

from kooperacja import rules
from kooperacja.rules import Status

PILOT_GMINY = """
SELECT p.terc, g.name, g.kind, p.variant, p.animator, p.joined_on, p.plan_start,
       p.template_id, p.template_version, left(p.terc, 4) AS powiat_terc,
       coalesce(pw.name, left(p.terc, 4)) AS powiat, p.row_version
FROM pilot_gmina p
JOIN gmina g USING (terc)
LEFT JOIN powiat pw ON pw.terc = left(p.terc, 4)
WHERE $terc IS NULL OR p.terc = $terc
ORDER BY g.name
"""


def list_pilot_gminy(conn: duckdb.DuckDBPyConnection, terc: str | None = None) -> pd.DataFrame:
    return conn.cursor().execute(PILOT_GMINY, {"terc": terc}).df()


PLAN_ROWS = """
SELECT p.terc, s.step, s.substep, s.title, s.level, s.responsible, s.start_month, s.end_month,
       s.every_months, p.plan_start
FROM pilot_gmina p
JOIN template_step s ON s.template_id = p.template_id AND s.version = p.template_version
WHERE $terc IS NULL OR p.terc = $terc
"""
EVENTS = """
SELECT coalesce(terc, '') AS terc, substep,
       min(event_on) FILTER (WHERE kind = 'started') AS started_on,
       max(event_on) FILTER (WHERE kind = 'completed') AS completed_on,
       string_agg(evidence, '; ' ORDER BY event_on) FILTER (WHERE evidence IS NOT NULL) AS evidence,
       max(event_on) AS last_event_on
FROM step_event
WHERE $terc IS NULL OR terc = $terc OR terc IS NULL
GROUP BY ALL
"""
SHIFTS = """
SELECT terc, substep, days FROM plan_shift WHERE $terc IS NULL OR terc = $terc
"""
WZK_MEETINGS = "SELECT held_on FROM meeting WHERE kind = 'wzk' ORDER BY held_on"


def _shift_days(shifts: list[tuple[str | None, int, int]], start_month: int) -> int:
    """Total shift of a sub-step: shifts of the whole plan, or from a sub-step starting no later."""
    return sum(days for sub, days, from_month in shifts if sub is None or start_month >= from_month)


def gmina_plans(conn: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    """Every sub-step (recurring ones once per occurrence) of every pilot gmina, with its status.

    Region-level sub-steps are satisfied by the ROPS's region events (and K8 by WZK meetings).
    """
    cur = conn.cursor()
    steps = cur.execute(PLAN_ROWS, {"terc": terc}).df()
    events = {(r.terc, r.substep): r for r in cur.execute(EVENTS, {"terc": terc}).df().itertuples()}
    month_of = dict(zip(zip(steps.terc, steps.substep), steps.start_month, strict=True))
    shifts: dict[str, list] = {}
    for t, sub, days in cur.execute(SHIFTS, {"terc": terc}).fetchall():
        shifts.setdefault(t, []).append((sub, days, month_of.get((t, sub), 0)))
    wzk_dates = [r[0] for r in cur.execute(WZK_MEETINGS).fetchall()]
    rows = []
    for s in steps.itertuples():
        plan_start = s.plan_start.date() if hasattr(s.plan_start, "date") else s.plan_start
        shift = _shift_days(shifts.get(s.terc, []), s.start_month)
        owner = "" if s.level == "region" else s.terc
        ev = events.get((owner, s.substep))
        every = None if pd.isna(s.every_months) else int(s.every_months)
        for month in rules.recurring_months(s.start_month, s.end_month, every):
            end = month if every else s.end_month
            start, due = rules.planned_window(plan_start, month, end, shift)
            started = _day(ev.started_on) if ev is not None else None
            completed = _day(ev.completed_on) if ev is not None else None
            if every:
                held = [d for d in wzk_dates if start <= d <= due]
                completed = held[0] if held else None
                started = completed
            state = rules.step_state(start, due, started, completed, today)
            rows.append({
                "terc": s.terc, "step": s.step, "substep": s.substep,
                "occurrence": month if every else None, "title": s.title, "level": s.level,
                "responsible": s.responsible, "planned_start": start, "planned_due": due,
                "started_on": started, "completed_on": completed,
                "evidence": None if ev is None or pd.isna(ev.evidence) else ev.evidence,
                "last_event_on": _day(ev.last_event_on) if ev is not None else None,
                "status": state.status.value, "days": state.days, "label": state.label,
            })
    columns = ["terc", "step", "substep", "occurrence", "title", "level", "responsible",
               "planned_start", "planned_due", "started_on", "completed_on", "evidence",
               "last_event_on", "status", "days", "label"]
    plan = pd.DataFrame(rows, columns=columns)
    return plan.sort_values(["terc", "planned_start", "planned_due", "substep"], ignore_index=True)


def _day(value: object) -> date | None:
    if value is None or pd.isna(value):
        return None
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def gmina_progress(plan: pd.DataFrame, pilot: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per pilot gmina: current step, status counts, worst delay, stalled or not.

    Only the gmina's own sub-steps count towards its delay; region steps are the ROPS's.
    """
    own = plan[plan.level == "gmina"]
    rows = []
    for p in pilot.itertuples():
        mine = own[own.terc == p.terc]
        overdue = mine[mine.status == Status.OVERDUE]
        open_ = mine[~mine.status.isin([Status.DONE, Status.DONE_LATE])]
        current = open_.iloc[0] if len(open_) else None
        last = mine.last_event_on.dropna()
        plan_start = _day(p.plan_start)
        stalled = rules.is_stalled(len(overdue) > 0, max(last) if len(last) else None, plan_start, today)
        if stalled:
            state = "stalled"
        elif len(overdue):
            state = "late"
        else:
            state = "on_time"
        rows.append({
            "terc": p.terc, "current_step": None if current is None else current.substep,
            "current_title": None if current is None else current.title,
            "done": int(mine.status.isin([Status.DONE, Status.DONE_LATE]).sum()),
            "substeps": len(mine), "overdue": len(overdue),
            "delay_days": int(overdue.days.max()) if len(overdue) else 0,
            "month": max(1, (today.year - plan_start.year) * 12 + today.month - plan_start.month + 1),
            "progress_state": state,
        })
    return pd.DataFrame(rows, columns=["terc", "current_step", "current_title", "done", "substeps",
                                       "overdue", "delay_days", "month", "progress_state"])


PROGRESS_LABELS = {"on_time": "w terminie", "late": "opóźniona", "stalled": "zatrzymana"}

PZK_ON = """
SELECT m.membership_id, i.institution_id, i.name, i.sector, i.level, i.seat_terc, m.signed_on, m.left_on
FROM pzk_member m JOIN institution i USING (institution_id)
WHERE m.terc = $terc AND m.signed_on <= $on AND (m.left_on IS NULL OR m.left_on > $on)
ORDER BY i.sector, i.name
"""


def pzk_on(conn: duckdb.DuckDBPyConnection, terc: str, on: date) -> pd.DataFrame:
    """The PZK of a gmina as it stood on a date: who had signed and had not yet left."""
    return conn.cursor().execute(PZK_ON, {"terc": terc, "on": on}).df()


REGION_FIGURES = """
SELECT p.terc,
       (SELECT count(*) FROM pzk_member m WHERE m.terc = p.terc AND m.signed_on <= $today
            AND (m.left_on IS NULL OR m.left_on > $today)) AS pzk_members,
       (SELECT count(DISTINCT i.sector) FROM pzk_member m JOIN institution i USING (institution_id)
            WHERE m.terc = p.terc AND m.signed_on <= $today
            AND (m.left_on IS NULL OR m.left_on > $today)) AS pzk_sectors,
       (SELECT count(*) FROM case_file c WHERE c.terc = p.terc AND c.closed_on IS NULL) AS cases_open,
       (SELECT count(*) FROM case_file c WHERE c.terc = p.terc AND c.closed_on IS NOT NULL) AS cases_closed
FROM pilot_gmina p
"""


def region_overview(conn: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """The table of pilot gminy: variant, animator, step, delay, PZK size, cases."""
    pilot = list_pilot_gminy(conn)
    plan = gmina_plans(conn, today)
    progress = gmina_progress(plan, pilot, today)
    figures = conn.cursor().execute(REGION_FIGURES, {"today": today}).df()
    out = pilot.merge(progress, on="terc").merge(figures, on="terc")
    worst_first = out.progress_state.map({"stalled": 0, "late": 1, "on_time": 2})
    order = out.assign(_rank=worst_first).sort_values(["_rank", "delay_days", "name"],
                                                      ascending=[True, False, True]).index
    return out.loc[order].reset_index(drop=True)


STEP_EVENTS = """
SELECT e.event_id, e.event_on, e.substep, coalesce(s.step, '') AS step, coalesce(s.title, '') AS title,
       e.kind AS event_kind, e.evidence, e.note, e.recorded_by, e.terc IS NULL AS region_level
FROM step_event e
LEFT JOIN pilot_gmina p ON p.terc = $terc
LEFT JOIN template_step s ON s.template_id = p.template_id AND s.version = p.template_version
     AND s.substep = e.substep
WHERE e.terc = $terc OR (e.terc IS NULL AND s.level = 'region')
ORDER BY e.event_on DESC, e.event_id DESC
"""


def step_events(conn: duckdb.DuckDBPyConnection, terc: str) -> pd.DataFrame:
    """The events log of a gmina's steps (with the ROPS's region-level ones), newest first."""
    return conn.cursor().execute(STEP_EVENTS, {"terc": terc}).df()


ZGLOSZENIA_OF = """
SELECT zgloszenie_id, terc, route, received_on, signed_on, first_contact_on, has_diagnosis,
       has_resources_card, has_network_analysis, has_agreement_copy, note
FROM zgloszenie WHERE terc = $terc ORDER BY received_on DESC
"""


def zgloszenia(conn: duckdb.DuckDBPyConnection, terc: str, today: date) -> pd.DataFrame:
    """A gmina's notifications to ROPS, newest first, each with its 7-day first-contact clock."""
    frame = conn.cursor().execute(ZGLOSZENIA_OF, {"terc": terc}).df()
    states = [rules.first_contact_state(_day(r.received_on), _day(r.first_contact_on), today)
              for r in frame.itertuples()]
    frame["contact_deadline"] = [_day(r) + timedelta(days=rules.FIRST_CONTACT_DAYS)
                                 for r in frame.received_on]
    frame["contact_status"] = [s.status.value for s in states]
    frame["contact_state"] = [s.label for s in states]
    return frame
