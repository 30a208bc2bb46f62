"""The national-scale forms of the case and service reads give what the per-row forms gave."""

from __future__ import annotations

import inspect
import random
from datetime import date, timedelta

import pandas as pd

from kooperacja import lku, warehouse
from kooperacja.cases import counts, delivery, stats, team
from kooperacja.demo.national import build_national
from kooperacja.exchange import apply, workbook
from kooperacja.exchange.mapping import REGISTRIES
from kooperacja.model import rules
from kooperacja.model.access import SYSTEM, Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import alerts, pzk
from tests.integration.test_perf5_lku import OLD_OFFER, OLD_SEARCH

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


# --- the kept case counts (case_count, migration 0013) ------------------------------------------

ADMIN = Actor("admin", "admin")
# The case reads as they stood before the counts were kept: every read counted the million reports.
OLD_COUNTS = """
WITH s AS (SELECT case_code, count(*) AS services FROM case_service GROUP BY ALL),
     m AS (SELECT task_id, count(*) AS reports FROM monthly_report GROUP BY ALL),
     r AS (SELECT t.case_code, sum(m.reports)::BIGINT AS reports
           FROM m JOIN case_task t USING (task_id) GROUP BY ALL)
SELECT c.*, coalesce(s.services, 0) AS services, coalesce(r.reports, 0) AS reports
FROM case_file c
LEFT JOIN s USING (case_code)
LEFT JOIN r USING (case_code)
WHERE ($terc IS NULL OR c.terc = $terc) AND ($code IS NULL OR c.case_code = $code)
"""


def kept_and_recomputed(conn) -> tuple[list, list]:
    cur = conn.cursor()
    kept = sorted(cur.execute("SELECT case_code, services, reports, tasks FROM case_count").fetchall())
    fresh = cur.execute(
        f"SELECT case_code, services, reports, tasks FROM ({counts.CASE_COUNTS})", {"codes": None}
    ).fetchall()
    return kept, sorted(fresh)


def assert_kept(conn, after: str = "") -> None:
    kept, fresh = kept_and_recomputed(conn)
    assert kept == fresh, f"case_count differs from its recomputation after {after}"


def assert_case_reads_as_before(conn, today: date) -> None:
    old_rows = stats.CASE_ROWS.replace(stats.CASE_COUNTS, OLD_COUNTS)
    old_funnel = stats.FUNNEL.replace(stats.CASE_COUNTS, OLD_COUNTS)
    terc = conn.execute("SELECT terc FROM case_file ORDER BY terc LIMIT 1").fetchall()[0][0]
    code = conn.execute("SELECT case_code FROM case_count ORDER BY reports DESC LIMIT 1").fetchall()[0][0]
    for params in ({"terc": None, "code": None}, {"terc": terc, "code": None}, {"terc": None, "code": code}):
        wanted = conn.execute(old_rows, params).df()
        pd.testing.assert_frame_equal(conn.execute(stats.CASE_ROWS, params).df(), wanted)
        pd.testing.assert_frame_equal(stats._case_rows(conn, params["terc"], params["code"]), wanted)
        by_stage = [conn.execute(sql, params).df().sort_values("stage", ignore_index=True)
                    for sql in (old_funnel, stats.FUNNEL)]  # fmt: skip
        pd.testing.assert_frame_equal(*by_stage)
    assert (
        len(stats.list_cases(conn, ADMIN)) == conn.execute("SELECT count(*) FROM case_file").fetchall()[0][0]
    )


def test_the_case_list_and_the_funnel_read_the_kept_counts_not_the_reports():
    assert "monthly_report" not in stats.CASE_ROWS and "monthly_report" not in stats.FUNNEL
    assert "case_count" in stats.CASE_ROWS


