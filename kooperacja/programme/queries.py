"""Read side of the programme: pilot gminy, each gmina's plan against its schedule, PZK, region overview."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

import duckdb
import pandas as pd

from kooperacja.model import rules
from kooperacja.model.formatting import row_tuples
from kooperacja.programme import together

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


PILOT_COLUMNS = [
    "terc", "name", "kind", "variant", "animator", "joined_on", "plan_start", "template_id",
    "template_version", "powiat_terc", "powiat", "row_version",
]  # fmt: skip


def list_pilot_gminy(conn: duckdb.DuckDBPyConnection, terc: str | None = None) -> pd.DataFrame:
    return conn.cursor().execute(PILOT_GMINY, {"terc": terc}).df()


# The planned window of every sub-step (a recurring one once per occurrence) of the pilot gminy in
# $tercs (NULL: all), from each one's template version, plan start and plan shifts: the rows the table
# plan_date keeps (harmonogram.refresh_plan_dates writes them with every change of those three).
PLAN_DATES = f"""
WITH pilot AS (
    SELECT terc, plan_start, template_id, template_version FROM pilot_gmina
    WHERE $tercs IS NULL OR list_contains($tercs, terc)
), steps AS (
    SELECT p.terc, p.plan_start, s.substep, s.start_month, s.end_month, s.every_months,
           s.step, s.title, s.level, s.responsible,
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
), moved AS (
    SELECT st2.terc, st2.substep, sum(sh.days)::INT AS days
    FROM (SELECT DISTINCT terc, substep, start_month FROM steps) st2
    JOIN shifts sh ON sh.terc = st2.terc AND st2.start_month >= sh.from_month
    GROUP BY ALL
)
SELECT st.terc, st.substep, CASE WHEN st.every_months IS NULL THEN NULL ELSE st.month END AS occurrence,
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
} AS planned_due,
       st.step, st.title, st.level, st.responsible, st.every_months
FROM steps st
LEFT JOIN moved sh ON sh.terc = st.terc AND sh.substep = st.substep
"""

_STATUS = rules.STEP_STATUS_SQL.format(
    start="planned_start", due="planned_due", started="started_on", completed="completed_on"
)
_DAYS = rules.STEP_DAYS_SQL.format(
    start="planned_start", due="planned_due", started="started_on", completed="completed_on"
)


def rated(where: str = "") -> str:
    """The sub-steps of the pilot gminy ($terc, NULL: all) rated on $today: the CTE `rated` of the
    reads; `where`: more conditions on plan_date's rows (a read that needs only some rates fewer)."""
    return f"""
WITH dated AS (
    SELECT terc, step, substep, occurrence, title, level, responsible, every_months, planned_start,
           planned_due
    FROM plan_date
    WHERE ($terc IS NULL OR terc = $terc) {where}
), events AS (
    SELECT coalesce(terc, '') AS owner, substep,
           min(event_on) FILTER (WHERE kind = 'started') AS started_on,
           max(event_on) FILTER (WHERE kind = 'completed') AS completed_on,
           max(event_on) AS last_event_on
    FROM step_event
    WHERE $terc IS NULL OR terc = $terc OR terc IS NULL
    GROUP BY ALL
), wzk AS (  -- the WZK meetings: a handful a year, one list
    SELECT coalesce(list(held_on ORDER BY held_on), []) AS held FROM meeting WHERE kind = 'wzk'
), k8 AS (
    SELECT d.*,  -- only a recurring sub-step reads it: no lambda for each of the others
           CASE WHEN d.every_months IS NOT NULL
                THEN list_filter(w.held, lambda h: h BETWEEN d.planned_start AND d.planned_due)[1] END
               AS held_on
    FROM dated d, wzk w
), joined AS (
    SELECT d.* EXCLUDE (held_on), e.last_event_on,
           CASE WHEN d.every_months IS NULL THEN e.started_on ELSE d.held_on END AS started_on,
           CASE WHEN d.every_months IS NULL THEN e.completed_on ELSE d.held_on END AS completed_on
    FROM k8 d
    LEFT JOIN events e ON e.owner = CASE WHEN d.level = 'region' THEN '' ELSE d.terc END
         AND e.substep = d.substep
), rated AS (
    SELECT *, {_STATUS} AS status, ({_DAYS})::INT AS days FROM joined
)"""


