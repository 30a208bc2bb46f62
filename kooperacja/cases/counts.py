"""The kept per-case tables: a case's counts (case_count, migration 0013) and its tasks' reporting
(task_reporting, migration 0014).

The case list and the funnel need, for every one of ~100,000 cases, how many services are in its
basket and how many monthly reports its tasks have; counting the million monthly reports on every read
cost more than the rest of the read. So the counts are kept: every write that adds, moves or removes a
case service, a monthly report or a task recomputes the rows of its cases with `refresh_case_counts`, in
the same transaction (the forms in cases.delivery and cases.team, the import in exchange.apply, the
demo builds). `CASE_COUNTS` is the one home of the rule; a case with no service, report nor task has no
row (a read takes 0 for it), so registering a case needs no refresh.

The missing-monthly-report alert (programme.alerts.MISSING_REPORTS) asks, of every open task of an
institution, which months of the last quarter have no report: an anti-join of ~250,000 expected
task-months against ~325,000 reports on every read. So each task's reporting is kept too, with what the
rule needs of its case (`TASK_REPORTING`, one row per task): the months reported, as the first and the
last one and the months between them without a report (`gaps`, mostly none), so that a read compares
a few integers per task. `refresh_case_counts` refreshes it with the counts (the writes of reports and
tasks); the writes that change only a task's done day or a case's plan or closure call
`refresh_task_reporting` (cases.delivery: a correction marking a task done, the closure; the import
when it writes case_file rows). The dated part of the rule (`today`) stays in the read.
"""

from __future__ import annotations

from collections.abc import Iterable

import duckdb

COUNT_INPUTS = frozenset({"case_service", "monthly_report", "case_task"})  # the tables counted
REPORTING_INPUTS = frozenset({"monthly_report", "case_task", "case_file"})  # what task_reporting keeps

# The counts of the cases $codes (NULL: every case). The million reports are counted per task (an
# integer key) before they meet the cases.
CASE_COUNTS = """
WITH t AS (SELECT task_id, case_code FROM case_task WHERE $codes IS NULL OR list_contains($codes, case_code)),
     m AS (SELECT task_id, count(*) AS reports FROM monthly_report SEMI JOIN t USING (task_id) GROUP BY ALL),
     r AS (SELECT t.case_code, count(*) AS tasks, sum(m.reports) AS reports
           FROM t LEFT JOIN m USING (task_id) GROUP BY ALL),
     s AS (SELECT case_code, count(*) AS services FROM case_service
           WHERE $codes IS NULL OR list_contains($codes, case_code) GROUP BY ALL)
SELECT case_code, coalesce(s.services, 0)::BIGINT AS services, coalesce(r.reports, 0)::BIGINT AS reports,
       coalesce(r.tasks, 0)::BIGINT AS tasks
FROM s FULL JOIN r USING (case_code)
"""

# The reporting of the tasks of the cases $codes (NULL: every task), one row per task. Months are
# integers (year * 12 + month - 1); a task's reported months are exactly reported_from..reported_to
# without its gaps (none reported: both NULL, gaps empty). plan_month and closed_on are its case's
# (plan_month NULL: no plan, or no case), done_month the month the task was done in.
TASK_REPORTING = """
WITH t AS (SELECT task_id, case_code, institution_id, done_on FROM case_task
           WHERE $codes IS NULL OR list_contains($codes, case_code)),
     r AS (SELECT task_id, (year(month) * 12 + month(month) - 1)::INTEGER AS i
           FROM monthly_report SEMI JOIN t USING (task_id)),
     s AS (SELECT task_id, min(i) AS lo, max(i) AS hi, count(*) AS n FROM r GROUP BY ALL),
     g AS (SELECT task_id, list(i ORDER BY i) AS gaps
           FROM (SELECT task_id, unnest(range(lo, hi + 1))::INTEGER AS i FROM s WHERE n < hi - lo + 1)
           ANTI JOIN r USING (task_id, i)
           GROUP BY ALL)
SELECT t.task_id, t.case_code, t.institution_id,
       (year(c.plan_on) * 12 + month(c.plan_on) - 1)::INTEGER AS plan_month, c.closed_on,
       (year(t.done_on) * 12 + month(t.done_on) - 1)::INTEGER AS done_month,
       s.lo AS reported_from, s.hi AS reported_to, coalesce(g.gaps, []::INTEGER[]) AS gaps
FROM t
LEFT JOIN case_file c USING (case_code)
LEFT JOIN s USING (task_id)
LEFT JOIN g USING (task_id)
"""


def _codes(case_codes: Iterable[str] | None) -> list[str] | None:
    return None if case_codes is None else sorted(set(case_codes))


def refresh_task_reporting(cur: duckdb.DuckDBPyConnection, case_codes: Iterable[str] | None = None) -> None:
    """Recompute task_reporting for the tasks of the cases `case_codes` (None: every task), inside the
    caller's transaction."""
    codes = _codes(case_codes)
    if codes == []:
        return
    params = {"codes": codes}
    cur.execute(
        "DELETE FROM task_reporting WHERE $codes IS NULL OR list_contains($codes, case_code) "
        "OR task_id IN (SELECT task_id FROM case_task WHERE list_contains($codes, case_code))",
        params,
    )  # a task moved into one of the cases leaves its old row too
    cur.execute(f"INSERT INTO task_reporting BY NAME {TASK_REPORTING}", params)


def refresh_case_counts(cur: duckdb.DuckDBPyConnection, case_codes: Iterable[str] | None = None) -> None:
    """Recompute case_count and task_reporting for the cases `case_codes` (None: every case), inside
    the caller's transaction."""
    codes = _codes(case_codes)
    if codes == []:
        return
    params = {"codes": codes}
    cur.execute("DELETE FROM case_count WHERE $codes IS NULL OR list_contains($codes, case_code)", params)
    cur.execute(f"INSERT INTO case_count BY NAME {CASE_COUNTS}", params)
    refresh_task_reporting(cur, codes)
