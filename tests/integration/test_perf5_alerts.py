"""The missing-monthly-report alert from each task's kept reporting (task_reporting, migration 0014).

The oracle below is the rule's query as it stood before the table (main d9eca8d): the expected months
of every open task, anti-joined with the monthly reports. The new query must give its rows on the
demo, on a few gminy of the national generator and after a random sequence of writes, for several
days; and the kept table must equal its recomputation after each write.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import pandas as pd
import pytest

from kooperacja import warehouse
from kooperacja.cases import counts, delivery, team
from kooperacja.exchange import apply, workbook
from kooperacja.exchange.mapping import REGISTRIES
from kooperacja.model import rules
from kooperacja.model.access import Actor
from kooperacja.model.errors import InvalidInput
from kooperacja.programme import alerts

TODAY = date(2026, 11, 24)
ADMIN = Actor("admin", "admin")
DAYS = (TODAY, date(2026, 12, 1), date(2026, 6, 2), date(2027, 2, 15))


def _old_missing_reports(where: str = "") -> str:
    """alerts._missing_reports before task_reporting: an anti-join of task-months with the reports."""
    theirs = "AND task_id IN (SELECT task_id FROM tasks)" if where else ""
    return f"""
WITH tasks AS (
    SELECT t.task_id,
           year(greatest(c.plan_on, $since)) * 12 + month(greatest(c.plan_on, $since)) - 1 AS first_i,
           least(year(coalesce(t.done_on, $today)) * 12 + month(coalesce(t.done_on, $today)),
                 year($today) * 12 + month($today) - 1) AS end_i
    FROM case_task t
    JOIN case_file c USING (case_code)
    WHERE c.plan_on < date_trunc('month', $today) AND (c.closed_on IS NULL OR c.closed_on > $today)
      AND t.institution_id IS NOT NULL AND (t.done_on IS NULL OR t.done_on >= $since) {where}
), expected AS (
    SELECT task_id, unnest(range(first_i, end_i)) AS i FROM tasks WHERE first_i < end_i
), reported AS (
    SELECT task_id, year(month) * 12 + month(month) - 1 AS i FROM monthly_report
    WHERE month >= $since AND month < date_trunc('month', $today) {theirs}
), missing AS (
    SELECT task_id, make_date((i // 12)::INT, (i % 12 + 1)::INT, 1) AS month
    FROM expected ANTI JOIN reported USING (task_id, i)
)
SELECT c.case_code, c.terc, t.institution_id, n.name AS institution, m.month,
       (m.month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS due_on, count(*) AS tasks
FROM missing m
JOIN case_task t USING (task_id)
JOIN case_file c USING (case_code)
JOIN institution n ON n.institution_id = t.institution_id
GROUP BY ALL
"""


OLD_MISSING = _old_missing_reports()
OLD_GMINA_MISSING = _old_missing_reports("AND c.terc = $terc")


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["case_code", "institution_id", "month"], ignore_index=True)


def assert_rule_as_before(conn, days=DAYS) -> int:
    """The new rule's rows are the old one's, region and gmina, on each of `days`; returns the rows."""
    cur = conn.cursor()
    found = 0
    for today in days:
        params = {"today": today, "since": rules.add_months(today.replace(day=1), -3)}
        old = cur.execute(OLD_MISSING, params).df()
        pd.testing.assert_frame_equal(_sorted(cur.execute(alerts.MISSING_REPORTS, params).df()), _sorted(old))
        for terc in list(old.terc.value_counts().index[:2]):
            mine = {**params, "terc": terc}
            pd.testing.assert_frame_equal(
                _sorted(cur.execute(alerts.GMINA_MISSING_REPORTS, mine).df()),
                _sorted(cur.execute(OLD_GMINA_MISSING, mine).df()),
            )
        found += len(old)
    return found


def kept_and_recomputed(conn) -> tuple[list, list]:
    cur = conn.cursor()
    kept = cur.execute("SELECT * FROM task_reporting ORDER BY task_id").fetchall()
    fresh = cur.execute(
        f"SELECT * FROM ({counts.TASK_REPORTING}) ORDER BY task_id", {"codes": None}
    ).fetchall()
    return kept, fresh


def assert_kept(conn, after: str) -> None:
    kept, fresh = kept_and_recomputed(conn)
    assert kept == fresh, f"task_reporting differs from its recomputation after {after}"


@pytest.fixture(params=["demo", "tiny"])
def conn(request, demo_db):
    path = demo_db if request.param == "demo" else request.getfixturevalue("tiny_db")
    c = warehouse.connect(path, read_only=True)
    yield c
    c.close()


def test_the_rule_reads_the_kept_reporting_not_the_reports():
    assert "monthly_report" not in alerts.MISSING_REPORTS and "task_reporting" in alerts.MISSING_REPORTS
    assert "FROM monthly_report" not in alerts.REPORT_ALERTS + alerts.GMINA_REPORT_ALERTS


def test_the_missing_reports_from_the_kept_reporting_are_the_anti_joins_rows(conn):
    assert_kept(conn, "the build")
    assert assert_rule_as_before(conn) > 0
    # the tasks with a gap between reports, and those without any, are both there
    gaps, none = conn.execute(
        "SELECT count(*) FILTER (WHERE len(gaps) > 0), count(*) FILTER (WHERE reported_from IS NULL) "
        "FROM task_reporting"
    ).fetchall()[0]
    assert gaps > 0 and none > 0


# --- the kept table after a random sequence of writes --------------------------------------------


def _import(conn, table: str, rows: list[dict]) -> None:
    heads = REGISTRIES[table].headers()
    text = ";".join(heads[f] for f in rows[0]) + "\n"
    text += "".join(";".join(str(v) for v in row.values()) + "\n" for row in rows)
    parsed = workbook.parse_file(text.encode(), "plik.csv", table)
    assert not parsed.errors, parsed.errors
    apply.apply_import(conn, ADMIN, parsed, "valid_only", today=TODAY)


UNREPORTED = """
SELECT t.task_id, t.institution_id, m.month
FROM case_task t
JOIN case_file c USING (case_code)
JOIN (SELECT unnest(generate_series(DATE '2026-06-01', DATE '2026-10-01', INTERVAL 1 MONTH))::DATE AS month) m
  ON m.month >= date_trunc('month', c.plan_on)
WHERE c.closed_on IS NULL AND t.institution_id IS NOT NULL AND (t.done_on IS NULL OR t.done_on > ?)
  AND NOT EXISTS (SELECT 1 FROM monthly_report r WHERE r.task_id = t.task_id AND r.month = m.month)
ORDER BY ALL
"""


UNDONE_REPORTS = """
SELECT r.report_id, r.row_version FROM monthly_report r JOIN case_task t USING (task_id)
JOIN case_file c USING (case_code)
WHERE t.done_on IS NULL AND c.closed_on IS NULL AND r.month >= DATE '2026-08-01' ORDER BY ALL
"""


def _write(conn, rnd: random.Random, kind: str) -> str:
    """One write of `kind` on a random running case with tasks of an institution (refusals count)."""
    q = conn.cursor()
    planned = q.execute(
        "SELECT DISTINCT c.case_code, c.plan_on, c.row_version FROM case_file c JOIN case_task t "
        "USING (case_code) WHERE c.plan_on IS NOT NULL AND c.closed_on IS NULL "
        "AND t.institution_id IS NOT NULL ORDER BY ALL"
    ).fetchall()
    code, _plan_on, version = rnd.choice(planned)
    reports = q.execute(
        "SELECT r.report_id, r.row_version FROM monthly_report r JOIN case_task t USING (task_id) "
        "WHERE t.case_code = ? ORDER BY r.month, r.report_id",
        [code],
    ).fetchall()
    # a task of an institution and a month of the last five without its report
    task_id, who, month = rnd.choice(q.execute(UNREPORTED, [TODAY]).fetchall())
    try:
        if kind == "report":
            delivery.record_monthly_report(conn, ADMIN, task_id, month=month,
                                           progress=rnd.choice(["on_track", "delayed", "done"]),
                                           institution_id=who, today=TODAY)  # fmt: skip
        elif kind == "correct":  # to "done": marks its task done, a month the rule then no longer expects
            report_id, v = rnd.choice(q.execute(UNDONE_REPORTS).fetchall())
            delivery.correct_monthly_report(conn, ADMIN, report_id, progress="done", reported_on=TODAY,
                                            today=TODAY, reason="pomyłka w postępie",
                                            expected_version=v)  # fmt: skip
        elif kind == "withdraw" and len(reports) > 2:
            report_id, v = reports[len(reports) // 2]  # a month in the middle: a gap between reports
            delivery.withdraw_monthly_report(conn, ADMIN, report_id, reason="zapisano dla złego zadania",
                                             expected_version=v)  # fmt: skip
        elif kind == "plan":
            unplanned = q.execute(
                "SELECT case_code, row_version, diagnosed_on FROM case_file WHERE plan_on IS NULL "
                "AND diagnosed_on IS NOT NULL AND closed_on IS NULL ORDER BY case_code"
            ).fetchall()
            new, v, diagnosed = rnd.choice(unplanned)
            plan_on = max(diagnosed, TODAY - timedelta(days=120))
            team.save_plan(conn, ADMIN, new, plan_on=plan_on,
                           main_goal="Stabilizacja sytuacji rodziny", goals=["Praca"], today=TODAY,
                           expected_version=v,
                           tasks=[{"description": "Rozmowa w PUP", "goal": 0, "institution_id": None,
                                   "due_on": TODAY + timedelta(days=60)}])  # fmt: skip
        elif kind == "close":
            delivery.close_case(conn, ADMIN, code, closed_on=TODAY - timedelta(days=rnd.choice([0, 40])),
                                reason="resigned", today=TODAY, expected_version=version)  # fmt: skip
        elif kind == "import":
            _import(conn, "monthly_report", [{"task_id": task_id, "month": f"{month:%d.%m.%Y}",
                                              "reported_on": f"{TODAY:%d.%m.%Y}",
                                              "progress": "on_track"}])  # fmt: skip
        else:
            return f"{kind} (nothing to write)"
    except InvalidInput as exc:
        return f"{kind} (refused: {exc.problems[0]})"
    return kind


def test_the_kept_reporting_equals_its_recomputation_after_random_writes(demo_conn):
    rnd = random.Random(16)
    kinds = ["report", "correct", "withdraw", "plan", "close", "import"]
    done = []
    before = kept_and_recomputed(demo_conn)[0]
    for kind in kinds + [rnd.choice(kinds) for _ in range(12)]:
        done.append(_write(demo_conn, rnd, kind))
        assert_kept(demo_conn, ", ".join(done))
    assert set(done) >= set(kinds), done  # every kind of write was saved at least once
    assert kept_and_recomputed(demo_conn)[0] != before
    assert assert_rule_as_before(demo_conn, DAYS[:2]) > 0


def test_a_warehouse_made_before_the_table_gets_it_from_the_migration(demo_conn):
    expected = kept_and_recomputed(demo_conn)[1]
    demo_conn.execute("DROP TABLE task_reporting")
    # the migration as an older warehouse runs it (later ones may exist, so `migrate` would skip it)
    demo_conn.execute(next(sql for version, _name, sql in warehouse.migrations() if version == 14))
    assert kept_and_recomputed(demo_conn)[0] == expected
