"""The cooperation-survey alerts: no baseline survey (diagnoza) by K5, no endline (ewaluacja) by K9.

The rule is `rules.survey_overdue_days` (its SQL twin `rules.SURVEY_DUE_SQL`); the step's planned
start comes from the kept `plan_date`, the day the gmina reached it from its first step event there,
the waves from `survey_wave`. One query per stage; returns the frame of `alerts._PART` columns.
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
MISSING = f"""
WITH stage AS (
    SELECT terc, min(planned_start) AS planned_start FROM plan_date
    WHERE step = $step AND level = 'gmina' AND ($terc IS NULL OR terc = $terc) GROUP BY terc
), reached AS (
    SELECT e.terc, min(e.event_on) AS reached_on FROM step_event e
    SEMI JOIN plan_date d ON d.terc = e.terc AND d.substep = e.substep AND d.step = $step
         AND d.level = 'gmina'
    WHERE $terc IS NULL OR e.terc = $terc
    GROUP BY e.terc
)
SELECT s.terc, $rule || ':' || s.terc || ':' || $step AS alert_id, $rule AS rule,
       $step || ': badanie współpracy (' || $kind || ')' AS subject, {DUE} AS due_on,
       ($today - {DUE})::INT AS days_over, $message AS message, $link || s.terc AS link
FROM stage s LEFT JOIN reached r USING (terc)
WHERE {DUE} <= $today
  AND NOT EXISTS (SELECT 1 FROM survey_wave w WHERE w.terc = s.terc AND w.kind = $kind)
"""


def survey_alerts(cur: duckdb.DuckDBPyConnection, today: date, terc: str | None = None) -> pd.DataFrame:
    """The missing baseline and endline surveys of the pilot gminy (`terc`: of that one; alerts._PART
    columns)."""
    found = [
        cur.execute(
            MISSING,
            {"step": step, "kind": kind, "rule": rule, "today": today, "terc": terc,
             "message": MESSAGES[rule], "link": links.url("siec", "")},
        ).df()
        for rule, (kind, step) in rules.SURVEY_STEPS.items()
    ]  # fmt: skip
    return pd.concat(found, ignore_index=True)
