"""Read side of the programme: pilot gminy, each gmina's plan against its schedule, PZK, region overview."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import duckdb
import pandas as pd

from kooperacja.model import rules
from kooperacja.model.formatting import row_tuples
from kooperacja.model.rules import Status

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


PLAN = f"""
WITH pilot AS (
    SELECT terc, plan_start, template_id, template_version FROM pilot_gmina
    WHERE $terc IS NULL OR terc = $terc
), steps AS (
    SELECT p.terc, p.plan_start, s.step, s.substep, s.title, s.level, s.responsible, s.start_month,
           s.end_month, s.every_months,
           unnest(CASE WHEN s.every_months IS NULL THEN [s.start_month]
                       ELSE generate_series(s.start_month, s.end_month, s.every_months) END) AS month
    FROM pilot p
    JOIN template_step s ON s.template_id = p.template_id AND s.version = p.template_version
), shifts AS (
    -- a shift moves its sub-step and every sub-step starting no earlier; NULL: the whole plan
    SELECT ps.terc, ps.days, coalesce(ts.start_month, 0) AS from_month
    FROM plan_shift ps
    JOIN pilot p USING (terc)
    LEFT JOIN template_step ts ON ts.template_id = p.template_id AND ts.version = p.template_version
         AND ts.substep = ps.substep
), dated AS (
    SELECT st.*, CASE WHEN st.every_months IS NULL THEN NULL ELSE st.month END AS occurrence,
           {
    rules.WINDOW_START_SQL.format(
        plan_start="st.plan_start", start_month="st.month", shift="coalesce(sh.days, 0)"
    )
} AS planned_start,
           {
    rules.WINDOW_DUE_SQL.format(
        plan_start="st.plan_start",
        end_month="CASE WHEN st.every_months IS NULL THEN st.end_month ELSE st.month END",
        shift="coalesce(sh.days, 0)",
    )
} AS planned_due
    FROM steps st
    LEFT JOIN (SELECT st2.terc, st2.substep, sum(sh.days)::INT AS days
               FROM (SELECT DISTINCT terc, substep, start_month FROM steps) st2
               JOIN shifts sh ON sh.terc = st2.terc AND st2.start_month >= sh.from_month
               GROUP BY ALL) sh ON sh.terc = st.terc AND sh.substep = st.substep
), events AS (
    SELECT coalesce(terc, '') AS owner, substep,
           min(event_on) FILTER (WHERE kind = 'started') AS started_on,
           max(event_on) FILTER (WHERE kind = 'completed') AS completed_on,
           string_agg(evidence, '; ' ORDER BY event_on) FILTER (WHERE evidence IS NOT NULL) AS evidence,
           max(event_on) AS last_event_on
    FROM step_event
    WHERE $terc IS NULL OR terc = $terc OR terc IS NULL
    GROUP BY ALL
), k8 AS (
    -- a recurring step (K8) is met by a WZK meeting held within its occurrence's window
    SELECT d.terc, d.substep, d.occurrence, min(m.held_on) AS held_on
    FROM dated d
    JOIN meeting m ON m.kind = 'wzk' AND m.held_on BETWEEN d.planned_start AND d.planned_due
    WHERE d.every_months IS NOT NULL
    GROUP BY ALL
), joined AS (
    SELECT d.*, e.evidence, e.last_event_on,
           CASE WHEN d.every_months IS NULL THEN e.started_on ELSE k.held_on END AS started_on,
           CASE WHEN d.every_months IS NULL THEN e.completed_on ELSE k.held_on END AS completed_on
    FROM dated d
    LEFT JOIN events e ON e.owner = CASE WHEN d.level = 'region' THEN '' ELSE d.terc END
         AND e.substep = d.substep
    LEFT JOIN k8 k ON k.terc = d.terc AND k.substep = d.substep AND k.occurrence = d.occurrence
)
SELECT terc, step, substep, occurrence, title, level, responsible, planned_start, planned_due,
       started_on, completed_on, evidence, last_event_on,
       {
    rules.STEP_STATUS_SQL.format(
        start="planned_start", due="planned_due", started="started_on", completed="completed_on"
    )
} AS status,
       {
    rules.STEP_DAYS_SQL.format(
        start="planned_start", due="planned_due", started="started_on", completed="completed_on"
    )
}::INT AS days
FROM joined
ORDER BY terc, planned_start, planned_due, substep, occurrence
"""


def gmina_plans(conn: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    """Every sub-step (recurring ones once per occurrence) of every pilot gmina, with its status.

    Region-level sub-steps are satisfied by the ROPS's region events (and K8 by WZK meetings).
    `label` is the status in Polish words with its number of days.
    """
    plan = conn.cursor().execute(PLAN, {"terc": terc, "today": today}).df()
    for column in ("planned_start", "planned_due", "started_on", "completed_on", "last_event_on"):
        plan[column] = _days(plan[column])
    pairs = set(zip(plan.status, plan.days, strict=True))
    labels = {(s, d): rules.StepState(Status(s), int(d)).label for s, d in pairs}
    plan["label"] = [labels[pair] for pair in zip(plan.status, plan.days, strict=True)]
    return plan


def _days(column: pd.Series) -> pd.Series | list[date | None]:
    """Python dates (None where missing): vectorised for a datetime column, ~10× the per-value way."""
    if pd.api.types.is_datetime64_any_dtype(column):
        return column.dt.date.astype(object).where(column.notna(), None)
    return [to_date(v) for v in column]


def to_date(value: object) -> date | None:
    """A pandas/NumPy date value as a Python date (None when missing)."""
    if value is None or pd.isna(cast(Any, value)):
        return None
    return value.date() if hasattr(value, "date") else value  # type: ignore[return-value]


def gmina_progress(plan: pd.DataFrame, pilot: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per pilot gmina: current step, status counts, worst delay, stalled or not.

    Only the gmina's own sub-steps count towards its delay; region steps are the ROPS's.
    """
    own = plan[plan.level == "gmina"]
    done = own.status.isin([Status.DONE, Status.DONE_LATE])
    overdue = own.status == Status.OVERDUE
    agg = (
        own.assign(done=done, overdue=overdue, delay_days=own.days.where(overdue, 0))
        .groupby("terc")
        .agg(
            done=("done", "sum"),
            substeps=("substep", "size"),
            overdue=("overdue", "sum"),
            delay_days=("delay_days", "max"),
            last_event_on=("last_event_on", "max"),
        )
    )
    current = own[~done].groupby("terc")[["substep", "title"]].first()
    out = pilot[["terc", "plan_start"]].set_index("terc").join(agg).join(current)
    out = out.fillna({"done": 0, "substeps": 0, "overdue": 0, "delay_days": 0})
    states, months = [], []
    for row in row_tuples(out):
        start = cast(date, to_date(row.plan_start))  # every pilot gmina has a plan start
        last = None if pd.isna(row.last_event_on) else to_date(row.last_event_on)
        stalled = rules.is_stalled(row.overdue > 0, last, start, today)
        states.append("stalled" if stalled else "late" if row.overdue else "on_time")
        months.append(max(1, (today.year - start.year) * 12 + today.month - start.month + 1))
    out = out.assign(progress_state=states, month=months).reset_index()
    out = out.rename(columns={"substep": "current_step", "title": "current_title"})
    for column in ("done", "substeps", "overdue", "delay_days"):
        out[column] = out[column].astype(int)
    return out[
        [
            "terc",
            "current_step",
            "current_title",
            "done",
            "substeps",
            "overdue",
            "delay_days",
            "month",
            "progress_state",
        ]
    ]


