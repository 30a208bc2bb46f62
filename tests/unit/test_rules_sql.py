"""The SQL forms of the plan rules agree with the Python ones they mirror."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import duckdb

from kooperacja.model import rules

BASE = date(2026, 2, 1)
OFFSETS = [-40, -1, 0, 1, 27, 28, 29, 60]


def test_the_sql_step_status_agrees_with_step_state_on_a_grid_of_dates():
    cases = []
    for today_off, started_off, done_off in itertools.product(OFFSETS, [None, *OFFSETS], [None, *OFFSETS]):
        started = None if started_off is None else BASE + timedelta(started_off)
        done = None if done_off is None else BASE + timedelta(done_off)
        cases.append((BASE + timedelta(today_off), started, done))
    con = duckdb.connect()
    con.execute("CREATE TABLE t (today DATE, started DATE, completed DATE)")
    con.executemany("INSERT INTO t VALUES (?, ?, ?)", cases)
    cols = {
        "start": "DATE '2026-02-01'",
        "due": "DATE '2026-02-28'",
        "started": "started",
        "completed": "completed",
    }
    status = rules.STEP_STATUS_SQL.format(**cols).replace("$today", "today")
    days = rules.STEP_DAYS_SQL.format(**cols).replace("$today", "today")
    got = con.execute(f"SELECT today, started, completed, {status}, {days} FROM t").fetchall()
    assert len(got) == len(cases) == 648
    for today, started, completed, sql_status, sql_days in got:
        state = rules.step_state(BASE, date(2026, 2, 28), started, completed, today)
        assert (sql_status, sql_days) == (state.status.value, state.days), (today, started, completed)


def test_the_sql_step_label_agrees_with_step_state_label_for_every_status():
    con = duckdb.connect()
    pairs = [(s.value, d) for s in rules.Status for d in (0, 1, 2, 5, 12, 21, 365)]
    label = rules.STEP_LABEL_SQL.format(status="s", days="d")
    got = con.execute(
        f"SELECT s, d, {label} FROM (SELECT unnest(?) AS p) t, LATERAL (SELECT p[1] AS s, p[2]::INT AS d)",
        [[list(p) for p in pairs]],
    ).fetchall()
    assert len(got) == len(pairs)
    for status, days, sql_label in got:
        assert sql_label == rules.StepState(rules.Status(status), days).label, (status, days)


def test_the_sql_window_agrees_with_planned_window_across_month_ends():
    con = duckdb.connect()
    for plan_start, first, last, shift in itertools.product(
        [date(2026, 1, 31), date(2026, 1, 1), date(2024, 1, 30), date(2025, 8, 31)],
        [1, 2, 6],
        [2, 12, 18],
        [0, -10, 45],
    ):
        if last < first:
            continue
        start_sql = rules.WINDOW_START_SQL.format(plan_start="?::DATE", start_month=first, shift=shift)
        due_sql = rules.WINDOW_DUE_SQL.format(plan_start="?::DATE", end_month=last, shift=shift)
        got = con.execute(f"SELECT {start_sql}, {due_sql}", [plan_start, plan_start]).fetchall()[0]
        assert got == rules.planned_window(plan_start, first, last, shift), (plan_start, first, last, shift)


def test_the_sql_notice_rule_agrees_with_notice_short_days():
    con = duckdb.connect()
    meeting = date(2026, 6, 15)
    for offset in [None, -3, 0, 1, 4, 5, 6, 30]:
        notified = None if offset is None else meeting - timedelta(days=offset)
        sql = rules.NOTICE_SHORT_SQL.format(meeting="m", notified="n")
        got = con.execute(
            f"SELECT {sql} FROM (SELECT ?::DATE AS m, ?::DATE AS n)", [meeting, notified]
        ).fetchall()[0][0]
        assert got == rules.notice_short_days(meeting, notified), offset


def test_the_sql_quarterly_rule_agrees_with_monitoring_overdue_days():
    con = duckdb.connect()
    for last, today in itertools.product(
        [date(2026, 1, 10), date(2025, 11, 30), date(2026, 8, 31)],
        [date(2026, 2, 28), date(2026, 4, 10), date(2026, 4, 11), date(2026, 12, 1)],
    ):
        sql = rules.QUARTERLY_OVERDUE_SQL.format(last="?::DATE", every=rules.MONITORING_EVERY_MONTHS)
        got = con.execute(f"SELECT {sql.replace('$today', '?::DATE')}", [last, today]).fetchall()[0][0]
        assert got == rules.monitoring_overdue_days(last, None, None, today), (last, today)


def test_the_sql_first_contact_deadline_agrees_with_first_contact_deadline(monkeypatch):
    con = duckdb.connect()
    received = [BASE + timedelta(days=d) for d in (-40, -1, 0, 1, 26, 27, 28, 333)]  # month and year ends
    for days in (rules.FIRST_CONTACT_DAYS, 1, 10, 30):
        monkeypatch.setattr(rules, "FIRST_CONTACT_DAYS", days)
        sql = rules.first_contact_deadline_sql("?")
        for day in received:
            got = con.execute(f"SELECT {sql}", [day]).fetchall()[0][0]
            assert got == rules.first_contact_deadline(day) == day + timedelta(days=days), (days, day)


def test_the_sql_self_formed_report_deadline_agrees_with_the_rule_across_month_ends():
    con = duckdb.connect()
    sql = rules.self_formed_report_deadline_sql("?")
    for day in [BASE + timedelta(days=d) for d in (-40, -1, 0, 1, 26, 27, 28, 333)]:
        got = con.execute(f"SELECT {sql}", [day]).fetchall()[0][0]
        assert got == rules.self_formed_report_deadline(day), day


def test_the_sql_pzk_membership_agrees_with_is_pzk_member_on_a_grid_of_dates():
    days = [BASE + timedelta(days=d) for d in (-1, 0, 1, 28, 29)]
    cases = [
        (s, left, on)
        for s, left, on in itertools.product(days, [None, *days], days)
        if left is None or left >= s
    ]
    con = duckdb.connect()
    con.execute("CREATE TABLE m (signed_on DATE, left_on DATE, on_day DATE)")
    con.executemany("INSERT INTO m VALUES (?, ?, ?)", cases)
    sql = rules.PZK_MEMBER_SQL.format(m="m", on="m.on_day")
    got = con.execute(f"SELECT signed_on, left_on, on_day, {sql} FROM m").fetchall()
    assert len(got) == len(cases) == 100
    for signed, left, on, member in got:
        assert member == rules.is_pzk_member(signed, left, on), (signed, left, on)


def test_the_pzk_page_counts_members_by_the_same_rule():
    import pandas as pd

    from kooperacja.programme import pzk

    days = [BASE + timedelta(days=d) for d in (-1, 0, 1, 28)]
    rows = [(s, left) for s, left in itertools.product(days, [None, *days]) if left is None or left >= s]
    members = pd.DataFrame(
        {
            "signed_on": pd.to_datetime([s for s, _ in rows]),
            "left_on": pd.to_datetime([left for _, left in rows]),
        }
    )
    for on in days:
        expected = [rules.is_pzk_member(s, left, on) for s, left in rows]
        assert pzk.members_on(members, on).index.tolist() == [i for i, e in enumerate(expected) if e]


def test_the_sql_stall_rule_agrees_with_is_stalled_on_a_grid_of_dates():
    today, start = date(2026, 6, 1), date(2026, 1, 1)
    lasts = [None, *(today - timedelta(days=d) for d in (0, 89, 90, 91, 200))]
    cases = [(overdue, last) for overdue in (False, True) for last in lasts]
    con = duckdb.connect()
    con.execute("CREATE TABLE t (overdue BOOLEAN, last DATE)")
    con.executemany("INSERT INTO t VALUES (?, ?)", cases)
    stalled = rules.STALLED_SQL.format(overdue="overdue", last="last", plan_start="DATE '2026-01-01'")
    stalled = stalled.replace("$today", "DATE '2026-06-01'")
    got = con.execute(f"SELECT overdue, last, {stalled} FROM t").fetchall()
    assert len(got) == len(cases)
    for overdue, last, sql_stalled in got:
        assert sql_stalled == rules.is_stalled(overdue, last, start, today), (overdue, last)


def test_the_sql_survey_due_day_agrees_with_survey_due_on():
    days = [None, BASE, BASE + timedelta(1), BASE - timedelta(30)]
    con = duckdb.connect()
    for reached, planned in itertools.product(days, days):
        sql = rules.SURVEY_DUE_SQL.format(reached="$reached::DATE", planned="$planned::DATE")
        got = con.execute(f"SELECT {sql}", {"reached": reached, "planned": planned}).fetchall()[0][0]
        assert got == rules.survey_due_on(reached, planned), (reached, planned)
