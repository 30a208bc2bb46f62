"""The case reads of the fifth round (issue 16) give what they gave before, on the demo and on the
bench's tiny scale: the case list narrowed to what the list shows, the card's one row, and the
summary tables counted on integer keys. The old forms are kept here as the oracle."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.bench.core import TINY_GMINY
from kooperacja.cases import stats
from kooperacja.cases.core import STAGE_LABELS, STAGES
from kooperacja.demo.national import build_national
from kooperacja.model import rules
from kooperacja.model.access import SYSTEM, Actor
from kooperacja.model.errors import AccessDenied
from kooperacja.programme import alerts

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")

# --- the old forms (main at d9eca8d) --------------------------------------------------------------
OLD_FUNNEL = f"""
WITH c AS ({stats.CASE_COUNTS})
SELECT {stats.STAGE} AS stage, count(*) AS cases,
       count(diagnosed_on) AS diagnosed, count(plan_on) AS plan, count(contract_kind) AS contract,
       count(*) FILTER (WHERE plan_on IS NOT NULL AND (services > 0 OR reports > 0)) AS delivery,
       count(evaluated_on) AS evaluated, count(closed_on) AS closed
FROM c GROUP BY ALL
"""
OLD_COMPLETENESS = (
    alerts.EXPECTED_REPORTS
    + """
, ended AS (
    SELECT unnest(generate_series($since::DATE, date_trunc('month', $today::DATE) - INTERVAL 1 MONTH,
                                  INTERVAL 1 MONTH))::DATE AS month
), mine AS (
    SELECT task_id, terc, first_month, last_month FROM tasks WHERE $terc IS NULL OR terc = $terc
), due_counts AS (
    SELECT t.terc, e.month, count(*) AS expected
    FROM mine t JOIN ended e ON e.month BETWEEN t.first_month AND t.last_month
    GROUP BY ALL
), received AS (
    SELECT t.terc, r.month, count(*) AS received
    FROM reported r JOIN mine t USING (task_id)
    WHERE r.month BETWEEN t.first_month AND t.last_month AND r.month < date_trunc('month', $today::DATE)
      AND r.month = date_trunc('month', r.month)
    GROUP BY ALL
)
SELECT d.terc, d.month, d.expected, coalesce(r.received, 0) AS received
FROM due_counts d LEFT JOIN received r USING (terc, month)
"""
)
OLD_NOTICE_BREACHES = f"""
SELECT terc, count(DISTINCT meeting_id) AS meetings, count(*) AS invitations,
       count(*) FILTER (WHERE short IS NULL OR short > 0) AS breaches
FROM (SELECT m.meeting_id, m.terc,
             {rules.NOTICE_SHORT_SQL.format(meeting="m.held_on", notified="a.notified_on")} AS short
      FROM meeting m
      JOIN meeting_attendee a USING (meeting_id)
      JOIN institution i USING (institution_id)
      WHERE m.kind = 'ggk' AND m.held_on >= $since AND ($terc IS NULL OR m.terc = $terc))
GROUP BY ALL
"""
OLD_TASK_SECTORS = """
SELECT coalesce(i.sector, 'rodzina') AS sector, count(*) AS tasks,
       count(*) FILTER (WHERE t.done_on IS NULL AND c.closed_on IS NULL) AS open_tasks,
       count(DISTINCT t.case_code) AS cases