RATED = rated()
# Every sub-step of the pilot gminy ($terc, NULL: all) with its window (plan_date), its events and
# its status on $today. Region-level sub-steps are met by the ROPS's region events, a recurring one
# (K8) by a WZK meeting held within its occurrence's window.
PLAN = f"""{RATED}, evidence AS (
    SELECT coalesce(terc, '') AS owner, substep, event_on, evidence
    FROM step_event
    WHERE evidence IS NOT NULL AND ($terc IS NULL OR terc = $terc OR terc IS NULL)
), one AS (  -- nearly every sub-step has one piece of evidence: no ordered aggregate for those
    SELECT owner, substep, min(evidence) AS evidence, count(*) AS n FROM evidence GROUP BY ALL
), many AS (  -- the others in the order of their events
    SELECT owner, substep, string_agg(evidence, '; ' ORDER BY event_on, evidence) AS evidence
    FROM evidence SEMI JOIN (SELECT owner, substep FROM one WHERE n > 1) USING (owner, substep)
    GROUP BY ALL
), evidence_of AS (
    SELECT o.owner, o.substep, coalesce(m.evidence, o.evidence) AS evidence
    FROM one o LEFT JOIN many m USING (owner, substep)
)
SELECT r.terc, r.step, r.substep, r.occurrence, r.title, r.level, r.responsible, r.planned_start,
       r.planned_due, r.started_on, r.completed_on, v.evidence, r.last_event_on, r.status, r.days,
       {rules.STEP_LABEL_SQL.format(status="r.status", days="r.days")} AS label
FROM rated r
LEFT JOIN evidence_of v ON v.owner = CASE WHEN r.level = 'region' THEN '' ELSE r.terc END
     AND v.substep = r.substep
ORDER BY r.terc, r.planned_start, r.planned_due, r.substep, r.occurrence
"""
# A pilot gmina's own sub-steps (level 'gmina') summed: done, overdue, the worst delay, due by
# $today, the last event and the first not done in plan order (the aggregates of `own` below).
_OWN = """count(*) FILTER (WHERE status IN ('done', 'done_late')) AS done,
           count(*) AS substeps,
           count(*) FILTER (WHERE status = 'overdue') AS overdue,
           greatest(coalesce(max(days) FILTER (WHERE status = 'overdue'), 0), 0) AS delay_days,
           count(*) FILTER (WHERE planned_due <= $today) AS planned,
           max(last_event_on) AS last_event_on,
           arg_min({'substep': substep, 'title': title},
                   {'s': planned_start, 'd': planned_due, 'k': substep})
               FILTER (WHERE status NOT IN ('done', 'done_late')) AS current"""
