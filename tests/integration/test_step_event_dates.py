"""The step-event save checks the same date rule as `python -m kooperacja check` (rules.earliest_step_event):
an event it stores is not flagged afterwards as dated too long before the gmina's plan start."""

from __future__ import annotations

from datetime import date

import pytest

from kooperacja.model import rules
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import services as programme
from kooperacja.warehouse.check import RULES

ANIMATOR = Actor("animator1", "animator", frozenset({"3401011"}))
GMINA = "3401011"
TODAY = date(2026, 11, 24)


@pytest.fixture
def conn(demo_conn):
    return demo_conn


def _flagged(conn) -> dict[str, int]:
    return {what: conn.execute(sql).fetchall()[0][0] for what, sql in RULES}


def _event(conn, substep, kind, on):
    return programme.record_step_event(
        conn, ANIMATOR, terc=GMINA, substep=substep, kind=kind, event_on=on, today=TODAY
    )


def test_an_event_more_than_31_days_before_the_plan_start_is_refused_as_check_would_flag_it(conn):
    conn.execute(
        "UPDATE pilot_gmina SET joined_on = DATE '2024-01-10', plan_start = DATE '2026-03-01' WHERE terc = ?",
        [GMINA],
    )
    before = _flagged(conn)
    substep = conn.execute(
        "SELECT min(substep) FROM step_event WHERE terc = ? AND kind = 'started'", [GMINA]
    ).fetchall()[0][0]
    with pytest.raises(InvalidInput, match=r"ponad 31 dni przed startem planu gminy \(01\.03\.2026\)"):
        _event(conn, substep, "completed", date(2026, 1, 15))
    assert rules.earliest_step_event(date(2024, 1, 10), date(2026, 3, 1)) == date(2026, 1, 29)
    _event(conn, substep, "completed", date(2026, 1, 29))  # the first day allowed
    assert _flagged(conn) == before
