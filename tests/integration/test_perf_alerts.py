"""The alerts read in fewer, narrower queries (issue 16) give the rows the old reads gave.

The reference below is the logic of `alerts.list_alerts` before this change: the monthly-report rule
as `EXPECTED_REPORTS` + an anti-join on its wide `due` rows, the case rules' frames fetched one by
one, and the pandas `_finish` (merge of the names, sort). The new read joins, labels and orders in
one query and takes a `terc` filter pushed into every rule's query.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.model import links, rules
from kooperacja.programme import alerts
from kooperacja.programme.network_alerts import survey_alerts

TODAY = date(2026, 11, 24)
SINCE = rules.add_months(TODAY.replace(day=1), -3)

OLD_MISSING_REPORTS = (
    alerts.EXPECTED_REPORTS
    + """
SELECT e.case_code, e.terc, e.institution_id, e.institution, e.month,
       (e.month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS due_on, count(*) AS tasks
FROM due e
ANTI JOIN reported r ON r.task_id = e.task_id AND r.month = e.month
WHERE e.closed_on IS NULL OR e.closed_on > $today
GROUP BY ALL
"""
)
OLD_REPORT_ALERTS = f"""
SELECT terc, 'monthly_report:' || case_code || '/' || institution_id || ':' || strftime(month, '%Y-%m')
           AS alert_id,
       case_code || ': ' || institution AS subject, due_on, date_diff('day', due_on, $today) AS days_over,
       'Brak sprawozdania za ' || strftime(month, '%m.%Y') || ' (' || tasks || ' zad.)' AS message,
       '{links.url("sprawy", "")}' || case_code AS link, 'monthly_report' AS rule
FROM ({OLD_MISSING_REPORTS})
"""
OLD_MONITORING_ALERTS = f"""
SELECT terc, 'monitoring:' || case_code || ':' || strftime(due_on, '%Y-%m-%d') AS alert_id,
       case_code AS subject, due_on, days::INT AS days_over,
       'Ostatnie spotkanie monitorujące / plan: ' || strftime(since, '%d.%m.%Y') AS message,
       '{links.url("sprawy", "")}' || case_code AS link, 'monitoring' AS rule
FROM ({alerts.MONITORING}) WHERE days > 0
"""


def old_alert_lists(conn, today: date) -> tuple[pd.DataFrame, pd.DataFrame]:
    """`alerts.alert_lists` as it was: every rule's frame, concatenated and ordered in pandas."""
    cur = conn.cursor()
    since = rules.add_months(today.replace(day=1), -3)
    steps = cur.execute(alerts.STEP_ALERT_ROWS, {"today": today, "terc": None}).df()
    parts = [
        *alerts._step_alerts(steps),
        alerts._contact_alerts(cur, today),
        alerts._notice_alerts(cur, today),
        cur.execute(OLD_REPORT_ALERTS, {"today": today, "since": since}).df(),
        cur.execute(OLD_MONITORING_ALERTS, {"today": today}).df(),
        alerts._wzk_alerts(cur, today, alerts.read_programme_start(conn)),
        survey_alerts(cur, today),
    ]
    current = alerts._finish(cur, parts, dict(rules.RULE_LABELS))
    notes = cur.execute(alerts.EXPLANATIONS).df()
    done = current.alert_id.isin(notes.alert_id)
    explained = current[done].merge(notes, on="alert_id")[alerts.EXPLAINED_COLUMNS]
    return current[~done].reset_index(drop=True), explained.reset_index(drop=True)


@pytest.fixture(params=["demo", "tiny"])
def conn(request, demo_db):
    path = demo_db if request.param == "demo" else request.getfixturevalue("tiny_db")
    c = warehouse.connect(path, read_only=True)
    yield c
    c.close()


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["case_code", "institution_id", "month"], ignore_index=True)


def test_the_narrow_missing_reports_are_the_rows_of_the_rule(conn):
    params = {"today": TODAY, "since": SINCE}
    old = conn.execute(OLD_MISSING_REPORTS, params).df()
    new = conn.execute(alerts.MISSING_REPORTS, params).df()
    assert len(new) > 0
    pd.testing.assert_frame_equal(_sorted(new), _sorted(old))


