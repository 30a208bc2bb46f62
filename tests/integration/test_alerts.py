"""Case-level alerts in SQL agree with the pure rules of kooperacja.model.rules, with today pinned."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.model import rules
from kooperacja.model.records import CaseFile, CaseTask, Institution, Meeting, MeetingAttendee, MonthlyReport
from kooperacja.programme import alerts
from kooperacja.warehouse.store import insert

TODAY = date(2026, 11, 24)
TERC = "0201032"


@pytest.fixture
def case_conn(conn):
    with warehouse.transaction(conn) as cur:
        cur.execute("INSERT INTO gmina VALUES (?, 'Gromadka', 'wiejska', NULL, NULL, NULL)", [TERC])
        inst = insert(
            cur,
            "t",
            Institution.parse(
                {"name": "PCPR", "sector": "pomoc_spoleczna", "level": "powiat", "seat_terc": "0201"}
            ),
        )
        insert(
            cur,
            "t",
            CaseFile.parse(
                {
                    "case_code": "P-0201032-0001",
                    "terc": TERC,
                    "kind": "rodzina",
                    "referred_on": date(2026, 6, 1),
                    "plan_on": date(2026, 7, 20),
                }
            ),
        )
        tasks = {}
        for name, done in [("open", None), ("done", date(2026, 9, 10))]:
            tasks[name] = insert(
                cur,
                "t",
                CaseTask.parse(
                    {
                        "case_code": "P-0201032-0001",
                        "description": f"Zadanie {name}",
                        "institution_id": inst,
                        "due_on": date(2026, 12, 31),
                        "done_on": done,
                    }
                ),
            )
        for month in [date(2026, 7, 1), date(2026, 9, 1)]:
            insert(
                cur,
                "t",
                MonthlyReport.parse(
                    {"task_id": tasks["open"], "month": month, "reported_on": month, "progress": "on_track"}
                ),
            )
    return conn, tasks


def test_missing_monthly_reports_match_the_rule_for_the_recent_quarter(case_conn):
    conn, _ = case_conn
    found = alerts.list_alerts(conn, TODAY)
    reports = found[found.rule == "monthly_report"]
    got = sorted((r.due_on, r.message) for r in reports.itertuples())
    since = rules.add_months(TODAY.replace(day=1), -3)  # the alert window: three months back
    expected_open = [
        m
        for m in rules.missing_report_months(
            date(2026, 7, 20), None, {date(2026, 7, 1), date(2026, 9, 1)}, TODAY
        )
        if m >= since
    ]
    expected_done = [
        m
        for m in rules.missing_report_months(date(2026, 7, 20), date(2026, 9, 10), set(), TODAY)
        if m >= since
    ]
    assert expected_open == [date(2026, 8, 1), date(2026, 10, 1)]
    assert expected_done == [date(2026, 8, 1), date(2026, 9, 1)]
    # August misses both tasks' reports (one row, 2 tasks), September the done task's, October the open one's.
    assert [m for _, m in got] == [
        "Brak sprawozdania za 08.2026 (2 zad.)",
        "Brak sprawozdania za 09.2026 (1 zad.)",
        "Brak sprawozdania za 10.2026 (1 zad.)",
    ]


def test_a_case_without_a_monitoring_meeting_for_a_quarter_is_overdue(case_conn):
    conn, _ = case_conn
    row = alerts.list_alerts(conn, TODAY).query("rule == 'monitoring'").iloc[0]
    assert row.days_over == (TODAY - date(2026, 10, 20)).days
    with warehouse.transaction(conn) as cur:
        insert(
            cur,
            "t",
            Meeting.parse(
                {
                    "kind": "monitoring",
                    "terc": TERC,
                    "case_code": "P-0201032-0001",
                    "held_on": date(2026, 11, 1),
                    "family_present": True,
                }
            ),
        )
    assert "monitoring" not in set(alerts.list_alerts(conn, TODAY).rule)


def test_an_institution_told_less_than_five_days_before_a_ggk_meeting_is_flagged(case_conn):
    conn, _ = case_conn
    with warehouse.transaction(conn) as cur:
        mid = insert(
            cur,
            "t",
            Meeting.parse(
                {"kind": "ggk", "terc": TERC, "case_code": "P-0201032-0001", "held_on": date(2026, 11, 10)}
            ),
        )
        insert(
            cur,
            "t",
            MeetingAttendee.parse({"meeting_id": mid, "institution_id": 1, "notified_on": date(2026, 11, 7)}),
        )
    row = alerts.list_alerts(conn, TODAY).query("rule == 'ggk_notice'").iloc[0]
    assert row.days_over == 2 and "3 dni przed" in row.message


def test_no_wzk_meeting_for_a_quarter_raises_the_region_alert(case_conn):
    conn, _ = case_conn
    with warehouse.transaction(conn) as cur:
        insert(cur, "t", Meeting.parse({"kind": "wzk", "held_on": date(2026, 8, 1)}))
    row = alerts.list_alerts(conn, TODAY).query("rule == 'wzk_quarterly'").iloc[0]
    assert row.days_over == (TODAY - date(2026, 11, 1)).days and pd.isna(row.terc)
