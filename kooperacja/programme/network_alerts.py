"""The cooperation-survey alerts: no baseline survey (diagnoza) by K5, no endline (ewaluacja) by K9.

The rule is `rules.survey_overdue_days` (its SQL twin `rules.SURVEY_DUE_SQL`); the step's planned
start comes from the kept `plan_date`, the day the gmina reached it from its first step event there,
the waves from `survey_wave`. One query for both stages (`SURVEY_ALERTS`, a part of
alerts' to-do query); `survey_alerts` returns its frame.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from kooperacja.model import links, rules

MESSAGES = {
    "network_baseline": "Brak badania współpracy instytucji (diagnoza), wymaganego do kroku K5",
    "network_endline": "Brak końcowego badania współpracy instytucji (ewaluacja) na kroku K9",
}
DUE = rules.SURVEY_DUE_SQL.format(reached="r.reached_on", planned="s.planned_start")
_STAGES = ", ".join(
    f"('{rule}', '{kind}', '{step}', '{MESSAGES[rule]}')" for rule, (kind, step) in rules.SURVEY_STEPS.items()
)  # constants of the code: no quote in them
# Both stages in one query (alerts._PART columns but assigned); $terc: of that gmina only.
SURVEY_ALERTS = f"""
WITH stages (rule, kind, step, message) AS (VALUES {_STAGES}),
stage AS (
    SELECT g.rule, g.kind, g.step, g.message, p.terc, min(p.planned_start) AS planned_start
    FROM plan_date p JOIN stages g ON g.step = p.step
    WHERE p.level = 'gmina' AND ($terc IS NULL OR p.terc = $terc)
    GROUP BY ALL
), reached AS (  -- the day each gmina reached the stage's step: its first event on a sub-step of it
    SELECT d.step, e.terc, min(e.event_on) AS reached_on FROM step_event e
    JOIN (SELECT DISTINCT terc, substep, step FROM plan_date
          WHERE level = 'gmina' AND step IN (SELECT step FROM stages)) d
      ON d.terc = e.terc AND d.substep = e.substep
    WHERE $terc IS NULL OR e.terc = $terc
    GROUP BY ALL
)
SELECT s.terc, s.rule || ':' || s.terc || ':' || s.step AS alert_id, s.rule,
       s.step || ': badanie współpracy (' || s.kind || ')' AS subject, {DUE} AS due_on,
       ($today - {DUE})::INT AS days_over, s.message, '{links.url("siec", "")}' || s.terc AS link
FROM stage s LEFT JOIN reached r USING (step, terc)
WHERE {DUE} <= $today
  AND NOT EXISTS (SELECT 1 FROM survey_wave w WHERE w.terc = s.terc AND w.kind = s.kind)
"""


def survey_alerts(cur: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    """The missing baseline and endline surveys of the pilot gminy (`terc`: of that one; alerts._PART
    columns but assigned)."""
    return cur.execute(SURVEY_ALERTS, {"today": today, "terc": terc}).df()