PROGRESS_LABELS = {"on_time": "w terminie", "late": "opóźniona", "stalled": "zatrzymana"}
PROGRESS_COUNT_LABELS = {
    "on_time": "Gminy w terminie",
    "late": "Gminy opóźnione",
    "stalled": "Gminy zatrzymane",
}

PZK_ON = f"""
SELECT m.membership_id, i.institution_id, i.name, i.sector, i.level, i.seat_terc, m.signed_on, m.left_on
FROM pzk_member m JOIN institution i USING (institution_id)
WHERE m.terc = $terc AND {rules.PZK_MEMBER_SQL.format(m="m", on="$on")}
ORDER BY i.sector, i.name
"""


def pzk_on(conn: duckdb.DuckDBPyConnection, terc: str, on: date) -> pd.DataFrame:
    """The PZK of a gmina as it stood on a date: who had signed and had not yet left."""
    return conn.cursor().execute(PZK_ON, {"terc": terc, "on": on}).df()


_MEMBER_TODAY = rules.PZK_MEMBER_SQL.format(m="m", on="$today")
REGION_FIGURES = f"""
SELECT p.terc,
       (SELECT count(*) FROM pzk_member m WHERE m.terc = p.terc AND {_MEMBER_TODAY}) AS pzk_members,
       (SELECT count(DISTINCT i.sector) FROM pzk_member m JOIN institution i USING (institution_id)
            WHERE m.terc = p.terc AND {_MEMBER_TODAY}) AS pzk_sectors,
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
    order = (
        out.assign(_rank=worst_first)
        .sort_values(["_rank", "delay_days", "name"], ascending=[True, False, True])
        .index
    )
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


def _zgloszenia_of() -> str:
    # built on each call: the deadline follows rules.FIRST_CONTACT_DAYS as it is then
    return f"""
SELECT zgloszenie_id, terc, route, received_on, signed_on, first_contact_on, has_diagnosis,
       has_resources_card, has_network_analysis, has_agreement_copy, note,
       {rules.first_contact_deadline_sql("received_on")} AS contact_deadline
FROM zgloszenie WHERE terc = $terc ORDER BY received_on DESC
"""


def zgloszenia(conn: duckdb.DuckDBPyConnection, terc: str, today: date) -> pd.DataFrame:
    """A gmina's notifications to ROPS, newest first, each with its first-contact clock (rules)."""
    frame = conn.cursor().execute(_zgloszenia_of(), {"terc": terc}).df()
    states = [
        rules.first_contact_state(cast(date, to_date(r.received_on)), to_date(r.first_contact_on), today)
        for r in row_tuples(frame)
    ]
    frame["contact_deadline"] = _days(frame["contact_deadline"])
    frame["contact_status"] = [s.status.value for s in states]
    frame["contact_state"] = [s.label for s in states]
    return frame