# Per pilot gmina ($terc, NULL: all) from `own` (its _OWN per terc): the PROGRESS row.
_PROGRESS_ROWS = f"""
SELECT p.terc, o.current.substep AS current_step, o.current.title AS current_title,
       coalesce(o.done, 0) AS done, coalesce(o.substeps, 0) AS substeps,
       coalesce(o.overdue, 0) AS overdue, coalesce(o.delay_days, 0)::BIGINT AS delay_days,
       greatest(1, (year($today) - year(p.plan_start)) * 12 + month($today) - month(p.plan_start) + 1)::BIGINT
           AS month,
       CASE WHEN {
    rules.STALLED_SQL.format(
        overdue="coalesce(o.overdue, 0) > 0", last="o.last_event_on", plan_start="p.plan_start"
    )
} THEN 'stalled' WHEN coalesce(o.overdue, 0) > 0 THEN 'late' ELSE 'on_time' END AS progress_state,
       coalesce(o.planned, 0) AS planned
FROM pilot_gmina p
LEFT JOIN own o USING (terc)
WHERE $terc IS NULL OR p.terc = $terc
"""
# gmina_progress in one query: per pilot gmina ($terc, NULL: all) its own sub-steps done, overdue,
# the worst delay, the first sub-step not done in plan order, the harmonogram month, and its state
# (stalled by rules.is_stalled); with "W planie do dziś" (own sub-steps due by $today) for the report.
PROGRESS = f"""{RATED}, own AS (
    SELECT terc, {_OWN}
    FROM rated WHERE level = 'gmina'
    GROUP BY terc
){_PROGRESS_ROWS}"""
# PROGRESS and the report's steps (per step of the gminy's own sub-steps: due by today, done, done on
# time, overdue) from one rating of the plan: one GROUP BY with two grouping sets. The rows of part
# 'gmina' are PROGRESS's (`progress_and_steps` splits them), those of part 'step' the steps, in order.
PROGRESS_AND_STEPS = f"""{RATED}, grouped AS (
    SELECT terc, step, GROUPING(step) AS per_gmina, {_OWN},
           count(*) FILTER (WHERE status = 'done') AS on_time
    FROM rated WHERE level = 'gmina'
    GROUP BY GROUPING SETS ((terc), (step))
), own AS (SELECT * FROM grouped WHERE per_gmina = 1)
SELECT 'gmina' AS part, NULL::VARCHAR AS step, NULL::BIGINT AS on_time, g.*
FROM ({_PROGRESS_ROWS}) g
UNION ALL BY NAME
SELECT 'step' AS part, step, on_time, done, overdue, planned FROM grouped WHERE per_gmina = 0
"""
PROGRESS_COLUMNS = [
    "terc", "current_step", "current_title", "done", "substeps", "overdue", "delay_days", "month",
    "progress_state", "planned",
]  # fmt: skip


