"""The national-scale forms of the case and service reads give what the per-row forms gave."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from kooperacja import lku
from kooperacja.cases import stats
from kooperacja.model.access import SYSTEM
from kooperacja.programme import alerts

TODAY = date(2026, 11, 24)


def test_the_region_case_list_through_arrow_is_the_frame_df_gives(demo_conn):
    wanted = demo_conn.execute(stats.CASE_ROWS, {"terc": None, "code": None}).df()
    pd.testing.assert_frame_equal(stats._case_rows(demo_conn, None), wanted)


def test_overdue_meetings_and_notice_breaches_counted_in_sql_match_counting_their_rows(demo_conn):
    rows = demo_conn.execute(alerts.MONITORING, {"today": TODAY}).df()
    got = stats.overdue_meetings(demo_conn, SYSTEM, TODAY).set_index("terc")
    for terc, group in rows.groupby("terc"):
        assert got.loc[terc, "open_cases"] == len(group)
        assert got.loc[terc, "overdue"] == int((group.days > 0).sum())
        assert got.loc[terc, "max_days"] == int(group.days.max())
    notices = demo_conn.execute(alerts.NOTICES, {"since": TODAY - timedelta(days=365)}).df()
    got = stats.notice_breaches(demo_conn, SYSTEM, TODAY).set_index("terc")
    assert got.invitations.sum() == len(notices)
    for terc, group in notices.groupby("terc"):
        assert got.loc[terc, "meetings"] == group.meeting_id.nunique()
        assert got.loc[terc, "breaches"] == int((group.short.isna() | (group.short > 0)).sum())


def test_a_gap_is_a_problem_with_cases_and_no_service_nearby(demo_conn):
    found = lku.gaps(demo_conn, TODAY)
    wanted = [
        ("covered" if s else "gap") if c else ("offer_only" if s else "none")
        for c, s in zip(found.cases, found.services, strict=True)
    ]
    assert list(found.state) == wanted and {"gap", "covered"} <= set(wanted)
    cases = demo_conn.execute(
        "SELECT c.terc, p.problem_code, count(DISTINCT c.case_code) FROM case_file c "
        "JOIN case_problem p USING (case_code) JOIN pilot_gmina USING (terc) "
        "WHERE c.referred_on <= ? GROUP BY ALL",
        [TODAY],
    ).fetchall()
    got = found.set_index(["terc", "problem_code"]).cases
    assert all(got[(t, p)] == n for t, p, n in cases)