FROM case_task t JOIN case_file c USING (case_code) LEFT JOIN institution i USING (institution_id)
WHERE $terc IS NULL OR c.terc = $terc
GROUP BY ALL ORDER BY tasks DESC
"""


def old_list_cases(conn, terc=None, stage=None, case_code=None) -> pd.DataFrame:
    rows = stats._case_rows(conn, terc, case_code)
    if stage is not None:
        rows = rows[rows.stage == stage].reset_index(drop=True)
    return rows.assign(stage_label=rows.stage.map(STAGE_LABELS))


def old_funnel(conn, terc=None) -> pd.DataFrame:
    by_stage = conn.cursor().execute(OLD_FUNNEL, {"terc": terc, "code": None}).df().set_index("stage")
    reached = by_stage.sum().rename({"cases": "referred"})
    now = by_stage.cases
    return pd.DataFrame(
        {
            "stage": STAGES,
            "label": [STAGE_LABELS[s] for s in STAGES],
            "cases": [int(now.get(s, 0)) for s in STAGES],
            "reached": [int(reached[s]) for s in STAGES],
        }
    )


def old_completeness(conn, today, terc=None, months=6) -> pd.DataFrame:
    since = rules.add_months(today.replace(day=1), -months)
    found = conn.cursor().execute(OLD_COMPLETENESS, {"today": today, "since": since, "terc": terc}).df()
    pilot = stats.pilot_gminy(conn, terc)
    month_list = rules.month_starts(since, today.replace(day=1) - timedelta(days=1))
    grid = pilot.merge(pd.DataFrame({"month": pd.to_datetime(month_list)}), how="cross")
    found["month"] = pd.to_datetime(found.month)
    out = grid.merge(found, on=["terc", "month"], how="left")
    out[["expected", "received"]] = out[["expected", "received"]].fillna(0).astype(int)
    out["rate"] = (out.received / out.expected.where(out.expected > 0)).round(3)
    out["month"] = out.month.dt.date
    return out


def old_notice_breaches(conn, today, terc=None, days=365) -> pd.DataFrame:
    figures = conn.cursor().execute(
        OLD_NOTICE_BREACHES, {"since": today - timedelta(days=days), "terc": terc}
    )
    out = stats.pilot_gminy(conn, terc).merge(figures.df(), on="terc", how="left")
    cols = ["meetings", "invitations", "breaches"]
    out[cols] = out[cols].fillna(0).astype(int)
    return out


def old_task_sectors(conn, terc=None) -> pd.DataFrame:
    out = conn.cursor().execute(OLD_TASK_SECTORS, {"terc": terc}).df()
    out.insert(1, "label", out.sector.map({**stats.SECTORS, "rodzina": "rodzina / osoba (zadania własne)"}))
    # the old order among sectors with as many tasks was the hash table's: now by the sector's code
    return out.sort_values(["tasks", "sector"], ascending=[False, True], ignore_index=True)


def assert_as_before(conn, today: date = TODAY) -> None:
    terc = conn.execute(
        "SELECT terc FROM case_file GROUP BY terc ORDER BY count(*) DESC, terc LIMIT 1"
    ).fetchall()[0][0]
    # the case list: the old rows in the old order, the columns the list shows
    for args in ((None, None), (terc, None), (None, "delivery"), (terc, "plan"), (None, "closed")):
        wanted = old_list_cases(conn, *args)[list(stats.LIST_COLUMNS)]
        got = stats.list_cases(conn, SYSTEM, *args)
        assert list(got.columns) == list(stats.LIST_COLUMNS)
        pd.testing.assert_frame_equal(got, wanted)
    for code in conn.execute("SELECT case_code FROM case_file ORDER BY case_code LIMIT 3").fetchall():
        pd.testing.assert_frame_equal(
            stats.case_row(conn, SYSTEM, code[0]), old_list_cases(conn, None, None, code[0])
        )
    assert stats.case_row(conn, SYSTEM, "P-0000000-0000").empty
    # the summary tables, of the region and of one gmina
    for where in (None, terc):
        pd.testing.assert_frame_equal(stats.funnel(conn, SYSTEM, where), old_funnel(conn, where))
        pd.testing.assert_frame_equal(stats.task_sectors(conn, SYSTEM, where), old_task_sectors(conn, where))
        for on in (today, date(2026, 6, 2)):
            pd.testing.assert_frame_equal(
                stats.report_completeness(conn, SYSTEM, on, where), old_completeness(conn, on, where)
            )
            pd.testing.assert_frame_equal(
                stats.notice_breaches(conn, SYSTEM, on, where), old_notice_breaches(conn, on, where)
            )


def test_the_case_reads_give_what_they_gave_on_the_demo(demo_db):
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        assert_as_before(conn)
        assert stats.report_completeness(conn, SYSTEM, TODAY).expected.sum() > 0
        assert stats.notice_breaches(conn, SYSTEM, TODAY).breaches.sum() > 0
    finally:
        conn.close()


def test_the_case_reads_give_what_they_gave_on_the_tiny_bench_scale(tmp_path):
    conn = warehouse.connect(tmp_path / "tiny.duckdb")
    try:
        build_national(conn, TODAY, lambda _m: None, synthetic=True, gminy_limit=TINY_GMINY)
        assert conn.execute("SELECT count(*) FROM case_file").fetchall()[0][0] > 1000
        assert_as_before(conn)
    finally:
        conn.close()


def test_the_case_list_reads_only_what_the_list_shows_and_the_card_the_whole_case(demo_conn):
    """The list is the 100k national cases sorted: it carries the 9 columns the list shows and filters
    on (ui.data.CASE_COLUMNS), not the 21 of the case file; the card's one case keeps them all."""
    from kooperacja.ui.data import CASE_COLUMNS

    rows = stats.list_cases(demo_conn, ADMIN)
    assert set(CASE_COLUMNS) <= set(rows.columns) and len(rows.columns) == 9
    assert "$stage" in stats.CASE_LIST and "stage_label" in stats.CASE_LIST  # filtered and labelled in SQL
    code = rows.case_code.iloc[0]
    card = stats.case_row(demo_conn, ADMIN, code)
    assert {"consent_on", "contract_from", "evaluation", "row_version", "services", "reports"} <= set(
        card.columns
    )
    with pytest.raises(AccessDenied):
        stats.case_row(demo_conn, Actor("wzk1", "wzk"), code)