def test_the_case_reads_on_the_kept_counts_give_what_counting_the_reports_gave(demo_db, tmp_path):
    conn = warehouse.connect(demo_db, read_only=True)
    try:
        assert_kept(conn, "the pilot demo")
        assert_case_reads_as_before(conn, TODAY)
    finally:
        conn.close()
    national = warehouse.connect(tmp_path / "national.duckdb")
    try:
        build_national(national, TODAY, lambda _msg: None, gminy_limit=8)
        assert_kept(national, "the national demo")
        assert national.execute("SELECT count(*) FROM case_count").fetchall()[0][0] > 100
        assert_case_reads_as_before(national, TODAY)
    finally:
        national.close()


def _animator(conn, terc: str) -> Actor:
    return Actor("animator1", "animator", frozenset({terc}))


def _import(conn, table: str, rows: list[dict]) -> None:
    heads = REGISTRIES[table].headers()
    text = ";".join(heads[f] for f in rows[0]) + "\n"
    text += "".join(";".join(str(v) for v in row.values()) + "\n" for row in rows)
    parsed = workbook.parse_file(text.encode(), "plik.csv", table)
    assert not parsed.errors, parsed.errors
    apply.apply_import(conn, ADMIN, parsed, "valid_only", today=TODAY)


def _write(conn, rnd: random.Random, kind: str) -> str:
    """One write of `kind` on a random case; refusals (a rule of the form) are part of the walk."""
    q = conn.cursor()
    planned = q.execute(
        "SELECT case_code, terc, plan_on FROM case_file WHERE plan_on IS NOT NULL AND closed_on IS NULL "
        "ORDER BY case_code"
    ).fetchall()
    code, terc, plan_on = rnd.choice(planned)
    months = rules.month_starts(
        max(plan_on, TODAY - timedelta(days=200)), TODAY.replace(day=1) - timedelta(1)
    )
    tasks = q.execute("SELECT task_id, institution_id FROM case_task WHERE case_code = ?", [code]).fetchall()
    reports = q.execute("SELECT report_id, row_version FROM monthly_report ORDER BY report_id").fetchall()
    try:
        if kind == "report" and tasks and months:
            task_id, who = rnd.choice(tasks)
            saved = {
                r[0]
                for r in q.execute("SELECT month FROM monthly_report WHERE task_id = ?", [task_id]).fetchall()
            }
            months = [m for m in months if m not in saved] or months
            delivery.record_monthly_report(conn, ADMIN, task_id, month=rnd.choice(months),
                                           progress=rnd.choice(["on_track", "delayed", "done"]),
                                           institution_id=who, today=TODAY)  # fmt: skip
        elif kind == "correct":
            report_id, version = rnd.choice(reports)
            delivery.correct_monthly_report(conn, ADMIN, report_id, progress="delayed", reported_on=TODAY,
                                            today=TODAY, reason="pomyłka w postępie",
                                            expected_version=version)  # fmt: skip
        elif kind == "withdraw":
            report_id, version = rnd.choice(reports)
            delivery.withdraw_monthly_report(conn, ADMIN, report_id, reason="zapisano dla złego zadania",
                                             expected_version=version)  # fmt: skip
        elif kind == "services":
            taken = {
                r[0]
                for r in q.execute(
                    "SELECT service_id FROM case_service WHERE case_code = ?", [code]
                ).fetchall()
            }
            open_ = [
                s
                for s in delivery.available_services(conn, terc, TODAY).service_id.astype(int)
                if s not in taken
            ]
            delivery.assign_services(conn, _animator(conn, terc), code, service_ids=rnd.sample(open_, 1),
                                     from_on=TODAY, today=TODAY)  # fmt: skip
        elif kind == "plan":
            unplanned = q.execute(
                "SELECT case_code, row_version FROM case_file WHERE plan_on IS NULL "
                "AND diagnosed_on IS NOT NULL AND closed_on IS NULL ORDER BY case_code"
            ).fetchall()
            new, version = rnd.choice(unplanned)
            team.save_plan(conn, ADMIN, new, plan_on=TODAY, main_goal="Stabilizacja sytuacji rodziny",
                           goals=["Praca"], today=TODAY, expected_version=version,
                           tasks=[{"description": "Rozmowa w PUP", "goal": 0, "institution_id": None,
                                   "due_on": TODAY + timedelta(days=60)}])  # fmt: skip
        elif kind == "import" and tasks and months:
            task_id, _who = rnd.choice(tasks)
            _import(conn, "monthly_report", [{"task_id": task_id, "month": f"{m:%d.%m.%Y}",
                                              "reported_on": f"{TODAY:%d.%m.%Y}", "progress": "on_track"}
                                             for m in months[-2:]])  # fmt: skip
    except InvalidInput as exc:
        return f"{kind} (refused: {exc.problems[0]})"
    return kind


