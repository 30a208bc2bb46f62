"""The region's reads near the limit (issue 16, fifth round): the effects report and the WZK slides
rate the plan once and run their independent reads two at a time, with the same results as the
queries they replace (kept here as the oracle), on the demo and on a few gminy of the national
generator."""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import pytest

from kooperacja import warehouse, wzk
from kooperacja.model.access import Actor
from kooperacja.programme import queries, together
from kooperacja.report import effects as report
from tests.ui.test_cache_scope import Recording

TODAY = date(2026, 11, 24)
ZARZAD = Actor("zarzad", "zarzad")

# --- the oracle: the queries as they were before this round --------------------------------------
NEW_K8 = queries.RATED[
    queries.RATED.index("    SELECT d.*,") : queries.RATED.index("    FROM dated d, wzk w")
]
OLD_K8 = (
    "    SELECT d.*, list_filter(w.held, lambda h: h BETWEEN d.planned_start AND d.planned_due)[1]"
    " AS held_on\n"
)
OLD_RATED = queries.RATED.replace(NEW_K8, OLD_K8)
OLD_PROGRESS = queries.PROGRESS.replace(queries.RATED, OLD_RATED)
OLD_PLAN = queries.PLAN.replace(queries.RATED, OLD_RATED)
OLD_STEPS = f"""{OLD_RATED}
SELECT step, count(*) FILTER (WHERE planned_due <= $today) AS due,
       count(*) FILTER (WHERE status IN ('done', 'done_late')) AS done,
       count(*) FILTER (WHERE status = 'done') AS on_time,
       count(*) FILTER (WHERE status = 'overdue') AS overdue
FROM rated WHERE level = 'gmina'
GROUP BY step ORDER BY step[2:]::INT
"""


@pytest.fixture(scope="module", params=["demo", "tiny"])
def conn(request, demo_db):
    path = demo_db if request.param == "demo" else request.getfixturevalue("tiny_db")
    c = warehouse.connect(path, read_only=True)
    yield c
    c.close()


def _one(conn) -> str:
    return conn.execute("SELECT min(terc) FROM pilot_gmina").fetchone()[0]


def test_the_oracle_is_the_old_rating():
    assert OLD_RATED != queries.RATED and "CASE WHEN d.every_months IS NOT NULL" in NEW_K8


@pytest.mark.parametrize("whole", [True, False])
def test_progress_and_steps_from_one_rating_equal_the_two_old_queries(conn, whole):
    terc = None if whole else _one(conn)
    p = {"today": TODAY, "terc": terc}
    progress, steps = queries.progress_and_steps(conn.cursor(), TODAY, terc)
    old = conn.execute(OLD_PROGRESS, p).df().sort_values("terc", ignore_index=True)
    pd.testing.assert_frame_equal(progress.sort_values("terc", ignore_index=True), old)
    pd.testing.assert_frame_equal(steps, conn.execute(OLD_STEPS, p).df())
    assert len(steps) and len(progress)


def test_the_plan_and_the_overview_equal_the_old_rating(conn):
    p = {"today": TODAY, "terc": None}
    pd.testing.assert_frame_equal(queries.gmina_plans(conn, TODAY), queries.frame(conn.cursor(), OLD_PLAN, p))
    old = queries.OVERVIEW.replace(queries.PROGRESS, OLD_PROGRESS)
    pd.testing.assert_frame_equal(queries.region_overview(conn, TODAY), conn.execute(old, p).df())


def test_the_overview_of_an_empty_warehouse_is_the_old_querys(tmp_path):
    conn = warehouse.connect(tmp_path / "empty.duckdb")
    try:
        old = conn.execute(queries.OVERVIEW, {"today": TODAY, "terc": None}).df()
        pd.testing.assert_frame_equal(queries.region_overview(conn, TODAY), old)
    finally:
        conn.close()


def test_the_report_rates_the_plan_once(demo_db):
    """PROGRESS and the steps' query rated every sub-step of the region twice."""
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        log: list[str] = []
        report.effects(Recording(conn, log), ZARZAD, TODAY)
        assert sum("FROM plan_date" in sql for sql in log) == 1
    finally:
        conn.close()


def test_the_reports_reads_run_two_at_a_time_on_their_own_cursors(demo_db, monkeypatch):
    conn = warehouse.connect(demo_db, read_only=True)
    seen: set[int] = set()
    gate = threading.Barrier(2, timeout=5)  # two reads must be running at once to pass it
    first = report.case_figures

    def case_figures(*args, **kwargs):
        seen.add(threading.get_ident())
        gate.wait()
        return first(*args, **kwargs)

    def breach_counts(cur, today, terc, _first=report.breach_counts):
        seen.add(threading.get_ident())
        gate.wait()
        return _first(cur, today, terc)

    monkeypatch.setattr(report, "case_figures", case_figures)
    monkeypatch.setattr(report, "breach_counts", breach_counts)
    try:
        got = report.effects(conn, ZARZAD, TODAY)
        assert len(seen) == 2 and threading.get_ident() not in seen
        assert got.headline["Sprawy zgłoszone"]
    finally:
        conn.close()


def test_a_read_that_fails_fails_the_whole_and_closes_the_cursors(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)

    def broken(cur):
        cur.execute("SELECT * FROM no_such_table")

    try:
        with pytest.raises(Exception, match="no_such_table"):
            together.read_together(conn, [lambda c: c.execute("SELECT 1").fetchall(), broken])
        assert together.read_together(conn, [lambda c: c.execute("SELECT 2").fetchall()[0][0]]) == [2]
    finally:
        conn.close()


@pytest.mark.parametrize("who", [ZARZAD, Actor("admin", "admin")])
def test_the_slides_read_alone_equal_those_from_the_pages_parts(conn, who):
    alone = wzk.meeting_slides(conn, who, TODAY)
    from kooperacja import lku

    parts = {
        "overview": queries.region_overview(conn, TODAY),
        "effects": report.effects(conn, who, TODAY),
        "gaps": lku.gaps(conn, TODAY),
    }
    given = wzk.meeting_slides(conn, who, TODAY, **parts)
    for a, b in zip(alone, given, strict=True):
        assert (a.title, a.numbers, a.lines) == (b.title, b.numbers, b.lines)
        if a.chart is None:
            assert b.chart is None
        else:
            pd.testing.assert_frame_equal(a.chart, b.chart)
