"""The stage of a case, derived from its milestones: every transition, table-driven."""

from __future__ import annotations

import itertools
from datetime import date

import duckdb
import pandas as pd
import pytest

from kooperacja.cases.core import CASE_STAGE_SQL, STAGE_COLUMNS, STAGE_LABELS, STAGES, case_stage

REFERRED = {"referred_on": date(2026, 1, 5)}
DIAGNOSED = {**REFERRED, "diagnosed_on": date(2026, 1, 12)}
PLAN = {**DIAGNOSED, "plan_on": date(2026, 1, 26)}
CONTRACT = {**PLAN, "contract_kind": "kontrakt_socjalny", "contract_from": date(2026, 2, 1)}
DELIVERY = {**CONTRACT, "services": 2}
EVALUATED = {**DELIVERY, "evaluated_on": date(2026, 8, 1), "evaluation": "full"}
CLOSED = {**EVALUATED, "closed_on": date(2026, 8, 10), "closure_reason": "goals_achieved"}


@pytest.mark.parametrize(
    ("row", "stage"),
    [
        (REFERRED, "referred"),
        ({**REFERRED, "consent_on": date(2026, 1, 7)}, "referred"),
        (DIAGNOSED, "diagnosed"),
        (PLAN, "plan"),
        (CONTRACT, "contract"),
        (DELIVERY, "delivery"),
        ({**PLAN, "reports": 1}, "delivery"),  # a monthly report means the plan is delivered
        ({**PLAN, "services": 0, "reports": 0}, "plan"),
        ({**DIAGNOSED, "services": 3}, "diagnosed"),  # services without a plan are not delivery
        (EVALUATED, "evaluated"),
        ({**PLAN, "evaluated_on": date(2026, 5, 1)}, "evaluated"),
        (CLOSED, "closed"),
        ({**REFERRED, "closed_on": date(2026, 2, 1), "closure_reason": "resigned"}, "closed"),
        ({**CLOSED, "followup_until": date(2026, 12, 1)}, "closed"),
    ],
)
def test_a_case_is_at_the_furthest_stage_its_milestones_reach(row, stage):
    assert case_stage(row) == stage


def test_missing_values_from_a_dataframe_row_count_as_not_reached():
    row = {
        "referred_on": pd.Timestamp("2026-01-05"),
        "diagnosed_on": pd.NaT,
        "plan_on": pd.NaT,
        "contract_kind": None,
        "evaluated_on": pd.NaT,
        "closed_on": pd.NaT,
        "services": 0,
        "reports": 0,
    }
    assert case_stage(row) == "referred"


def test_every_stage_has_a_polish_label_in_the_model_order():
    assert STAGES == ["referred", "diagnosed", "plan", "contract", "delivery", "evaluated", "closed"]
    assert list(STAGE_LABELS) == STAGES


def test_the_sql_stage_agrees_with_case_stage_on_every_combination_of_milestones():
    dates = {"closed_on": date(2026, 8, 10), "evaluated_on": date(2026, 8, 1), "plan_on": date(2026, 1, 26),
             "diagnosed_on": date(2026, 1, 12)}  # fmt: skip
    rows = [
        {
            **{k: (v if on else None) for (k, v), on in zip(dates.items(), flags, strict=True)},
            "contract_kind": kind,
            "services": services,
            "reports": reports,
        }
        for *flags, kind, services, reports in itertools.product(
            *[[False, True]] * len(dates), [None, "kontrakt_socjalny"], [None, 0, 2], [None, 0, 1]
        )
    ]
    con = duckdb.connect()
    con.register("cases", pd.DataFrame(rows).assign(n=range(len(rows))))
    stage = CASE_STAGE_SQL.format(**{c: f"CAST({c} AS {_type(c)})" for c in STAGE_COLUMNS})
    got = [r[0] for r in con.execute(f"SELECT {stage} FROM cases ORDER BY n").fetchall()]
    assert len(got) == 288 and set(got) == set(STAGES)
    assert got == [case_stage(r) for r in rows]


def _type(column: str) -> str:
    return "DATE" if column.endswith("_on") else "INTEGER" if column in ("services", "reports") else "VARCHAR"