def test_the_kept_case_counts_equal_their_recomputation_after_random_writes(demo_conn):
    rnd = random.Random(14)
    kinds = ["report", "correct", "withdraw", "services", "plan", "import"]
    done = []
    before = kept_and_recomputed(demo_conn)[0]
    for kind in kinds + [rnd.choice(kinds) for _ in range(14)]:
        done.append(_write(demo_conn, rnd, kind))
        assert_kept(demo_conn, ", ".join(done))
    assert set(done) >= set(kinds), done  # every kind of write was saved at least once
    assert kept_and_recomputed(demo_conn)[0] != before


def test_a_warehouse_made_before_the_table_gets_its_counts_from_the_migration(demo_conn):
    expected = kept_and_recomputed(demo_conn)[1]
    demo_conn.execute("DROP TABLE case_count")
    # the migration as an older warehouse runs it (later ones may exist, so `migrate` would skip it)
    demo_conn.execute(next(sql for version, _name, sql in warehouse.migrations() if version == 13))
    assert kept_and_recomputed(demo_conn)[0] == expected


# --- the services and the PZK coverage ----------------------------------------------------------

OLD_NEEDS = """
SELECT terc, problem_code, count(*) AS cases, count(*) FILTER (WHERE open) AS open_cases
FROM (SELECT DISTINCT c.terc, p.problem_code, c.case_code, (c.closed_on IS NULL OR c.closed_on > $on) AS open
      FROM case_file c
      JOIN case_problem p USING (case_code)
      JOIN pilot_gmina g ON g.terc = c.terc
      WHERE c.referred_on <= $on AND ($terc IS NULL OR c.terc = $terc))
GROUP BY ALL
"""


def test_the_service_search_through_arrow_is_the_frame_df_gives(demo_conn):
    for flt in (
        lku.ServiceFilter(on=TODAY),
        lku.ServiceFilter(),
        lku.ServiceFilter(terc="3401011", text="dom"),
    ):
        params = {k: getattr(flt, k) for k in lku.ServiceFilter.__dataclass_fields__}
        wanted = demo_conn.execute(OLD_SEARCH, params).df()  # the query as it was, sorted in SQL
        pd.testing.assert_frame_equal(lku.search(demo_conn, flt), wanted)


def test_the_needs_counted_without_distinct_are_the_needs_counted_with_it(demo_conn):
    assert "DISTINCT" not in lku.NEEDS
    for terc in (None, "3401011"):
        params = {"on": TODAY, "terc": terc}
        old, new = (
            demo_conn.execute(sql, params).df().sort_values(["terc", "problem_code"], ignore_index=True)
            for sql in (OLD_NEEDS, lku.NEEDS)
        )
        pd.testing.assert_frame_equal(new, old)