def progress_and_steps(
    cur: duckdb.DuckDBPyConnection, today: date, terc: str | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(PROGRESS's rows as `.df()` gives them, per step: step, due, done, on_time, overdue in step
    order) from one rating of the plan (PROGRESS_AND_STEPS)."""
    both = cur.execute(PROGRESS_AND_STEPS, {"today": today, "terc": terc}).df()
    gmina = both.part == "gmina"
    progress = both.loc[gmina, PROGRESS_COLUMNS].reset_index(drop=True)
    for name in ("done", "substeps", "overdue", "delay_days", "month", "planned"):
        progress[name] = progress[name].astype("int64")
    steps = both.loc[~gmina, ["step", "planned", "done", "on_time", "overdue"]]
    steps = steps.rename(columns={"planned": "due"})
    steps = steps.iloc[steps.step.str[1:].astype(int).argsort(kind="stable")].reset_index(drop=True)
    return progress, steps.astype({c: "int64" for c in ("due", "done", "on_time", "overdue")})


def gmina_plans(conn: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    """Every sub-step (recurring ones once per occurrence) of every pilot gmina, with its status.

    Region-level sub-steps are satisfied by the ROPS's region events (and K8 by WZK meetings).
    `label` is the status in Polish words with its number of days. Dates are Python dates.
    """
    return frame(conn.cursor(), PLAN, {"terc": terc, "today": today})


def frame(cur: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]) -> pd.DataFrame:
    """A query's rows as `.df()` gives them, except that dates are Python dates (None where missing),
    through Arrow: ~3x `.df()` for text columns, and no per-value conversion of the dates."""
    table = cur.sql(sql, params=params).to_arrow_table()
    out = table.to_pandas()
    for name, column in zip(table.column_names, table.columns, strict=True):
        nullable = _NULLABLE.get(str(column.type))
        if nullable and column.null_count:  # .df() keeps integers with gaps as nullable integers
            out[name] = _masked(column, nullable)
        elif str(column.type) in _TEXT and len(column) and column.null_count == len(column):
            out[name] = pd.Series([None] * len(column), index=out.index, dtype=object)  # as .df()
    return out


def _masked(column: Any, nullable: str) -> pd.api.extensions.ExtensionArray:
    """An Arrow integer column with gaps as a pandas nullable integer array, its values and gaps
    taken as two NumPy arrays (not a Python object per value: ~3x less on 72k plan rows)."""
    values = column.fill_null(0).to_numpy().astype(nullable.lower(), copy=False)  # Int64 -> int64
    return pd.arrays.IntegerArray(values, column.is_null().to_numpy())


_TEXT = ("string", "large_string", "string_view")
_NULLABLE = {f"{u}int{n}": f"{u.upper()}Int{n}" for u in ("", "u") for n in (8, 16, 32, 64)}


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
# Per pilot gmina: its PZK today (members, sectors) and its cases (open, closed), one GROUP BY each.
REGION_FIGURES = f"""
SELECT p.terc, coalesce(m.pzk_members, 0) AS pzk_members, coalesce(m.pzk_sectors, 0) AS pzk_sectors,
       coalesce(c.cases_open, 0) AS cases_open, coalesce(c.cases_closed, 0) AS cases_closed
FROM pilot_gmina p
LEFT JOIN (SELECT m.terc, count(*) AS pzk_members, count(DISTINCT i.sector) AS pzk_sectors
           FROM pzk_member m LEFT JOIN institution i USING (institution_id)
           WHERE {_MEMBER_TODAY}
           GROUP BY m.terc) m USING (terc)
LEFT JOIN (SELECT terc, count(*) - count(closed_on) AS cases_open, count(closed_on) AS cases_closed
           FROM case_file GROUP BY terc) c USING (terc)
"""
# The overview's table: each pilot gmina with its progress and figures, the worst first.
OVERVIEW = f"""
SELECT g.*, pr.* EXCLUDE (terc, planned), f.* EXCLUDE (terc)
FROM ({PILOT_GMINY}) g
JOIN ({PROGRESS}) pr USING (terc)
JOIN ({REGION_FIGURES}) f USING (terc)
ORDER BY CASE pr.progress_state WHEN 'stalled' THEN 0 WHEN 'late' THEN 1 ELSE 2 END, pr.delay_days DESC,
         g.name, g.terc
"""


# OVERVIEW in two reads run at once (`region_overview`): the gminy with their figures, their progress.
OVERVIEW_GMINY = f"""
SELECT g.*, f.* EXCLUDE (terc)
FROM ({PILOT_GMINY.replace("ORDER BY g.name", "")}) g
JOIN ({REGION_FIGURES}) f USING (terc)
"""
OVERVIEW_PROGRESS = f"SELECT * EXCLUDE (planned) FROM ({PROGRESS})"
_WORST_FIRST = {"stalled": 0, "late": 1}  # then on time: OVERVIEW's ORDER BY


def region_overview(conn: duckdb.DuckDBPyConnection, today: date) -> pd.DataFrame:
    """The table of pilot gminy: variant, animator, step, delay, PZK size, cases; the worst first.

    OVERVIEW's rows in its order, its two halves read at once (the plan's rating is one core's work).
    """
    p = {"today": today, "terc": None}
    gminy, progress = together.read_together(
        conn,
        [lambda c: c.execute(OVERVIEW_GMINY, p).df(), lambda c: c.execute(OVERVIEW_PROGRESS, p).df()],
    )
    figures = [c for c in gminy.columns if c not in PILOT_COLUMNS]
    out = gminy.merge(progress, on="terc")[[*PILOT_COLUMNS, *progress.columns[1:], *figures]]
    rank = out.progress_state.map(_WORST_FIRST).fillna(2)
    order = pd.DataFrame({"r": rank, "d": -out.delay_days, "n": out.name, "t": out.terc})
    return out.iloc[order.sort_values(["r", "d", "n", "t"]).index].reset_index(drop=True)


def gmina_progress(conn: duckdb.DuckDBPyConnection, today: date, terc: str) -> pd.Series:
    """One pilot gmina's progress on `today` (PROGRESS: current step, month, done, delay, state)."""
    return conn.cursor().execute(f"SELECT * FROM ({PROGRESS})", {"today": today, "terc": terc}).df().iloc[0]


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