def test_the_alert_lists_are_the_old_ones_row_for_row(conn):
    old_todo, old_explained = old_alert_lists(conn, TODAY)
    todo, explained = alerts.alert_lists(conn, TODAY)
    assert {"monthly_report", "monitoring"} <= set(todo.rule)
    # the old text columns were str or object by the data (a concat of both is object): same values
    pd.testing.assert_frame_equal(todo, old_todo, check_dtype=False)
    pd.testing.assert_frame_equal(explained, old_explained, check_dtype=False)
    assert todo.due_on.map(type).eq(date).all() and todo.days_over.dtype == "int64"


def test_the_alerts_of_one_gmina_are_its_rows_of_the_region(conn):
    region = alerts.list_alerts(conn, TODAY)
    tercs = list(region.terc.value_counts().index[:3])  # the gminy with the most alerts
    assert len(tercs) > 1
    for terc in tercs:
        mine = alerts.list_alerts(conn, TODAY, terc=terc)
        pd.testing.assert_frame_equal(mine, region[region.terc == terc].reset_index(drop=True))


def test_an_empty_warehouse_has_an_empty_list_of_the_same_columns(tmp_path):
    conn = warehouse.connect(tmp_path / "empty.duckdb")
    todo, explained = alerts.alert_lists(conn, TODAY)
    old_todo, old_explained = old_alert_lists(conn, TODAY)
    assert list(todo.columns) == list(old_todo.columns) and todo.empty
    assert list(explained.columns) == list(old_explained.columns) and explained.empty


def test_the_list_from_a_callers_plan_is_the_list_from_the_warehouse(conn):
    """The step alerts in SQL (STEP_ALERTS) and from a plan in pandas (`_step_alerts`) agree."""
    from kooperacja.programme import queries

    plan = queries.gmina_plans(conn, TODAY)
    region = alerts.list_alerts(conn, TODAY)
    assert {"step_overdue", "step_due"} & set(region.rule)
    pd.testing.assert_frame_equal(alerts.list_alerts(conn, TODAY, plan=plan), region, check_dtype=False)
    terc = region.terc.value_counts().index[0]
    mine = alerts.list_alerts(conn, TODAY, plan=plan[plan.terc == terc], terc=terc)
    pd.testing.assert_frame_equal(mine, region[region.terc == terc].reset_index(drop=True), check_dtype=False)


def test_the_gmina_card_lists_the_alerts_it_listed_from_the_region(demo_db, monkeypatch):
    """The card (CLI `document karta_gminy`) reads its gmina's alerts only: the same lines."""
    from kooperacja.documents import contexts, pictures
    from kooperacja.model import access

    monkeypatch.setattr(pictures, "gantt_png", lambda *_a: b"")  # not the picture's test

    conn = warehouse.connect(demo_db, read_only=True)
    try:
        region = alerts.list_alerts(conn, TODAY)
        terc = region.terc.value_counts().index[0]
        card = contexts.karta_gminy(conn, access.SYSTEM, terc, TODAY)
        before = contexts.karta_gminy(conn, access.SYSTEM, terc, TODAY, alerts=region)
    finally:
        conn.close()
    assert card["alerty"] and (card["alerty"], card["liczba_alertow"]) == (
        before["alerty"],
        before["liczba_alertow"],
    )


def test_the_plan_read_through_arrow_is_the_plan_df_gives(conn):
    """queries.frame's integers with gaps (a sub-step's occurrence) as .df() gives them, values and gaps."""
    from kooperacja.programme import queries

    plan = queries.gmina_plans(conn, TODAY)
    assert plan.occurrence.isna().any() and plan.occurrence.notna().any()
    want = conn.execute(queries.PLAN, {"terc": None, "today": TODAY}).df()
    assert str(plan.occurrence.dtype) == str(want.occurrence.dtype)
    assert plan.occurrence.equals(want.occurrence)