def test_the_coverage_matrix_sorted_in_sql_is_the_one_sorted_in_pandas_namesakes_by_terc(demo_conn):
    got = pzk.coverage_matrix(demo_conn, TODAY)
    order = list(dict.fromkeys(got.sector))
    assert order[: len(pzk.SECTOR_ORDER)] == pzk.SECTOR_ORDER
    # the old form: the query's rows, sorted by gmina and sector in pandas (namesakes in join order)
    old = got.sample(frac=1, random_state=1).assign(
        sector=lambda f: pd.Categorical(f.sector, order, ordered=True)
    )
    old = old.sort_values(["gmina", "sector", "terc"], ignore_index=True).assign(
        sector=lambda f: f.sector.astype(str)
    )
    pd.testing.assert_frame_equal(got, old)
    assert list(got.columns) == ["terc", "gmina", "sector", "members"] and got.members.dtype == "int32"


def test_the_completeness_counted_from_the_task_ranges_is_the_one_joined_month_by_month(demo_conn):
    old = (
        alerts.EXPECTED_REPORTS
        + """
SELECT e.terc, e.month, count(*) AS expected, count(r.report_id) AS received
FROM due e
LEFT JOIN (SELECT task_id, month, report_id FROM monthly_report WHERE month >= $since) r
       ON r.task_id = e.task_id AND r.month = e.month
WHERE $terc IS NULL OR e.terc = $terc
GROUP BY ALL
"""
    )
    assert "FROM due e" not in stats.COMPLETENESS  # no row per task and month
    for today, terc in ((TODAY, None), (TODAY, "3401011"), (date(2026, 6, 2), None)):
        since = rules.add_months(today.replace(day=1), -6)
        params = {"today": today, "since": since, "terc": terc}
        got, wanted = (
            demo_conn.execute(sql, params).df().sort_values(["terc", "month"], ignore_index=True)
            for sql in (stats.COMPLETENESS, old)
        )
        # COMPLETENESS is the whole grid (perf5: every pilot gmina and month, 0 where nothing was due)
        got = got[got.expected > 0].reset_index(drop=True)[["terc", "month", "expected", "received"]]
        assert len(got) > 0
        pd.testing.assert_frame_equal(got, wanted)
    assert "case_file" not in stats.NOTICE_BREACHES  # the notice breaches need no case


def _old_gaps(conn, on: date, terc: str | None) -> pd.DataFrame:
    """lku.gaps as it was: three queries merged in pandas."""
    import numpy as np

    params = {"on": on, "terc": terc}
    pilot = conn.execute(
        "SELECT p.terc, g.name FROM pilot_gmina p JOIN gmina g USING (terc) "
        "WHERE $terc IS NULL OR p.terc = $terc ORDER BY g.name",
        {"terc": terc},
    ).df()
    needs, offer = (conn.execute(sql, params).df() for sql in (OLD_NEEDS, OLD_OFFER))
    areas = dict(conn.execute("SELECT code, label FROM problem_area ORDER BY label").fetchall())
    grid = pilot.merge(pd.DataFrame({"problem_code": list(areas)}), how="cross")
    out = grid.merge(needs, on=["terc", "problem_code"], how="left").merge(
        offer, on=["terc", "problem_code"], how="left"
    )
    for col in ("cases", "open_cases", "services"):
        out[col] = out[col].fillna(0).astype(int)
    out["problem"] = out.problem_code.map(areas)
    cases, services = out.cases > 0, out.services > 0
    out["state"] = np.select(
        [cases & services, cases, services], ["covered", "gap", "offer_only"], default="none"
    ).astype(object)
    return out[["terc", "name", "problem_code", "problem", "cases", "open_cases", "services", "state"]]


def test_the_gaps_in_one_query_are_the_gaps_merged_in_pandas(demo_conn):
    for on, terc in ((TODAY, None), (TODAY, "3401011"), (date(2026, 3, 1), None)):
        got = lku.gaps(demo_conn, on, terc)
        old = _old_gaps(demo_conn, on, terc)
        # the same rows in the same order; namesake gminy (none in the demo) now follow their TERC
        pd.testing.assert_frame_equal(got, old)
    assert "GROUP BY" in lku.GAP_CELLS and "merge" not in inspect.getsource(lku.gaps)
