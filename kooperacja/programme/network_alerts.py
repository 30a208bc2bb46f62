"""The cooperation-survey alerts: no baseline survey (diagnoza) by K5, no endline (ewaluacja) by K9.

The rule is `rules.survey_overdue_days`; the step dates come from the gmina's plan (the frame the
other step alerts use), the waves from `survey_wave`. Returns the frame of `alerts._PART` columns.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import duckdb
import pandas as pd

from kooperacja.model import links, rules

HELD = "SELECT terc, kind, min(held_on) AS held_on FROM survey_wave GROUP BY ALL"
PART = ["alert_id", "rule", "terc", "subject", "due_on", "days_over", "message", "link"]
MESSAGES = {
    "network_baseline": "Brak badania współpracy instytucji (diagnoza), wymaganego do kroku K5",
    "network_endline": "Brak końcowego badania współpracy instytucji (ewaluacja) na kroku K9",
}


def _step_dates(plan: pd.DataFrame, step: str) -> pd.DataFrame:
    """Per gmina: the first event of the step (reached_on) and its earliest planned start."""
    rows = plan[(plan.step == step) & (plan.level == "gmina")]
    events = pd.concat([pd.to_datetime(rows.started_on), pd.to_datetime(rows.completed_on)], axis=1).min(
        axis=1
    )
    found = pd.DataFrame(
        {"terc": rows.terc, "reached_on": events, "planned_start": pd.to_datetime(rows.planned_start)}
    )
    return found.groupby("terc", as_index=False).agg(
        reached_on=("reached_on", "min"), planned_start=("planned_start", "min")
    )


def _date(value: Any) -> date | None:
    return None if pd.isna(value) else pd.Timestamp(value).date()


def survey_alerts(cur: duckdb.DuckDBPyConnection, today: date, plan: pd.DataFrame) -> pd.DataFrame:
    """The missing baseline and endline surveys of the pilot gminy (alerts._PART columns)."""
    held = cur.execute(HELD).df()
    out = []
    for rule, (kind, step) in rules.SURVEY_STEPS.items():
        dates = _step_dates(plan, step)
        dates = dates[~dates.terc.isin(held[held.kind == kind].terc)]  # held: no alert, whatever the date
        for terc, reached, planned in zip(dates.terc, dates.reached_on, dates.planned_start, strict=True):
            reached_on, planned_on = _date(reached), _date(planned)
            over = rules.survey_overdue_days(reached_on, planned_on, False, today)
            if over is None:
                continue
            out.append(
                {
                    "alert_id": f"{rule}:{terc}:{step}",
                    "rule": rule,
                    "terc": terc,
                    "subject": f"{step}: badanie współpracy ({kind})",
                    "due_on": rules.survey_due_on(reached_on, planned_on),
                    "days_over": over,
                    "message": MESSAGES[rule],
                    "link": links.url("siec", terc),
                }
            )
    return pd.DataFrame(out, columns=PART)