def test_the_summary_counts_on_integer_keys():
    """The national read's costs were the distinct counts and groups over text keys."""
    assert "count(DISTINCT" not in stats.TASK_SECTORS and "count(DISTINCT" not in stats.NOTICE_BREACHES
    assert "date_trunc('month', r.month)" not in stats.COMPLETENESS and "terc::INTEGER" in stats.COMPLETENESS
    assert "GROUP BY ALL" in stats.FUNNEL.split("), flags AS")[1].split(")\nSELECT")[0]  # flags first


def old_completeness_grid(completeness: pd.DataFrame) -> pd.DataFrame:
    if completeness.empty:
        return pd.DataFrame({"Gmina": []})
    view = completeness.assign(
        col=[f"{m:%m.%Y}" for m in completeness.month],
        pct=pd.to_numeric(completeness.rate, errors="coerce") * 100,
    )
    grid = view.pivot_table(
        index="gmina", columns="col", values="pct", aggfunc="first", dropna=False, sort=False
    )
    grid = grid.reindex(columns=list(dict.fromkeys(view.col)))
    return grid.rename_axis(index="Gmina", columns=None).reset_index()


def test_the_summary_reads_the_pilot_once_and_gives_each_table_as_read_alone(demo_conn):
    got = stats.summary(demo_conn, SYSTEM, TODAY)
    alone = {
        "time_to_plan": stats.time_to_plan(demo_conn, SYSTEM),
        "completeness": stats.report_completeness(demo_conn, SYSTEM, TODAY),
        "overdue_meetings": stats.overdue_meetings(demo_conn, SYSTEM, TODAY),
        "notice_breaches": stats.notice_breaches(demo_conn, SYSTEM, TODAY),
        "task_sectors": stats.task_sectors(demo_conn, SYSTEM),
    }
    for name, frame in alone.items():
        pd.testing.assert_frame_equal(got[name], frame)
    grid = stats.completeness_grid(got["completeness"])
    pd.testing.assert_frame_equal(grid, old_completeness_grid(got["completeness"]))
    assert len(grid) > 0 and len(grid.columns) == 7


def test_two_gminy_of_one_name_are_two_rows_of_the_completeness_grid(demo_conn):
    """The grid was pivoted on the gmina's name: the two Bolesławiec of the real region were one row."""
    rate = stats.report_completeness(demo_conn, SYSTEM, TODAY)
    first, second = rate.terc.unique()[:2]
    rate.loc[rate.terc == second, "gmina"] = rate.loc[rate.terc == first, "gmina"].iloc[0]
    grid = stats.completeness_grid(rate)
    assert len(grid) == rate.terc.nunique()
    name = rate.loc[rate.terc == first, "gmina"].iloc[0]
    assert {f"{name} ({first})", f"{name} ({second})"} <= set(grid.Gmina)
    assert grid.Gmina.is_unique


def test_the_sprawy_link_looks_its_case_up_instead_of_handing_every_code_to_seed(monkeypatch):
    """The page keeps the open case in the URL, so every run asked `links.seed` about it: given the
    ~100,000 codes, seed built a set of them (~0.3 s a run nationally)."""
    import pages.sprawy as page

    listed = pd.DataFrame({"case_code": ["P-0201011-0001", "P-0201011-0002"]})
    monkeypatch.setattr(page.data, "case_list", lambda actor, *a: (listed, listed))
    for asked, known in (("P-0201011-0002", ["P-0201011-0002"]), ("P-0201011-0009", []), (None, [])):
        monkeypatch.setattr(page.links, "requested", lambda _page, asked=asked: asked)
        assert page._linked(ADMIN) == known


def test_the_bench_compares_the_case_list_with_the_same_list_in_pandas(demo_conn):
    from kooperacja.bench import core

    names = ("case_file", "case_task", "monthly_report", "case_service", "gmina")
    loaded = {n: demo_conn.execute(f"SELECT * FROM {n}").df() for n in names}
    naive = core._naive_case_rows(loaded, TODAY)
    assert list(naive.columns) == list(stats.LIST_COLUMNS)
    assert core._same(stats.list_cases(demo_conn, SYSTEM), naive, None)
